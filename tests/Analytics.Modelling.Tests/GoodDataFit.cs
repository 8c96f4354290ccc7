using Analytics.Domain;

namespace Analytics.Modelling.Tests;

/// <summary>
/// One fit shared by the facts about a model with real signal: 2,000 acne-scar courses with the
/// planted effects, plus two small cells (120 courses each) that go to the pooled model.
/// </summary>
public sealed class GoodDataFit : IAsyncLifetime
{
    public List<CourseOutcome> Courses { get; } =
    [
        .. SyntheticCourses.Generate(2_000, seed: 11),
        .. SyntheticCourses.Generate(120, seed: 12, concern: "wrinkles", instrument: "wsrs", idPrefix: "w"),
        .. SyntheticCourses.Generate(120, seed: 13, concern: "melasma", instrument: "mmasi", idPrefix: "m"),
    ];

    public ModellingOptions Options { get; } = SyntheticCourses.FastOptions() with { MaxDegreeOfParallelism = 2 };

    public string ModelDir { get; } = Path.Combine(Path.GetTempPath(), "modelling-facts-" + Guid.NewGuid().ToString("N"));

    public InMemoryModelRegistryStore Registry { get; } = new();

    public OutcomeModelRun Run { get; private set; } = null!;

    public OutcomeModelCell Acne => Run.Cells.Single(c => c.Concern == "acne_scars");

    public async Task InitializeAsync() => Run = await OutcomeModelTrainer.FitAllAsync(Courses, Options, ModelDir, Registry);

    public Task DisposeAsync()
    {
        if (Directory.Exists(ModelDir)) Directory.Delete(ModelDir, recursive: true);
        return Task.CompletedTask;
    }
}

