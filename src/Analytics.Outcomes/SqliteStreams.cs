using System.Runtime.CompilerServices;
using System.Globalization;
using System.Text;
using Analytics.Domain;
using Microsoft.Data.Sqlite;

namespace Analytics.Outcomes;

/// <summary>
/// SQLite-only fast path for the four big streams (courses, assessments, sessions, answers): the same narrow
/// projections as <see cref="OutcomeQueries"/>, stepped through <see cref="NativeSqlite"/> so texts are read as UTF-8
/// spans and interned (clinic, concern, patient, instrument) or looked up (course id) without a string per row. The
/// LINQ queries stay the portable path; facts check that both give identical tables.
/// </summary>
internal static class SqliteStreams
{
    private const int StackChars = 256;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static List<CourseFacts> Courses(NativeSqlite.Connection connection)
    {
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        var byChars = texts.GetAlternateLookup<ReadOnlySpan<char>>();
        var courses = new List<CourseFacts>();
        using var stmt = connection.Prepare("""
            SELECT Id, PatientId, ClinicId, PractitionerId, Concern, Protocol, FirstSessionDate, LastSessionDate,
                   SessionCount, BirthYear, Sex, FitzpatrickType
            FROM courses
            """);
        var buffer = new char[StackChars];
        while (stmt.Step())
        {
            courses.Add(new CourseFacts(
                Text(stmt, 0), Shared(stmt, 1), Shared(stmt, 2), SharedOrNull(stmt, 3), Shared(stmt, 4), Shared(stmt, 5),
                Date(stmt, 6), Date(stmt, 7), stmt.Int(8), IntOrNull(stmt, 9), SharedOrNull(stmt, 10),
                IntOrNull(stmt, 11)));
        }
        return courses;

        // Repeated texts (patients, clinics, codes) are stored once.
        string Shared(NativeSqlite.Statement s, int i)
        {
            var chars = Chars(s, i, buffer, out var owned);
            if (owned is not null) return owned;
            if (byChars.TryGetValue(chars, out var text)) return text;
            text = new string(chars);
            texts.Add(text, text);
            return text;
        }

        string? SharedOrNull(NativeSqlite.Statement s, int i) => s.IsNull(i) ? null : Shared(s, i);
    }

