using System.Globalization;
using System.Text;
using Analytics.Domain;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Analytics.Outcomes;

/// <summary>
/// SQLite-only fast path for the three big streams (courses, assessments, sessions): the same narrow projections
/// as <see cref="OutcomeQueries"/>, stepped with SQLitePCL directly so texts are read as UTF-8 spans and interned
/// (clinic, concern, patient, instrument) or looked up (course id) without a string per row. The LINQ queries stay
/// the portable path; facts check that both give identical tables.
/// </summary>
internal static class SqliteStreams
{
    private const int StackChars = 256;

    public static List<CourseFacts> Courses(SqliteConnection connection)
    {
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        var byChars = texts.GetAlternateLookup<ReadOnlySpan<char>>();
        var courses = new List<CourseFacts>();
        using var stmt = Prepare(connection, """
            SELECT Id, PatientId, ClinicId, PractitionerId, Concern, Protocol, FirstSessionDate, LastSessionDate,
                   SessionCount, BirthYear, Sex, FitzpatrickType
            FROM courses
            """);
        var buffer = new char[StackChars];
        while (Step(stmt))
        {
            courses.Add(new CourseFacts(
                Text(stmt, 0), Shared(stmt, 1), Shared(stmt, 2), SharedOrNull(stmt, 3), Shared(stmt, 4), Shared(stmt, 5),
                Date(stmt, 6), Date(stmt, 7), raw.sqlite3_column_int(stmt, 8), IntOrNull(stmt, 9), SharedOrNull(stmt, 10),
                IntOrNull(stmt, 11)));
        }
        return courses;

        // Repeated texts (patients, clinics, codes) are stored once.
        string Shared(sqlite3_stmt s, int i)
        {
            var chars = Chars(s, i, buffer, out var owned);
            if (owned is not null) return owned;
            if (byChars.TryGetValue(chars, out var text)) return text;
            text = new string(chars);
            texts.Add(text, text);
            return text;
        }

        string? SharedOrNull(sqlite3_stmt s, int i) => raw.sqlite3_column_type(s, i) == raw.SQLITE_NULL ? null : Shared(s, i);
    }

    /// <summary>Every assessment into <paramref name="builder"/>; returns the count of those awaiting their course, by month.</summary>
    public static Dictionary<int, int> Assessments(SqliteConnection connection, CourseOutcomeBuilder builder, CancellationToken ct)
    {
        var awaiting = new Dictionary<int, int>();
        using var stmt = Prepare(connection, $"""
            SELECT Id, CourseId, Instrument,
                   CASE WHEN Timepoint = '{Codes.Baseline}' THEN 0 WHEN Timepoint = '{Codes.FollowUp}' THEN 1 ELSE 2 END,
                   AssessedOn, Month, Score
            FROM assessments
            """);
        Span<char> idChars = stackalloc char[StackChars];
        Span<char> courseChars = stackalloc char[StackChars];
        Span<char> instrumentChars = stackalloc char[StackChars];
        var n = 0;
        while (Step(stmt))
        {
            if ((++n & 0xFFFF) == 0) ct.ThrowIfCancellationRequested();
            var course = Chars(stmt, 1, courseChars, out var courseText);
            var slot = builder.FindSlot(courseText ?? course);
            if (slot is null)
            {
                var month = raw.sqlite3_column_int(stmt, 5);
                awaiting[month] = awaiting.GetValueOrDefault(month) + 1;
                continue;
            }
            // Any timepoint other than baseline/follow_up is interim here, as in OutcomeQueries.Assessments.
            var timepoint = (CourseOutcomeBuilder.TimepointCode)raw.sqlite3_column_int(stmt, 3);
            if (timepoint == CourseOutcomeBuilder.TimepointCode.Interim) continue;
            var instrument = Chars(stmt, 2, instrumentChars, out var instrumentText);
            var id = Chars(stmt, 0, idChars, out var idText);
            builder.Add(slot, timepoint, instrumentText ?? instrument, Date(stmt, 4), raw.sqlite3_column_double(stmt, 6),
                idText ?? id, idText);
        }
        return awaiting;
    }

