using Analytics.Domain;
using static Analytics.Reports.Exports.ColumnKind;

namespace Analytics.Reports.Exports;

/// <summary>
/// The column definitions of every export (data contract v1, "Exports", plus the model exports).
/// Order is the contract's column order; <c>IsKey</c> columns are the sort keys, in order.
/// Workbooks read values through these same definitions, so a workbook cell and its export
/// cell come from one accessor.
/// </summary>
public static class ExportTables
{
    private static ExportColumn<T> Key<T>(string name, ColumnKind kind, Func<T, object?> read) => new(name, kind, read, IsKey: true);

    private static ExportColumn<T> Col<T>(string name, ColumnKind kind, Func<T, object?> read) => new(name, kind, read);

    public static readonly ExportTable<OutcomeRow> Outcomes = new("outcomes",
    [
        Key<OutcomeRow>("month", Month, r => r.Month),
        Key<OutcomeRow>("clinic_id", Text, r => r.ClinicId),
        Key<OutcomeRow>("concern", Text, r => r.Concern),
        Key<OutcomeRow>("protocol", Text, r => r.Protocol),
        Key<OutcomeRow>("instrument", Text, r => r.Instrument),
        Col<OutcomeRow>("courses", Integer, r => r.Courses),
        Col<OutcomeRow>("evaluable_courses", Integer, r => r.EvaluableCourses),
        Col<OutcomeRow>("patients", Integer, r => r.Patients),
        Col<OutcomeRow>("mean_improvement_pct", Number, r => r.MeanImprovementPct),
        Col<OutcomeRow>("improvement_ci_low", Number, r => r.ImprovementCiLow),
        Col<OutcomeRow>("improvement_ci_high", Number, r => r.ImprovementCiHigh),
        Col<OutcomeRow>("responders", Integer, r => r.Responders),
        Col<OutcomeRow>("responder_rate", Number, r => r.ResponderRate),
        Col<OutcomeRow>("responder_ci_low", Number, r => r.ResponderCiLow),
        Col<OutcomeRow>("responder_ci_high", Number, r => r.ResponderCiHigh),
        Col<OutcomeRow>("suppressed", Flag, r => r.Suppressed),
    ]);

    public static readonly ExportTable<SatisfactionRow> Satisfaction = new("satisfaction",
    [
        Key<SatisfactionRow>("month", Month, r => r.Month),
        Key<SatisfactionRow>("clinic_id", Text, r => r.ClinicId),
        Key<SatisfactionRow>("instrument", Text, r => r.Instrument),
        Col<SatisfactionRow>("responses", Integer, r => r.Responses),
        Col<SatisfactionRow>("patients", Integer, r => r.Patients),
        Col<SatisfactionRow>("mean_score", Number, r => r.MeanScore),
        Col<SatisfactionRow>("ci_low", Number, r => r.CiLow),
        Col<SatisfactionRow>("ci_high", Number, r => r.CiHigh),
        Col<SatisfactionRow>("promoters", Integer, r => r.Promoters),
        Col<SatisfactionRow>("passives", Integer, r => r.Passives),
        Col<SatisfactionRow>("detractors", Integer, r => r.Detractors),
        Col<SatisfactionRow>("nps", Number, r => r.Nps),
        Col<SatisfactionRow>("suppressed", Flag, r => r.Suppressed),
    ]);

    public static readonly ExportTable<SafetyRow> Safety = new("safety",
    [
        Key<SafetyRow>("month", Month, r => r.Month),
        Key<SafetyRow>("clinic_id", Text, r => r.ClinicId),
        Key<SafetyRow>("concern", Text, r => r.Concern),
        Col<SafetyRow>("sessions", Integer, r => r.Sessions),
        Col<SafetyRow>("patients", Integer, r => r.Patients),
        Col<SafetyRow>("sessions_with_adverse_event", Integer, r => r.SessionsWithAdverseEvent),
        Col<SafetyRow>("adverse_event_rate", Number, r => r.AdverseEventRate),
        Col<SafetyRow>("ci_low", Number, r => r.CiLow),
        Col<SafetyRow>("ci_high", Number, r => r.CiHigh),
        Col<SafetyRow>("mean_downtime_days", Number, r => r.MeanDowntimeDays),
        Col<SafetyRow>("suppressed", Flag, r => r.Suppressed),
    ]);

    public static readonly ExportTable<ActivityRow> Activity = new("activity",
    [
        Key<ActivityRow>("month", Month, r => r.Month),
        Key<ActivityRow>("clinic_id", Text, r => r.ClinicId),
        Col<ActivityRow>("sessions", Integer, r => r.Sessions),
        Col<ActivityRow>("patients", Integer, r => r.Patients),
        Col<ActivityRow>("new_patients", Integer, r => r.NewPatients),
        Col<ActivityRow>("returning_patients", Integer, r => r.ReturningPatients),
        Col<ActivityRow>("courses_started", Integer, r => r.CoursesStarted),
    ]);

    public static readonly ExportTable<RevenueRow> Revenue = new("revenue",
    [
        Key<RevenueRow>("month", Month, r => r.Month),
        Key<RevenueRow>("clinic_id", Text, r => r.ClinicId),
        Key<RevenueRow>("currency", Text, r => r.Currency),
        Col<RevenueRow>("priced_sessions", Integer, r => r.PricedSessions),
        Col<RevenueRow>("revenue", Money, r => r.Revenue),
    ]);

