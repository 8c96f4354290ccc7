using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Analytics.Samples;
using Microsoft.Data.Sqlite;

namespace Analytics.Benchmarks.Steps;

/// <summary>
/// The whole monthly pipeline as an operator runs it: the <c>analytics run</c> command (its own process, started from
/// this step's child and measured with /usr/bin/time) on a copy of the imported database, with the next month's three
/// files in the drop folder: pull, compute, refit, report. The time includes the CLI's start-up — it is the whole run.
/// The breakdown is taken from the CLI's output lines as they arrive.
/// </summary>
public sealed partial class PipelineStep : IBenchStep
{
    public string Name => "pipeline";

    public async Task RunAsync(BenchPaths paths, StepReport report, CancellationToken ct)
    {
        if (!File.Exists(paths.ImportDb)) throw new InvalidOperationException($"No imported database at {paths.ImportDb}: the import step did not run.");
        var cli = Path.Combine(AppContext.BaseDirectory, "analytics");
        if (!File.Exists(cli)) throw new InvalidOperationException($"The analytics CLI is not beside the benchmark ({cli}).");

        // Untimed set-up: a copy of the loaded database (checkpointed first) and the pulled month in the drop folder.
        if (Directory.Exists(paths.PipelineDir)) Directory.Delete(paths.PipelineDir, recursive: true);
        var drop = Path.Combine(paths.PipelineDir, "drop");
        var reports = Path.Combine(paths.PipelineDir, "reports");
        Directory.CreateDirectory(drop);
        using (var connection = new SqliteConnection(BenchPaths.SqliteConnectionString(paths.ImportDb)))
        {
            connection.Open();
            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            checkpoint.ExecuteNonQuery();
        }
        SqliteConnection.ClearAllPools();
        File.Copy(paths.ImportDb, paths.PipelineDb);
        foreach (var file in new[] { SampleFiles.Sessions, SampleFiles.Assessments, SampleFiles.Satisfaction })
        {
            File.Copy(Path.Combine(paths.PullDir, file), Path.Combine(drop, file));
        }
        var sessionsBefore = await CountAsync(paths.PipelineDb, "sessions", ct);

        var month = $"{BenchScale.PulledMonth / 100:D4}-{BenchScale.PulledMonth % 100:D2}";
        var timeFile = Path.Combine(paths.PipelineDir, "time.txt");
        var psi = new ProcessStartInfo("/usr/bin/time")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = paths.PipelineDir,
        };
        foreach (var a in new[] { "-f", "%e %M %U %S", "-o", timeFile, cli, "run", "--month", month }) psi.ArgumentList.Add(a);
        psi.Environment["Database__Provider"] = "Sqlite";
        psi.Environment["Database__ConnectionString"] = BenchPaths.SqliteConnectionString(paths.PipelineDb);
        psi.Environment["Privacy__PatientKey"] = Convert.ToBase64String(BenchKey.Bytes);
        psi.Environment["Sources__DropFolder__Path"] = drop;
        psi.Environment["Sources__DropFolder__MinFileAgeSeconds"] = "0";
        psi.Environment["Reports__OutputFolder"] = reports;
        psi.Environment["Schedule__Enabled"] = "false";

        var clock = new PhaseClock();
        clock.Mark("start-up (until the first output line)");
        var log = new List<string>();
        var sw = Stopwatch.StartNew();
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start the analytics CLI.");
        void OnLine(string? line)
        {
            if (line is null) return;
            lock (log) log.Add($"{sw.Elapsed.TotalSeconds,8:0.00} {line}");
            if (StepLine().IsMatch(line)) clock.Mark(Shorten(line));
        }
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await process.WaitForExitAsync(ct);
        sw.Stop();
        var segments = clock.Finish("exit");
        await File.WriteAllLinesAsync(Path.Combine(paths.PipelineDir, "run.log"), log, ct);

        var (seconds, peakMb, cpu) = ReadTime(timeFile) ?? (sw.Elapsed.TotalSeconds, (double?)null, (double?)null);
        if (process.ExitCode != 0)
        {
            var tail = string.Join(" / ", log.TakeLast(3).Select(l => l.Trim()));
            throw new InvalidOperationException($"analytics run exited with code {process.ExitCode}: {tail}");
        }
        report.Seconds = seconds;
        report.PeakMb = peakMb;
        report.Breakdown.AddRange(segments);
        var sessionsAfter = await CountAsync(paths.PipelineDb, "sessions", ct);
        report.Rows = sessionsAfter - sessionsBefore;
        report.RowsLabel = "sessions pulled";
        var workbooks = Directory.Exists(reports) ? Directory.GetFiles(reports, "*.xlsx", SearchOption.AllDirectories).Length : 0;
        report.Notes.Add($"`analytics run --month {month}`: {sessionsAfter - sessionsBefore:N0} sessions pulled, {workbooks} workbooks written; CPU {cpu:0.0} s; peak is the CLI process's (/usr/bin/time); log in {Path.Combine(paths.PipelineDir, "run.log")}");
    }

    private static string Shorten(string line)
    {
        var l = line.Trim();
        return l.Length > 90 ? l[..90] + "…" : l;
    }

    // Lines that name a pipeline step; other output (row counts, per-file lines) stays inside the current segment.
    [GeneratedRegex(@"\b(pull|import|compute|refit|model|report|workbook|done|finished|succeeded)", RegexOptions.IgnoreCase)]
    private static partial Regex StepLine();

    private static (double Seconds, double? PeakMb, double? Cpu)? ReadTime(string file)
    {
        if (!File.Exists(file)) return null;
        var parts = File.ReadAllLines(file).LastOrDefault(l => l.Trim().Length > 0)?.Trim().Split(' ') ?? [];
        if (parts.Length != 4) return null;
        var n = parts.Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        return (n[0], n[1] / 1024, n[2] + n[3]);
    }

    private static async Task<long> CountAsync(string db, string table, CancellationToken ct)
    {
        await using var connection = new SqliteConnection(BenchPaths.SqliteConnectionString(db) + ";Mode=ReadOnly");
        await connection.OpenAsync(ct);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
        var n = Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
        SqliteConnection.ClearAllPools();
        return n;
    }
}