    public static void Sessions(SqliteConnection connection, SessionTablesBuilder tables, int? toMonth, CancellationToken ct)
    {
        using var stmt = Prepare(connection, """
            SELECT Month, ClinicId, Concern, PatientId, HasAdverseEvent, DowntimeDays, Price, Currency
            FROM sessions
            WHERE $to IS NULL OR Month <= $to
            """);
        if (toMonth is { } t) raw.sqlite3_bind_int(stmt, 1, t);
        else raw.sqlite3_bind_null(stmt, 1);
        Span<char> buffer = stackalloc char[StackChars];
        var n = 0;
        while (Step(stmt))
        {
            if ((++n & 0xFFFF) == 0) ct.ThrowIfCancellationRequested();
            var month = raw.sqlite3_column_int(stmt, 0);
            var clinic = Intern(tables.Clinics, stmt, 1, buffer);
            var patient = Intern(tables.Patients, stmt, 3, buffer);
            var inRange = tables.InMonthRange(month);
            var concern = inRange ? Intern(tables.Concerns, stmt, 2, buffer) : -1;
            double? downtime = raw.sqlite3_column_type(stmt, 5) == raw.SQLITE_NULL ? null : raw.sqlite3_column_double(stmt, 5);
            decimal? price = null;
            var currency = -1;
            if (inRange && raw.sqlite3_column_type(stmt, 6) != raw.SQLITE_NULL && raw.sqlite3_column_type(stmt, 7) != raw.SQLITE_NULL)
            {
                price = Decimal(stmt, 6);
                currency = Intern(tables.Currencies, stmt, 7, buffer);
            }
            tables.Add(month, clinic, concern, patient, raw.sqlite3_column_int(stmt, 4) != 0, downtime, price, currency);
        }
    }

    /// <summary>
    /// The answers of <paramref name="query"/> (<see cref="OutcomeQueries.Answers"/>: EF's own SQL and parameters, so
    /// the same plan and row order) into <paramref name="table"/>; answers without a clinic are counted by month in
    /// <paramref name="withoutClinic"/>. False (nothing read) when the command is not the expected five columns.
    /// </summary>
    public static bool Answers(SqliteConnection connection, System.Data.Common.DbCommand query, SatisfactionTableBuilder table,
        Dictionary<int, int> withoutClinic, CancellationToken ct)
    {
        using var stmt = Prepare(connection, query.CommandText);
        if (raw.sqlite3_column_count(stmt) != 5) return false;
        foreach (System.Data.Common.DbParameter p in query.Parameters)
        {
            var name = p.ParameterName.StartsWith('@') || p.ParameterName.StartsWith('$') || p.ParameterName.StartsWith(':') ? p.ParameterName : "@" + p.ParameterName;
            var index = raw.sqlite3_bind_parameter_index(stmt, name);
            if (index == 0) return false;
            var rc = p.Value switch
            {
                null or DBNull => raw.sqlite3_bind_null(stmt, index),
                int i => raw.sqlite3_bind_int64(stmt, index, i),
                long l => raw.sqlite3_bind_int64(stmt, index, l),
                double d => raw.sqlite3_bind_double(stmt, index, d),
                string text => raw.sqlite3_bind_text(stmt, index, text),
                _ => -1,
            };
            if (rc != raw.SQLITE_OK) return false;
        }
        Span<char> buffer = stackalloc char[StackChars];
        var unknown = -1;
        var n = 0;
        while (Step(stmt))
        {
            if ((++n & 0xFFFF) == 0) ct.ThrowIfCancellationRequested();
            var month = raw.sqlite3_column_int(stmt, 0);
            int clinic;
            if (raw.sqlite3_column_type(stmt, 4) == raw.SQLITE_NULL)
            {
                withoutClinic[month] = withoutClinic.GetValueOrDefault(month) + 1;
                clinic = unknown >= 0 ? unknown : unknown = table.Clinics[Codes.UnknownClinic];
            }
            else
            {
                clinic = Intern(table.Clinics, stmt, 4, buffer);
            }
            var instrument = Intern(table.Instruments, stmt, 1, buffer);
            var patient = Intern(table.Patients, stmt, 2, buffer);
            table.Add(month, clinic, instrument, patient, raw.sqlite3_column_double(stmt, 3));
        }
        return true;
    }