    /// <summary>Every assessment into <paramref name="builder"/>; returns the count of those awaiting their course, by month.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Dictionary<int, int> Assessments(NativeSqlite.Connection connection, CourseOutcomeBuilder builder, CancellationToken ct)
    {
        var awaiting = new Dictionary<int, int>();
        using var stmt = connection.Prepare($"""
            SELECT Id, CourseId, Instrument,
                   CASE WHEN Timepoint = '{Codes.Baseline}' THEN 0 WHEN Timepoint = '{Codes.FollowUp}' THEN 1 ELSE 2 END,
                   AssessedOn, Month, Score
            FROM assessments
            """);
        Span<char> idChars = stackalloc char[StackChars];
        Span<char> courseChars = stackalloc char[StackChars];
        Span<char> instrumentChars = stackalloc char[StackChars];
        var n = 0;
        while (stmt.Step())
        {
            if ((++n & 0xFFFF) == 0) ct.ThrowIfCancellationRequested();
            var course = Chars(stmt, 1, courseChars, out var courseText);
            var slot = builder.FindSlot(courseText ?? course);
            if (slot is null)
            {
                var month = stmt.Int(5);
                awaiting[month] = awaiting.GetValueOrDefault(month) + 1;
                continue;
            }
            // Any timepoint other than baseline/follow_up is interim here, as in OutcomeQueries.Assessments.
            var timepoint = (CourseOutcomeBuilder.TimepointCode)stmt.Int(3);
            if (timepoint == CourseOutcomeBuilder.TimepointCode.Interim) continue;
            var instrument = Chars(stmt, 2, instrumentChars, out var instrumentText);
            var id = Chars(stmt, 0, idChars, out var idText);
            builder.Add(slot, timepoint, instrumentText ?? instrument, Date(stmt, 4), stmt.Double(6),
                idText ?? id, idText);
        }
        return awaiting;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Sessions(NativeSqlite.Connection connection, SessionTablesBuilder tables, int? toMonth, CancellationToken ct)
    {
        using var stmt = connection.Prepare("""
            SELECT Month, ClinicId, Concern, PatientId, HasAdverseEvent, DowntimeDays, Price, Currency
            FROM sessions
            WHERE $to IS NULL OR Month <= $to
            """);
        if (toMonth is { } t) stmt.BindInt64(1, t);
        else stmt.BindNull(1);
        tables.ExpectSessions(RowsAtMost(connection, "sessions"));
        Span<char> buffer = stackalloc char[StackChars];
        var n = 0;
        while (stmt.Step())
        {
            if ((++n & 0xFFFF) == 0) ct.ThrowIfCancellationRequested();
            var month = stmt.Int(0);
            var clinic = Intern(tables.Clinics, stmt, 1, buffer);
            var patient = tables.Patients.Intern(stmt.Bytes(3));
            var inRange = tables.InMonthRange(month);
            var concern = inRange ? Intern(tables.Concerns, stmt, 2, buffer) : -1;
            double? downtime = stmt.IsNull(5) ? null : stmt.Double(5);
            decimal? price = null;
            var currency = -1;
            if (inRange && !stmt.IsNull(6) && !stmt.IsNull(7))
            {
                price = Decimal(stmt, 6);
                currency = Intern(tables.Currencies, stmt, 7, buffer);
            }
            tables.Add(month, clinic, concern, patient, stmt.Int(4) != 0, downtime, price, currency);
        }
    }

    /// <summary>
    /// The answers in the month range with their clinic, into <paramref name="table"/>; answers without a clinic are
    /// counted by month in <paramref name="withoutClinic"/>. The SQL is <see cref="OutcomeQueries.Answers"/> as EF Core
    /// writes it for SQLite (same joins, same fallback subquery, same filters, so the same plan and row order), written
    /// out here so this path compiles no LINQ query.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Answers(NativeSqlite.Connection connection, int? fromMonth, int? toMonth, SatisfactionTableBuilder table,
        Dictionary<int, int> withoutClinic, CancellationToken ct)
    {
        var filters = new List<string>();
        if (fromMonth is not null) filters.Add("\"s\".\"Month\" >= $from");
        if (toMonth is not null) filters.Add("\"s\".\"Month\" <= $to");
        using var stmt = connection.Prepare($"""
            SELECT "s"."Month", "s"."Instrument", "s"."PatientId", "s"."Score", CASE
                WHEN "s0"."Id" IS NOT NULL THEN "s0"."ClinicId"
                WHEN "c"."Id" IS NOT NULL THEN "c"."ClinicId"
                ELSE (
                    SELECT "s1"."ClinicId"
                    FROM "sessions" AS "s1"
                    WHERE "s1"."PatientId" = "s"."PatientId" AND "s1"."SessionDate" <= "s"."RespondedOn"
                    ORDER BY "s1"."SessionDate" DESC, "s1"."Id" DESC
                    LIMIT 1)
            END
            FROM "satisfaction_responses" AS "s"
            LEFT JOIN "sessions" AS "s0" ON "s"."SessionId" = "s0"."Id"
            LEFT JOIN "courses" AS "c" ON "s"."CourseId" = "c"."Id"
            {(filters.Count == 0 ? "" : "WHERE " + string.Join(" AND ", filters))}
            """);
        if (fromMonth is { } f) stmt.BindInt64(stmt.ParameterIndex("$from"), f);
        if (toMonth is { } t) stmt.BindInt64(stmt.ParameterIndex("$to"), t);
        table.ExpectAnswers(RowsAtMost(connection, "satisfaction_responses"));
        Span<char> buffer = stackalloc char[StackChars];
        var unknown = -1;
        var n = 0;
        while (stmt.Step())
        {
            if ((++n & 0xFFFF) == 0) ct.ThrowIfCancellationRequested();
            var month = stmt.Int(0);
            int clinic;
            if (stmt.IsNull(4))
            {
                withoutClinic[month] = withoutClinic.GetValueOrDefault(month) + 1;
                clinic = unknown >= 0 ? unknown : unknown = table.Clinics[Codes.UnknownClinic];
            }
            else
            {
                clinic = Intern(table.Clinics, stmt, 4, buffer);
            }
            var instrument = Intern(table.Instruments, stmt, 1, buffer);
            var patient = table.Patients.Intern(stmt.Bytes(2));
            table.Add(month, clinic, instrument, patient, stmt.Double(3));
        }
    }

