using System.Text.Json;
using System.Text.Json.Serialization;
using Analytics.Domain;
using Microsoft.ML;

namespace Analytics.Modelling;

/// <summary>
/// What a fit record's DetailsJson holds: every candidate, the baseline, importances, fill counts and the
/// featurizer state; with the courses the candidates were compared on and, for a subsampled cell, the chosen
/// trainer's and the baseline's CV metrics on all courses (absent in records written before subsampling).
/// </summary>
public sealed record ModelFitDetails(
    IReadOnlyList<CandidateScores> Candidates,
    CandidateScores Baseline,
    IReadOnlyList<SkippedTrainer> Skipped,
    IReadOnlyList<FeatureImportanceRow> Importances,
    IReadOnlyDictionary<string, int> MissingCounts,
    CourseFeaturizer Featurizer,
    int? ComparedCourses = null,
    CandidateScores? ChosenOnAllCourses = null,
    CandidateScores? BaselineOnAllCourses = null)
{
    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ModelFitDetails FromJson(string json) =>
        JsonSerializer.Deserialize<ModelFitDetails>(json, Json) ?? throw new InvalidDataException("Empty model fit details.");
}

/// <summary>A model loaded from its saved ML.NET zip after its input schema was checked.</summary>
public sealed class LoadedOutcomeModel
{
    private readonly MLContext _ml;

    internal LoadedOutcomeModel(ModelFit fit, CourseFeaturizer featurizer, ITransformer model, MLContext ml)
    {
        Fit = fit;
        Featurizer = featurizer;
        Model = model;
        _ml = ml;
    }

    public ModelFit Fit { get; }
    public CourseFeaturizer Featurizer { get; }
    public ITransformer Model { get; }

    public double[] Predict(IReadOnlyList<CourseOutcome> courses) =>
        ModelData.Predict(_ml, Model, [.. courses.Select(Featurizer.Featurize)], Featurizer.Slots.Count);

    public double Predict(WhatIfProfile profile, string protocol) =>
        ModelData.Predict(_ml, Model, [Featurizer.Featurize(profile, protocol)], Featurizer.Slots.Count)[0];
}

/// <summary>Saves and loads model zips; loading refuses a model whose input schema differs from today's features.</summary>
public static class OutcomeModelFile
{
    /// <summary>
    /// Loads the fit's model. The expected schema is that of <paramref name="expected"/> when given,
    /// else of the fit's stored featurizer state laid out by the current code (so a change in the
    /// feature code, e.g. a new adjunct, is caught).
    /// </summary>
    public static LoadedOutcomeModel Load(ModelFit fit, CourseFeaturizer? expected = null, int seed = 0)
    {
        if (fit.DetailsJson is null) throw new InvalidDataException($"Model fit {fit.Id} has no details (featurizer state).");
        var featurizer = expected ?? ModelFitDetails.FromJson(fit.DetailsJson).Featurizer;
        var ml = new MLContext(seed);
        var model = ml.Model.Load(fit.ModelPath, out var inputSchema);
        var hash = ModelSchema.Hash(inputSchema, featurizer.Slots);
        if (!string.Equals(hash, fit.SchemaHash, StringComparison.Ordinal))
        {
            throw new ModelSchemaMismatchException(
                $"Model fit {fit.Id} ({fit.Concern}/{fit.Instrument}, {fit.ModelPath}) was saved with input schema " +
                $"{Short(fit.SchemaHash)}, but the current features give {Short(hash)} ({featurizer.Slots.Count} slots): " +
                "the feature layout changed since it was fitted. Refit the model; it will not be used.");
        }
        return new LoadedOutcomeModel(fit, featurizer, model, ml);
    }

    private static string Short(string? hash) => hash is null ? "(none)" : hash[..Math.Min(12, hash.Length)];

    internal static string Save(OutcomeModelCell cell, string modelDir, DateTimeOffset fittedAt)
    {
        Directory.CreateDirectory(modelDir);
        var name = $"{cell.Concern}__{cell.Instrument}__{fittedAt:yyyyMMdd'T'HHmmss}_{Guid.NewGuid().ToString("N")[..8]}.zip";
        var path = Path.Combine(modelDir, name);
        var ml = new MLContext(0);
        var schema = ModelData.Load(ml, [], [], cell.Featurizer.Slots.Count).Schema;
        ml.Model.Save(cell.Model, schema, path);
        return path;
    }
}
