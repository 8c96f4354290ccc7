using System.Diagnostics;
using System.Text.Json;
using Analytics.Data;
using Analytics.Domain;
using Analytics.Outcomes;
using Analytics.Reports.Exports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Benchmarks.Steps;

/// <summary>
/// The six export tables: <c>OutcomeService.ComputeAsync</c> (with its phase timings) on the imported database (the timed part), then their
/// CSV export with <c>TableExportWriter</c> (reported beside it, not in the ratio: the floor only queries). Saves the
/// outcome table's finest-grain counts so the floor step can check it counts the same.
/// </summary>
public sealed class TablesStep : IBenchStep
{

    public string Name => "tables";

    public async Task RunAsync(BenchPaths paths, StepReport report, CancellationToken ct)
    {
        BenchServices.RequireImported(paths);
        await using var services = BenchServices.For(paths.ImportDb);
        var contexts = services.GetRequiredService<IDbContextFactory<AnalyticsDbContext>>();
        var options = services.GetRequiredService<OutcomeOptions>();

        // OutcomeService.ComputeAsync is exactly this (one context from the factory, the static overload); calling the
        // overload directly gets its phase timings for the breakdown.
        var phases = new List<Timing>();
        // EF Core's one-time start-up in a process (its service provider and the model) happens before the clock: the
        // service pays it once at start-up (migrations), not per table run. Its cost is reported beside the step.
        var startUp = Stopwatch.StartNew();
        await using (var warm = await contexts.CreateDbContextAsync(ct))
        {
            await warm.ImportBatches.CountAsync(ct);
        }
        startUp.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var tables = await OutcomeService.ComputeAsync(db, options, ct, (phase, took) => phases.Add(new Timing($"ComputeAsync: {phase}", took.TotalSeconds)));
        sw.Stop();
        // On two cores a parallel step and a serial floor suffer differently from other load: CPU time shows the work.
        report.Notes.Add($"CPU in the timed part (this process, all threads): {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:0.00} s");
        report.Seconds = sw.Elapsed.TotalSeconds;
        report.Breakdown.AddRange(phases);
        report.Notes.Add($"EF Core start-up in this process (service provider, model, first query), before the clock: {startUp.Elapsed.TotalSeconds:0.00} s");
        report.Rows = await BenchServices.InputRowsAsync(paths.ImportDb, ct);
        report.RowsLabel = "input rows";
        report.Notes.Add($"table rows: outcomes {tables.Outcomes.Count:N0}, satisfaction {tables.Satisfaction.Count:N0}, safety {tables.Safety.Count:N0}, activity {tables.Activity.Count:N0}, revenue {tables.Revenue.Count:N0}, protocol comparison {tables.ProtocolComparison.Count:N0}");

        if (Directory.Exists(paths.ExportsDir)) Directory.Delete(paths.ExportsDir, recursive: true);
        Directory.CreateDirectory(paths.ExportsDir);
        await report.TimeAsync("CSV export of the six tables (not in the ratio)", () => TableExportWriter.WriteAllAsync(tables, paths.ExportsDir, ExportFormat.Csv, ct));

        var counts = tables.Outcomes
            .Where(r => r.ClinicId != Codes.All && r.Protocol != Codes.All)
            .Select(r => new OutcomeCount(r.Month, r.ClinicId, r.Concern, r.Protocol, r.Instrument, r.Courses, r.EvaluableCourses, r.Patients))
            .ToList();
        await File.WriteAllTextAsync(paths.OutcomeCountsFile, JsonSerializer.Serialize(counts), ct);
        await TablesCache.SaveAsync(paths, tables, ct);
    }
}

/// <summary>The tables step's result kept for the workbooks step, so it need not compute them again (untimed anyway).</summary>
public static class TablesCache
{
    private static readonly JsonSerializerOptions Options = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private static string FileOf(BenchPaths paths) => Path.Combine(paths.RunDir, "tables.json");

    public static async Task SaveAsync(BenchPaths paths, ReportTables tables, CancellationToken ct)
    {
        await using var stream = File.Create(FileOf(paths));
        await JsonSerializer.SerializeAsync(stream, tables, Options, ct);
    }

    public static async Task<ReportTables?> TryLoadAsync(BenchPaths paths, CancellationToken ct)
    {
        if (!File.Exists(FileOf(paths))) return null;
        try
        {
            await using var stream = File.OpenRead(FileOf(paths));
            return await JsonSerializer.DeserializeAsync<ReportTables>(stream, Options, ct);
        }
        catch (JsonException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }
}
