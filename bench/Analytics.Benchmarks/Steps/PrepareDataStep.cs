using System.Diagnostics;
using System.Text.Json;
using Analytics.Samples;

namespace Analytics.Benchmarks.Steps;

/// <summary>What the prepared data holds (rows per file of the load and of the pulled month).</summary>
public sealed record DataManifest(
    string Scale, string Key, int Clinics, int LoadedMonths, int PulledMonth,
    long LoadSessions, long LoadAssessments, long LoadSatisfaction,
    long PullSessions, long PullAssessments, long PullSatisfaction,
    double GenerationSeconds, double SplitSeconds)
{
    public long LoadRows => LoadSessions + LoadAssessments + LoadSatisfaction;

    public static DataManifest? TryRead(BenchPaths paths) =>
        File.Exists(paths.DataManifest) ? JsonSerializer.Deserialize<DataManifest>(File.ReadAllText(paths.DataManifest), StepReport.Json) : null;
}

/// <summary>
/// Generates the scale's data with the samples generator (Months + 1 months, seeded) and splits off the last month
/// as the pipeline's pull. Skipped when the data for the same key is already there.
/// </summary>
public sealed class PrepareDataStep : IBenchStep
{
    public string Name => "prepare-data";

    public async Task RunAsync(BenchPaths paths, StepReport report, CancellationToken ct)
    {
        if (DataManifest.TryRead(paths) is { } existing)
        {
            report.Notes.Add($"reused {paths.DataDir}");
            report.Rows = existing.LoadRows;
            return;
        }
        if (Directory.Exists(paths.DataDir)) Directory.Delete(paths.DataDir, recursive: true);
        // Older data of the same scale (another key) only takes disk.
        if (Directory.Exists(paths.Root))
        {
            foreach (var old in Directory.GetDirectories(paths.Root, "data-*")) Directory.Delete(old, recursive: true);
        }

        var scale = paths.Scale;
        var settings = new GeneratorSettings
        {
            Clinics = scale.Clinics,
            Months = scale.Months + 1,
            Seed = BenchScale.Seed,
            EndMonth = BenchScale.PulledMonth,
        };
        var sw = Stopwatch.StartNew();
        var lastShown = Stopwatch.StartNew();
        var progress = new Progress<GenerationProgress>(p =>
        {
            if (lastShown.Elapsed.TotalSeconds < 5) return;
            lastShown.Restart();
            Console.WriteLine($"    generating: {p.ClinicsDone}/{p.Clinics} clinics, {p.SessionsWritten:N0} sessions");
        });
        var summary = await new SampleGenerator().GenerateAsync(paths.GeneratedDir, settings, progress, ct);
        var generation = sw.Elapsed.TotalSeconds;
        report.Breakdown.Add(new Timing("generate", generation, summary.SessionRows + summary.AssessmentRows + summary.SatisfactionRows));

        sw.Restart();
        Directory.CreateDirectory(paths.LoadDir);
        Directory.CreateDirectory(paths.PullDir);
        var month = BenchScale.PulledMonth;
        var s = SplitByMonth(SampleFiles.Sessions, "session_date");
        var a = SplitByMonth(SampleFiles.Assessments, "assessed_on");
        var r = SplitByMonth(SampleFiles.Satisfaction, "responded_on");
        var split = sw.Elapsed.TotalSeconds;
        report.Breakdown.Add(new Timing("split off the pulled month", split));

        var manifest = new DataManifest(scale.Name, paths.DataKey, scale.Clinics, scale.Months, month,
            s.Load, a.Load, r.Load, s.Pull, a.Pull, r.Pull, generation, split);
        await File.WriteAllTextAsync(paths.DataManifest, JsonSerializer.Serialize(manifest, StepReport.Json), ct);
        // The full generated files are not needed again.
        Directory.Delete(paths.GeneratedDir, recursive: true);
        report.Seconds = generation + split;
        report.Rows = manifest.LoadRows;
        return;

        (long Load, long Pull) SplitByMonth(string file, string dateColumn)
        {
            using var reader = CsvRecords.Open(Path.Combine(paths.GeneratedDir, file));
            var header = reader.ReadLine() ?? throw new InvalidDataException($"{file} is empty.");
            var dateIndex = Array.IndexOf(header.Split(','), dateColumn);
            if (dateIndex < 0) throw new InvalidDataException($"{file} has no {dateColumn} column.");
            using var load = new StreamWriter(Path.Combine(paths.LoadDir, file), false, new System.Text.UTF8Encoding(false), 1 << 16);
            using var pull = new StreamWriter(Path.Combine(paths.PullDir, file), false, new System.Text.UTF8Encoding(false), 1 << 16);
            load.NewLine = "\n";
            pull.NewLine = "\n";
            load.WriteLine(header);
            pull.WriteLine(header);
            var records = new CsvRecords(reader);
            var fields = new List<string>();
            long inLoad = 0, inPull = 0;
            while (records.Read(fields, keepRaw: true))
            {
                if (fields.Count == 1 && fields[0].Length == 0) continue;
                var date = dateIndex < fields.Count ? fields[dateIndex] : "";
                var isPull = date.Length >= 7 && int.TryParse(date.AsSpan(0, 4), out var y) && int.TryParse(date.AsSpan(5, 2), out var m) && y * 100 + m == month;
                if (isPull)
                {
                    pull.WriteLine(records.Raw);
                    inPull++;
                }
                else
                {
                    load.WriteLine(records.Raw);
                    inLoad++;
                }
            }
            return (inLoad, inPull);
        }
    }
}
