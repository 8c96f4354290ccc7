using System.Diagnostics;
using System.Text.Json;
using Analytics.Outcomes;

namespace Analytics.Benchmarks.Steps;

/// <summary>The tables' floor: the outcome table's counts by one hand-written SQL statement (<c>OutcomeCountsFloor</c>).</summary>
public sealed class TablesFloorStep : IBenchStep
{
    public string Name => "tables-floor";

    public async Task RunAsync(BenchPaths paths, StepReport report, CancellationToken ct)
    {
        BenchServices.RequireImported(paths);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var counts = await OutcomeCountsFloor.QueryAsync(BenchPaths.SqliteConnectionString(paths.ImportDb), ct);
        sw.Stop();
        report.Notes.Add($"CPU in the timed part (this process, all threads): {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:0.00} s");
        report.Seconds = sw.Elapsed.TotalSeconds;
        report.Rows = await BenchServices.InputRowsAsync(paths.ImportDb, ct);
        report.RowsLabel = "input rows";
        report.Breakdown.Add(new Timing("OutcomeCountsFloor.QueryAsync (GROUP BY month, clinic, concern, protocol, instrument)", sw.Elapsed.TotalSeconds, counts.Count));

        var productFile = paths.OutcomeCountsFile;
        if (File.Exists(productFile))
        {
            var product = JsonSerializer.Deserialize<List<OutcomeCount>>(await File.ReadAllTextAsync(productFile, ct)) ?? [];
            var same = product.Count == counts.Count && product.OrderBy(Key, StringComparer.Ordinal).SequenceEqual(counts.OrderBy(Key, StringComparer.Ordinal));
            report.Notes.Add(same
                ? $"check: the floor's {counts.Count:N0} count rows equal the product's outcome table at the same grain"
                : $"check: the floor's {counts.Count:N0} count rows DIFFER from the product's {product.Count:N0} (same grain)");
        }
    }

    private static string Key(OutcomeCount c) => $"{c.Month}|{c.ClinicId}|{c.Concern}|{c.Protocol}|{c.Instrument}";
}
