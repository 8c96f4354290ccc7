namespace Analytics.Modelling;

/// <summary>The regression trainers that compete in cross-validation.</summary>
[Flags]
public enum OutcomeTrainers
{
    None = 0,
    /// <summary>Linear SDCA on min-max-normalised features.</summary>
    Sdca = 1,
    FastTree = 2,
    LightGbm = 4,
    /// <summary>Generalised additive model; only on cells up to <see cref="ModellingOptions.GamRowLimit"/> rows.</summary>
    Gam = 8,
    All = Sdca | FastTree | LightGbm | Gam,
}

/// <summary>
/// Settings of an outcome-model fit. The defaults keep a 300,000-course chain within about a minute on 2 cores:
/// large cells compare their candidates on a subsample (<see cref="SelectionMaxRows"/>), only the chosen
/// trainer is cross-validated on all courses, and the boosted trees are kept short (<see cref="Trees"/>).
/// </summary>
public sealed record ModellingOptions
{
    /// <summary>k of the k-fold cross-validation.</summary>
    public int Folds { get; init; } = 5;

    /// <summary>Seeds fold assignment, every MLContext, permutations and subsamples: same data + seed → same models.</summary>
    public int Seed { get; init; } = 20240101;

    /// <summary>A (concern, instrument) cell with at least this many evaluable courses gets its own model; smaller cells share the pooled model.</summary>
    public int MinCoursesPerModel { get; init; } = 200;

    /// <summary>A clinic or practitioner needs this many modelled courses before its observed/expected statistics are shown.</summary>
    public int MinVolumeForObservedExpected { get; init; } = 20;

    /// <summary>A protocol needs this many training courses in a cell before the what-if table predicts it.</summary>
    public int MinCoursesPerProtocolForWhatIf { get; init; } = 30;

    public OutcomeTrainers Trainers { get; init; } = OutcomeTrainers.All;

    /// <summary>GAM is skipped (and the skip recorded) on cells with more rows than this: it is slow.</summary>
    public int GamRowLimit { get; init; } = 10_000;

    /// <summary>
    /// Cells with more courses than this compare their candidates (and the baseline) in k-fold CV on
    /// a seeded subsample of whole patients of about this size; the chosen trainer alone is then
    /// cross-validated on all courses, which gives the out-of-fold predictions for observed/expected,
    /// its CV metrics on all courses (stored in the registry, used for promotion and the baseline test)
    /// and is refitted on all courses. At 15,000 rows the RMSE ranking of the candidates is stable
    /// while a 240,000-course network fits in well under a minute on 2 cores.
    /// </summary>
    public int SelectionMaxRows { get; init; } = 15_000;

    public int GamIterations { get; init; } = 200;

    /// <summary>Passes of SDCA over the data (with a cache checkpoint, 25 passes reach the RMSE of ML.NET's automatic choice at a fraction of its cost).</summary>
    public int SdcaIterations { get; init; } = 25;

    /// <summary>
    /// Trees (FastTree) and boosting rounds (LightGbm). Their cost is mostly per tree, whatever the
    /// rows; 60 trees at learning rate 0.15 matched the CV RMSE of 100 at 0.1 within 0.01 points on
    /// 240,000 synthetic courses and took about 11 % less CPU in the whole fit.
    /// </summary>
    public int Trees { get; init; } = 60;

    public int Leaves { get; init; } = 16;

    public int MinExamplesPerLeaf { get; init; } = 20;

    public double LearningRate { get; init; } = 0.15;

    /// <summary>Permutations per feature in the permutation feature importance.</summary>
    public int PermutationCount { get; init; } = 5;

    /// <summary>Rows (a seeded subsample of the training data) used for permutation feature importance.</summary>
    public int PermutationMaxRows { get; init; } = 5_000;

    /// <summary>The chosen model must cut the baseline's CV RMSE by at least this fraction to count as beating it.</summary>
    public double MinRmseGainOverBaseline { get; init; } = 0.01;

    /// <summary>A refit whose CV RMSE is worse than the promoted fit's by more than this fraction is stored but not promoted.</summary>
    public double PromotionRmseTolerance { get; init; } = 0.05;

    /// <summary>Training jobs (trainer × fold) run at once; every job is single-threaded with its own seeded MLContext, so results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Time stamped on the fit records (default: now).</summary>
    public DateTimeOffset? FittedAt { get; init; }

    /// <summary>Profiles for the what-if table; when empty, a "typical" profile per modelled cell is used.</summary>
    public IReadOnlyList<WhatIfProfile> WhatIfProfiles { get; init; } = [];

    public void Validate()
    {
        if (Folds < 2) throw new ArgumentException("Folds must be at least 2.");
        if (MinCoursesPerModel < Folds * 2) throw new ArgumentException("MinCoursesPerModel must be at least twice the number of folds.");
        if (PermutationCount < 1) throw new ArgumentException("PermutationCount must be at least 1.");
        if ((Trainers & OutcomeTrainers.All) == OutcomeTrainers.None) throw new ArgumentException("Enable at least one trainer.");
        if (SelectionMaxRows < MinCoursesPerModel) throw new ArgumentException("SelectionMaxRows must be at least MinCoursesPerModel.");
        if (MaxDegreeOfParallelism < 1) throw new ArgumentException("MaxDegreeOfParallelism must be at least 1.");
    }
}

/// <summary>
/// A patient profile for the what-if table. Unstated values are filled with the cell's training
/// median (numbers) or most common value (categories), not treated as missing.
/// </summary>
public sealed record WhatIfProfile(
    string Name,
    string Concern,
    string Instrument,
    double Baseline,
    int? FitzpatrickType,
    int? Age,
    int Sessions,
    string? Sex = null,
    double? MeanIntervalDays = null,
    double? NeedleDepthMm = null,
    string? Device = null,
    string? Area = null);
