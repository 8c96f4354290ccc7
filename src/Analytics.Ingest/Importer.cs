using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Analytics.Data;
using Analytics.Domain;
using Analytics.Ingest.Bulk;
using Microsoft.Extensions.Logging;
using static Analytics.Ingest.Bulk.BulkTables;

namespace Analytics.Ingest;

/// <summary>
/// Imports contract files (a folder, one CSV, or an .xlsx workbook) as one <see cref="ImportBatch"/>:
/// reads, validates, pseudonymises and upserts in bulk, in ONE transaction per batch — a killed or
/// failed import leaves nothing of itself behind except a <c>Failed</c> batch row with the error.
/// </summary>
public sealed class Importer(DatabaseOptions database, PatientPseudonymiser pseudonymiser, ILogger<Importer> logger)
{
    /// <summary>The contract files of a folder (or the one file given), in dependency order.</summary>
    public static IReadOnlyList<TabularSource> Discover(string folderOrFile)
    {
        var sources = new List<TabularSource>();
        if (Directory.Exists(folderOrFile))
        {
            foreach (var file in Directory.EnumerateFiles(folderOrFile).Order(StringComparer.Ordinal))
            {
                var ext = Path.GetExtension(file).ToLowerInvariant();
                if (ext == ".csv" && InputSpecs.KindOf(file) is { } kind) sources.Add(new CsvTabularSource(file, kind));
                else if (ext == ".xlsx" && !Path.GetFileName(file).StartsWith("~$", StringComparison.Ordinal)) sources.AddRange(XlsxTabularSource.SheetsOf(file));
            }
        }
        else if (File.Exists(folderOrFile))
        {
            var ext = Path.GetExtension(folderOrFile).ToLowerInvariant();
            if (ext == ".xlsx") sources.AddRange(XlsxTabularSource.SheetsOf(folderOrFile));
            else if (InputSpecs.KindOf(folderOrFile) is { } kind) sources.Add(new CsvTabularSource(folderOrFile, kind));
            else throw new ArgumentException($"{folderOrFile}: the file name must end in sessions, assessments or satisfaction (.csv), or be an .xlsx workbook.");
        }
        else
        {
            throw new FileNotFoundException($"No such file or folder: {folderOrFile}", folderOrFile);
        }
        return [.. sources.OrderBy(s => s.Kind)];
    }

    public Task<ImportSummary> ImportAsync(string folderOrFile, ImportOptions? options = null,
        IProgress<ImportProgress>? progress = null, CancellationToken ct = default) =>
        ImportAsync(Discover(folderOrFile), Path.GetFullPath(folderOrFile), options, progress, ct);

    public async Task<ImportSummary> ImportAsync(IReadOnlyList<TabularSource> sources, string sourceName, ImportOptions? options = null,
        IProgress<ImportProgress>? progress = null, CancellationToken ct = default)
    {
        var asOf = options?.AsOf ?? DateOnly.FromDateTime(DateTime.Now);
        var batch = new ImportBatch { Source = Truncate(sourceName, 500), StartedAt = DateTimeOffset.UtcNow, AsOf = asOf, Status = ImportStatus.Running };
        var summary = new ImportSummary { Source = sourceName, AsOf = asOf };
        try
        {
            await using var writer = await BulkWriterFactory.OpenAsync(database, ct);
            batch.Id = await writer.InsertBatchAsync(batch, ct);
            summary.BatchId = batch.Id;
            // Disposed before the writer (declared after it): its write task stops before the connection closes.
            await using var run = new ImportRun(writer, batch.Id, new RowValidator(asOf, pseudonymiser), summary, progress, ct)
            {
                LargeLoad = options?.LargeLoadRows ?? new ImportOptions().LargeLoadRows,
                OnePassFirstLoad = options?.OnePassFirstLoad ?? true,
            };
            foreach (var source in sources.OrderBy(s => s.Kind))
            {
                await run.ImportFileAsync(source);
            }
            var drainStart = Stopwatch.GetTimestamp();
            await run.FinishAsync();
            summary.AddPhase("wait for the last queued writes", Stopwatch.GetElapsedTime(drainStart));
            batch.FinishedAt = DateTimeOffset.UtcNow;
            batch.Status = summary.Files.Count > 0 && summary.Files.All(f => f.Status == FileImportStatus.RejectedWhole)
                ? ImportStatus.Rejected : ImportStatus.Succeeded;
            batch.RowsRead = summary.RowsRead;
            batch.RowsApplied = summary.Applied;
            batch.RowsUnchanged = summary.Unchanged;
            batch.RowsUpdated = summary.Updated;
            batch.RowsRejected = summary.Rejected;
            batch.Notes = Notes(summary);
            await writer.UpdateBatchAsync(batch, ct);
            var commitStart = Stopwatch.GetTimestamp();
            await writer.CommitAsync(ct);
            summary.AddPhase("commit", Stopwatch.GetElapsedTime(commitStart));
            summary.Status = batch.Status;
            logger.LogInformation("Import {BatchId} of {Source}: {Read} read, {Applied} applied, {Unchanged} unchanged, {Updated} updated, {Rejected} rejected",
                batch.Id, sourceName, summary.RowsRead, summary.Applied, summary.Unchanged, summary.Updated, summary.Rejected);
            if (logger.IsEnabled(LogLevel.Debug))
                logger.LogDebug("Import {BatchId} phases: {Phases}", batch.Id,
                    string.Join("; ", summary.Phases.Select(p => $"{p.Key} {p.Value.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)} s")));
            return summary;
        }
        catch (Exception ex)
        {
            // The transaction was rolled back when the writer was disposed; record the failure on its own.
            logger.LogError(ex, "Import of {Source} failed; nothing of it was applied", sourceName);
            await RecordFailureAsync(batch, ex);
            throw;
        }
    }

    private async Task RecordFailureAsync(ImportBatch batch, Exception ex)
    {
        try
        {
            await using var writer = await BulkWriterFactory.OpenAsync(database, CancellationToken.None);
            batch.Status = ImportStatus.Failed;
            batch.FinishedAt = DateTimeOffset.UtcNow;
            batch.RowsRead = batch.RowsApplied = batch.RowsUnchanged = batch.RowsUpdated = batch.RowsRejected = 0;
            batch.Notes = Truncate($"{ex.GetType().Name}: {ex.Message}", 4000);
            batch.Id = await writer.InsertBatchAsync(batch, CancellationToken.None);
            await writer.UpdateBatchAsync(batch, CancellationToken.None);
            await writer.CommitAsync(CancellationToken.None);
        }
        catch (Exception inner) when (inner is DbException or IOException or InvalidOperationException)
        {
            logger.LogWarning(inner, "Could not record the failed import batch");
        }
    }

