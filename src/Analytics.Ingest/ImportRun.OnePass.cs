using System.Diagnostics;
using Analytics.Domain;
using Analytics.Ingest.Bulk;
using static Analytics.Ingest.Bulk.BulkTables;

namespace Analytics.Ingest;

/// <summary>
/// One pass for a file whose ids are all new to its table — a first load, or a month's new rows — on SQLite, with no
/// state per id, course or patient in memory, so memory does not grow with the file. When the table held rows before,
/// the pass runs inside a savepoint: a row whose id was stored before the batch (an update, which the one pass does not
/// judge) rolls it back, and the file takes the two passes.
/// <list type="bullet">
/// <item>The reading side applies the row rules and hashes; it keeps only the ids of rows it rejected (few) with their
/// hashes, so a valid row with such an id and other content is known to conflict.</item>
/// <item>The write task finds repeated ids by the table's primary key: it inserts with <c>ON CONFLICT DO NOTHING</c>
/// and, when a row is left out, compares the stored content hash (same: an exact repeat, applied once; other: a
/// conflict; written before this batch: the one pass stops). A rejected row's id is checked the same way against the
/// rows this file wrote before it. The course rules of
/// assessments and what answers name are checked there too, by primary-key look-ups (<see cref="SqliteLookups"/>) on
/// the import's own connection, which sees the courses and sessions written earlier in the batch.</item>
/// <item>At the end of the file, the rules that depend on the whole file are applied to the written rows: conflicting
/// ids are deleted and, for sessions, rows whose concern differs from their stored course's or, for a new course, its
/// first session's in the file. Only when that
/// rejects rows is the file read again, to record those lines with their raw rows.</item>
/// </list>
/// The result equals the two-pass path's: same rows, same rejects in line order, same counts (pinned by OnePassFacts).
/// </summary>
internal sealed partial class ImportRun
{
    /// <summary>A row for the write task: its table row, and what it needs to judge and record the row.</summary>
    private readonly record struct OnePassRow(object?[] Row, object Record, int Line, string[] Fields);

    private sealed class OnePassChunk
    {
        public List<OnePassRow> Rows = new(Chunk);
        public List<object?[]> Adjuncts = [];
        public List<object?[]> Adverse = [];
        // Rows the reading side rejected that carry an id: checked against the rows written before them.
        public List<(string Id, string Hash)> Checks = [];
    }

    /// <summary>An id whose rows were rejected: their content hash, or that they differ among themselves.</summary>
    private readonly record struct RejectedId(string Hash, bool Mixed)
    {
        public RejectedId With(string hash) => this with { Mixed = Mixed || Hash != hash };

        public bool ConflictsWith(string hash) => Mixed || Hash != hash;
    }

    /// <summary>The write task's state for one file; handed to the reading side by the end-of-file call.</summary>
    private sealed class OnePassWrites
    {
        // What the sessions written (not the unchanged ones) say of clinics and practitioners.
        public readonly Dictionary<string, (DateOnly Date, string Id, string? Name)> ClinicNames = new(StringComparer.Ordinal);
        public readonly Dictionary<string, (DateOnly Date, string Id, string Clinic)> PractitionerClinic = new(StringComparer.Ordinal);
        public readonly HashSet<string> Conflicts = new(StringComparer.Ordinal);
        public readonly Dictionary<string, RejectedId> RejectedIds = new(StringComparer.Ordinal);
        public readonly List<(OnePassRow Row, RowError Error, string? Clinic)> Rejects = [];
        public int Inserted;
        // A large load (this many rows written, and no fewer than were stored): the secondary indexes are dropped once
        // for the rest of the writes and rebuilt sorted at the end. Decided here, on rows written, not unchanged ones.
        public required long LargeLoadAt;
        public IReadOnlyList<string>? Dropped;
        public int Awaiting;
        // Set by the write task when an id was stored before this batch; read by the reading side between posts.
        public volatile bool StoredBefore;
    }

    /// <summary>What the end of a first load found in the table: ids to reject as conflicts, sessions whose concern is not their course's first session's.</summary>
    private sealed record OnePassVerdict(OnePassWrites Writes, Dictionary<string, string> ConcernOfFirst, int Kept)
    {
        public bool RejectsMore => Writes.Conflicts.Count > 0 || ConcernOfFirst.Count > 0;

