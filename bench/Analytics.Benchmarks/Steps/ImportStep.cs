using Analytics.Data;
using Analytics.Ingest;
using Analytics.Samples;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Analytics.Benchmarks.Steps;

/// <summary>
/// The product import: <c>Importer.ImportAsync</c> of the load folder (the three files, one batch) into a freshly
/// migrated SQLite file. The migration is untimed; the breakdown comes from the importer's own progress messages
/// (per file and phase). The database it leaves is the one the tables, models and workbooks steps read.
/// </summary>
public sealed class ImportStep : IBenchStep
{

    public string Name => "import";

    public async Task RunAsync(BenchPaths paths, StepReport report, CancellationToken ct)
    {
        Directory.CreateDirectory(paths.RunDir);
        BenchPaths.DeleteDatabase(paths.ImportDb);
        var database = BenchDatabase.Options(paths.ImportDb);
        await report.TimeAsync("migrate (untimed)", async () =>
        {
            await using var db = DatabaseSetup.CreateContext(database);
            await DatabaseSetup.MigrateAsync(db, ct);
        });
        report.Breakdown.Clear();

        var importer = new Importer(database, new PatientPseudonymiser(BenchKey.Bytes), NullLogger<Importer>.Instance);
        var clock = new PhaseClock();
        var progress = new ClockProgress(clock);
        // The importer takes the files in kind order, sessions first; its first message comes after some rows.
        clock.Mark($"{SampleFiles.Sessions}: start");
        var sampler = new MemorySampler(() => clock.Current);
        var summary = await importer.ImportAsync(paths.LoadDir, new ImportOptions { AsOf = BenchScale.LoadAsOf }, progress, ct);
        var total = clock.Elapsed;
        // Before Finish, so the last samples keep the importer's last phase.
        report.AtPeak = sampler.Stop();
        var segments = clock.Finish("commit and finish");
        SqliteConnection.ClearAllPools();

        report.Seconds = total;
        report.Rows = summary.RowsRead;
        report.Breakdown.AddRange(segments);
        // The sessions file's time: every segment of it (reading, checking, importing, refreshing courses).
        report.Values["sessionsSeconds"] = segments.Where(s => s.Label.StartsWith(SampleFiles.Sessions, StringComparison.Ordinal)).Sum(s => s.Seconds);
        report.Notes.Add($"batch {summary.BatchId}: {summary.Status}, read {summary.RowsRead:N0}, applied {summary.Applied:N0}, unchanged {summary.Unchanged:N0}, updated {summary.Updated:N0}, rejected {summary.Rejected:N0}");
        foreach (var f in summary.Files)
        {
            report.Notes.Add($"{f.File}: read {f.RowsRead:N0}, applied {f.Applied:N0}, rejected {f.Rejected:N0}" + (f.AwaitingCourse > 0 ? $", awaiting course {f.AwaitingCourse:N0}" : ""));
        }
        // The importer's own phases: the reading side and the write task overlap, so these add up to more than the total.
        report.Notes.Add("importer phases (reading side and write task overlap): " + string.Join("; ",
            summary.Phases.Select(p => $"{p.Key} {p.Value.TotalSeconds.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)} s")));
    }

    private sealed class ClockProgress(PhaseClock clock) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) =>
            clock.Mark(value.Phase == "done"
                ? $"after {Path.GetFileName(value.File)} (until the next file's first message)"
                : $"{Path.GetFileName(value.File)}: {value.Phase}", value.Rows);
    }
}
