using System.Diagnostics;
using System.Text.Json;
using Analytics.Domain;
using Analytics.Outcomes;
using Analytics.Reports.Workbooks;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Benchmarks.Steps;

/// <summary>
/// The workbooks of the last loaded month: every clinic's monthly workbook (plus the network's own monthly
/// workbook, <c>ALL</c>), the network workbook and the protocol comparison workbook, written with the product's
/// report classes from the tables (computed first, untimed) and the models step's report.
/// </summary>
public sealed class WorkbooksStep : IBenchStep
{
    public string Name => "workbooks";

    public async Task RunAsync(BenchPaths paths, StepReport report, CancellationToken ct)
    {
        BenchServices.RequireImported(paths);
        await using var services = BenchServices.For(paths.ImportDb);
        var prep = Stopwatch.StartNew();
        var cached = await TablesCache.TryLoadAsync(paths, ct);
        var tables = cached ?? await services.GetRequiredService<OutcomeService>().ComputeAsync(ct: ct);
        ModelReport? models = null;
        var modelFile = Path.Combine(paths.RunDir, ModelsStep.ReportFile);
        if (File.Exists(modelFile)) models = JsonSerializer.Deserialize<ModelReport>(await File.ReadAllTextAsync(modelFile, ct));
        report.Notes.Add($"tables {(cached is null ? "computed" : "read from the tables step")} in {prep.Elapsed.TotalSeconds:0.0} s, untimed; model report {(models is null ? "missing (models step did not run)" : "from the models step")}");

        var context = new ReportContext("bench", new DateTimeOffset(2026, 11, 1, 6, 0, 0, TimeSpan.Zero));
        var month = BenchScale.LoadedEndMonth;
        if (Directory.Exists(paths.WorkbooksDir)) Directory.Delete(paths.WorkbooksDir, recursive: true);
        Directory.CreateDirectory(paths.WorkbooksDir);

        var sw = Stopwatch.StartNew();
        var index = await report.TimeAsync("ReportIndex", () => Task.FromResult(new ReportIndex(tables)));
        var monthly = await report.TimeAsync("monthly workbooks (each clinic + ALL)",
            () => Task.FromResult(new MonthlyClinicReport(index, models, context).WriteMonth(paths.WorkbooksDir, month)), p => p.Count);
        await report.TimeAsync("network workbook", () => Task.FromResult(new NetworkReport(index, context).Write(paths.WorkbooksDir, month)));
        await report.TimeAsync("protocol comparison workbook", () => Task.FromResult(new ProtocolComparisonReport(tables, models, context).Write(paths.WorkbooksDir)));
        sw.Stop();
        report.Seconds = sw.Elapsed.TotalSeconds;
        report.Rows = monthly.Count + 2;
        report.RowsLabel = "workbooks";
        var bytes = Directory.GetFiles(paths.WorkbooksDir, "*.xlsx", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        report.Notes.Add($"{report.Rows} workbooks, {bytes / 1024.0 / 1024.0:0.0} MB, month {Codes.MonthText(month)}");
    }
}