        public static OnePassVerdict Abandoned(OnePassWrites writes) => new(writes, [], 0);
    }

    private static BulkTable TableOf(InputKind kind) => kind switch
    {
        InputKind.Sessions => Sessions,
        InputKind.Assessments => Assessments,
        _ => SatisfactionResponses,
    };

    private static int HashColumn(BulkTable table) => table.Columns.Count - 2; // ..., ContentHash, ImportBatchId

    // Kinds of file already imported in this batch: a second file of a kind repeats ids of the first as updates,
    // which only the two passes tell apart from repeats within a file.
    private readonly HashSet<InputKind> _kindsImported = [];

    /// <summary>
    /// Whether the file takes one pass: SQLite, the first file of its kind in the batch. Returns the rows already stored
    /// in its table (0: a first load), or null for the two passes.
    /// </summary>
    private async Task<long?> OnePassStoredAsync(TabularSource source)
    {
        if (!OnePassFirstLoad || w is not SqliteBulkWriter sqlite || !_kindsImported.Add(source.Kind)) return null;
        return await ReadStoredAsync(source, () => sqlite.MaxRowIdAsync(TableOf(source.Kind).Name, ct));
    }

    /// <summary>
    /// What a row needs of stored courses and sessions: the course rules of an assessment, the clinic a reject records,
    /// whether the row waits for its course or session. Runs where the connection is free: on the write task, or on the
    /// reading side once the queue is drained.
    /// </summary>
    private static (RowError? Error, string? Clinic, bool Awaiting) CourseCheck(object record, SqliteLookups lookups)
    {
        switch (record)
        {
            case AssessmentRecord a:
            {
                var course = lookups.Course(a.CourseId);
                return (course is null ? null : CourseRules(a.Timepoint, a.Date, a.Instrument, a.CourseId, course), course?.ClinicId, course is null);
            }
            case SatisfactionRecord r:
            {
                var course = r.CourseId is null ? null : lookups.Course(r.CourseId);
                return (null, course?.ClinicId, (r.CourseId is not null && course is null) || (r.SessionId is not null && !lookups.SessionExists(r.SessionId)));
            }
            default:
                return (null, null, false);
        }
    }

    private object? RowRules(InputKind kind, RowFields f, out RowError? error)
    {
        switch (kind)
        {
            case InputKind.Sessions:
                error = validator.Session(f, out var s);
                return s;
            case InputKind.Assessments:
                error = validator.Assessment(f, out var a);
                return a;
            default:
                error = validator.Satisfaction(f, out var r);
                return r;
        }
    }

    private const string OnePassSavepoint = "one_pass";