public class OutcomeModelTrainerFacts(GoodDataFit fit) : IClassFixture<GoodDataFit>
{
    [Fact]
    public async Task Two_fits_on_the_same_data_and_seed_are_identical()
    {
        var dir = Path.Combine(Path.GetTempPath(), "modelling-facts-" + Guid.NewGuid().ToString("N"));
        try
        {
            // Sequential this time: results must not depend on how many jobs run at once.
            var again = await OutcomeModelTrainer.FitAllAsync(
                fit.Courses, fit.Options with { MaxDegreeOfParallelism = 1 }, dir, new InMemoryModelRegistryStore());

            Assert.Equal(fit.Run.Report.Models, again.Report.Models);
            Assert.Equal(fit.Run.Report.FeatureImportances, again.Report.FeatureImportances);
            Assert.Equal(fit.Run.Report.ObservedExpected, again.Report.ObservedExpected);
            Assert.Equal(fit.Run.Report.WhatIf, again.Report.WhatIf);
            Assert.Equal(fit.Run.Cells.Count, again.Cells.Count);
            for (var i = 0; i < fit.Run.Cells.Count; i++)
            {
                Assert.Equal(fit.Run.Cells[i].OutOfFoldPredictions, again.Cells[i].OutOfFoldPredictions);
                Assert.Equal(fit.Run.Cells[i].Predict(fit.Courses), again.Cells[i].Predict(fit.Courses));
                Assert.Equal(fit.Run.Cells[i].SchemaHash, again.Cells[i].SchemaHash);
            }
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void The_chosen_model_beats_the_mean_baseline_in_cross_validation()
    {
        var acne = fit.Acne;

        Assert.True(acne.BeatsBaseline);
        Assert.True(acne.Chosen.Rmse < acne.Baseline.Rmse * 0.95, $"{acne.Chosen.Rmse} vs {acne.Baseline.Rmse}");
        Assert.True(acne.Chosen.R2 > 0.2, $"R² {acne.Chosen.R2}");
        Assert.Equal(acne.Candidates.Min(c => c.Rmse), acne.Chosen.Rmse);
        // The baseline predicts the training-fold mean, so its out-of-fold R² is about zero, never above.
        Assert.InRange(acne.Baseline.R2, -0.01, 0);
        var rows = fit.Run.Report.Models.Where(m => m.Concern == "acne_scars").ToList();
        Assert.Contains(rows, r => r.Trainer == "baseline_mean");
        Assert.Single(rows, r => r.Promoted);
        Assert.All(rows, r => Assert.Equal(acne.Baseline.Rmse, r.BaselineRmse));
    }

    [Fact]
    public void Every_enabled_trainer_is_scored_and_a_skipped_gam_is_recorded()
    {
        var acne = fit.Acne;

        Assert.Equal(["sdca", "fasttree", "lightgbm"], acne.Candidates.Select(c => c.Trainer));
        Assert.Equal("gam", Assert.Single(acne.Skipped).Trainer);
        Assert.Contains("gam", fit.Run.Fits.Single(f => f.Concern == "acne_scars").Note);
        // The pooled model is below the GAM row limit, so GAM competes there.
        Assert.Contains(fit.Run.Cells.Single(c => c.Pooled).Candidates, c => c.Trainer == "gam");
    }

    [Fact]
    public void The_planted_drivers_rank_at_the_top_of_the_importances()
    {
        var top = fit.Run.Report.FeatureImportances
            .Where(f => f.Concern == "acne_scars").OrderBy(f => f.Rank).Take(3).Select(f => f.Feature).ToHashSet();

        Assert.Equal(new HashSet<string> { "adjunct:prp", "sessions", "fitzpatrick_type" }, top);
        var prp = fit.Run.Report.FeatureImportances.Single(f => f.Concern == "acne_scars" && f.Feature == "adjunct:prp");
        Assert.True(prp.DeltaR2 > 5 * prp.DeltaR2Sd);
        Assert.True(fit.Run.Report.FeatureImportances.Single(f => f.Concern == "acne_scars" && f.Feature == "adjunct:laser").DeltaR2 < 0.01);
    }

    [Fact]
    public void The_better_practitioner_is_above_expected_with_an_interval_above_zero()
    {
        var star = fit.Run.Report.ObservedExpected.Single(r =>
            r.Concern == "acne_scars" && r.Level == ObservedExpected.PractitionerLevel && r.Id == SyntheticCourses.StarPractitioner);

        Assert.True(star.Shown);
        Assert.True(star.OeRatio > 1, $"O/E {star.OeRatio}");
        Assert.True(star.OeCiLow > 0, $"O − E interval {star.OeCiLow}..{star.OeCiHigh}");
        Assert.Equal(fit.Courses.Count(c => c.Concern == "acne_scars" && c.PractitionerId == SyntheticCourses.StarPractitioner), star.Courses);
        // The others have no planted effect: their intervals contain zero far more often than not.
        var others = fit.Run.Report.ObservedExpected.Where(r =>
            r.Concern == "acne_scars" && r.Level == ObservedExpected.PractitionerLevel && r.Id != SyntheticCourses.StarPractitioner).ToList();
        Assert.True(others.Count(r => r.OeCiLow <= 0) >= others.Count - 2);
    }

    [Fact]
    public void Small_cells_are_judged_by_the_pooled_model()
    {
        var pooled = fit.Run.Cells.Single(c => c.Pooled);

        Assert.Equal(240, pooled.Courses.Count);
        Assert.Contains(fit.Run.Fits, f => f.Concern == Codes.All && f.Instrument == Codes.All);
        if (pooled.BeatsBaseline)
            Assert.Contains(fit.Run.Report.ObservedExpected, r => r.Concern == "wrinkles" && r.Instrument == "wsrs");
        else
            Assert.DoesNotContain(fit.Run.Report.ObservedExpected, r => r.Concern == "wrinkles");
    }

    [Fact]
    public void What_if_predicts_each_protocol_with_enough_courses()
    {
        var profile = new WhatIfProfile("test", "acne_scars", "goodman_baron_quant", 40, 2, 35, 4);

        var rows = fit.Run.WhatIf(profile);

        var counts = fit.Courses.Where(c => c.Concern == "acne_scars").GroupBy(c => c.Protocol).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(counts.Where(kv => kv.Value >= fit.Options.MinCoursesPerProtocolForWhatIf).Select(kv => kv.Key).Order(StringComparer.Ordinal),
            rows.Select(r => r.Protocol));
        var alone = rows.Single(r => r.Protocol == "microneedling").ExpectedImprovementPct;
        var prp = rows.Single(r => r.Protocol == "microneedling+prp").ExpectedImprovementPct;
        Assert.InRange(prp - alone, 4, 12); // planted +8
        Assert.All(rows, r => Assert.Equal(counts[r.Protocol], r.TrainingCourses));
        Assert.Contains(fit.Run.Report.WhatIf, r => r.Profile == "typical" && r.Concern == "acne_scars");
    }

    [Fact]
    public void Fill_counts_are_recorded_with_the_fit()
    {
        var acne = fit.Acne;
        var courses = fit.Courses.Where(c => c.Concern == "acne_scars").ToList();

        Assert.Equal(courses.Count(c => c.Age is null), acne.MissingCounts["age"]);
        Assert.Equal(courses.Count(c => c.NeedleDepthMm is null), acne.MissingCounts["needle_depth_mm"]);
        Assert.Equal(courses.Count(c => c.Device is null), acne.MissingCounts["device"]);
        Assert.Equal(courses.Count(c => c.MeanIntervalDays is null), acne.MissingCounts["mean_interval_days"]);
        Assert.True(acne.MissingCounts["age"] > 0);
        var details = ModelFitDetails.FromJson(fit.Run.Fits.Single(f => f.Concern == "acne_scars").DetailsJson!);
        Assert.Equal(acne.MissingCounts["age"], details.MissingCounts["age"]);
    }
}
