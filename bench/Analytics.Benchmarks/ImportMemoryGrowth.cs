using Analytics.Benchmarks.Steps;

namespace Analytics.Benchmarks;

/// <summary>
/// The import's peak memory as the files grow (issue #3: "Memory stays flat as files grow"): the network's generator
/// settings at several clinic counts, each size's <c>import</c> and <c>import-floor</c> in their own child processes
/// into fresh databases, which are deleted before the next size so disk use stays bounded.
/// </summary>
public static class ImportMemoryGrowth
{
    /// <summary>
    /// Peak growth (MB per million input rows, between the two largest sizes) up to which the import counts as flat.
    /// Before the first-load work the per-id and course maps grew the peak by ~340 MB per million rows (395 → 1,004 MB
    /// from 0.47 M to 2.25 M rows); 10 MB per million is under 5 % of a ~1 GB peak over a doubling of the files.
    /// </summary>
    public const double FlatMbPerMillionRows = 10;

    public static ImportGrowthSeries Run(ChildStepRunner runner, string benchRoot, IReadOnlyList<int> clinics, string? commit)
    {
        var points = new List<ImportGrowthPoint>();
        foreach (var n in clinics.Distinct().Order())
        {
            var scale = BenchScale.Growth(n);
            var paths = new BenchPaths(scale, benchRoot);
            Console.WriteLine($"memory growth, {scale.Description}");
            var prepare = runner.Run("prepare-data", scale, TimeSpan.FromMinutes(30));
            var data = DataManifest.TryRead(paths);
            StepReport? import = null, floor = null;
            if (data is not null)
            {
                import = runner.Run("import", scale, TimeSpan.FromMinutes(30));
                // The floor makes its own database; the import's is not needed by it.
                DeleteRunDatabases(paths);
                floor = runner.Run("import-floor", scale, TimeSpan.FromMinutes(30));
                DeleteRunDatabases(paths);
            }
            points.Add(new ImportGrowthPoint
            {
                Clinics = n,
                Scale = scale.Name,
                Data = data,
                Import = import,
                Floor = floor,
                Error = data is null ? $"no data: {prepare.Error ?? "prepare-data wrote no manifest"}" : null,
            });
        }
        return new ImportGrowthSeries
        {
            RunAt = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture),
            Commit = commit,
            Points = WithGrowth(points),
        };
    }

    /// <summary>Fills in each point's peak growth from the previous size with data, in MB per million input rows.</summary>
    public static List<ImportGrowthPoint> WithGrowth(IReadOnlyList<ImportGrowthPoint> points)
    {
        var result = new List<ImportGrowthPoint>();
        ImportGrowthPoint? previous = null;
        foreach (var p in points)
        {
            if (p.Data is null)
            {
                result.Add(p);
                continue;
            }
            var withGrowth = previous is null ? p : p with
            {
                ImportGrowthMbPerMillionRows = Slope(previous, p, x => x.Import),
                FloorGrowthMbPerMillionRows = Slope(previous, p, x => x.Floor),
                ImportSqliteGrowthMbPerMillionRows = Slope(previous, p, x => x.Import, s => s.SqliteHeapPeakMb),
                ImportPageCacheGrowthMbPerMillionRows = Slope(previous, p, x => x.Import, s => s.SqlitePageCachePeakMb),
            };
            result.Add(withGrowth);
            previous = p;
        }
        return result;
    }

    /// <summary>One line on the last pair of sizes: flat, or how fast the peak still grows.</summary>
    public static string Verdict(IReadOnlyList<ImportGrowthPoint> points)
    {
        var last = points.LastOrDefault(p => p.ImportGrowthMbPerMillionRows is not null);
        if (last is null) return "not measured (needs two sizes with an import peak)";
        var before = points.Last(p => p.Data is not null && p.InputRows < last.InputRows);
        var slope = last.ImportGrowthMbPerMillionRows!.Value;
        var span = $"from {before.Clinics} to {last.Clinics} clinics, {M(before.InputRows)} → {M(last.InputRows)} M rows";
        var parts = new List<string>
        {
            slope <= FlatMbPerMillionRows
                ? $"flat: the import's peak grew {slope:0.0} MB per million rows {span} (flat: ≤ {FlatMbPerMillionRows:0})"
                : $"not flat: the import's peak grew {slope:0.0} MB per million rows {span} (flat: ≤ {FlatMbPerMillionRows:0})",
        };
        if (last.ImportSqliteGrowthMbPerMillionRows is { } sq)
        {
            parts.Add($"SQLite's own heap in it {sq:0.0} MB per million rows" +
                (last.ImportPageCacheGrowthMbPerMillionRows is { } pcs && last.Import?.SqlitePageCachePeakMb is { } pc
                    ? $" (its page cache {pcs:0.0}, at {pc:0} MB)"
                    : "") + $", the rest of the peak {slope - sq:0.0}");
        }
        if (last.FloorGrowthMbPerMillionRows is { } f) parts.Add($"the floor's peak {f:0.0} MB per million rows");
        return string.Join("; ", parts);

        static string M(long rows) => (rows / 1e6).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static double? Slope(ImportGrowthPoint a, ImportGrowthPoint b, Func<ImportGrowthPoint, StepReport?> step, Func<StepReport, double?>? mb = null)
    {
        mb ??= s => s.PeakMb;
        if (step(a) is not { Ok: true } sa || mb(sa) is not { } p0 || step(b) is not { Ok: true } sb || mb(sb) is not { } p1) return null;
        var rows = b.InputRows - a.InputRows;
        return rows > 0 ? (p1 - p0) / (rows / 1e6) : null;
    }

    private static void DeleteRunDatabases(BenchPaths paths)
    {
        BenchPaths.DeleteDatabase(paths.ImportDb);
        BenchPaths.DeleteDatabase(paths.FloorDb);
        BenchPaths.DeleteDatabase(paths.FloorDb + ".ingest");
        if (Directory.Exists(paths.RunDir) && !Directory.EnumerateFileSystemEntries(paths.RunDir).Any()) Directory.Delete(paths.RunDir);
    }
}

/// <summary>The latest memory-growth run (results.json's <c>importMemoryGrowth</c>).</summary>
public sealed class ImportGrowthSeries
{
    public required string RunAt { get; init; }
    public string? Commit { get; init; }
    public List<ImportGrowthPoint> Points { get; init; } = [];
    public double FlatMbPerMillionRows { get; init; } = ImportMemoryGrowth.FlatMbPerMillionRows;
    public string Verdict => ImportMemoryGrowth.Verdict(Points);
}

/// <summary>One size of the series: its data, the two steps' reports (peak, time, rows, breakdown) and the growth.</summary>
public sealed record ImportGrowthPoint
{
    public required int Clinics { get; init; }
    public required string Scale { get; init; }
    public DataManifest? Data { get; init; }
    public StepReport? Import { get; init; }
    public StepReport? Floor { get; init; }
    /// <summary>The import's (floor's) peak minus the previous size's, per million more input rows.</summary>
    public double? ImportGrowthMbPerMillionRows { get; init; }
    public double? FloorGrowthMbPerMillionRows { get; init; }
    /// <summary>The same for SQLite's own peak heap inside the import's process (page caches, sorter, statements).</summary>
    public double? ImportSqliteGrowthMbPerMillionRows { get; init; }
    public double? ImportPageCacheGrowthMbPerMillionRows { get; init; }
    public string? Error { get; init; }

    /// <summary>Sessions + assessments + answers in the three files.</summary>
    public long InputRows => Data?.LoadRows ?? 0;
}