    /// <summary>The one pass; false when it was rolled back (an id stored before the batch) and the two passes must run.</summary>
    private async Task<bool> ImportOnePassAsync(TabularSource source, ColumnMap map, FileImportSummary file, long stored)
    {
        var sqlite = (SqliteBulkWriter)w;
        var kind = map.Kind;
        var table = TableOf(kind);
        // Over stored rows, inside a savepoint (on an empty table nothing can stop the pass: no savepoint needed).
        var savepoint = stored > 0;
        if (savepoint) await _queue.RunAsync(() => w.Transaction.SaveAsync(OnePassSavepoint, ct), ct);
        using var lookups = new SqliteLookups((Microsoft.Data.Sqlite.SqliteConnection)sqlite.Connection);
        int rejectsAtStart;
        lock (summary.Rejects) rejectsAtStart = summary.Rejects.Count;
        // Rejects of answers record their course's clinic: looked up at the end, where the connection is free.
        var clinicLater = new List<(RejectedRow Reject, string Course)>();
        var rejectedIds = new Dictionary<string, RejectedId>(StringComparer.Ordinal);
        var readerConflicts = new HashSet<string>(StringComparer.Ordinal);
        var writes = new OnePassWrites { LargeLoadAt = Math.Max(LargeLoad, stored) }; // the write task's until the end-of-file call returns it
        var start = Stopwatch.GetTimestamp();
        var chunk = new OnePassChunk();
        foreach (var row in source.ReadRows())
        {
            ct.ThrowIfCancellationRequested();
            file.RowsRead++;
            if (file.RowsRead % ProgressEvery == 0) progress?.Report(new ImportProgress(source.DisplayName, "importing", file.RowsRead));
            var f = new RowFields(row.Fields, map.Index);
            var id = f[0];
            var hash = id.Length > 0 ? HashText(validator.ContentHash(kind, f)) : "";
            var record = RowRules(kind, f, out var error);
            if (error is not null)
            {
                var reject = Reject(source, row.Line, id, error, row.Fields, map, file);
                // (An answer's reject records its course's clinic whatever the error, as the two-pass path does.)
                if (kind == InputKind.Satisfaction && RowValidator.CourseOf(kind, f) is { } course) clinicLater.Add((reject, course));
                if (id.Length == 0) continue;
                rejectedIds[id] = rejectedIds.TryGetValue(id, out var seen) ? seen.With(hash) : new RejectedId(hash, false);
                chunk.Checks.Add((id, hash));
                continue;
            }
            if (rejectedIds.TryGetValue(id, out var rejected) && rejected.ConflictsWith(hash))
            {
                readerConflicts.Add(id); // its lines are recorded at the end, with those already written
                continue;
            }
            chunk.Rows.Add(new OnePassRow(TableRow(record!, hash, chunk), record!, row.Line, row.Fields));
            if (chunk.Rows.Count < Chunk) continue;
            await PostOnePassChunkAsync(sqlite, table, chunk, writes, lookups);
            chunk = new OnePassChunk();
            if (writes.StoredBefore) break;
        }
        if (!writes.StoredBefore) await PostOnePassChunkAsync(sqlite, table, chunk, writes, lookups);

        // The rules that depend on the whole file, applied to the written rows (after this file's queued writes).
        var verdictStart = Stopwatch.GetTimestamp();
        writes.Conflicts.UnionWith(readerConflicts);
        var verdict = await _queue.RunAsync(() => OnePassVerdictAsync(table, writes), ct);
        Phase(source, "one pass: checks on the written rows (after its queued writes)", verdictStart);
        if (writes.StoredBefore)
        {
            await _queue.RunAsync(async () =>
            {
                await w.Transaction.RollbackAsync(OnePassSavepoint, ct);
                await w.Transaction.ReleaseAsync(OnePassSavepoint, ct);
            }, ct);
            lock (summary.Rejects) summary.Rejects.RemoveRange(rejectsAtStart, summary.Rejects.Count - rejectsAtStart);
            _rejects = [];
            (file.RowsRead, file.Applied, file.Unchanged, file.Updated, file.AwaitingCourse) = (0, 0, 0, 0, 0);
            file.RejectedByReason.Clear();
            Phase(source, "one pass (rolled back: an id stored before this batch)", start);
            return false;
        }
        if (savepoint) await _queue.RunAsync(() => w.Transaction.ReleaseAsync(OnePassSavepoint, ct), ct);
        // The write task is idle until this file's next post: the reading side may use the connection now.
        file.AwaitingCourse += writes.Awaiting;
        foreach (var (r, e, clinic) in writes.Rejects)
        {
            // The conflict rule comes before the course rules, as on the two-pass path.
            var id = (string)r.Row[0]!;
            Reject(source, r.Line, id, writes.Conflicts.Contains(id) ? Conflict(kind, id) : e, r.Fields, map, file, clinic);
        }
        if (verdict.RejectsMore)
        {
            var rereadStart = Stopwatch.GetTimestamp();
            writes.ClinicNames.Clear();
            writes.PractitionerClinic.Clear();
            RecordLateRejects(source, map, file, sqlite, lookups, verdict);
            Phase(source, "one pass: second read for the rows rejected at the end", rereadStart);
        }
        foreach (var (reject, course) in clinicLater) reject.ClinicId = lookups.Course(course)?.ClinicId;
        // The file's rejects go to the database in line order, as the two-pass path writes them.
        lock (summary.Rejects)
        {
            summary.Rejects.Sort(rejectsAtStart, summary.Rejects.Count - rejectsAtStart, Comparer<RejectedRow>.Create((a, b) => a.Line.CompareTo(b.Line)));
            _rejects = [.. summary.Rejects.Skip(rejectsAtStart).Select(DbRow)];
        }
        file.Applied = verdict.Kept;
        file.Unchanged = file.RowsRead - verdict.Kept - file.Rejected; // exact repeats
        Phase(source, "one pass (read, check ids, validate, queue writes)", start);
        await PostRejectsAsync(force: true);

        var rebuild = async () =>
        {
            if (writes.Dropped is not { Count: > 0 } dropped) return;
            var rebuildStart = Stopwatch.GetTimestamp();
            await sqlite.CreateIndexesAsync(dropped, ct);
            summary.AddPhase($"{table.Name}: rebuild indexes", Stopwatch.GetElapsedTime(rebuildStart));
        };
        if (kind == InputKind.Sessions)
        {
            await RefreshDerivedAsync(source, NewRefresh(), writes.ClinicNames, writes.PractitionerClinic, touched: [], rebuild, verdict.Kept, onlyThisBatch: stored == 0);
        }
        else
        {
            await _queue.PostAsync(async () =>
            {
                await rebuild();
                await FlushChangesAsync(force: true);
            }, ct);
        }
        return true;
    }

