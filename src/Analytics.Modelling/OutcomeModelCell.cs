using Analytics.Domain;
using Microsoft.ML;

namespace Analytics.Modelling;

/// <summary>Cross-validated metrics of one candidate trainer (or of the predict-the-mean baseline).</summary>
public sealed record CandidateScores(string Trainer, double R2, double Rmse, double Mae, string? HyperParameters);

/// <summary>A trainer that was not run, and why (e.g. GAM above its row limit).</summary>
public sealed record SkippedTrainer(string Trainer, string Reason);

/// <summary>
/// The fit of one model: a (concern, instrument) cell, or the pooled model of the small cells
/// (<see cref="Codes.All"/>/<see cref="Codes.All"/>). Holds the chosen model, its out-of-fold
/// predictions (for observed/expected) and its permutation importances.
/// </summary>
public sealed class OutcomeModelCell
{
    internal OutcomeModelCell(
        string concern, string instrument, IReadOnlyList<CourseOutcome> courses, CourseFeaturizer featurizer,
        IReadOnlyList<CandidateScores> candidates, CandidateScores baseline, IReadOnlyList<SkippedTrainer> skipped,
        string chosenTrainer, bool beatsBaseline, double[] outOfFold, ITransformer model, string schemaHash,
        IReadOnlyList<FeatureImportanceRow> importances, IReadOnlyDictionary<string, int> missingCounts, int folds,
        int comparedCourses, CandidateScores chosenOnAllCourses, CandidateScores baselineOnAllCourses)
    {
        ComparedCourses = comparedCourses;
        ChosenOnAllCourses = chosenOnAllCourses;
        BaselineOnAllCourses = baselineOnAllCourses;
        Concern = concern;
        Instrument = instrument;
        Courses = courses;
        Featurizer = featurizer;
        Candidates = candidates;
        Baseline = baseline;
        Skipped = skipped;
        ChosenTrainer = chosenTrainer;
        BeatsBaseline = beatsBaseline;
        OutOfFoldPredictions = outOfFold;
        Model = model;
        SchemaHash = schemaHash;
        Importances = importances;
        MissingCounts = missingCounts;
        Folds = folds;
    }

    public string Concern { get; }
    public string Instrument { get; }
    public bool Pooled => Concern == Codes.All;
    public IReadOnlyList<CourseOutcome> Courses { get; }
    public CourseFeaturizer Featurizer { get; }
    public IReadOnlyList<CandidateScores> Candidates { get; }
    public CandidateScores Baseline { get; }
    public IReadOnlyList<SkippedTrainer> Skipped { get; }
    public string ChosenTrainer { get; }
    public CandidateScores Chosen => Candidates.Single(c => c.Trainer == ChosenTrainer);
    /// <summary>Whether the chosen trainer's CV RMSE on all courses beats the baseline's by the configured margin.</summary>
    public bool BeatsBaseline { get; }
    /// <summary>Out-of-fold predictions of the chosen trainer, in the order of <see cref="Courses"/>.</summary>
    public IReadOnlyList<double> OutOfFoldPredictions { get; }
    /// <summary>The chosen trainer refitted on every course of the cell.</summary>
    public ITransformer Model { get; }
    public string SchemaHash { get; }
    /// <summary>Permutation importances of <see cref="Model"/>; empty when it does not beat the baseline.</summary>
    public IReadOnlyList<FeatureImportanceRow> Importances { get; }
    /// <summary>Courses whose value of each nullable feature was missing (filled, with its indicator set).</summary>
    public IReadOnlyDictionary<string, int> MissingCounts { get; }
    public int Folds { get; }

    /// <summary>
    /// Courses the candidates and the baseline were compared on: all of <see cref="Courses"/>, or a
    /// seeded patient-grouped subsample of <see cref="ModellingOptions.SelectionMaxRows"/> in a larger cell.
    /// </summary>
    public int ComparedCourses { get; }
    public bool Subsampled => ComparedCourses < Courses.Count;
    /// <summary>CV metrics of the chosen trainer on all courses (its out-of-fold predictions); equals <see cref="Chosen"/> when not subsampled.</summary>
    public CandidateScores ChosenOnAllCourses { get; }
    /// <summary>CV metrics of the baseline on all courses, with the same folds as <see cref="ChosenOnAllCourses"/>.</summary>
    public CandidateScores BaselineOnAllCourses { get; }

    /// <summary>Predictions of the final model for some courses (in-sample for its own training courses).</summary>
    public double[] Predict(IReadOnlyList<CourseOutcome> courses) =>
        ModelData.Predict(new MLContext(0), Model, [.. courses.Select(Featurizer.Featurize)], Featurizer.Slots.Count);
}
