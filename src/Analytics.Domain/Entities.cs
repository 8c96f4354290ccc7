namespace Analytics.Domain;

// Stored entities. Mapping (keys, indexes, column types) lives in Analytics.Data so that
// this project stays free of EF Core. Ids are the source systems' text ids; the contract
// makes them unique across the data set. Patient ids are keyed hashes, never raw refs.

public sealed class Clinic
{
    public required string Id { get; set; }
    public string? Name { get; set; }
}

public sealed class Practitioner
{
    public required string Id { get; set; }
    /// <summary>Clinic of the practitioner's first imported session.</summary>
    public string? ClinicId { get; set; }
}

/// <summary>A patient known only by the keyed hash (HMAC-SHA256) of the source's patient_ref.</summary>
public sealed class Patient
{
    public required string Id { get; set; }
    public int? BirthYear { get; set; }
    public string? Sex { get; set; }
    public int? FitzpatrickType { get; set; }
}

/// <summary>
/// A treatment course. Derived from its sessions (concern and clinic of its first session,
/// first non-empty demographics, protocol of all adjuncts) and refreshed by every import.
/// </summary>
public sealed class Course
{
    public required string Id { get; set; }
    public required string PatientId { get; set; }
    public required string ClinicId { get; set; }
    public required string Concern { get; set; }
    /// <summary>Practitioner of most of its sessions (ties: the earlier session's).</summary>
    public string? PractitionerId { get; set; }
    public DateOnly FirstSessionDate { get; set; }
    public DateOnly LastSessionDate { get; set; }
    public int SessionCount { get; set; }
    public required string Protocol { get; set; }
    public int? BirthYear { get; set; }
    public string? Sex { get; set; }
    public int? FitzpatrickType { get; set; }
}

public sealed class Session
{
    public required string Id { get; set; }
    public required string ClinicId { get; set; }
    public required string PractitionerId { get; set; }
    public required string PatientId { get; set; }
    public required string CourseId { get; set; }
    public required string Concern { get; set; }
    public DateOnly SessionDate { get; set; }
    /// <summary>yyyymm of <see cref="SessionDate"/>, for grouping on every provider.</summary>
    public int Month { get; set; }
    public int? PatientBirthYear { get; set; }
    public string? PatientSex { get; set; }
    public int? FitzpatrickType { get; set; }
    public string? Area { get; set; }
    public string? Device { get; set; }
    public double? NeedleDepthMm { get; set; }
    public int? Passes { get; set; }
    public double? DowntimeDays { get; set; }
    public decimal? Price { get; set; }
    public string? Currency { get; set; }
    /// <summary>True when the session has at least one adverse event (kept for fast rates).</summary>
    public bool HasAdverseEvent { get; set; }
    /// <summary>Hash of the row's contract content: equal hash = unchanged on re-import.</summary>
    public required string ContentHash { get; set; }
    public int ImportBatchId { get; set; }
    public List<SessionAdjunct> Adjuncts { get; set; } = [];
    public List<SessionAdverseEvent> AdverseEvents { get; set; } = [];
}

public sealed class SessionAdjunct
{
    public required string SessionId { get; set; }
    public required string Adjunct { get; set; }
}

public sealed class SessionAdverseEvent
{
    public required string SessionId { get; set; }
    public required string Event { get; set; }
}

public sealed class Assessment
{
    public required string Id { get; set; }
    public required string PatientId { get; set; }
    /// <summary>May name a course not yet imported: kept and used once the course arrives.</summary>
    public required string CourseId { get; set; }
    public required string Instrument { get; set; }
    public DateOnly AssessedOn { get; set; }
    public int Month { get; set; }
    public required string Timepoint { get; set; }
    public double Score { get; set; }
    public string? AssessorId { get; set; }
    public required string ContentHash { get; set; }
    public int ImportBatchId { get; set; }
}

public sealed class SatisfactionResponse
{
    public required string Id { get; set; }
    public required string PatientId { get; set; }
    public string? CourseId { get; set; }
    public string? SessionId { get; set; }
    public DateOnly RespondedOn { get; set; }
    public int Month { get; set; }
    public required string Instrument { get; set; }
    public double Score { get; set; }
    public required string ContentHash { get; set; }
    public int ImportBatchId { get; set; }
}