    /// <summary>
    /// The models' session features of every course known to <paramref name="builder"/> in one pass over the sessions:
    /// mean needle depth over the sessions that record it, most used device and area (ties to the ordinally smallest
    /// code) — <see cref="OutcomeQueries.NeedleDepths"/>, <see cref="OutcomeQueries.Devices"/> and
    /// <see cref="OutcomeQueries.Areas"/> without their three GROUP BY scans.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Dictionary<string, CourseSessionFeatures> SessionFeatures(NativeSqlite.Connection connection, CourseOutcomeBuilder builder, CancellationToken ct)
    {
        var devices = new TextIndex();
        var areas = new TextIndex();
        var byCourse = new Dictionary<string, FeatureCounts>(StringComparer.Ordinal);
        using var stmt = connection.Prepare("""SELECT "CourseId", "NeedleDepthMm", "Device", "Area" FROM "sessions" """);
        Span<char> buffer = stackalloc char[StackChars];
        var n = 0;
        while (stmt.Step())
        {
            if ((++n & 0xFFFF) == 0) ct.ThrowIfCancellationRequested();
            var course = Chars(stmt, 0, buffer, out var owned);
            if (builder.FindSlot(owned ?? course) is not { } slot) continue;
            if (!byCourse.TryGetValue(slot.Course.Id, out var counts)) byCourse.Add(slot.Course.Id, counts = new FeatureCounts());
            if (!stmt.IsNull(1))
            {
                counts.DepthSum += stmt.Double(1);
                counts.DepthCount++;
            }
            if (!stmt.IsNull(2)) FeatureCounts.Count(ref counts.Devices, Intern(devices, stmt, 2, buffer));
            if (!stmt.IsNull(3)) FeatureCounts.Count(ref counts.Areas, Intern(areas, stmt, 3, buffer));
        }
        var result = new Dictionary<string, CourseSessionFeatures>(byCourse.Count, StringComparer.Ordinal);
        foreach (var (id, c) in byCourse)
        {
            result[id] = new CourseSessionFeatures(c.DepthCount > 0 ? c.DepthSum / c.DepthCount : null,
                FeatureCounts.Mode(c.Devices, devices), FeatureCounts.Mode(c.Areas, areas));
        }
        return result;
    }

    private sealed class FeatureCounts
    {
        public double DepthSum;
        public int DepthCount;
        public int[]? Devices;
        public int[]? Areas;

        public static void Count(ref int[]? counts, int code)
        {
            if (counts is null || counts.Length <= code) Array.Resize(ref counts, code + 1);
            counts[code]++;
        }

        public static string? Mode(int[]? counts, TextIndex codes)
        {
            if (counts is null) return null;
            string? best = null;
            var bestCount = 0;
            for (var code = 0; code < counts.Length; code++)
            {
                var count = counts[code];
                if (count == 0) continue;
                var text = codes.Text(code);
                if (count > bestCount || (count == bestCount && string.CompareOrdinal(text, best) < 0)) (best, bestCount) = (text, count);
            }
            return best;
        }
    }

