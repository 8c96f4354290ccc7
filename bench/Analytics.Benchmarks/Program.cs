using System.Diagnostics;
using System.Text.Json;
using Analytics.Benchmarks;
using Analytics.Benchmarks.Steps;

// Usage:
//   dotnet run -c Release --project bench/Analytics.Benchmarks -- --scale clinic|region|network|all
//       [--steps import,import-floor,...] [--root /tmp/analytics-bench] [--out bench]
//   dotnet run -c Release --project bench/Analytics.Benchmarks -- --memory-growth [--growth-clinics 6,12,25,50,100 (implies --memory-growth)]
//       [--root /tmp/analytics-bench] [--out bench]
//       the import's peak memory as the files grow: network settings (36 months) at each clinic count, import and
//       import-floor per size; writes the "Memory as files grow (import)" section of results.md/.json
//   dotnet run -c Release --project bench/Analytics.Benchmarks -- --micro [BenchmarkDotNet args]
// Internal: --step NAME --scale S --root DIR --result FILE runs one step in this (child) process.

var options = Args.Parse(args);
if (options.Micro)
{
    MicroBenchmarks.Run(options.Rest);
    return 0;
}
if (options.Step is { } stepName)
{
    return await RunChildAsync(stepName, options);
}

#if DEBUG
Console.WriteLine("warning: Debug build. Measure with -c Release.");
#endif
var machine = MachineInfo.Read();
var resultsFile = Path.Combine(options.OutDir, "results.json");
var results = BenchResults.Load(resultsFile, machine);
var runner = new ChildStepRunner(options.Root);
if (options.MemoryGrowth)
{
    var growthClock = Stopwatch.StartNew();
    results.ImportMemoryGrowth = ImportMemoryGrowth.Run(runner, options.Root, options.GrowthClinics, GitCommit());
    ResultsWriter.Write(results, options.OutDir);
    Console.WriteLine(results.ImportMemoryGrowth.Verdict);
    Console.WriteLine($"memory growth finished in {growthClock.Elapsed.TotalMinutes:0.0} min; results in {Path.GetFullPath(options.OutDir)}/results.md");
    return 0;
}
var scales = options.Scale == "all" ? BenchScale.All : [BenchScale.Parse(options.Scale)];
var commit = GitCommit();
var total = Stopwatch.StartNew();
foreach (var scale in scales)
{
    Console.WriteLine($"scale {scale.Name}: {scale.Description}");
    var paths = new BenchPaths(scale, options.Root);
    var steps = new List<StepReport>();
    var prepare = runner.Run("prepare-data", scale, TimeSpan.FromMinutes(30));
    steps.Add(prepare);
    var data = DataManifest.TryRead(paths);
    if (data is not null)
    {
        foreach (var step in StepOrder.Measured.Where(s => options.Steps is null || options.Steps.Contains(s)))
        {
            steps.Add(runner.Run(step, scale, TimeSpan.FromMinutes(30)));
        }
    }
    var result = new ScaleResult
    {
        Scale = scale.Name,
        Description = scale.Description,
        RunAt = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture),
        Commit = commit,
        Data = data,
        Steps = steps,
    };
    result.Comparisons = Targets.Compare(result);
    results.Put(result);
    results.Growth = Targets.Growth(results.Scales);
    ResultsWriter.Write(results, options.OutDir);
    Console.WriteLine($"scale {scale.Name} done; results in {Path.GetFullPath(options.OutDir)}/results.md");
}
Console.WriteLine($"benchmark finished in {total.Elapsed.TotalMinutes:0.0} min");
return 0;

static async Task<int> RunChildAsync(string stepName, Args options)
{
    var report = new StepReport { Step = stepName };
    var code = 0;
    try
    {
        var step = StepCatalog.Find(stepName);
        var paths = new BenchPaths(BenchScale.Parse(options.Scale), options.Root);
        await step.RunAsync(paths, report, CancellationToken.None);
    }
    catch (Exception ex)
    {
        report.Error = $"{ex.GetType().Name}: {ex.Message}";
        Console.Error.WriteLine(ex);
        code = 1;
    }
    // Read last, just before exiting: VmHWM is the process's high-water mark. (A step that measures another
    // process, like the pipeline's CLI, has set its peak already.)
    if (report.PeakMb is null)
    {
        report.PeakMb = PeakMemory.SelfMb();
        (report.SqliteHeapPeakMb, report.SqlitePageCachePeakMb) = SqliteMemory.Peaks();
    }
    if (options.ResultFile is { } file)
    {
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(report, StepReport.Json));
    }
    return code;
}

static string? GitCommit()
{
    try
    {
        var psi = new ProcessStartInfo("git", "rev-parse --short HEAD") { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi);
        if (p is null) return null;
        var s = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return p.ExitCode == 0 && s.Length > 0 ? s : null;
    }
    catch (System.ComponentModel.Win32Exception)
    {
        return null;
    }
}

internal static class StepOrder
{
    /// <summary>Each product step is followed by its floor; the workbook floor copies the cells the product wrote.</summary>
    public static readonly string[] Measured =
        ["import", "import-floor", "tables", "tables-floor", "models", "workbooks", "workbooks-floor", "pipeline"];
}

internal sealed record Args(string Scale, string Root, string OutDir, HashSet<string>? Steps, string? Step, string? ResultFile, bool Micro, string[] Rest)
{
    public bool MemoryGrowth { get; init; }
    public IReadOnlyList<int> GrowthClinics { get; init; } = BenchScale.GrowthClinics;

    public static Args Parse(string[] args)
    {
        string scale = "clinic", root = "/tmp/analytics-bench";
        string outDir = Directory.Exists("bench") ? "bench" : ".";
        HashSet<string>? steps = null;
        string? step = null, result = null;
        var micro = false;
        var memoryGrowth = false;
        IReadOnlyList<int> growthClinics = BenchScale.GrowthClinics;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--scale": scale = Next(); break;
                case "--root": root = Next(); break;
                case "--out": outDir = Next(); break;
                case "--steps": steps = [.. Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]; break;
                case "--step": step = Next(); break;
                case "--result": result = Next(); break;
                case "--micro": micro = true; break;
                case "--memory-growth": memoryGrowth = true; break;
                case "--growth-clinics": growthClinics = ParseClinics(Next()); memoryGrowth = true; break;
                default: rest.Add(args[i]); break;
            }
        }
        if (scale != "all") BenchScale.Parse(scale);
        if (!micro && step is null && rest.Count > 0) throw new ArgumentException($"Unknown arguments: {string.Join(' ', rest)}");
        return new Args(scale, root, outDir, steps, step, result, micro, [.. rest]) { MemoryGrowth = memoryGrowth, GrowthClinics = growthClinics };
    }

    private static int[] ParseClinics(string list)
    {
        var parts = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var clinics = parts.Select(p => int.TryParse(p, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"--growth-clinics takes clinic counts above zero, comma-separated (got '{p}').")).ToArray();
        return clinics.Length > 0 ? clinics : throw new ArgumentException("--growth-clinics needs at least one clinic count.");
    }
}