/// <summary>The outcome instrument catalog as data, seeded from <see cref="InstrumentCatalog"/>.</summary>
public sealed class InstrumentDefinition
{
    public required string Code { get; set; }
    public required string Name { get; set; }
    public InstrumentKind Kind { get; set; }
    public double Min { get; set; }
    public double Max { get; set; }
    public bool HigherIsBetter { get; set; }
    public ResponderRule ResponderRule { get; set; }
    public double ResponderThreshold { get; set; }
    public bool ThresholdIsDefault { get; set; }
    public required string Basis { get; set; }
    public List<InstrumentConcern> Concerns { get; set; } = [];
}

public sealed class InstrumentConcern
{
    public required string InstrumentCode { get; set; }
    public required string Concern { get; set; }
}

public enum ImportStatus
{
    Running,
    Succeeded,
    /// <summary>The file was rejected whole (e.g. a missing required column); nothing applied.</summary>
    Rejected,
    Failed,
}

/// <summary>One import of one or more files, with its summary counts.</summary>
public sealed class ImportBatch
{
    public int Id { get; set; }
    public required string Source { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public DateOnly AsOf { get; set; }
    public ImportStatus Status { get; set; }
    public int RowsRead { get; set; }
    public int RowsApplied { get; set; }
    public int RowsUnchanged { get; set; }
    public int RowsUpdated { get; set; }
    public int RowsRejected { get; set; }
    /// <summary>Free-text notes: extra columns ignored, file-level errors.</summary>
    public string? Notes { get; set; }
}

/// <summary>A rejected input row, kept with where it was and why. The patient ref in RawRow is masked.</summary>
public sealed class RejectedRow
{
    public long Id { get; set; }
    public int ImportBatchId { get; set; }
    public required string File { get; set; }
    /// <summary>1-based physical line of the row in its file (the header is line 1).</summary>
    public int Line { get; set; }
    public string? Column { get; set; }
    public string? RecordId { get; set; }
    /// <summary>Short machine code of the rule, e.g. <c>required</c>, <c>unknown_code</c>.</summary>
    public required string ReasonCode { get; set; }
    public required string Reason { get; set; }
    public string? RawRow { get; set; }
    /// <summary>yyyymm of the row's own date where it parsed, for per-month data-quality sheets.</summary>
    public int? Month { get; set; }
    public string? ClinicId { get; set; }
}

/// <summary>A stored row updated by a later import with changed content.</summary>
public sealed class ChangeLogEntry
{
    public long Id { get; set; }
    public int ImportBatchId { get; set; }
    public required string Table { get; set; }
    public required string RecordId { get; set; }
    public required string Description { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
}

public enum PipelineStatus
{
    Running,
    Succeeded,
    Failed,
}

public sealed class PipelineRun
{
    public int Id { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public PipelineStatus Status { get; set; }
    public int? Month { get; set; }
    public string? Trigger { get; set; }
    public string? Produced { get; set; }
    public string? Error { get; set; }
}

/// <summary>A workbook or export written by a job, listed by the report library.</summary>
public sealed class ReportArtifact
{
    public int Id { get; set; }
    public required string Kind { get; set; }
    public int? Month { get; set; }
    public string? ClinicId { get; set; }
    /// <summary>Path relative to the report folder.</summary>
    public required string RelativePath { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public long SizeBytes { get; set; }
    public string? Sha256 { get; set; }
    public int? PipelineRunId { get; set; }
}

/// <summary>A fitted model in the registry.</summary>
public sealed class ModelFit
{
    public int Id { get; set; }
    public DateTimeOffset FittedAt { get; set; }
    /// <summary>Concern, or <c>ALL</c> for the global model.</summary>
    public required string Concern { get; set; }
    public required string Instrument { get; set; }
    public required string Trainer { get; set; }
    public string? HyperParameters { get; set; }
    public int DataFromMonth { get; set; }
    public int DataToMonth { get; set; }
    public int Rows { get; set; }
    public int Folds { get; set; }
    public double R2 { get; set; }
    public double Rmse { get; set; }
    public double Mae { get; set; }
    public double BaselineRmse { get; set; }
    public bool BeatsBaseline { get; set; }
    public bool Promoted { get; set; }
    public string? Note { get; set; }
    /// <summary>JSON: every candidate's metrics, feature importances.</summary>
    public string? DetailsJson { get; set; }
    public required string ModelPath { get; set; }
    public string? SchemaHash { get; set; }
}

/// <summary>A lease that lets only one worker do a piece of work (e.g. one month's workbooks).</summary>
public sealed class WorkLease
{
    public required string Key { get; set; }
    public required string Owner { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
}