    /// <summary><see cref="OutcomeQueries.RejectedRows"/> in SQL: each distinct rejected row once, with the first batch that rejected it.</summary>
    public static List<OutcomeQueries.RejectedRowKey> RejectedRows(NativeSqlite.Connection connection)
    {
        using var stmt = connection.Prepare("""
            SELECT "Month", "ClinicId", "ReasonCode", MIN("ImportBatchId")
            FROM "rejected_rows"
            GROUP BY "Month", "ClinicId", "File", "Line", "RecordId", "ReasonCode"
            """);
        var rows = new List<OutcomeQueries.RejectedRowKey>();
        while (stmt.Step())
        {
            rows.Add(new OutcomeQueries.RejectedRowKey(IntOrNull(stmt, 0), stmt.IsNull(1) ? null : Text(stmt, 1), Text(stmt, 2), stmt.Int(3)));
        }
        return rows;
    }

    /// <summary>An upper bound of a table's rows that costs one B-tree descent (its largest rowid).</summary>
    private static long RowsAtMost(NativeSqlite.Connection connection, string table)
    {
        using var stmt = connection.Prepare($"""SELECT max(rowid) FROM "{table}" """);
        return stmt.Step() && !stmt.IsNull(0) ? (long)stmt.Double(0) : 0;
    }

    /// <summary>The as-of day of every import batch.</summary>
    public static Dictionary<int, DateOnly> ImportDays(NativeSqlite.Connection connection)
    {
        using var stmt = connection.Prepare("""SELECT "Id", "AsOf" FROM "import_batches" """);
        var days = new Dictionary<int, DateOnly>();
        while (stmt.Step()) days[stmt.Int(0)] = Date(stmt, 1);
        return days;
    }

    /// <summary>
    /// A text column as characters in <paramref name="buffer"/>; a text longer than the buffer comes back as a
    /// string in <paramref name="owned"/> (and as its characters).
    /// </summary>
    private static ReadOnlySpan<char> Chars(NativeSqlite.Statement stmt, int i, Span<char> buffer, out string? owned)
    {
        var bytes = stmt.Bytes(i);
        owned = null;
        if (bytes.Length <= buffer.Length)
        {
            // ASCII (every id and code here) needs no decoder.
            if (Ascii.ToUtf16(bytes, buffer, out var written) == System.Buffers.OperationStatus.Done) return buffer[..written];
            if (Encoding.UTF8.GetMaxCharCount(bytes.Length) <= buffer.Length)
            {
                var count = Encoding.UTF8.GetChars(bytes, buffer);
                return buffer[..count];
            }
        }
        owned = Encoding.UTF8.GetString(bytes);
        return owned;
    }

    private static string Text(NativeSqlite.Statement stmt, int i) => Encoding.UTF8.GetString(stmt.Bytes(i));

    private static int Intern(TextIndex index, NativeSqlite.Statement stmt, int i, Span<char> buffer)
    {
        var chars = Chars(stmt, i, buffer, out var owned);
        return owned is not null ? index[owned] : index.Intern(chars);
    }

    private static int? IntOrNull(NativeSqlite.Statement stmt, int i) => stmt.IsNull(i) ? null : stmt.Int(i);

    /// <summary>EF Core stores DateOnly as 'yyyy-MM-dd' text on SQLite.</summary>
    private static DateOnly Date(NativeSqlite.Statement stmt, int i)
    {
        var b = stmt.Bytes(i);
        if (b.Length == 10 && b[4] == '-' && b[7] == '-')
        {
            int year = Digits(b[..4]), month = Digits(b.Slice(5, 2)), day = Digits(b.Slice(8, 2));
            if (year > 0 && month > 0 && day > 0) return new DateOnly(year, month, day);
        }
        return DateOnly.Parse(Encoding.UTF8.GetString(b), CultureInfo.InvariantCulture);

        static int Digits(ReadOnlySpan<byte> d)
        {
            var v = 0;
            foreach (var c in d)
            {
                if (c < '0' || c > '9') return -1;
                v = v * 10 + (c - '0');
            }
            return v;
        }
    }

    /// <summary>EF Core stores decimals as text on SQLite and parses them with these styles.</summary>
    private static decimal Decimal(NativeSqlite.Statement stmt, int i)
    {
        if (stmt.Type(i) != NativeSqlite.Text)
            return Convert.ToDecimal(stmt.Double(i), CultureInfo.InvariantCulture);
        return decimal.Parse(stmt.Bytes(i), NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture);
    }
}