    private DerivedRefresh NewRefresh() => new(w, batchId, LargeLoad, (phase, elapsed) => summary.AddPhase("sessions: " + phase, elapsed), ct);

    /// <summary>The table row of a valid record (for sessions, also its adjunct and adverse-event rows).</summary>
    private object?[] TableRow(object record, string hash, OnePassChunk chunk)
    {
        switch (record)
        {
            case SessionRecord s:
                foreach (var a in s.Adjuncts) chunk.Adjuncts.Add([s.Id, a]);
                foreach (var a in s.AdverseEvents) chunk.Adverse.Add([s.Id, a]);
                return SessionRow(s, hash);
            case AssessmentRecord a:
                return AssessmentRow(a, hash);
            default:
                return SatisfactionRow((SatisfactionRecord)record, hash);
        }
    }

    /// <summary>Queues a chunk: course rules, new ids inserted, repeats told apart from conflicts by the stored hash, rejected ids checked.</summary>
    private Task PostOnePassChunkAsync(SqliteBulkWriter sqlite, BulkTable table, OnePassChunk chunk, OnePassWrites writes, SqliteLookups lookups)
    {
        if (chunk.Rows.Count == 0 && chunk.Checks.Count == 0) return Task.CompletedTask;
        // The write queue is bounded: waiting for room is the reading side's back-pressure.
        return _queue.PostAsync(async () =>
        {
            if (writes.StoredBefore) return; // the pass is being rolled back
            var start = Stopwatch.GetTimestamp();
            var rows = new List<object?[]>(chunk.Rows.Count);
            var judged = new List<OnePassRow>(chunk.Rows.Count);
            var checks = chunk.Checks;
            foreach (var r in chunk.Rows)
            {
                var id = (string)r.Row[0]!;
                var hash = (string)r.Row[HashColumn(table)]!;
                var (error, clinic, awaiting) = CourseCheck(r.Record, lookups);
                if (error is not null)
                {
                    writes.Rejects.Add((r, error, clinic));
                    writes.RejectedIds[id] = writes.RejectedIds.TryGetValue(id, out var seen) ? seen.With(hash) : new RejectedId(hash, false);
                    checks.Add((id, hash));
                    continue;
                }
                if (writes.RejectedIds.TryGetValue(id, out var rejected) && rejected.ConflictsWith(hash))
                {
                    writes.Conflicts.Add(id);
                    continue;
                }
                if (awaiting) writes.Awaiting++;
                rows.Add(r.Row);
                judged.Add(r);
            }
            var repeats = new List<(int Row, bool SameContent, bool StoredBefore)>();
            writes.Inserted += sqlite.InsertNew(table, rows, HashColumn(table), batchId, repeats, ct);
            if (table == Sessions)
            {
                var left = repeats.Select(r => r.Row).ToHashSet();
                for (var i = 0; i < judged.Count; i++)
                {
                    if (!left.Contains(i)) NoteWritten(writes, (SessionRecord)judged[i].Record);
                }
            }
            foreach (var (row, same, storedBefore) in repeats)
            {
                if (storedBefore && !same) writes.StoredBefore = true; // an update (or a conflict with one): for the two passes
                else if (storedBefore && judged[row].Record is SessionRecord s && lookups.Course(s.CourseId) is { } course && course.Concern != s.Concern)
                {
                    // Unchanged, but the course rules still apply to it, as on the two-pass path.
                    writes.Rejects.Add((judged[row], ConcernMismatch(s, course.Concern), null));
                }
                else if (!storedBefore && !same) writes.Conflicts.Add((string)rows[row][0]!);
            }
            foreach (var (id, hash) in checks)
            {
                if (sqlite.Stored(table, id) is not { } stored) continue;
                // A rejected row of an id stored before this batch with other content: whether the file also held that id
                // unchanged (a conflict) is not known here; the two passes judge it.
                if (stored.Batch != batchId && stored.Hash != hash) writes.StoredBefore = true;
                else if (stored.Batch == batchId && stored.Hash != hash) writes.Conflicts.Add(id);
            }
            if (writes.StoredBefore) return;
            if (writes.Dropped is null && writes.Inserted >= writes.LargeLoadAt) writes.Dropped = await sqlite.DropSecondaryIndexesAsync(table.Name, ct);
            // A repeated session's adjuncts are its first row's (exact repeat) or go with the conflict's deletion.
            await w.WriteAsync(SessionAdjuncts, BulkMode.InsertMissing, chunk.Adjuncts, ct);
            await w.WriteAsync(SessionAdverseEvents, BulkMode.InsertMissing, chunk.Adverse, ct);
            summary.AddPhase($"{table.Name}: write (queued)", Stopwatch.GetElapsedTime(start));
        }, ct).AsTask();
    }