    /// <summary>True when a second connection sees the same data (a file, not an in-memory database).</summary>
    public static bool CanOpenAnother(SqliteConnection connection)
    {
        var builder = new SqliteConnectionStringBuilder(connection.ConnectionString);
        return builder.Mode != SqliteOpenMode.Memory && !string.IsNullOrEmpty(builder.DataSource)
            && !string.Equals(builder.DataSource, ":memory:", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A second, read-only connection to the same database, opened.</summary>
    public static SqliteConnection OpenAnother(SqliteConnection connection)
    {
        var builder = new SqliteConnectionStringBuilder(connection.ConnectionString) { Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        var another = new SqliteConnection(builder.ConnectionString);
        another.Open();
        return another;
    }

    private static sqlite3_stmt Prepare(SqliteConnection connection, string sql)
    {
        var rc = raw.sqlite3_prepare_v2(connection.Handle, sql, out var stmt);
        if (rc != raw.SQLITE_OK) throw new InvalidOperationException($"SQLite error {rc}: {raw.sqlite3_errmsg(connection.Handle).utf8_to_string()}");
        return stmt;
    }

    private static bool Step(sqlite3_stmt stmt)
    {
        var rc = raw.sqlite3_step(stmt);
        if (rc == raw.SQLITE_ROW) return true;
        if (rc == raw.SQLITE_DONE) return false;
        throw new InvalidOperationException($"SQLite error {rc}: {raw.sqlite3_errmsg(raw.sqlite3_db_handle(stmt)).utf8_to_string()}");
    }

    /// <summary>
    /// A text column as characters in <paramref name="buffer"/>; a text longer than the buffer comes back as a
    /// string in <paramref name="owned"/> (and as its characters).
    /// </summary>
    private static ReadOnlySpan<char> Chars(sqlite3_stmt stmt, int i, Span<char> buffer, out string? owned)
    {
        var bytes = raw.sqlite3_column_blob(stmt, i);
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

    private static string Text(sqlite3_stmt stmt, int i) => Encoding.UTF8.GetString(raw.sqlite3_column_blob(stmt, i));

    private static int Intern(TextIndex index, sqlite3_stmt stmt, int i, Span<char> buffer)
    {
        var chars = Chars(stmt, i, buffer, out var owned);
        return owned is not null ? index[owned] : index.Intern(chars);
    }

    private static int? IntOrNull(sqlite3_stmt stmt, int i) =>
        raw.sqlite3_column_type(stmt, i) == raw.SQLITE_NULL ? null : raw.sqlite3_column_int(stmt, i);

    /// <summary>EF Core stores DateOnly as 'yyyy-MM-dd' text on SQLite.</summary>
    private static DateOnly Date(sqlite3_stmt stmt, int i)
    {
        var b = raw.sqlite3_column_blob(stmt, i);
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
    private static decimal Decimal(sqlite3_stmt stmt, int i)
    {
        if (raw.sqlite3_column_type(stmt, i) != raw.SQLITE_TEXT)
            return Convert.ToDecimal(raw.sqlite3_column_double(stmt, i), CultureInfo.InvariantCulture);
        return decimal.Parse(raw.sqlite3_column_blob(stmt, i), NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture);
    }
}
