namespace Analytics.Benchmarks;

/// <summary>
/// A benchmark size. The generator writes <see cref="Months"/> + 1 months: the first
/// <see cref="Months"/> are "the three files" every step works on; the extra last month is the
/// drop the monthly pipeline pulls into the already-loaded database.
/// </summary>
public sealed record BenchScale(string Name, int Clinics, int Months, string Description)
{
    public const ulong Seed = 42;
    /// <summary>Last month of the loaded data (yyyymm); the pulled month is the one after.</summary>
    // 2026-09: the pulled month (2026-10) then lies wholly before the day the benchmark runs, so the pipeline's
    // import (as of today) accepts every row of it.
    public const int LoadedEndMonth = 202609;

    public static readonly BenchScale Clinic = new("clinic", 1, 24, "1 clinic × 24 months");
    public static readonly BenchScale Region = new("region", 10, 36, "10 clinics × 36 months");
    public static readonly BenchScale Network = new("network", 50, 36, "50 clinics × 36 months");

    public static readonly IReadOnlyList<BenchScale> All = [Clinic, Region, Network];

    public static BenchScale Parse(string name) =>
        All.FirstOrDefault(s => s.Name == name) ?? throw new ArgumentException($"Unknown scale '{name}' (clinic, region, network, all).");

    /// <summary>First day of the pulled month: the as-of day of the initial load.</summary>
    public static DateOnly LoadAsOf => new DateOnly(LoadedEndMonth / 100, LoadedEndMonth % 100, 1).AddMonths(1);

    /// <summary>The month the pipeline pulls (yyyymm).</summary>
    public static int PulledMonth => LoadAsOf.Year * 100 + LoadAsOf.Month;

    /// <summary>Day after the pulled month: the as-of day of the pipeline run.</summary>
    public static DateOnly PullAsOf => LoadAsOf.AddMonths(1);
}