    /// <summary>Write task: deletes conflicting ids; for sessions, finds and deletes rows whose concern is not their course's first session's.</summary>
    private async Task<OnePassVerdict> OnePassVerdictAsync(BulkTable table, OnePassWrites writes)
    {
        if (writes.StoredBefore) return OnePassVerdict.Abandoned(writes);
        var deleted = 0;
        foreach (var id in writes.Conflicts) deleted += await DeleteOnePassRowAsync(table, id);
        var concernOfFirst = new Dictionary<string, string>(StringComparer.Ordinal);
        if (table == Sessions)
        {
            // A stored course's concern is its own; a new course's is its first session's in this file: this batch's rows
            // of a stored course with another concern, and of new courses whose rows name more than one (usually none).
            const string stored = "SELECT s.\"Id\", c.\"Concern\" FROM \"sessions\" s JOIN \"courses\" c ON c.\"Id\" = s.\"CourseId\" "
                + "WHERE s.\"ImportBatchId\" = $b AND s.\"Concern\" <> c.\"Concern\"";
            var mismatched = new List<(string Id, string Concern)>();
            await foreach (var r in DbValues.QueryAsync(w, stored, ct, ("$b", batchId))) mismatched.Add((r.GetString(0), r.GetString(1)));
            const string mixed = "SELECT \"Id\", \"CourseId\", \"SessionDate\", \"Concern\" FROM \"sessions\" WHERE \"ImportBatchId\" = $b AND \"CourseId\" IN "
                + "(SELECT \"CourseId\" FROM \"sessions\" WHERE \"ImportBatchId\" = $b GROUP BY \"CourseId\" HAVING MIN(\"Concern\") <> MAX(\"Concern\")) "
                + "AND \"CourseId\" NOT IN (SELECT \"Id\" FROM \"courses\")";
            var byCourse = new Dictionary<string, List<(string Id, DateOnly Date, string Concern)>>(StringComparer.Ordinal);
            await foreach (var r in DbValues.QueryAsync(w, mixed, ct, ("$b", batchId)))
            {
                var course = r.GetString(1);
                if (!byCourse.TryGetValue(course, out var list)) byCourse[course] = list = [];
                list.Add((r.GetString(0), DbValues.Date(r.GetValue(2)), r.GetString(3)));
            }
            foreach (var sessions in byCourse.Values)
            {
                var first = sessions[0];
                foreach (var s in sessions)
                {
                    if (Before(s.Date, s.Id, first.Date, first.Id)) first = s;
                }
                mismatched.AddRange(sessions.Where(s => s.Concern != first.Concern).Select(s => (s.Id, first.Concern)));
            }
            foreach (var (id, concern) in mismatched)
            {
                concernOfFirst[id] = concern;
                deleted += await DeleteOnePassRowAsync(table, id);
            }
        }
        return new OnePassVerdict(writes, concernOfFirst, writes.Inserted - deleted);
    }

