using System.Diagnostics;
using System.Globalization;
using Analytics.Samples;
using Microsoft.Data.Sqlite;

namespace Analytics.Benchmarks.Steps;

/// <summary>
/// The whole monthly pipeline as an operator runs it: the <c>analytics run</c> command (its own process, started from
/// this step's child and measured with /usr/bin/time) on a copy of the imported database, with the next month's three
/// files in the drop folder: pull, compute, refit, report. The time includes the CLI's start-up — it is the whole run.
/// The breakdown is taken from the CLI's output lines as they arrive.
/// </summary>
public sealed class PipelineStep : IBenchStep
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

        var log = new List<string>();
        var startedUtc = DateTimeOffset.UtcNow;
        var sw = Stopwatch.StartNew();
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start the analytics CLI.");
        void OnLine(string? line)
        {
            if (line is null) return;
            lock (log) log.Add($"{sw.Elapsed.TotalSeconds,8:0.00} {line}");
        }
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await process.WaitForExitAsync(ct);
        sw.Stop();
        var finishedUtc = DateTimeOffset.UtcNow;
        await File.WriteAllLinesAsync(Path.Combine(paths.PipelineDir, "run.log"), log, ct);

        var (seconds, peakMb, cpu) = ReadTime(timeFile) ?? (sw.Elapsed.TotalSeconds, (double?)null, (double?)null);
        if (process.ExitCode != 0)
        {
            var tail = string.Join(" / ", log.TakeLast(3).Select(l => l.Trim()));
            throw new InvalidOperationException($"analytics run exited with code {process.ExitCode}: {tail}");
        }
        report.Seconds = seconds;
        report.PeakMb = peakMb;
        report.Breakdown.AddRange(await TimelineAsync(paths, reports, startedUtc, finishedUtc, ct));
        var sessionsAfter = await CountAsync(paths.PipelineDb, "sessions", ct);
        report.Rows = sessionsAfter - sessionsBefore;
        report.RowsLabel = "sessions pulled";
        var workbooks = Directory.Exists(reports) ? Directory.GetFiles(reports, "*.xlsx", SearchOption.AllDirectories).Length : 0;
        report.Notes.Add($"`analytics run --month {month}`: {sessionsAfter - sessionsBefore:N0} sessions pulled, {workbooks} workbooks written; CPU {cpu:0.0} s; peak is the CLI process's (/usr/bin/time); log in {Path.Combine(paths.PipelineDir, "run.log")}");
    }

    private static (double Seconds, double? PeakMb, double? Cpu)? ReadTime(string file)
    {
        if (!File.Exists(file)) return null;
        var parts = File.ReadAllLines(file).LastOrDefault(l => l.Trim().Length > 0)?.Trim().Split(' ') ?? [];
        if (parts.Length != 4) return null;
        var n = parts.Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        return (n[0], n[1] / 1024, n[2] + n[3]);
    }

    /// <summary>The run's milestones in time order; each part is the time since the previous milestone.</summary>
    private static async Task<List<Timing>> TimelineAsync(BenchPaths paths, string reports, DateTimeOffset started, DateTimeOffset finished, CancellationToken ct)
    {
        var events = new List<(string Label, DateTimeOffset At)> { ("process exit", finished) };
        await using (var connection = new SqliteConnection(BenchPaths.SqliteConnectionString(paths.PipelineDb) + ";Mode=ReadOnly"))
        {
            await connection.OpenAsync(ct);
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = """
                SELECT 'run recorded (start-up, migration, Hangfire server)', StartedAt FROM pipeline_runs WHERE Id = (SELECT MAX(Id) FROM pipeline_runs)
                UNION ALL SELECT 'run finished', FinishedAt FROM pipeline_runs WHERE Id = (SELECT MAX(Id) FROM pipeline_runs)
                UNION ALL SELECT 'pull: import batch started', StartedAt FROM import_batches WHERE Id = (SELECT MAX(Id) FROM import_batches)
                UNION ALL SELECT 'pull: import batch finished', FinishedAt FROM import_batches WHERE Id = (SELECT MAX(Id) FROM import_batches)
                """;
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                if (!reader.IsDBNull(1) && DateTimeOffset.TryParse(reader.GetString(1), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                    events.Add((reader.GetString(0), at));
            }
        }
        SqliteConnection.ClearAllPools();
        void FileEvent(string label, IEnumerable<string> files, bool last)
        {
            var times = files.Select(f => new DateTimeOffset(File.GetLastWriteTimeUtc(f), TimeSpan.Zero)).ToList();
            if (times.Count > 0) events.Add((label, last ? times.Max() : times.Min()));
        }
        string[] Files(string dir, string pattern, SearchOption option = SearchOption.TopDirectoryOnly) =>
            Directory.Exists(dir) ? Directory.GetFiles(dir, pattern, option) : [];
        var monthFolder = Path.Combine(reports, $"{BenchScale.PulledMonth / 100:D4}-{BenchScale.PulledMonth % 100:D2}");
        FileEvent("compute: tables cached", Files(Path.Combine(reports, "cache"), "tables.json"), last: true);
        FileEvent("refit: first model saved (loading course outcomes + first fit)", Files(Path.Combine(paths.PipelineDir, "models"), "*.zip", SearchOption.AllDirectories), last: false);
        FileEvent("refit: last model saved", Files(Path.Combine(paths.PipelineDir, "models"), "*.zip", SearchOption.AllDirectories), last: true);
        FileEvent("refit: model report cached", Files(Path.Combine(reports, "cache"), "models.json"), last: true);
        FileEvent("monthly workbooks: first written", Files(monthFolder, "*.xlsx"), last: false);
        FileEvent("monthly workbooks: last written (incl. network workbook)", Files(monthFolder, "*.xlsx"), last: true);
        FileEvent("protocol workbook written", Files(reports, "protocols.xlsx"), last: true);

        var timings = new List<Timing>();
        var previous = started;
        foreach (var (label, at) in events.Where(e => e.At >= started.AddSeconds(-1)).OrderBy(e => e.At))
        {
            timings.Add(new Timing($"→ {label}", Math.Max(0, (at - previous).TotalSeconds)));
            previous = at;
        }
        return timings;
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
