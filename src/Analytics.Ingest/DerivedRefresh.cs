using System.Data.Common;
using Analytics.Domain;
using Analytics.Ingest.Bulk;
using static Analytics.Ingest.Bulk.BulkTables;

namespace Analytics.Ingest;

/// <summary>
/// Recomputes the derived <c>courses</c> and <c>patients</c> rows touched by an import, following the
/// contract's definitions, from the database once the batch's sessions are written: the touched groups'
/// sessions are streamed ordered by group id and each group is aggregated and written when the next begins,
/// so memory does not grow with the file. Every "first" is by session date, then id (ordinal), so the result
/// does not depend on row order.
/// </summary>
internal sealed class DerivedRefresh(IBulkWriter w, int batchId, int largeLoad, Action<string, TimeSpan> phase, CancellationToken ct)
{
    private readonly record struct Key(DateOnly Date, string Id)
    {
        public bool Before(Key other) => ImportRun.Before(Date, Id, other.Date, other.Id);
    }

    // Structs and inline fields: one new course or patient of a first load costs one small object, not eight.
    private struct FirstValue<T>
    {
        public Key Key;
        public T? Value;
        public bool Set;

        public void Offer(Key key, T? value)
        {
            if (value is null) return;
            if (!Set || key.Before(Key)) { Key = key; Value = value; Set = true; }
        }
    }

    private sealed class CourseAgg
    {
        public Key First;
        public Key Last;
        public string PatientId = "", ClinicId = "", Concern = "";
        public int Count;
        public FirstValue<int?> Birth, Fitz;
        public FirstValue<string> Sex;
        // Sessions per practitioner: almost every course has one, kept inline; others in a short list.
        private string? _practitioner;
        private int _practitionerCount;
        private Key _practitionerEarliest;
        private List<(string Id, int Count, Key Earliest)>? _others;
        // Adjuncts of the catalogue as bits of Codes.Adjuncts; anything else (not expected) in a set.
        private ulong _adjunctBits;
        private SortedSet<string>? _otherAdjuncts;

        public void AddPractitioner(string id, Key key)
        {
            if (_practitioner is null || _practitioner == id)
            {
                if (_practitioner is null || key.Before(_practitionerEarliest)) _practitionerEarliest = key;
                _practitioner = id;
                _practitionerCount++;
                return;
            }
            _others ??= [];
            for (var i = 0; i < _others.Count; i++)
            {
                if (_others[i].Id != id) continue;
                var p = _others[i];
                _others[i] = (id, p.Count + 1, key.Before(p.Earliest) ? key : p.Earliest);
                return;
            }
            _others.Add((id, 1, key));
        }

        /// <summary>Practitioner of most sessions; ties go to the one whose earliest session comes first.</summary>
        public string Practitioner()
        {
            var (best, count, earliest) = (_practitioner!, _practitionerCount, _practitionerEarliest);
            foreach (var (id, n, e) in _others ?? [])
            {
                if (n > count || (n == count && e.Before(earliest))) (best, count, earliest) = (id, n, e);
            }
            return best;
        }

        public void AddAdjunct(string adjunct)
        {
            var i = AdjunctIndex(adjunct);
            if (i >= 0) _adjunctBits |= 1UL << i;
            else (_otherAdjuncts ??= new SortedSet<string>(StringComparer.Ordinal)).Add(adjunct);
        }

        public IEnumerable<string> Adjuncts()
        {
            for (var i = 0; i < Codes.Adjuncts.Count && i < 64; i++)
            {
                if ((_adjunctBits & (1UL << i)) != 0) yield return Codes.Adjuncts[i];
            }
            foreach (var a in _otherAdjuncts ?? []) yield return a;
        }

        private static int AdjunctIndex(string adjunct)
        {
            for (var i = 0; i < Codes.Adjuncts.Count && i < 64; i++)
            {
                if (Codes.Adjuncts[i] == adjunct) return i;
            }
            return -1;
        }
    }

    private sealed class PatientAgg
    {
        public FirstValue<int?> Birth, Fitz;
        public FirstValue<string> Sex;
    }

    /// <summary>Rows per page on PostgreSQL and SQL Server, which cannot write while a reader is open (tests lower it).</summary>
    internal static readonly AsyncLocal<int?> PageRowsOverride = new();