    /// <summary>Deletes a row this file wrote (a row stored before the batch stays as it is), with a session's adjuncts and adverse events.</summary>
    private async Task<int> DeleteOnePassRowAsync(BulkTable table, string id)
    {
        var deleted = await w.ExecuteAsync($"DELETE FROM {Q(table.Name)} WHERE \"Id\" = $id AND \"ImportBatchId\" = $b", ct, ("$id", id), ("$b", batchId));
        if (deleted > 0 && table == Sessions)
        {
            await w.ExecuteAsync("DELETE FROM \"session_adjuncts\" WHERE \"SessionId\" = $id", ct, ("$id", id));
            await w.ExecuteAsync("DELETE FROM \"session_adverse_events\" WHERE \"SessionId\" = $id", ct, ("$id", id));
        }
        return deleted;
    }

    private static void NoteWritten(OnePassWrites writes, SessionRecord s) => NoteSessionFacts(s, writes.ClinicNames, writes.PractitionerClinic);

    private static RowError ConcernMismatch(SessionRecord s, string concern) =>
        new("concern", RejectReasons.ConcernMismatch, $"concern {s.Concern} differs from {concern}, the concern of course {s.CourseId}'s first session");

    /// <summary>
    /// The second read, only when the end of the file rejected rows: records every line of a conflicting id (unless a
    /// rule rejected it already) and every session whose concern is not its course's first session's, and collects
    /// again what the kept sessions say of clinics and practitioners. The write task is idle meanwhile.
    /// </summary>
    private void RecordLateRejects(TabularSource source, ColumnMap map, FileImportSummary file, SqliteBulkWriter sqlite, SqliteLookups lookups,
        OnePassVerdict verdict)
    {
        var kind = map.Kind;
        var writerRejected = verdict.Writes.Rejects.Select(r => r.Row.Line).ToHashSet();
        // A conflicting id's lines counted as waiting for their course on the first read unless one of them was left out
        // there (after a rejected row of the id with other content): replayed here to take those counts back exactly.
        var rowRejected = new Dictionary<string, RejectedId>(StringComparer.Ordinal);
        var courseRejected = new Dictionary<string, RejectedId>(StringComparer.Ordinal);
        foreach (var row in source.ReadRows())
        {
            ct.ThrowIfCancellationRequested();
            var f = new RowFields(row.Fields, map.Index);
            var id = f[0];
            var conflict = verdict.Writes.Conflicts.Contains(id);
            var concernOfFirst = verdict.ConcernOfFirst.GetValueOrDefault(id);
            if (!conflict && concernOfFirst is null && kind != InputKind.Sessions) continue;
            var hash = conflict ? HashText(validator.ContentHash(kind, f)) : "";
            var record = RowRules(kind, f, out var error);
            if (error is not null)
            {
                if (conflict) rowRejected[id] = rowRejected.TryGetValue(id, out var seen) ? seen.With(hash) : new RejectedId(hash, false);
                continue; // rejected on the first read
            }
            var (courseError, clinic, awaiting) = CourseCheck(record!, lookups);
            if (courseError is not null)
            {
                if (conflict) courseRejected[id] = courseRejected.TryGetValue(id, out var seen) ? seen.With(hash) : new RejectedId(hash, false);
                continue; // rejected by the write task
            }
            if (conflict)
            {
                Reject(source, row.Line, id, Conflict(kind, id), row.Fields, map, file, clinic);
                var leftOut = (rowRejected.TryGetValue(id, out var r1) && r1.ConflictsWith(hash)) || (courseRejected.TryGetValue(id, out var r2) && r2.ConflictsWith(hash));
                if (awaiting && !leftOut) file.AwaitingCourse--;
            }
            else if (concernOfFirst is not null)
            {
                Reject(source, row.Line, id, ConcernMismatch((SessionRecord)record!, concernOfFirst), row.Fields, map, file);
            }
            else if (record is SessionRecord kept && !writerRejected.Contains(row.Line)
                && sqlite.Stored(Sessions, kept.Id) is { } stored && stored.Batch == batchId)
            {
                NoteWritten(verdict.Writes, kept); // a session this file wrote (not one left unchanged) and kept
            }
        }
    }
}
