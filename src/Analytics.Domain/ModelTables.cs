namespace Analytics.Domain;

// Rows of the model exports (models.csv, feature_importance.csv, observed_expected.csv)
// and of the what-if table. Written by Analytics.Modelling, read by the report writers.

/// <summary>One candidate trainer (or the predict-the-mean baseline) of one model fit.</summary>
public sealed record ModelMetricsRow(
    string Concern,
    string Instrument,
    string Trainer,
    int Folds,
    int N,
    double R2,
    double Rmse,
    double Mae,
    double BaselineRmse,
    bool Promoted);

public sealed record FeatureImportanceRow(
    string Concern,
    string Instrument,
    string Trainer,
    string Feature,
    /// <summary>Mean drop in R² when the feature is permuted.</summary>
    double DeltaR2,
    /// <summary>Standard deviation of that drop over the permutations.</summary>
    double DeltaR2Sd,
    int Rank);

/// <summary>Observed versus expected per clinic or practitioner (Level = clinic | practitioner).</summary>
public sealed record ObservedExpectedRow(
    string Concern,
    string Instrument,
    string Level,
    string Id,
    string? ClinicId,
    int Courses,
    double? ObservedMean,
    double? ExpectedMean,
    double? ObservedMinusExpected,
    double? OeCiLow,
    double? OeCiHigh,
    double? OeRatio,
    bool Shown);

/// <summary>Expected improvement % for one patient profile under one protocol.</summary>
public sealed record WhatIfRow(
    string Concern,
    string Instrument,
    string Profile,
    string Protocol,
    double Baseline,
    int? FitzpatrickType,
    int? Age,
    int Sessions,
    double ExpectedImprovementPct,
    int TrainingCourses);

public sealed record ModelReport(
    IReadOnlyList<ModelMetricsRow> Models,
    IReadOnlyList<FeatureImportanceRow> FeatureImportances,
    IReadOnlyList<ObservedExpectedRow> ObservedExpected,
    IReadOnlyList<WhatIfRow> WhatIf);
