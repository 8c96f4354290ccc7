using System.Text.Json;
using Analytics.Benchmarks.Steps;

namespace Analytics.Benchmarks;

/// <summary>Everything one scale's run measured.</summary>
public sealed class ScaleResult
{
    public required string Scale { get; init; }
    public required string Description { get; init; }
    public required string RunAt { get; init; }
    public string? Commit { get; init; }
    public DataManifest? Data { get; init; }
    public List<StepReport> Steps { get; init; } = [];
    public List<ComparisonRow> Comparisons { get; set; } = [];

    public StepReport? Step(string name) => Steps.FirstOrDefault(s => s.Step == name);
}

/// <summary>One line of the results table: a product step beside its floor, against its target.</summary>
public sealed record ComparisonRow(
    string Step,
    string What,
    double? Seconds,
    long? Rows,
    string RowsLabel,
    double? RowsPerSecond,
    string? Floor,
    double? FloorSeconds,
    double? FloorRowsPerSecond,
    double? FloorPeakMb,
    /// <summary>Product over floor: rows/s share for the import, time multiple for the others.</summary>
    string? Ratio,
    double? PeakMb,
    string Target,
    string Verdict,
    bool? Met,
    string? Error,
    /// <summary>User + system CPU seconds of the step's whole child process (start-up included).</summary>
    double? CpuSeconds = null);

/// <summary>The results file: the machine and the latest run of each scale.</summary>
public sealed class BenchResults
{
    public required MachineInfo Machine { get; set; }
    public List<ScaleResult> Scales { get; init; } = [];
    public List<GrowthRow> Growth { get; set; } = [];
    /// <summary>The latest <c>--memory-growth</c> run; kept when a <c>--scale</c> run rewrites the file.</summary>
    public ImportGrowthSeries? ImportMemoryGrowth { get; set; }

    public static BenchResults Load(string file, MachineInfo machine)
    {
        if (File.Exists(file))
        {
            try
            {
                var existing = JsonSerializer.Deserialize<BenchResults>(File.ReadAllText(file), StepReport.Json);
                if (existing is not null)
                {
                    existing.Machine = machine;
                    return existing;
                }
            }
            catch (JsonException)
            {
                // An older layout: start over.
            }
        }
        return new BenchResults { Machine = machine };
    }

    /// <summary>Replaces the scale's earlier run; keeps the scales in clinic, region, network order.</summary>
    public void Put(ScaleResult result)
    {
        Scales.RemoveAll(s => s.Scale == result.Scale);
        Scales.Add(result);
        var order = BenchScale.All.Select(s => s.Name).ToList();
        Scales.Sort((a, b) => order.IndexOf(a.Scale).CompareTo(order.IndexOf(b.Scale)));
    }
}

/// <summary>How one step's time grows from one scale to the next.</summary>
public sealed record GrowthRow(string Step, IReadOnlyList<GrowthPoint> Points, string Verdict);

/// <summary>A step's time at one scale; <see cref="Exponent"/> is log(t/t₀)/log(n/n₀) against the previous scale.</summary>
public sealed record GrowthPoint(string Scale, long Sessions, double? Seconds, double? Exponent);
