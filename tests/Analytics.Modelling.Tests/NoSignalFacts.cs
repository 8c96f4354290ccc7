namespace Analytics.Modelling.Tests;

public class NoSignalFacts
{
    [Fact]
    public async Task A_model_that_cannot_beat_the_baseline_is_flagged_and_not_used()
    {
        var courses = SyntheticCourses.Generate(600, seed: 21, pureNoise: true);
        var dir = Path.Combine(Path.GetTempPath(), "modelling-facts-" + Guid.NewGuid().ToString("N"));
        var registry = new InMemoryModelRegistryStore();
        try
        {
            var run = await OutcomeModelTrainer.FitAllAsync(
                courses, SyntheticCourses.FastOptions() with { Trainers = OutcomeTrainers.Sdca | OutcomeTrainers.LightGbm }, dir, registry);

            var cell = Assert.Single(run.Cells);
            Assert.False(cell.BeatsBaseline);
            var fit = Assert.Single(run.Fits);
            Assert.False(fit.BeatsBaseline);
            Assert.False(fit.Promoted);
            Assert.Contains("does not beat the predict-the-mean baseline", fit.Note);
            Assert.Null(await registry.GetLatestPromotedAsync("acne_scars", "goodman_baron_quant"));
            Assert.All(run.Report.Models, m => Assert.False(m.Promoted));
            Assert.Empty(run.Report.ObservedExpected);
            Assert.Empty(run.Report.FeatureImportances);
            Assert.Empty(run.Report.WhatIf);
            Assert.Contains(run.Notes, n => n.Contains("no observed/expected", StringComparison.Ordinal));
            // Still recorded with every candidate's metrics, for the model report.
            Assert.Equal(3, run.Report.Models.Count);
            Assert.True(File.Exists(fit.ModelPath));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
