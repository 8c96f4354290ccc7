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
        new ImportStep(),
        new ImportFloorStep(),
        new TablesStep(),
        new TablesFloorStep(),
        new ModelsStep(),
        new WorkbooksStep(),
        new WorkbookFloorStep(),
        new PipelineStep(),
    ];

    public static IBenchStep Find(string name) =>
        All.FirstOrDefault(s => s.Name == name) ?? throw new ArgumentException($"Unknown step '{name}': {string.Join(", ", All.Select(s => s.Name))}.");
}
