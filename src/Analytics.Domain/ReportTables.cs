namespace Analytics.Domain;

// The report tables of data contract v1 ("Exports"). One record type per table; the
// property order is the CSV column order. A null statistic is written empty; Month is
// yyyymm and is written as YYYY-MM. Workbooks and CSV/JSON exports read these same rows,
// so a number in a workbook and in its export is the same value.

public sealed record OutcomeRow(
    int Month,
    string ClinicId,
    string Concern,
    string Protocol,
    string Instrument,
    int Courses,
    int EvaluableCourses,
    int Patients,
    double? MeanImprovementPct,
    double? ImprovementCiLow,
    double? ImprovementCiHigh,
    int Responders,
    double? ResponderRate,
    double? ResponderCiLow,
    double? ResponderCiHigh,
    bool Suppressed);

public sealed record SatisfactionRow(
    int Month,
    string ClinicId,
    string Instrument,
    int Responses,
    int Patients,
    double? MeanScore,
    double? CiLow,
    double? CiHigh,
    int? Promoters,
    int? Passives,
    int? Detractors,
    double? Nps,
    bool Suppressed);

public sealed record SafetyRow(
    int Month,
    string ClinicId,
    string Concern,
    int Sessions,
    int Patients,
    int SessionsWithAdverseEvent,
    double? AdverseEventRate,
    double? CiLow,
    double? CiHigh,
    double? MeanDowntimeDays,
    bool Suppressed);

public sealed record ActivityRow(
    int Month,
    string ClinicId,
    int Sessions,
    int Patients,
    int NewPatients,
    int ReturningPatients,
    int CoursesStarted);

public sealed record RevenueRow(
    int Month,
    string ClinicId,
    string Currency,
    int PricedSessions,
    decimal Revenue);

public sealed record ProtocolComparisonRow(
    string Concern,
    string Instrument,
    string Protocol,
    string ReferenceProtocol,
    int N,
    int NReference,
    double? MeanImprovementPct,
    double? ReferenceMeanImprovementPct,
    double? Difference,
    double? DifferenceCiLow,
    double? DifferenceCiHigh,
    double? PValue,
    double? PHolm,
    double? AdjustedDifference,
    double? AdjustedSe,
    double? AdjustedCiLow,
    double? AdjustedCiHigh,
    double? AdjustedPValue,
    bool Suppressed);

/// <summary>Data-quality counts per month and clinic (not a contract export; feeds the workbooks).</summary>
public sealed record DataQualityRow(
    int Month,
    string ClinicId,
    int CoursesWithoutBaseline,
    int CoursesWithoutFollowUp,
    int FollowUpsTreatedAsInterim,
    int AnswersWithoutClinic,
    int AssessmentsAwaitingCourse,
    int RejectedRows);

/// <summary>All six contract tables plus the data-quality notes, for one computation.</summary>
public sealed record ReportTables(
    IReadOnlyList<OutcomeRow> Outcomes,
    IReadOnlyList<SatisfactionRow> Satisfaction,
    IReadOnlyList<SafetyRow> Safety,
    IReadOnlyList<ActivityRow> Activity,
    IReadOnlyList<RevenueRow> Revenue,
    IReadOnlyList<ProtocolComparisonRow> ProtocolComparison,
    IReadOnlyList<DataQualityRow> DataQuality,
    TableSettings Settings);

/// <summary>What the tables were computed with, for the Definitions sheet.</summary>
public sealed record TableSettings(
    int MinCellSize,
    int? FromMonth,
    int? ToMonth,
    DateOnly? DataFrom,
    DateOnly? DataTo,
    IReadOnlyList<Instrument> Instruments);

/// <summary>One course's outcome on one instrument (the input of tables and models).</summary>
public sealed record CourseOutcome(
    string CourseId,
    string PatientId,
    string ClinicId,
    string? PractitionerId,
    string Concern,
    string Protocol,
    string Instrument,
    InstrumentKind Kind,
    int Sessions,
    DateOnly FirstSessionDate,
    DateOnly LastSessionDate,
    int? Age,
    string? Sex,
    int? FitzpatrickType,
    double? Baseline,
    DateOnly? BaselineDate,
    double? FollowUp,
    DateOnly? FollowUpDate,
    bool Evaluable,
    double? ImprovementPct,
    double? Change,
    bool? Responder,
    double? MeanIntervalDays = null,
    double? NeedleDepthMm = null,
    string? Device = null,
    string? Area = null)
{
    /// <summary>The adjuncts of <see cref="Protocol"/> (empty for micro-needling alone).</summary>
    public IEnumerable<string> Adjuncts => Protocol.Split('+').Skip(1);

    /// <summary>Month (yyyymm) the outcome belongs to: that of its follow-up.</summary>
    public int? Month => FollowUpDate is { } d ? Codes.MonthKey(d) : null;
}