    private const int WriteChunk = 5000;
    private const string SessionColumns =
        "s.\"Id\", s.\"CourseId\", s.\"PatientId\", s.\"ClinicId\", s.\"PractitionerId\", s.\"Concern\", s.\"SessionDate\", s.\"PatientBirthYear\", s.\"PatientSex\", s.\"FitzpatrickType\"";

    // Old course/patient of updated sessions (they may have moved away): recomputed too, or deleted when emptied.
    private readonly HashSet<string> _oldCourses = new(StringComparer.Ordinal);
    private readonly HashSet<string> _oldPatients = new(StringComparer.Ordinal);

    /// <summary>Courses the updated sessions belonged to before this import (the assessment rules re-check them too).</summary>
    public IReadOnlyCollection<string> OldCourses => _oldCourses;

    /// <summary>An updated session's previous course and patient: recomputed too (the session may have moved).</summary>
    public void TouchStored(string courseId, string patientId)
    {
        _oldCourses.Add(courseId);
        _oldPatients.Add(patientId);
    }

    private static string From(bool courses) => courses
        ? $"SELECT {SessionColumns}, a.\"Adjunct\" FROM \"sessions\" s LEFT JOIN \"session_adjuncts\" a ON a.\"SessionId\" = s.\"Id\""
        : $"SELECT {SessionColumns} FROM \"sessions\" s";

    // By group only: a group's rows are adjacent, which is all the aggregation needs; SQLite then walks the
    // (CourseId, SessionDate) or (PatientId, SessionDate) index instead of sorting.
    private static string OrderBy(bool courses) => courses ? " ORDER BY s.\"CourseId\"" : " ORDER BY s.\"PatientId\"";

    private static string Keys(int count) => string.Join(", ", Enumerable.Range(0, count).Select(i => "@k" + i));

    /// <summary>
    /// All sessions of the courses (or patients) this batch wrote sessions of, adjuncts joined (one row each),
    /// ordered by group. <paramref name="all"/>: every stored session is of this batch (a first load), no filter.
    /// <paramref name="after"/> and <paramref name="limit"/> page it by key (PostgreSQL, SQL Server: standard
    /// OFFSET/FETCH); SQLite reads it in one go.
    /// </summary>
    internal static string BatchGroupsSql(bool courses, bool all, bool after, int? limit)
    {
        var column = courses ? "CourseId" : "PatientId";
        var conditions = new List<string>();
        if (!all) conditions.Add($"s.\"{column}\" IN (SELECT b.\"{column}\" FROM \"sessions\" b WHERE b.\"ImportBatchId\" = @batch)");
        if (after) conditions.Add($"s.\"{column}\" > @after");
        var sql = From(courses) + (conditions.Count > 0 ? " WHERE " + string.Join(" AND ", conditions) : "") + OrderBy(courses);
        return limit is { } n ? sql + $" OFFSET 0 ROWS FETCH NEXT {n} ROWS ONLY" : sql;
    }

    /// <summary>
    /// Sessions of the old courses (or patients) of updated sessions among <paramref name="keys"/> parameters
    /// that this batch wrote no session of (the others are in <see cref="BatchGroupsSql"/>), ordered like it.
    /// </summary>
    internal static string OldGroupsSql(bool courses, int keys)
    {
        var column = courses ? "CourseId" : "PatientId";
        return From(courses)
            + $" WHERE s.\"{column}\" IN ({Keys(keys)})"
            + $" AND NOT EXISTS (SELECT 1 FROM \"sessions\" x WHERE x.\"{column}\" = s.\"{column}\" AND x.\"ImportBatchId\" = @batch)"
            + OrderBy(courses);
    }

    /// <summary>Deletes the courses among <paramref name="keys"/> parameters that have no sessions any more.</summary>
    internal static string DeleteEmptiedCoursesSql(int keys) =>
        $"DELETE FROM \"courses\" WHERE \"Id\" IN ({Keys(keys)})"
        + " AND NOT EXISTS (SELECT 1 FROM \"sessions\" s WHERE s.\"CourseId\" = \"courses\".\"Id\")";

