using System.Diagnostics;
using System.Text.Json;
using Analytics.Modelling;
using Analytics.Outcomes;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Benchmarks.Steps;

/// <summary>
/// Model fitting for all concerns: <c>OutcomeModelTrainer.FitAllAsync</c> with the default settings on every course
/// outcome of the imported database (timed), after loading them with <c>GetCourseOutcomesAsync</c> (reported beside
/// it). The breakdown is per model, from the trainer's progress messages. Saves the model report for the workbooks.
/// </summary>
public sealed class ModelsStep : IBenchStep
{
    public const string ReportFile = "model-report.json";

    public string Name => "models";

    public async Task RunAsync(BenchPaths paths, StepReport report, CancellationToken ct)
    {
        BenchServices.RequireImported(paths);
        await using var services = BenchServices.For(paths.ImportDb);
        var outcomes = services.GetRequiredService<OutcomeService>();
        var courses = await report.TimeAsync("GetCourseOutcomesAsync (load, not in the target)", () => outcomes.GetCourseOutcomesAsync(ct: ct), c => c.Count);

        if (Directory.Exists(paths.ModelsDir)) Directory.Delete(paths.ModelsDir, recursive: true);
        Directory.CreateDirectory(paths.ModelsDir);
        var clock = new PhaseClock();
        var sw = Stopwatch.StartNew();
        var run = await OutcomeModelTrainer.FitAllAsync(courses, new ModellingOptions(), paths.ModelsDir, new InMemoryModelRegistryStore(),
            new ClockProgress(clock), ct);
        sw.Stop();
        report.Breakdown.AddRange(clock.Finish());
        report.Seconds = sw.Elapsed.TotalSeconds;
        report.Rows = courses.Count(OutcomeModelTrainer.IsTrainable);
        report.RowsLabel = "trainable courses";
        report.Notes.Add($"{run.Fits.Count} models fitted from {courses.Count:N0} course outcomes");
        report.Notes.AddRange(run.Notes);
        await File.WriteAllTextAsync(Path.Combine(paths.RunDir, ReportFile), JsonSerializer.Serialize(run.Report), ct);
    }

    private sealed class ClockProgress(PhaseClock clock) : IProgress<string>
    {
        public void Report(string value) => clock.Mark(value);
    }
}
