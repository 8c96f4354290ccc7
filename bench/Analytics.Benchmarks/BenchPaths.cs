using System.Security.Cryptography;
using System.Text;

namespace Analytics.Benchmarks;

/// <summary>
/// Where a scale's files live: generated data under /tmp/analytics-bench/&lt;scale&gt;/data-&lt;key&gt;/ (reused while
/// the key — seed, scale settings and the generator's build — is the same), databases and workbooks of the run under
/// /tmp/analytics-bench/&lt;scale&gt;/run/ (rebuilt every run).
/// </summary>
public sealed class BenchPaths
{
    /// <summary>Bump when the data layout changes (e.g. how the pulled month is split off).</summary>
    private const int LayoutVersion = 1;

    public BenchPaths(BenchScale scale, string root)
    {
        Scale = scale;
        Root = Path.Combine(root, scale.Name);
        DataKey = ComputeKey(scale);
        DataDir = Path.Combine(Root, $"data-{DataKey}");
        RunDir = Path.Combine(Root, "run");
    }

    public BenchScale Scale { get; }
    public string Root { get; }
    public string DataKey { get; }
    public string DataDir { get; }
    public string RunDir { get; }

    /// <summary>The generator's output: all months including the pulled one.</summary>
    public string GeneratedDir => Path.Combine(DataDir, "generated");
    /// <summary>The three files of the loaded months (what the import step imports).</summary>
    public string LoadDir => Path.Combine(DataDir, "load");
    /// <summary>The pulled month's rows (what the pipeline pulls).</summary>
    public string PullDir => Path.Combine(DataDir, "pull");
    public string DataManifest => Path.Combine(DataDir, "data.json");

    public string ImportDb => Path.Combine(RunDir, "import.db");
    public string FloorDb => Path.Combine(RunDir, "insert-floor.db");
    public string PipelineDir => Path.Combine(RunDir, "pipeline");
    public string PipelineDb => Path.Combine(PipelineDir, "analytics.db");
    public string ExportsDir => Path.Combine(RunDir, "exports");
    public string WorkbooksDir => Path.Combine(RunDir, "workbooks");
    public string FloorWorkbooksDir => Path.Combine(RunDir, "workbooks-floor");
    public string ModelsDir => Path.Combine(RunDir, "models");
    /// <summary>The outcome table's counts at the floor's grain, saved by the tables step for the floor's check.</summary>
    public string OutcomeCountsFile => Path.Combine(RunDir, "outcome-counts.json");

    public static string SqliteConnectionString(string file) => $"Data Source={file}";

    private static string ComputeKey(BenchScale scale)
    {
        // The generator's build is part of the key: a changed generator gives other data.
        var samples = typeof(Analytics.Samples.SampleGenerator).Assembly.Location;
        var samplesHash = File.Exists(samples) ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(samples)))[..12] : "nosamples";
        var text = $"v{LayoutVersion};{scale.Clinics}x{scale.Months}+1;seed={BenchScale.Seed};end={BenchScale.LoadedEndMonth};gen={samplesHash}";
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12].ToLowerInvariant();
    }

    /// <summary>Deletes a SQLite file with its WAL and shared-memory files.</summary>
    public static void DeleteDatabase(string file)
    {
        foreach (var f in new[] { file, file + "-wal", file + "-shm", file + "-journal" })
        {
            if (File.Exists(f)) File.Delete(f);
        }
    }
}
