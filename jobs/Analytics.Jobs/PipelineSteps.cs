namespace Analytics.Jobs;

// The work each Hangfire job does, behind small interfaces: the job classes (scheduling,
// leases, progress, pipeline_runs) stay independent of how the step is done, and the
// steps are plain services that the CLI can also call directly.

/// <summary>Progress of a step: a message and a fraction 0..1 when known.</summary>
public interface IStepProgress
{
    void Report(string message, double? fraction = null);
}

/// <summary>What a step produced, recorded on the pipeline run.</summary>
public sealed record StepResult(string Summary, IReadOnlyList<string> Files)
{
    public static StepResult Of(string summary) => new(summary, []);

    /// <summary>Optional: the clinic id of each file in <see cref="Files"/> (network-wide files are absent).</summary>
    public IReadOnlyDictionary<string, string> ClinicOf { get; init; } = new Dictionary<string, string>();
}

/// <summary>Pull: import new files from the drop folder.</summary>
public interface IPullStep
{
    Task<StepResult> PullAsync(IStepProgress progress, CancellationToken ct);
}

/// <summary>Compute the outcome tables (all months) and cache them as exports.</summary>
public interface IComputeStep
{
    Task<StepResult> ComputeAsync(IStepProgress progress, CancellationToken ct);
}

/// <summary>Refit the ML.NET models and update the registry.</summary>
public interface IRefitStep
{
    Task<StepResult> RefitAsync(IStepProgress progress, CancellationToken ct);
}

/// <summary>Build the monthly workbooks (every clinic and the network) and the protocol workbook.</summary>
public interface IReportStep
{
    Task<StepResult> MonthlyWorkbooksAsync(int month, IStepProgress progress, CancellationToken ct);

    Task<StepResult> ProtocolWorkbookAsync(IStepProgress progress, CancellationToken ct);
}

/// <summary>Report files' clinics, for the report library: a file's clinic id, or absent for network-wide files.</summary>
public static class StepResultExtensions
{
    public static StepResult WithClinics(this StepResult result, IReadOnlyDictionary<string, string> clinicOfFile) =>
        result with { ClinicOf = clinicOfFile };
}
