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

    /// <summary>The memory-growth series' default sizes: the network's settings at ≈1/8 … 2× its clinics.</summary>
    public static readonly IReadOnlyList<int> GrowthClinics = [6, 12, 25, 50, 100, 200];

    private const string GrowthPrefix = "growth-";

    /// <summary>
    /// One size of the memory-growth series: the network's generator settings (36 months) with another clinic count.
    /// Not part of <see cref="All"/>; its name (growth-N) keys its own data folder, so each size's data is reused.
    /// </summary>
    public static BenchScale Growth(int clinics) =>
        clinics > 0
            ? new($"{GrowthPrefix}{clinics}", clinics, Network.Months, $"{clinics} clinic{(clinics == 1 ? "" : "s")} × {Network.Months} months")
            : throw new ArgumentOutOfRangeException(nameof(clinics), clinics, "A growth size needs at least one clinic.");

    /// <summary>A named scale, or a growth size (growth-N) as the child processes of the growth series are given.</summary>
    public static BenchScale Parse(string name)
    {
        if (All.FirstOrDefault(s => s.Name == name) is { } named) return named;
        if (name.StartsWith(GrowthPrefix, StringComparison.Ordinal)
            && int.TryParse(name.AsSpan(GrowthPrefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var clinics)
            && clinics > 0)
        {
            return Growth(clinics);
        }
        throw new ArgumentException($"Unknown scale '{name}' (clinic, region, network, all).");
    }

    /// <summary>First day of the pulled month: the as-of day of the initial load.</summary>
    public static DateOnly LoadAsOf => new DateOnly(LoadedEndMonth / 100, LoadedEndMonth % 100, 1).AddMonths(1);

    /// <summary>The month the pipeline pulls (yyyymm).</summary>
    public static int PulledMonth => LoadAsOf.Year * 100 + LoadAsOf.Month;

    /// <summary>Day after the pulled month: the as-of day of the pipeline run.</summary>
    public static DateOnly PullAsOf => LoadAsOf.AddMonths(1);
}