    private static string? Notes(ImportSummary s)
    {
        var notes = new List<string>();
        foreach (var f in s.Files)
        {
            if (f.Status == FileImportStatus.RejectedWhole) notes.Add($"{f.File}: rejected whole: {f.Note}");
            if (f.ExtraColumns.Count > 0) notes.Add($"{f.File}: extra columns ignored: {string.Join(", ", f.ExtraColumns)}");
            if (f.AwaitingCourse > 0) notes.Add($"{f.File}: {f.AwaitingCourse} rows name a course or session not imported yet (kept)");
            if (f.RejectedByReason.Count > 0) notes.Add($"{f.File}: rejected {string.Join(", ", f.RejectedByReason.Select(kv => $"{kv.Key} {kv.Value}"))}");
        }
        if (s.PendingAssessmentsRejected > 0) notes.Add($"stored assessments rejected when their course arrived: {s.PendingAssessmentsRejected}");
        return notes.Count == 0 ? null : string.Join("\n", notes);
    }

    internal static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];
}

/// <summary>
/// The state of one running import batch (one transaction). Reading, validating and hashing run on the calling
/// thread; every database call runs on the <see cref="WriteQueue"/>'s task, in posting order, so the two overlap.
/// State is split by owner: the file counters, <see cref="DerivedRefresh"/> aggregates and pending rejects belong to
/// the reading side; change_log rows and the courses touched by updates belong to the writing side, which hands
/// them over only inside its own queued calls.
/// </summary>
internal sealed partial class ImportRun(IBulkWriter w, int batchId, RowValidator validator, ImportSummary summary,
    IProgress<ImportProgress>? progress, CancellationToken ct) : IAsyncDisposable
{
    private const int Chunk = 250;
    private const int ProgressEvery = 10_000;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private readonly WriteQueue _queue = new();
    // Reading side: rejects not yet handed to the writer.
    private List<object?[]> _rejects = [];
    // Writing side: change_log rows not yet written.
    private readonly List<object?[]> _changes = [];
    // Reading side: keys of every session id in the database once this import's sessions are written (stored ones
    // plus those written), so answers can be checked against them without reading the table back. Null until a
    // sessions file has been imported.
    private HashSet<UInt128>? _sessionKeys;

    /// <summary>Per id of the file: its content hash and whether it repeats with other content. A struct, kept inline in the dictionary.</summary>
    private struct IdInfo
    {
        public UInt128 Hash;
        public bool Conflict;
        public bool Seen;
    }

    private readonly record struct FirstSession(DateOnly Date, string Id, string Concern)
    {
        /// <summary>The date as the file writes it (yyyy-MM-dd): ordinal order of such texts is date order.</summary>
        public string DateText { get; } = Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    /// <summary>The stored ContentHash: the first 128 bits of the row's SHA-256, as 32 hex characters.</summary>
    private static string HashText(UInt128 hash)
    {
        // Same text as hash.ToString("x32"), several times faster (one per written row).
        Span<byte> bytes = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(bytes, hash);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>Marks the id as met in pass 2; false when it was met before (an exact repeat, applied once).</summary>
    private static bool FirstSeen(Dictionary<UInt128, IdInfo> ids, UInt128 key)
    {
        ref var info = ref CollectionsMarshal.GetValueRefOrNullRef(ids, key);
        if (info.Seen) return false;
        info.Seen = true;
        return true;
    }

    public async Task ImportFileAsync(TabularSource source)
    {
        var file = new FileImportSummary { File = source.DisplayName, Kind = source.Kind };
        summary.Files.Add(file);
        var map = ColumnMap.Create(source.Kind, source.ReadHeader());
        file.ExtraColumns = map.Extra;
        if (map.MissingRequired.Count > 0)
        {
            // The previous file's writes may still add rejects (stored assessments): keep the reject order.
            await WaitForWriterAsync(source);
            file.Status = FileImportStatus.RejectedWhole;
            var cols = string.Join(", ", map.MissingRequired);
            file.Note = $"the header lacks the required column{(map.MissingRequired.Count > 1 ? "s" : "")} {cols}; nothing of this file was applied";
            file.RejectedByReason[RejectReasons.MissingColumn] = 1;
            Reject(source, 1, null, new RowError(cols, RejectReasons.MissingColumn, file.Note), null, null, null);
            await PostRejectsAsync(force: true);
            return;
        }

        if (await OnePassStoredAsync(source) is { } stored && await ImportOnePassAsync(source, map, file, stored))
        {
            progress?.Report(new ImportProgress(source.DisplayName, "done", file.RowsRead));
            return;
        }
        var storedSessions = source.Kind == InputKind.Sessions ? await ReadStoredAsync(source, LoadStoredSessionsAsync) : null;

        // Pass 1 (no database: it overlaps with the previous file's last writes): content hash per id, to find ids
        // repeated with different content, and, for sessions, each course's first row-valid session in this file.
        var pass1Start = Stopwatch.GetTimestamp();
        var (ids, firsts) = await CheckIdsAsync(source, map);
        Phase(source, "pass 1 (ids, hashes)", pass1Start);
        switch (source.Kind)
        {
            case InputKind.Sessions:
                await ImportSessionsAsync(source, map, file, storedSessions!, ids, firsts);
                break;
            case InputKind.Assessments:
                await ImportAssessmentsAsync(source, map, file, ids);
                break;
            default:
                await ImportSatisfactionAsync(source, map, file, ids);
                break;
        }
        progress?.Report(new ImportProgress(source.DisplayName, "done", file.RowsRead));
    }

    /// <summary>Waits until every queued database call has run (and surfaces its error).</summary>
    public async Task FinishAsync()
    {
        await _queue.DrainAsync(ct);
        summary.AddPhase("reading side waited for room in the write queue", _queue.PostWait);
    }

    public ValueTask DisposeAsync() => _queue.DisposeAsync();

    /// <summary>
    /// Sizes a file's per-id dictionary once, from its first rows' length and the file's size (CSV only), so a
    /// million ids cost one array instead of a chain of doubled ones left behind as garbage.
    /// </summary>
    private struct CapacityEstimate(TabularSource source)
    {
        private const int Sample = 500;
        private long _chars;
        private int _rows;

        /// <summary>Notes a row; once the sample is complete, makes room in <paramref name="ids"/> for the estimated row count.</summary>
        public void Note(SourceRow row, Dictionary<UInt128, IdInfo> ids)
        {
            if (_rows > Sample) return;
            foreach (var field in row.Fields) _chars += field.Length + 1;
            if (++_rows <= Sample || source is not CsvTabularSource csv) return;
            var perRow = Math.Max(8.0, (double)_chars / _rows);
            var estimate = new FileInfo(csv.Path).Length / perRow * 1.05;
            ids.EnsureCapacity((int)Math.Clamp(estimate, 0, 20_000_000));
        }
    }

    /// <summary>Rows of pass 1 with their id keys and content hashes, computed on the helper task.</summary>
    private sealed record HashedBlock(SourceRow[] Rows, UInt128[] Keys, UInt128[] Hashes, bool Hashed);

    /// <summary>
    /// Pass 1. A helper task parses and hashes blocks of rows (its own <see cref="RowValidator"/>: the hash buffer is
    /// per instance); this thread keeps the per-id facts and the first sessions. Neither depends on row order
    /// (conflict = any two hashes differ; first = the minimum), so splitting the work this way changes no result.
    /// </summary>
    private async Task<(Dictionary<UInt128, IdInfo> Ids, Dictionary<string, FirstSession> Firsts)> CheckIdsAsync(TabularSource source, ColumnMap map)
    {
        const int BlockRows = 512;
        var ids = new Dictionary<UInt128, IdInfo>();
        var firsts = new Dictionary<string, FirstSession>(StringComparer.Ordinal);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var blocks = Channel.CreateBounded<HashedBlock>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        var hasher = validator.WithOwnBuffers();
        var parser = Task.Run(async () =>
        {
            try
            {
                var rows = new List<SourceRow>(BlockRows);
                var count = 0;
                foreach (var row in source.ReadRows())
                {
                    rows.Add(row);
                    if (rows.Count < BlockRows) continue;
                    // Parsing costs about as much as hashing: hash every other block here, the rest on the other side.
                    await blocks.Writer.WriteAsync(Hash(rows, hasher, hash: count++ % 2 == 0), stop.Token);
                    rows.Clear();
                }
                if (rows.Count > 0) await blocks.Writer.WriteAsync(Hash(rows, hasher, hash: true), stop.Token);
                blocks.Writer.TryComplete();
            }
            catch (Exception ex)
            {
                blocks.Writer.TryComplete(ex);
            }
        }, CancellationToken.None);

        HashedBlock Hash(IReadOnlyList<SourceRow> rows, RowValidator by, bool hash)
        {
            var block = new HashedBlock([.. rows], new UInt128[rows.Count], new UInt128[rows.Count], hash);
            if (!hash) return block;
            for (var i = 0; i < rows.Count; i++)
            {
                var f = new RowFields(rows[i].Fields, map.Index);
                var id = f[0];
                if (id.Length == 0) continue;
                block.Keys[i] = IdKey.Of(id);
                block.Hashes[i] = by.ContentHash(source.Kind, f);
            }
            return block;
        }

        try
        {
            long n = 0;
            var sessions = source.Kind == InputKind.Sessions;
            var capacity = new CapacityEstimate(source);
            await foreach (var parsed in blocks.Reader.ReadAllAsync(ct))
            {
                var block = parsed.Hashed ? parsed : Hash(parsed.Rows, validator, hash: true);
                for (var i = 0; i < block.Rows.Length; i++)
                {
                    capacity.Note(block.Rows[i], ids);
                    if (++n % ProgressEvery == 0) progress?.Report(new ImportProgress(source.DisplayName, "checking ids", n));
                    var f = new RowFields(block.Rows[i].Fields, map.Index);
                    if (f[0].Length == 0) continue;
                    var hash = block.Hashes[i];
                    ref var info = ref CollectionsMarshal.GetValueRefOrAddDefault(ids, block.Keys[i], out var exists);
                    if (exists) info.Conflict |= info.Hash != hash;
                    else info.Hash = hash;
                    if (sessions && MayComeFirst(firsts, f) && validator.Session(f, out var s) is null) NoteFirst(firsts, s!);
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            await parser;
        }
        if (source.Kind == InputKind.Sessions && firsts.Values.Any(v => ids[IdKey.Of(v.Id)].Conflict))
        {
            // Rare: a course's first session is itself a conflicting duplicate. Recompute without those.
            firsts.Clear();
            foreach (var row in source.ReadRows())
            {
                var f = new RowFields(row.Fields, map.Index);
                if (validator.Session(f, out var s) is null && !ids[IdKey.Of(s!.Id)].Conflict) NoteFirst(firsts, s);
            }
        }
        return (ids, firsts);
    }

    /// <summary>Loads at least this many rows, and at least as many as are stored, with the secondary indexes rebuilt afterwards.</summary>
    public int LargeLoad { get; init; } = 50_000;

    /// <summary>See <see cref="ImportOptions.OnePassFirstLoad"/>.</summary>
    public bool OnePassFirstLoad { get; init; } = true;

    /// <summary>
    /// SQLite, large load (a first import, or a file bigger than what is stored): drop the table's secondary
    /// indexes for the writes and rebuild them sorted afterwards. Returns the action that rebuilds them (to be
    /// run on the write queue).
    /// </summary>
    private async Task<Func<Task>> SuspendIndexesAsync(string table, int incoming, int stored)
    {
        if (w is not SqliteBulkWriter sqlite || incoming < LargeLoad || incoming < stored) return () => Task.CompletedTask;
        var dropped = await _queue.RunAsync(() => sqlite.DropSecondaryIndexesAsync(table, ct), ct);
        return async () =>
        {
            var start = Stopwatch.GetTimestamp();
            await sqlite.CreateIndexesAsync(dropped, ct);
            summary.AddPhase($"{table}: rebuild indexes", Stopwatch.GetElapsedTime(start));
        };
    }

    /// <summary>Ids of the file that are new or changed (an upper bound: rejected rows are still counted).</summary>
    private static int ToWrite(Dictionary<UInt128, IdInfo> ids, Dictionary<UInt128, UInt128> stored)
    {
        var n = 0;
        foreach (var (id, info) in ids)
        {
            if (!stored.TryGetValue(id, out var old) || old != info.Hash) n++;
        }
        return n;
    }

    private void Phase(TabularSource source, string phase, long start) =>
        summary.AddPhase($"{InputSpecs.Name(source.Kind)}: {phase}", Stopwatch.GetElapsedTime(start));

    /// <summary>A database read the reading side needs: it waits for the queued writes first (reported as its own phase).</summary>
    private async Task<T> ReadStoredAsync<T>(TabularSource source, Func<Task<T>> read)
    {
        progress?.Report(new ImportProgress(source.DisplayName, "waiting for earlier writes, loading stored ids", 0));
        var start = Stopwatch.GetTimestamp();
        var result = await _queue.RunAsync(read, ct);
        Phase(source, "load stored (after earlier writes)", start);
        return result;
    }

    private Task WaitForWriterAsync(TabularSource source) => ReadStoredAsync(source, () => Task.FromResult(true));

    /// <summary>
    /// False when the row cannot be its course's first session (a row-valid one is known that sorts before it),
    /// so pass 1 validates only the few candidates. A valid session_date is exactly yyyy-MM-dd, whose ordinal
    /// order is date order; a text that is not a valid date fails validation anyway, so skipping it changes nothing.
    /// </summary>
    private static bool MayComeFirst(Dictionary<string, FirstSession> firsts, RowFields f)
    {
        var (id, course, date) = RowValidator.SessionOrderFields(f);
        if (!firsts.TryGetValue(course, out var cur)) return true;
        var byDate = string.CompareOrdinal(date, cur.DateText);
        return byDate < 0 || (byDate == 0 && string.CompareOrdinal(id, cur.Id) < 0);
    }

    private static void NoteFirst(Dictionary<string, FirstSession> firsts, SessionRecord s)
    {
        if (!firsts.TryGetValue(s.CourseId, out var cur) || Before(s.Date, s.Id, cur.Date, cur.Id))
            firsts[s.CourseId] = new FirstSession(s.Date, s.Id, s.Concern);
    }

    /// <summary>The contract's order: by date, then by id (ordinal).</summary>
    internal static bool Before(DateOnly d1, string id1, DateOnly d2, string id2) =>
        d1 < d2 || (d1 == d2 && string.CompareOrdinal(id1, id2) < 0);

    // ---------------------------------------------------------------- sessions

    private sealed class SessionChunk
    {
        public List<object?[]> Rows = new(Chunk);
        public List<object?[]> Adjuncts = [];
        public List<object?[]> Adverse = [];
        public List<string> Updated = [];
    }

    /// <summary>What the sessions rules need of the stored data: session hashes, course concerns.</summary>
    private sealed record StoredSessions(Dictionary<UInt128, UInt128> Hashes, Dictionary<string, string> Concerns);

    private async Task<StoredSessions> LoadStoredSessionsAsync()
    {
        var concerns = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var r in QueryAsync("SELECT \"Id\", \"Concern\" FROM \"courses\"")) concerns[r.GetString(0)] = r.GetString(1);
        return new StoredSessions(await LoadHashesAsync("sessions"), concerns);
    }

    /// <summary>
    /// Sessions, pass 2 after pass 1: <paramref name="ids"/> knows which ids repeat with other content and the first
    /// row of each id, <paramref name="firsts"/> each course's first row-valid session in this file. (A file of new or
    /// unchanged ids on SQLite takes one pass instead: ImportRun.OnePass.cs.)
    /// </summary>
    private async Task ImportSessionsAsync(TabularSource source, ColumnMap map, FileImportSummary file, StoredSessions storedSessions,
        Dictionary<UInt128, IdInfo> ids, Dictionary<string, FirstSession> firsts)
    {
        var (stored, storedConcern) = (storedSessions.Hashes, storedSessions.Concerns);
        var refresh = NewRefresh();
        // Courses and patients of updated sessions' old rows: found by the writer, handed to the refresh in its last call.
        var touched = new List<(string Course, string Patient)>();
        var clinicNames = new Dictionary<string, (DateOnly Date, string Id, string? Name)>(StringComparer.Ordinal);
        var practitionerClinic = new Dictionary<string, (DateOnly Date, string Id, string Clinic)>(StringComparer.Ordinal);
        var rebuildIndexes = await SuspendIndexesAsync("sessions", ToWrite(ids, stored), stored.Count);

        var pass2Start = Stopwatch.GetTimestamp();
        var chunk = new SessionChunk();
        var writtenKeys = new List<UInt128>();
        foreach (var row in source.ReadRows())
        {
            ct.ThrowIfCancellationRequested();
            file.RowsRead++;
            if (file.RowsRead % ProgressEvery == 0) progress?.Report(new ImportProgress(source.DisplayName, "importing", file.RowsRead));
            var f = new RowFields(row.Fields, map.Index);
            var error = validator.Session(f, out var s);
            var key = error is null ? IdKey.Of(s!.Id) : default;
            var info = error is null ? ids[key] : default;
            if (info.Conflict) error = Conflict(map.Kind, s!.Id);
            if (error is null)
            {
                var concern = storedConcern.GetValueOrDefault(s!.CourseId) ?? firsts[s.CourseId].Concern;
                if (concern != s.Concern)
                    error = new RowError("concern", RejectReasons.ConcernMismatch,
                        $"concern {s.Concern} differs from {concern}, the concern of course {s.CourseId}'s first session");
            }
            if (error is not null)
            {
                Reject(source, row.Line, f[0], error, row.Fields, map, file);
                continue;
            }
            if (!FirstSeen(ids, key))
            {
                file.Unchanged++; // the exact same row again: applied once
                continue;
            }
            if (stored.TryGetValue(key, out var old))
            {
                if (old == info.Hash) { file.Unchanged++; continue; }
                file.Updated++;
                chunk.Updated.Add(s!.Id);
            }
            else
            {
                file.Applied++;
            }
            writtenKeys.Add(key);
            chunk.Rows.Add(SessionRow(s!, HashText(info.Hash)));
            foreach (var a in s!.Adjuncts) chunk.Adjuncts.Add([s.Id, a]);
            foreach (var a in s.AdverseEvents) chunk.Adverse.Add([s.Id, a]);
            NoteSessionFacts(s, clinicNames, practitionerClinic);
            if (chunk.Rows.Count >= Chunk)
            {
                await PostSessionsAsync(chunk, touched, lastOfFile: false);
                chunk = new SessionChunk();
            }
        }
        await PostSessionsAsync(chunk, touched, lastOfFile: true);
        _sessionKeys ??= [.. stored.Keys];
        _sessionKeys.UnionWith(writtenKeys);
        ids.Clear();
        ids.TrimExcess();
        Phase(source, "pass 2 (read, validate, queue writes)", pass2Start);
        // No session stored before this file: every stored one is of this batch.
        await RefreshDerivedAsync(source, refresh, clinicNames, practitionerClinic, touched, rebuildIndexes, file.Applied + file.Updated, onlyThisBatch: stored.Count == 0);
    }

    private object?[] SessionRow(SessionRecord s, string hashText) =>
    [
        s.Id, s.ClinicId, s.PractitionerId, s.PatientId, s.CourseId, s.Concern, s.Date, Codes.MonthKey(s.Date), s.BirthYear, s.Sex,
        s.Fitzpatrick, s.Area, s.Device, s.NeedleDepth, s.Passes, s.Downtime, s.Price, s.Currency, s.AdverseEvents.Length > 0,
        hashText, batchId,
    ];

    /// <summary>clinic_name: the latest non-empty one in this file wins (an import is the newer information); a practitioner's clinic: their first session's.</summary>
    private static void NoteSessionFacts(SessionRecord s, Dictionary<string, (DateOnly Date, string Id, string? Name)> clinicNames,
        Dictionary<string, (DateOnly Date, string Id, string Clinic)> practitionerClinic)
    {
        if (!clinicNames.TryGetValue(s.ClinicId, out var cn)) clinicNames[s.ClinicId] = (s.Date, s.Id, s.ClinicName);
        else if (s.ClinicName is not null && (cn.Name is null || Before(cn.Date, cn.Id, s.Date, s.Id))) clinicNames[s.ClinicId] = (s.Date, s.Id, s.ClinicName);
        if (!practitionerClinic.TryGetValue(s.PractitionerId, out var pc) || Before(s.Date, s.Id, pc.Date, pc.Id))
            practitionerClinic[s.PractitionerId] = (s.Date, s.Id, s.ClinicId);
    }

    /// <summary>
    /// After a sessions file: (on the write queue, while the next file is read) its index rebuild, clinics and
    /// practitioners, the derived courses and patients, and the stored assessments of the courses it touched.
    /// </summary>
    private async Task RefreshDerivedAsync(TabularSource source, DerivedRefresh refresh,
        Dictionary<string, (DateOnly Date, string Id, string? Name)> clinicNames,
        Dictionary<string, (DateOnly Date, string Id, string Clinic)> practitionerClinic,
        List<(string Course, string Patient)> touched, Func<Task> rebuildIndexes, int sessionsWritten, bool onlyThisBatch)
    {
        await _queue.PostAsync(async () =>
        {
            await rebuildIndexes(); // the derived refresh reads sessions by course and patient
            foreach (var (course, patient) in touched) refresh.TouchStored(course, patient);
            if (sessionsWritten > 0 || touched.Count > 0)
            {
                var refreshStart = Stopwatch.GetTimestamp();
                await w.WriteAsync(Clinics, BulkMode.Upsert, [.. clinicNames.Where(kv => kv.Value.Name is not null).Select(kv => new object?[] { kv.Key, kv.Value.Name })], ct);
                await w.WriteAsync(Clinics, BulkMode.InsertMissing, [.. clinicNames.Where(kv => kv.Value.Name is null).Select(kv => new object?[] { kv.Key, null })], ct);
                await w.WriteAsync(Practitioners, BulkMode.InsertMissing, [.. practitionerClinic.Select(kv => new object?[] { kv.Key, kv.Value.Clinic })], ct);
                await refresh.RefreshAsync(sessionsWritten, onlyThisBatch);
                Phase(source, "derived refresh", refreshStart);
                var revalidateStart = Stopwatch.GetTimestamp();
                await RevalidateStoredAssessmentsAsync(refresh.OldCourses);
                Phase(source, "revalidate stored assessments", revalidateStart);
            }
            await FlushChangesAsync(force: true);
        }, ct);
    }

    /// <summary>Queues one chunk of sessions with the rejects met so far (all of them at the end of the file).</summary>
    private async Task PostSessionsAsync(SessionChunk chunk, List<(string Course, string Patient)> touched, bool lastOfFile)
    {
        var rejects = TakeRejects(force: lastOfFile);
        await _queue.PostAsync(async () =>
        {
            var start = Stopwatch.GetTimestamp();
            if (chunk.Updated.Count > 0)
            {
                // Columns 3 and 4 of the old row: PatientId, CourseId.
                await LogChangesAsync(Sessions, chunk.Rows, chunk.Updated, "combination, adverse_events or clinic_name", old => touched.Add((old[4], old[3])));
                await w.DeleteAsync("session_adjuncts", "SessionId", chunk.Updated, ct);
                await w.DeleteAsync("session_adverse_events", "SessionId", chunk.Updated, ct);
            }
            await w.WriteAsync(Sessions, BulkMode.Upsert, chunk.Rows, ct);
            await w.WriteAsync(SessionAdjuncts, BulkMode.InsertMissing, chunk.Adjuncts, ct);
            await w.WriteAsync(SessionAdverseEvents, BulkMode.InsertMissing, chunk.Adverse, ct);
            summary.AddPhase("sessions: write (queued)", Stopwatch.GetElapsedTime(start));
            await WriteRejectsAsync(rejects);
            await FlushChangesAsync(force: false);
        }, ct);
    }

    // ---------------------------------------------------------------- assessments

    private async Task<Dictionary<string, CourseFacts>> LoadCoursesAsync()
    {
        var courses = new Dictionary<string, CourseFacts>(StringComparer.Ordinal);
        await foreach (var r in QueryAsync("SELECT \"Id\", \"Concern\", \"FirstSessionDate\", \"ClinicId\" FROM \"courses\""))
            courses[r.GetString(0)] = new CourseFacts(r.GetString(1), DbValues.Date(r.GetValue(2)), r.GetString(3));
        return courses;
    }

    private static RowError? CourseRules(string timepoint, DateOnly date, Instrument instrument, string courseId, CourseFacts course)
    {
        if (timepoint != Codes.Baseline && date < course.FirstSessionDate)
            return new RowError("assessed_on", RejectReasons.BeforeCourseStart,
                $"{timepoint} assessment dated {date:yyyy-MM-dd}, before course {courseId}'s first session on {course.FirstSessionDate:yyyy-MM-dd}");
        if (!instrument.Fits(course.Concern))
            return new RowError("instrument", RejectReasons.InstrumentConcernMismatch,
                $"instrument {instrument.Code} does not fit course {courseId}'s concern {course.Concern}");
        return null;
    }

    private async Task ImportAssessmentsAsync(TabularSource source, ColumnMap map, FileImportSummary file, Dictionary<UInt128, IdInfo> ids)
    {
        var (stored, courses) = await ReadStoredAsync(source, async () => (await LoadHashesAsync("assessments"), await LoadCoursesAsync()));
        var rows = new List<object?[]>(Chunk);
        var updated = new List<string>();
        var rebuildIndexes = await SuspendIndexesAsync("assessments", ToWrite(ids, stored), stored.Count);
        var pass2Start = Stopwatch.GetTimestamp();
        foreach (var row in source.ReadRows())
        {
            ct.ThrowIfCancellationRequested();
            file.RowsRead++;
            if (file.RowsRead % ProgressEvery == 0) progress?.Report(new ImportProgress(source.DisplayName, "importing", file.RowsRead));
            var f = new RowFields(row.Fields, map.Index);
            var error = validator.Assessment(f, out var a);
            var key = error is null ? IdKey.Of(a!.Id) : default;
            if (error is null && ids[key].Conflict) error = Conflict(map.Kind, a!.Id);
            var known = a is not null && courses.TryGetValue(a.CourseId, out var course);
            if (error is null && known) error = CourseRules(a!.Timepoint, a.Date, a.Instrument, a.CourseId, courses[a.CourseId]);
            if (error is not null)
            {
                Reject(source, row.Line, f[0], error, row.Fields, map, file, a is not null && known ? courses[a.CourseId].ClinicId : null);
                continue;
            }
            if (!known) file.AwaitingCourse++;
            if (!FirstSeen(ids, key)) { file.Unchanged++; continue; }
            var hash = ids[key].Hash; // computed in pass 1
            if (!Classify(stored, key, a!.Id, hash, file, updated)) continue;
            rows.Add(AssessmentRow(a, HashText(hash)));
            if (rows.Count >= Chunk) (rows, updated) = await PostFullChunkAsync(Assessments, rows, updated);
        }
        await FinishFileAsync(source, Assessments, rows, updated, ids, rebuildIndexes, pass2Start);
    }

    private object?[] AssessmentRow(AssessmentRecord a, string hashText) =>
        [a.Id, a.PatientId, a.CourseId, a.Instrument.Code, a.Date, Codes.MonthKey(a.Date), a.Timepoint, a.Score, a.AssessorId, hashText, batchId];

    private object?[] SatisfactionRow(SatisfactionRecord a, string hashText) =>
        [a.Id, a.PatientId, a.CourseId, a.SessionId, a.Date, Codes.MonthKey(a.Date), a.Instrument, a.Score, hashText, batchId];

    /// <summary>
    /// Pending assessments: stored assessments whose course was unknown when they arrived are checked
    /// against the course rules once it is known. Those that break them are removed and recorded as
    /// rejected rows of THIS batch, so the data set ends the same whatever order the files came in.
    /// Runs on the write queue.
    /// </summary>
    private async Task RevalidateStoredAssessmentsAsync(IReadOnlyCollection<string> oldCourses)
    {
        // On a first load there is nothing stored to check (and the join is not worth planning).
        var any = false;
        await foreach (var r in QueryAsync(RevalidateProbeSql)) any = !r.IsDBNull(0);
        if (!any) return;
        var failing = new List<(string Id, RowError Error, string Raw, int Month, string Clinic)>();
        await foreach (var r in DbValues.QueryAsync(w, RevalidateBatchSql, ct, ("@batch", batchId))) Check(r);
        foreach (var keys in oldCourses.Chunk(500))
        {
            await foreach (var r in DbValues.QueryAsync(w, RevalidateOldSql(keys.Length), ct, [("@batch", batchId), .. keys.Select((k, i) => ("@k" + i, (object?)k))]))
                Check(r);
        }

        void Check(DbDataReader r)
        {
            var courseId = r.GetString(2);
            var instrument = InstrumentCatalog.Find(r.GetString(3));
            if (instrument is null) return;
            var course = new CourseFacts(r.GetString(9), DbValues.Date(r.GetValue(10)), r.GetString(11));
            var date = DbValues.Date(r.GetValue(4));
            var error = CourseRules(r.GetString(5), date, instrument, courseId, course);
            if (error is null) return;
            var score = Convert.ToDouble(r.GetValue(6), Inv).ToString("R", Inv);
            var assessor = r.IsDBNull(7) ? "" : r.GetString(7);
            // patient_ref is stored only as its pseudonym; the raw row shows it masked like every reject.
            var raw = $"{r.GetString(0)},***,{courseId},{instrument.Code},{date:yyyy-MM-dd},{r.GetString(5)},{score},{assessor}";
            failing.Add((r.GetString(0), error with { Message = error.Message + " (stored assessment, checked when its course arrived)" }, raw,
                Convert.ToInt32(r.GetValue(8), Inv), course.ClinicId));
        }
        if (failing.Count == 0) return;
        await w.DeleteAsync("assessments", "Id", [.. failing.Select(x => x.Id)], ct);
        var rejects = new List<object?[]>(failing.Count);
        foreach (var x in failing)
        {
            AddReject(rejects, "assessments (stored)", 0, x.Id, x.Error, x.Raw, x.Month, x.Clinic);
        }
        await WriteRejectsAsync(rejects);
        summary.PendingAssessmentsRejected += failing.Count;
    }

    internal const string RevalidateProbeSql = "SELECT MIN(\"Id\") FROM \"assessments\"";

    private const string RevalidateSelect =
        "SELECT a.\"Id\", a.\"PatientId\", a.\"CourseId\", a.\"Instrument\", a.\"AssessedOn\", a.\"Timepoint\", a.\"Score\", a.\"AssessorId\", a.\"Month\", "
        + "c.\"Concern\", c.\"FirstSessionDate\", c.\"ClinicId\" FROM \"assessments\" a JOIN \"courses\" c ON c.\"Id\" = a.\"CourseId\"";

    /// <summary>Stored assessments of the courses this batch wrote sessions of, with their refreshed course row.</summary>
    internal const string RevalidateBatchSql = RevalidateSelect
        + " WHERE a.\"CourseId\" IN (SELECT s.\"CourseId\" FROM \"sessions\" s WHERE s.\"ImportBatchId\" = @batch)";

    /// <summary>
    /// The same for the old courses of updated sessions (parameters @k0…) that the batch wrote no session of
    /// (the others were read above); emptied ones are gone from courses.
    /// </summary>
    internal static string RevalidateOldSql(int keys) =>
        RevalidateSelect + $" WHERE a.\"CourseId\" IN ({string.Join(", ", Enumerable.Range(0, keys).Select(i => "@k" + i))})"
        + " AND NOT EXISTS (SELECT 1 FROM \"sessions\" x WHERE x.\"CourseId\" = a.\"CourseId\" AND x.\"ImportBatchId\" = @batch)";

    // ---------------------------------------------------------------- satisfaction

    private async Task ImportSatisfactionAsync(TabularSource source, ColumnMap map, FileImportSummary file, Dictionary<UInt128, IdInfo> ids)
    {
        var (stored, courses) = await ReadStoredAsync(source, async () => (await LoadHashesAsync("satisfaction_responses"), await LoadCoursesAsync()));
        HashSet<UInt128>? sessions = null; // keys of the stored session ids, loaded when an answer names a session
        var rows = new List<object?[]>(Chunk);
        var updated = new List<string>();
        var rebuildIndexes = await SuspendIndexesAsync("satisfaction_responses", ToWrite(ids, stored), stored.Count);
        var pass2Start = Stopwatch.GetTimestamp();
        foreach (var row in source.ReadRows())
        {
            ct.ThrowIfCancellationRequested();
            file.RowsRead++;
            if (file.RowsRead % ProgressEvery == 0) progress?.Report(new ImportProgress(source.DisplayName, "importing", file.RowsRead));
            var f = new RowFields(row.Fields, map.Index);
            var error = validator.Satisfaction(f, out var a);
            var key = error is null ? IdKey.Of(a!.Id) : default;
            if (error is null && ids[key].Conflict) error = Conflict(map.Kind, a!.Id);
            if (error is not null)
            {
                Reject(source, row.Line, f[0], error, row.Fields, map, file,
                    RowValidator.CourseOf(map.Kind, f) is { } c && courses.TryGetValue(c, out var cf) ? cf.ClinicId : null);
                continue;
            }
            // Sessions are not written by this file: reading them while its writes are queued sees the same set.
            if (a!.SessionId is not null) sessions ??= _sessionKeys ?? await _queue.RunAsync(() => LoadIdKeysAsync("sessions"), ct);
            if ((a.CourseId is not null && !courses.ContainsKey(a.CourseId)) || (a.SessionId is not null && !sessions!.Contains(IdKey.Of(a.SessionId))))
                file.AwaitingCourse++;
            if (!FirstSeen(ids, key)) { file.Unchanged++; continue; }
            var hash = ids[key].Hash; // computed in pass 1
            if (!Classify(stored, key, a.Id, hash, file, updated)) continue;
            rows.Add(SatisfactionRow(a, HashText(hash)));
            if (rows.Count >= Chunk) (rows, updated) = await PostFullChunkAsync(SatisfactionResponses, rows, updated);
        }
        await FinishFileAsync(source, SatisfactionResponses, rows, updated, ids, rebuildIndexes, pass2Start);
    }

    // ---------------------------------------------------------------- shared

    private static RowError Conflict(InputKind kind, string id) =>
        new(InputSpecs.IdColumn(kind), RejectReasons.DuplicateIdConflict,
            $"{InputSpecs.IdColumn(kind)} {id} appears more than once in this file with different content; every row with it is rejected");

    /// <summary>New → applied, same hash → unchanged (returns false), other hash → updated.</summary>
    private static bool Classify(Dictionary<UInt128, UInt128> stored, UInt128 key, string id, UInt128 hash, FileImportSummary file, List<string> updated)
    {
        if (stored.TryGetValue(key, out var old))
        {
            if (old == hash) { file.Unchanged++; return false; }
            file.Updated++;
            updated.Add(id);
            return true;
        }
        file.Applied++;
        return true;
    }

    /// <summary>Queues one chunk (the lists are the writer's from now on) with the rejects met so far.</summary>
    /// <summary>Queues a full chunk and hands back fresh lists (the queued ones now belong to the write task).</summary>
    private async Task<(List<object?[]> Rows, List<string> Updated)> PostFullChunkAsync(BulkTable table, List<object?[]> rows, List<string> updated)
    {
        await PostAsync(table, rows, updated, lastOfFile: false);
        return (new List<object?[]>(Chunk), []);
    }

    /// <summary>A file's last rows, then (on the write queue) its index rebuild and change log.</summary>
    private async Task FinishFileAsync(TabularSource source, BulkTable table, List<object?[]> rows, List<string> updated,
        Dictionary<UInt128, IdInfo> ids, Func<Task> rebuildIndexes, long pass2Start)
    {
        await PostAsync(table, rows, updated, lastOfFile: true);
        ids.Clear();
        ids.TrimExcess();
        Phase(source, "pass 2 (read, validate, queue writes)", pass2Start);
        await _queue.PostAsync(async () =>
        {
            await rebuildIndexes();
            await FlushChangesAsync(force: true);
        }, ct);
    }

    private async Task PostAsync(BulkTable table, List<object?[]> rows, List<string> updated, bool lastOfFile)
    {
        var rejects = TakeRejects(force: lastOfFile);
        await _queue.PostAsync(async () =>
        {
            var start = Stopwatch.GetTimestamp();
            if (updated.Count > 0) await LogChangesAsync(table, rows, updated, null);
            await w.WriteAsync(table, BulkMode.Upsert, rows, ct);
            summary.AddPhase($"{table.Name}: write (queued)", Stopwatch.GetElapsedTime(start));
            await WriteRejectsAsync(rejects);
            await FlushChangesAsync(force: false);
        }, ct);
    }

    private static readonly HashSet<string> NotCompared = new(StringComparer.Ordinal) { "ContentHash", "ImportBatchId", "Month" };

    /// <summary>change_log entries for updated rows: the changed fields, with old → new values (never the patient). Write queue only.</summary>
    private async Task LogChangesAsync(BulkTable table, List<object?[]> rows, List<string> updated, string? hiddenFields,
        Action<string[]>? onOldRow = null)
    {
        // A set, not List.Contains: a file that updates every row would otherwise cost chunk² comparisons per chunk.
        var wanted = updated.ToHashSet(StringComparer.Ordinal);
        var newRows = rows.Where(r => wanted.Contains((string)r[0]!)).ToDictionary(r => (string)r[0]!, StringComparer.Ordinal);
        var sql = $"SELECT {ColumnList(table)} FROM {Q(table.Name)}";
        var now = DateTimeOffset.UtcNow;
        await foreach (var r in QueryFilteredAsync(sql, "Id", newRows.Keys))
        {
            var id = r.GetString(0);
            if (!newRows.TryGetValue(id, out var fresh)) continue;
            onOldRow?.Invoke([.. Enumerable.Range(0, 5).Select(i => r.IsDBNull(i) ? "" : Convert.ToString(r.GetValue(i), Inv) ?? "")]);
            var changes = new List<string>();
            for (var i = 1; i < table.Columns.Count; i++)
            {
                var col = table.Columns[i];
                if (NotCompared.Contains(col.Name)) continue;
                var before = DbValues.Normalize(r.GetValue(i), col.Type);
                var after = DbValues.Normalize(fresh[i], col.Type);
                if (before == after) continue;
                changes.Add(col.Name == "PatientId" ? "patient (pseudonym changed)" : $"{col.Name}: '{before}' → '{after}'");
            }
            if (changes.Count == 0) changes.Add(hiddenFields ?? "content");
            _changes.Add([batchId, table.Name, id, "changed " + string.Join("; ", changes), now]);
        }
    }

    /// <summary>Reading side: records a rejected row of the file being read.</summary>
    private RejectedRow Reject(TabularSource source, int line, string? id, RowError error, string[]? raw, ColumnMap? map, FileImportSummary? file,
        string? clinic = null)
    {
        if (file is not null) file.RejectedByReason[error.Code] = file.RejectedByReason.GetValueOrDefault(error.Code) + 1;
        int? month = null;
        if (raw is not null && map is not null)
        {
            var f = new RowFields(raw, map.Index);
            month = RowValidator.MonthOf(map.Kind, f);
            clinic ??= RowValidator.ClinicOf(map.Kind, f);
        }
        return AddReject(_rejects, source.DisplayName, line, id is { Length: > 0 } ? id : null, error,
            raw is null || map is null ? null : RowValidator.MaskedRaw(raw, map.PatientRefPosition), month, clinic);
    }

    private RejectedRow AddReject(List<object?[]> pending, string file, int line, string? id, RowError error, string? raw, int? month, string? clinic)
    {
        var row = new RejectedRow
        {
            ImportBatchId = batchId, File = Importer.Truncate(file, 500), Line = line, Column = error.Column is null ? null : Importer.Truncate(error.Column, 200),
            RecordId = id is null ? null : Importer.Truncate(id, 100), ReasonCode = error.Code, Reason = error.Message, RawRow = raw, Month = month,
            ClinicId = clinic is null ? null : Importer.Truncate(clinic, 100),
        };
        // Both sides add here, never at the same time (a file's rejects start after the previous file's writes are done);
        // the lock only keeps the list itself safe.
        lock (summary.Rejects) summary.Rejects.Add(row);
        pending.Add(DbRow(row));
        return row;
    }

    private static object?[] DbRow(RejectedRow row) =>
        [row.ImportBatchId, row.File, row.Line, row.Column, row.RecordId, row.ReasonCode, row.Reason, row.RawRow, row.Month, row.ClinicId];

    /// <summary>The pending rejects to hand to the writer with the next chunk (at least a chunk's worth, or all when forced).</summary>
    private List<object?[]>? TakeRejects(bool force)
    {
        if (_rejects.Count == 0 || (!force && _rejects.Count < Chunk)) return null;
        var taken = _rejects;
        _rejects = [];
        return taken;
    }

    private async Task PostRejectsAsync(bool force)
    {
        var rejects = TakeRejects(force);
        if (rejects is not null) await _queue.PostAsync(() => WriteRejectsAsync(rejects), ct);
    }

    private async Task WriteRejectsAsync(List<object?[]>? rejects)
    {
        if (rejects is { Count: > 0 }) await w.WriteAsync(RejectedRows, BulkMode.Append, rejects, ct);
    }

    /// <summary>Write queue only.</summary>
    private async Task FlushChangesAsync(bool force)
    {
        if (_changes.Count == 0 || (!force && _changes.Count < Chunk)) return;
        await w.WriteAsync(ChangeLog, BulkMode.Append, _changes, ct);
        _changes.Clear();
    }

    /// <summary>id key → stored content hash of a whole table, in one query (no per-row look-ups), without the id texts.</summary>
    private async Task<Dictionary<UInt128, UInt128>> LoadHashesAsync(string table)
    {
        var result = new Dictionary<UInt128, UInt128>();
        await foreach (var r in QueryAsync($"SELECT \"Id\", \"ContentHash\" FROM {Q(table)}"))
            result[IdKey.Of(r.GetString(0))] = RowValidator.HashKey(r.GetString(1));
        return result;
    }

    private async Task<HashSet<UInt128>> LoadIdKeysAsync(string table)
    {
        var result = new HashSet<UInt128>();
        await foreach (var r in QueryAsync($"SELECT \"Id\" FROM {Q(table)}")) result.Add(IdKey.Of(r.GetString(0)));
        return result;
    }

    private IAsyncEnumerable<DbDataReader> QueryAsync(string sql) => DbValues.QueryAsync(w, sql, ct);

    private IAsyncEnumerable<DbDataReader> QueryFilteredAsync(string sql, string column, IEnumerable<string> keys) =>
        DbValues.QueryFilteredAsync(w, sql, column, keys, ct);
}

/// <summary>What the course rules need to know of a stored course.</summary>
internal sealed record CourseFacts(string Concern, DateOnly FirstSessionDate, string ClinicId);