    /// <summary>
    /// Recomputes every course and patient this batch touched from the database, streamed in group order:
    /// only the current group is aggregated in memory, finished rows are upserted in chunks of 5000 (key order).
    /// Call after the batch's sessions are written and the sessions' indexes rebuilt.
    /// <paramref name="sessionsWritten"/> (new + updated sessions) decides the SQLite large-load path;
    /// <paramref name="onlyThisBatch"/>: no session was stored before this batch (the batch touched everything).
    /// </summary>
    public async Task RefreshAsync(int sessionsWritten, bool onlyThisBatch)
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        // A large load: build the courses' secondary indexes once, sorted, after the rows (as for sessions).
        // The batch's sessions bound the courses it writes; the stored courses are counted (SQLite only).
        IReadOnlyList<string> dropped = [];
        if (w is SqliteBulkWriter sqlite && sessionsWritten >= largeLoad)
        {
            var stored = 0L;
            await foreach (var r in DbValues.QueryAsync(w, "SELECT COUNT(*) FROM \"courses\"", ct)) stored = r.GetInt64(0);
            if (sessionsWritten >= stored) dropped = await sqlite.DropSecondaryIndexesAsync("courses", ct);
        }
        await RefreshGroupsAsync(courses: true, onlyThisBatch);
        if (dropped.Count > 0) await ((SqliteBulkWriter)w).CreateIndexesAsync(dropped, ct);
        // A stored course left without sessions (its sessions moved to another course) is removed.
        foreach (var chunk in _oldCourses.Chunk(500))
        {
            await w.ExecuteAsync(DeleteEmptiedCoursesSql(chunk.Length), ct, [.. chunk.Select((k, i) => ("@k" + i, (object?)k))]);
        }
        phase("derived: courses (streamed, grouped)", System.Diagnostics.Stopwatch.GetElapsedTime(start));
        start = System.Diagnostics.Stopwatch.GetTimestamp();
        await RefreshGroupsAsync(courses: false, onlyThisBatch);
        phase("derived: patients (streamed, grouped)", System.Diagnostics.Stopwatch.GetElapsedTime(start));
    }

    /// <summary>Streams the touched groups of one kind and upserts their rows; returns how many were written.</summary>
    private async Task<int> RefreshGroupsAsync(bool courses, bool all)
    {
        var table = courses ? Courses : Patients;
        var pending = new List<object?[]>(WriteChunk);
        var written = 0;
        var upserts = TimeSpan.Zero;

        if (w is SqliteBulkWriter)
        {
            // SQLite runs the upserts on the connection while the reader is open: one pass, chunks written as they fill.
            // A synchronous Read loop: Microsoft.Data.Sqlite's async calls are synchronous anyway, minus the per-row task overhead.
            var group = new GroupReader(courses);
            await using var cmd = w.Command(BatchGroupsSql(courses, all, after: false, limit: null));
            if (!all) cmd.AddParameter("@batch", batchId);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (r.Read())
            {
                if (group.Add(r) is { } row) pending.Add(row);
                if (pending.Count < WriteChunk) continue;
                ct.ThrowIfCancellationRequested();
                await FlushAsync();
            }
            if (group.Finish() is { } last) pending.Add(last);
            await FlushAsync();
        }
        else
        {
            // One open reader per connection: read a page, write its complete groups, continue after the last of them
            // (the page's trailing group may be cut short: the next page reads it again).
            var pageRows = PageRowsOverride.Value ?? 100_000;
            string? after = null;
            while (true)
            {
                var group = new GroupReader(courses);
                var read = 0;
                string? lastComplete = null;
                (string, object?)[] ps = [.. all ? [] : new[] { ("@batch", (object?)batchId) }, .. after is null ? [] : new[] { ("@after", (object?)after) }];
                await foreach (var r in DbValues.QueryAsync(w, BatchGroupsSql(courses, all, after is not null, pageRows), ct, ps))
                {
                    read++;
                    if (group.Add(r) is not { } row) continue;
                    pending.Add(row);
                    lastComplete = (string)row[0]!;
                }
                if (read < pageRows)
                {
                    if (group.Finish() is { } last) pending.Add(last);
                    await FlushAsync();
                    break;
                }
                if (lastComplete is null)
                {
                    pageRows *= 2; // one group fills the page: read it again with room for all of it
                    continue;
                }
                await FlushAsync();
                after = lastComplete;
            }
        }

        // Old groups of updated sessions that the batch wrote no session of: read by key, ≤ 500 groups at a time.
        foreach (var keys in (courses ? _oldCourses : _oldPatients).Chunk(500))
        {
            var group = new GroupReader(courses);
            await foreach (var r in DbValues.QueryAsync(w, OldGroupsSql(courses, keys.Length), ct,
                [("@batch", batchId), .. keys.Select((k, i) => ("@k" + i, (object?)k))]))
            {
                if (group.Add(r) is { } row) pending.Add(row);
            }
            if (group.Finish() is { } last) pending.Add(last);
            await FlushAsync();
        }
        phase(courses ? "derived: courses: of which upserts" : "derived: patients: of which upserts", upserts);
        return written;

        async Task FlushAsync()
        {
            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            foreach (var chunk in pending.Chunk(WriteChunk)) await w.WriteAsync(table, BulkMode.Upsert, chunk, ct);
            written += pending.Count;
            pending.Clear();
            upserts += System.Diagnostics.Stopwatch.GetElapsedTime(start);
        }
    }

    /// <summary>
    /// Aggregates rows arriving ordered by group (course or patient) id: <see cref="Add"/> returns the finished
    /// row of the previous group when the id changes (ordinal), <see cref="Finish"/> the last one. A course's
    /// rows carry one row per adjunct of a session (one with NULL when none): each session counts once.
    /// </summary>
    private sealed class GroupReader(bool courses)
    {
        private string? _id;
        private CourseAgg? _course;
        private PatientAgg? _patient;
        // Sessions of the current course already counted (its adjunct rows need not be adjacent).
        private readonly HashSet<string> _sessions = new(StringComparer.Ordinal);

        public object?[]? Add(DbDataReader r)
        {
            var id = r.GetString(courses ? 1 : 2);
            object?[]? done = null;
            if (_id is null || !string.Equals(id, _id, StringComparison.Ordinal))
            {
                done = Finish();
                _id = id;
                if (courses) _course = new CourseAgg();
                else _patient = new PatientAgg();
            }
            if (!courses)
            {
                AddPatient(_patient!, r);
                return done;
            }
            var sessionId = r.GetString(0);
            if (_sessions.Add(sessionId)) AddCourse(_course!, r, sessionId);
            if (!r.IsDBNull(10)) _course!.AddAdjunct(r.GetString(10));
            return done;
        }

        public object?[]? Finish()
        {
            if (_id is null) return null;
            var row = courses ? CourseRow(_id, _course!) : PatientRow(_id, _patient!);
            (_id, _course, _patient) = (null, null, null);
            _sessions.Clear();
            return row;
        }
    }

    private static object?[] CourseRow(string id, CourseAgg c) =>
    [
        id, c.PatientId, c.ClinicId, c.Concern, c.Practitioner(), c.First.Date, c.Last.Date, c.Count, Codes.Protocol(c.Adjuncts()),
        c.Birth.Value, c.Sex.Value, c.Fitz.Value,
    ];

    private static object?[] PatientRow(string id, PatientAgg p) => [id, p.Birth.Value, p.Sex.Value, p.Fitz.Value];

    // Columns of SessionColumns: 0 Id, 1 CourseId, 2 PatientId, 3 ClinicId, 4 PractitionerId, 5 Concern, 6 SessionDate,
    // 7 PatientBirthYear, 8 PatientSex, 9 FitzpatrickType. Values a row cannot change are not read.
    private static void AddCourse(CourseAgg c, DbDataReader r, string sessionId)
    {
        var key = new Key(DbValues.Date(r.GetValue(6)), sessionId);
        if (c.Count == 0 || key.Before(c.First))
        {
            if (c.Count == 0) c.Last = key;
            c.First = key;
            (c.PatientId, c.ClinicId, c.Concern) = (r.GetString(2), r.GetString(3), r.GetString(5));
        }
        if (c.Last.Before(key)) c.Last = key;
        c.Count++;
        OfferFirsts(ref c.Birth, ref c.Sex, ref c.Fitz, key, r);
        c.AddPractitioner(r.GetString(4), key);
    }

    private static void AddPatient(PatientAgg p, DbDataReader r) =>
        OfferFirsts(ref p.Birth, ref p.Sex, ref p.Fitz, new Key(DbValues.Date(r.GetValue(6)), r.GetString(0)), r);

    private static void OfferFirsts(ref FirstValue<int?> birth, ref FirstValue<string> sex, ref FirstValue<int?> fitz, Key key, DbDataReader r)
    {
        if (!birth.Set || key.Before(birth.Key)) birth.Offer(key, IntOrNull(r, 7));
        if (!sex.Set || key.Before(sex.Key)) sex.Offer(key, r.IsDBNull(8) ? null : r.GetString(8));
        if (!fitz.Set || key.Before(fitz.Key)) fitz.Offer(key, IntOrNull(r, 9));
    }

    private static int? IntOrNull(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt32(i);
}
