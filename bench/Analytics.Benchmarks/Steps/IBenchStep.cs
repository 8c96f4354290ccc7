namespace Analytics.Benchmarks.Steps;

/// <summary>One measured step, run inside its own child process.</summary>
public interface IBenchStep
{
    /// <summary>The <c>--step</c> name.</summary>
    string Name { get; }

    Task RunAsync(BenchPaths paths, StepReport report, CancellationToken ct);
}

public static class StepCatalog
{
    public static readonly IReadOnlyList<IBenchStep> All =
    [
        new PrepareDataStep(),
#if HAS_INGEST
        new ImportStep(),
#endif
        new ImportFloorStep(),
#if HAS_OUTCOMES && HAS_REPORTS
        new TablesStep(),
#endif
#if HAS_OUTCOMES
        new TablesFloorStep(),
#endif
#if HAS_OUTCOMES && HAS_MODELLING
        new ModelsStep(),
#endif
#if HAS_OUTCOMES && HAS_REPORTS
        new WorkbooksStep(),
#endif
        new WorkbookFloorStep(),
        new PipelineStep(),
    ];

    public static bool Has(string name) => All.Any(s => s.Name == name);

    public static IBenchStep Find(string name) =>
        All.FirstOrDefault(s => s.Name == name) ?? throw new ArgumentException($"Unknown step '{name}': {string.Join(", ", All.Select(s => s.Name))}.");
}