    public static readonly ExportTable<ProtocolComparisonRow> ProtocolComparison = new("protocol_comparison",
    [
        Key<ProtocolComparisonRow>("concern", Text, r => r.Concern),
        Key<ProtocolComparisonRow>("instrument", Text, r => r.Instrument),
        Key<ProtocolComparisonRow>("protocol", Text, r => r.Protocol),
        Col<ProtocolComparisonRow>("reference_protocol", Text, r => r.ReferenceProtocol),
        Col<ProtocolComparisonRow>("n", Integer, r => r.N),
        Col<ProtocolComparisonRow>("n_reference", Integer, r => r.NReference),
        Col<ProtocolComparisonRow>("mean_improvement_pct", Number, r => r.MeanImprovementPct),
        Col<ProtocolComparisonRow>("reference_mean_improvement_pct", Number, r => r.ReferenceMeanImprovementPct),
        Col<ProtocolComparisonRow>("difference", Number, r => r.Difference),
        Col<ProtocolComparisonRow>("difference_ci_low", Number, r => r.DifferenceCiLow),
        Col<ProtocolComparisonRow>("difference_ci_high", Number, r => r.DifferenceCiHigh),
        Col<ProtocolComparisonRow>("p_value", Number, r => r.PValue),
        Col<ProtocolComparisonRow>("p_holm", Number, r => r.PHolm),
        Col<ProtocolComparisonRow>("adjusted_difference", Number, r => r.AdjustedDifference),
        Col<ProtocolComparisonRow>("adjusted_se", Number, r => r.AdjustedSe),
        Col<ProtocolComparisonRow>("adjusted_ci_low", Number, r => r.AdjustedCiLow),
        Col<ProtocolComparisonRow>("adjusted_ci_high", Number, r => r.AdjustedCiHigh),
        Col<ProtocolComparisonRow>("adjusted_p_value", Number, r => r.AdjustedPValue),
        Col<ProtocolComparisonRow>("suppressed", Flag, r => r.Suppressed),
    ]);

    public static readonly ExportTable<ModelMetricsRow> Models = new("models",
    [
        Key<ModelMetricsRow>("concern", Text, r => r.Concern),
        Key<ModelMetricsRow>("instrument", Text, r => r.Instrument),
        Key<ModelMetricsRow>("trainer", Text, r => r.Trainer),
        Col<ModelMetricsRow>("folds", Integer, r => r.Folds),
        Col<ModelMetricsRow>("n", Integer, r => r.N),
        Col<ModelMetricsRow>("r2", Number, r => r.R2),
        Col<ModelMetricsRow>("rmse", Number, r => r.Rmse),
        Col<ModelMetricsRow>("mae", Number, r => r.Mae),
        Col<ModelMetricsRow>("baseline_rmse", Number, r => r.BaselineRmse),
        Col<ModelMetricsRow>("promoted", Flag, r => r.Promoted),
    ]);

    public static readonly ExportTable<FeatureImportanceRow> FeatureImportance = new("feature_importance",
    [
        Key<FeatureImportanceRow>("concern", Text, r => r.Concern),
        Key<FeatureImportanceRow>("instrument", Text, r => r.Instrument),
        Key<FeatureImportanceRow>("trainer", Text, r => r.Trainer),
        Col<FeatureImportanceRow>("feature", Text, r => r.Feature),
        Col<FeatureImportanceRow>("delta_r2", Number, r => r.DeltaR2),
        Col<FeatureImportanceRow>("delta_r2_sd", Number, r => r.DeltaR2Sd),
        Key<FeatureImportanceRow>("rank", Integer, r => r.Rank),
    ]);

    public static readonly ExportTable<ObservedExpectedRow> ObservedExpected = new("observed_expected",
    [
        Key<ObservedExpectedRow>("concern", Text, r => r.Concern),
        Key<ObservedExpectedRow>("instrument", Text, r => r.Instrument),
        Key<ObservedExpectedRow>("level", Text, r => r.Level),
        Key<ObservedExpectedRow>("id", Text, r => r.Id),
        Col<ObservedExpectedRow>("clinic_id", Text, r => r.ClinicId),
        Col<ObservedExpectedRow>("courses", Integer, r => r.Courses),
        Col<ObservedExpectedRow>("observed_mean", Number, r => r.ObservedMean),
        Col<ObservedExpectedRow>("expected_mean", Number, r => r.ExpectedMean),
        Col<ObservedExpectedRow>("observed_minus_expected", Number, r => r.ObservedMinusExpected),
        Col<ObservedExpectedRow>("oe_ci_low", Number, r => r.OeCiLow),
        Col<ObservedExpectedRow>("oe_ci_high", Number, r => r.OeCiHigh),
        Col<ObservedExpectedRow>("oe_ratio", Number, r => r.OeRatio),
        Col<ObservedExpectedRow>("shown", Flag, r => r.Shown),
    ]);

    public static readonly ExportTable<WhatIfRow> WhatIf = new("what_if",
    [
        Key<WhatIfRow>("concern", Text, r => r.Concern),
        Key<WhatIfRow>("instrument", Text, r => r.Instrument),
        Key<WhatIfRow>("profile", Text, r => r.Profile),
        Key<WhatIfRow>("protocol", Text, r => r.Protocol),
        Col<WhatIfRow>("baseline", Number, r => r.Baseline),
        Col<WhatIfRow>("fitzpatrick_type", Integer, r => r.FitzpatrickType),
        Col<WhatIfRow>("age", Integer, r => r.Age),
        Col<WhatIfRow>("sessions", Integer, r => r.Sessions),
        Col<WhatIfRow>("expected_improvement_pct", Number, r => r.ExpectedImprovementPct),
        Col<WhatIfRow>("training_courses", Integer, r => r.TrainingCourses),
    ]);
}
