using Analytics.Domain;

namespace Analytics.Modelling.Tests;

public class ModelRegistryFacts : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "modelling-registry-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
        GC.SuppressFinalize(this);
    }

    private static ModellingOptions Options(int day) => SyntheticCourses.FastOptions() with
    {
        Trainers = OutcomeTrainers.Sdca | OutcomeTrainers.LightGbm,
        FittedAt = new DateTimeOffset(2025, 2, day, 0, 0, 0, TimeSpan.Zero),
    };

    [Fact]
    public void Promotion_rule()
    {
        var current = new ModelFit { Id = 4, Concern = "c", Instrument = "i", Trainer = "sdca", ModelPath = "m", Rmse = 10 };

        Assert.True(ModelPromotion.Decide(true, 12, 15, null, 0.05).Promote);
        Assert.True(ModelPromotion.Decide(true, 10.4, 15, current, 0.05).Promote);
        var (promote, note) = ModelPromotion.Decide(true, 10.6, 15, current, 0.05);
        Assert.False(promote);
        Assert.Contains("#4", note);
        Assert.False(ModelPromotion.Decide(false, 9, 9.05, null, 0.05).Promote);
    }

    [Fact]
    public async Task A_worse_refit_is_stored_but_not_promoted_and_a_good_one_replaces_the_promoted_fit()
    {
        var registryPath = Path.Combine(_dir, "registry.json");
        var registry = new JsonFileModelRegistryStore(registryPath);

        var firstCourses = SyntheticCourses.Generate(800, 31);
        var first = await OutcomeModelTrainer.FitAllAsync(firstCourses, Options(1), _dir, registry);
        var firstFit = Assert.Single(first.Fits);
        Assert.True(firstFit.Promoted);

        // Same design, twice the noise: still beats its baseline, but RMSE is far above the promoted fit's.
        var noisier = await OutcomeModelTrainer.FitAllAsync(SyntheticCourses.Generate(800, 32, noiseSd: 20), Options(2), _dir, registry);
        var noisierFit = Assert.Single(noisier.Fits);
        Assert.True(noisierFit.BeatsBaseline);
        Assert.False(noisierFit.Promoted);
        Assert.Contains($"#{firstFit.Id}", noisierFit.Note);
        Assert.Equal(firstFit.Id, (await registry.GetLatestPromotedAsync("acne_scars", "goodman_baron_quant"))!.Id);
        Assert.False(Assert.Single(noisier.Report.Models, m => m.Trainer == noisier.Cells[0].ChosenTrainer).Promoted);
        // What-if keeps using the promoted model (loaded from its zip).
        var profile = new WhatIfProfile("p", "acne_scars", "goodman_baron_quant", 40, 3, 40, 3);
        // (protocol counts come from the current data; the expected values from the promoted model)
        var promotedExpectations = first.WhatIf(profile).ToDictionary(r => r.Protocol, r => r.ExpectedImprovementPct);
        var rows = noisier.WhatIf(profile);
        Assert.NotEmpty(rows);
        Assert.All(rows.Where(r => promotedExpectations.ContainsKey(r.Protocol)),
            r => Assert.Equal(promotedExpectations[r.Protocol], r.ExpectedImprovementPct));

        var better = await OutcomeModelTrainer.FitAllAsync(SyntheticCourses.Generate(800, 33), Options(3), _dir, registry);
        var betterFit = Assert.Single(better.Fits);
        Assert.True(betterFit.Promoted);
        Assert.Equal(betterFit.Id, (await registry.GetLatestPromotedAsync("acne_scars", "goodman_baron_quant"))!.Id);

        // The file store reads back what it wrote.
        var reopened = await new JsonFileModelRegistryStore(registryPath).ListAsync();
        Assert.Equal([firstFit.Id, noisierFit.Id, betterFit.Id], reopened.Select(f => f.Id));
        Assert.Equal([true, false, true], reopened.Select(f => f.Promoted));
        Assert.Equal(noisierFit.Note, reopened[1].Note);
        Assert.Equal(firstFit.SchemaHash, reopened[0].SchemaHash);
        Assert.Equal(firstCourses.Min(c => c.Month), reopened[0].DataFromMonth);
        Assert.Equal(firstCourses.Max(c => c.Month), reopened[0].DataToMonth);
    }

    [Fact]
    public async Task A_saved_model_loads_with_its_schema_and_is_refused_with_another()
    {
        var courses = SyntheticCourses.Generate(600, 41);
        var run = await OutcomeModelTrainer.FitAllAsync(courses, Options(4), _dir, new InMemoryModelRegistryStore());
        var fit = Assert.Single(run.Fits);
        Assert.NotNull(fit.SchemaHash);

        var loaded = OutcomeModelFile.Load(fit);
        Assert.Equal(run.Cells[0].Predict(courses[..50]), loaded.Predict(courses[..50]));

        // Another feature layout (the pooled model's, with concern and instrument slots) is refused.
        var other = CourseFeaturizer.Fit(courses, pooled: true);
        var e = Assert.Throws<ModelSchemaMismatchException>(() => OutcomeModelFile.Load(fit, other));
        Assert.Contains("Refit", e.Message);

        // So is a record whose stored schema hash does not match the zip.
        var tampered = new ModelFit
        {
            Id = fit.Id, Concern = fit.Concern, Instrument = fit.Instrument, Trainer = fit.Trainer, ModelPath = fit.ModelPath,
            DetailsJson = fit.DetailsJson, SchemaHash = new string('0', 64),
        };
        Assert.Throws<ModelSchemaMismatchException>(() => OutcomeModelFile.Load(tampered));
    }
}
