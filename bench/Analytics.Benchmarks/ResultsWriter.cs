using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Analytics.Benchmarks;

/// <summary>Writes bench/results.json (everything) and bench/results.md (the tables people read).</summary>
public static class ResultsWriter
{
    public static void Write(BenchResults results, string outDir)
    {
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "results.json"), JsonSerializer.Serialize(results, StepReport.Json) + "\n");
        File.WriteAllText(Path.Combine(outDir, "results.md"), Markdown(results));
    }

    public static string Markdown(BenchResults results)
    {
        var sb = new StringBuilder();
        var m = results.Machine;
        sb.AppendLine("# Benchmark results");
        sb.AppendLine();
        sb.AppendLine("Written by `dotnet run -c Release --project bench/Analytics.Benchmarks -- --scale <clinic|region|network|all>` (the memory-growth section by `-- --memory-growth`); see bench/README.md for what each step measures.");
        sb.AppendLine();
        sb.AppendLine($"Machine: {m.Cores} cores (`nproc`), CPU {m.Cpu}, {m.MemoryGb.ToString("0.0", CultureInfo.InvariantCulture)} GB memory, {m.Os}, {m.DotNet}, {m.Configuration} build. Written {m.Date}.");
        sb.AppendLine();
        sb.AppendLine("Targets are the issue's, stated for the network scale on 2 cores; smaller scales are checked against the same numbers for orientation only. Time is the step's own timed work (wall clock) inside its child process, without process start-up (except the pipeline, which is the whole `analytics run` process); CPU s is the user + system time of the step's whole child process (/usr/bin/time), start-up included — on a loaded machine it shows how much work the step itself did. Peak is the child's VmHWM (peak RSS).");
        sb.AppendLine();

        foreach (var s in results.Scales)
        {
            sb.AppendLine($"## Scale `{s.Scale}`: {s.Description}");
            sb.AppendLine();
            var d = s.Data;
            sb.Append($"Run {s.RunAt}");
            if (s.Commit is not null) sb.Append($", commit `{s.Commit}`");
            sb.AppendLine(".");
            if (d is not null)
            {
                sb.AppendLine($"Data (seed {BenchScale.Seed}, key `{d.Key}`): {d.LoadSessions:N0} sessions, {d.LoadAssessments:N0} assessments, {d.LoadSatisfaction:N0} survey answers over {d.LoadedMonths} months; the pulled month {Month(d.PulledMonth)} adds {d.PullSessions:N0} sessions, {d.PullAssessments:N0} assessments, {d.PullSatisfaction:N0} answers.");
            }
            var loads = s.Steps.SelectMany(x => new[] { x.LoadBefore, x.LoadAfter }).Where(x => x is not null).Select(x => x!.Value).ToList();
            if (loads.Count > 0)
            {
                sb.AppendLine($"Load average (1 min) around the steps: {loads.Min():0.0}–{loads.Max():0.0} on {m.Cores} cores" +
                    (loads.Max() > m.Cores + 0.5 ? " — other processes were competing for the CPU, so wall times are inflated; the breakdown also lists each step's CPU seconds." : "."));
            }
            sb.AppendLine();
            sb.AppendLine("| step | time | CPU s (process) | rows | rows/s | floor time | floor rows/s | ratio to floor | peak MB (floor) | target | met / missed |");
            sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---|---:|---|---|");
            foreach (var c in s.Comparisons)
            {
                var peak = c.PeakMb is { } pm ? pm.ToString("0", CultureInfo.InvariantCulture) : "—";
                if (c.FloorPeakMb is { } fp) peak += $" ({fp:0})";
                var verdict = c.Error is { } e && c.Seconds is null ? $"not measured: {Escape(e)}" : Escape(c.Verdict);
                if (c.Met == true) verdict = "✅ " + verdict;
                else if (c.Met == false) verdict = "❌ " + verdict;
                sb.AppendLine($"| {Escape(c.What)} | {Sec(c.Seconds)} | {(c.CpuSeconds is { } cpu ? cpu.ToString("0.0", CultureInfo.InvariantCulture) : "—")} | {Count(c.Rows)} {(c.Rows is null ? "" : c.RowsLabel)} | {Count(c.RowsPerSecond)} | {Sec(c.FloorSeconds)} | {Count(c.FloorRowsPerSecond)} | {c.Ratio ?? "—"} | {peak} | {c.Target} | {verdict} |");
            }
            sb.AppendLine();
            sb.AppendLine("Floors: " + string.Join("; ", s.Comparisons.Where(c => c.Floor is not null).Select(c => $"{c.Step}: {c.Floor}")) + ".");
            sb.AppendLine();

            sb.AppendLine("<details><summary>Where the time goes (stopwatch breakdown per step)</summary>");
            sb.AppendLine();
            sb.AppendLine("| step | part | seconds | rows |");
            sb.AppendLine("|---|---|---:|---:|");
            foreach (var step in s.Steps)
            {
                var process = step.ProcessSeconds is { } ps ? $" (process {ps:0.0} s" + (step.ProcessCpuSeconds is { } cpu ? $", CPU {cpu:0.0} s" : "")
                    + (step.ProcessPeakMb is { } pp ? $", /usr/bin/time peak {pp:0} MB" : "")
                    + (step.LoadBefore is { } lb ? $", load avg {lb:0.0}→{step.LoadAfter:0.0}" : "") + ")" : "";
                if (!step.Ok)
                {
                    sb.AppendLine($"| {step.Step} | not measured: {Escape(step.Error ?? "")} | | |");
                    continue;
                }
                sb.AppendLine($"| **{step.Step}** | total{process} | {step.Seconds:0.00} | {Count(step.Rows)} |");
                foreach (var t in step.Breakdown)
                {
                    sb.AppendLine($"| | {Escape(t.Label)} | {t.Seconds:0.00} | {Count(t.Rows)} |");
                }
                foreach (var n in step.Notes)
                {
                    sb.AppendLine($"| | _{Escape(n)}_ | | |");
                }
            }
            sb.AppendLine();
            sb.AppendLine("</details>");
            sb.AppendLine();
        }

        if (results.Growth.Count > 0)
        {
            var scales = results.Growth[0].Points.Select(p => p.Scale).ToList();
            sb.AppendLine("## Growth across scales");
            sb.AppendLine();
            sb.AppendLine("Seconds per scale; k = log(time ratio) / log(sessions ratio) against the previous scale (1 = linear). The verdict uses the last pair, where fixed costs weigh least.");
            sb.AppendLine();
            sb.AppendLine("| step | " + string.Join(" | ", results.Growth[0].Points.Select(p => $"{p.Scale} ({p.Sessions:N0} sessions)")) + " | growth |");
            sb.AppendLine("|---|" + string.Concat(scales.Select(_ => "---:|")) + "---|");
            foreach (var g in results.Growth)
            {
                var cells = g.Points.Select(p => p.Seconds is { } t ? $"{t:0.00} s" + (p.Exponent is { } k ? $" (k {k:0.00})" : "") : "—");
                sb.AppendLine($"| {g.Step} | {string.Join(" | ", cells)} | {g.Verdict} |");
            }
            sb.AppendLine();
        }

        if (results.ImportMemoryGrowth is { } growth)
        {
            AppendMemoryGrowth(sb, growth);
        }
        return sb.ToString();
    }

    private static void AppendMemoryGrowth(StringBuilder sb, ImportGrowthSeries g)
    {
        sb.AppendLine("## Memory as files grow (import)");
        sb.AppendLine();
        sb.Append($"Run {g.RunAt}");
        if (g.Commit is not null) sb.Append($", commit `{g.Commit}`");
        sb.AppendLine($". Each size is the network's generator settings (seed {BenchScale.Seed}, {BenchScale.Network.Months} months) with that many clinics; `import` and `import-floor` each run in their own child process into a fresh database, deleted after the size.");
        sb.AppendLine();
        sb.AppendLine($"How to read it: SQLite's page cache is capped per connection (`cache_size=-200000`, ≈200 MB), so both peaks grow with the data until that cache is full — the floor's too; beyond that point \"flat\" means the import's peak stops growing, i.e. the growth column stays near zero (verdict: at most {g.FlatMbPerMillionRows:0} MB per million rows between the two largest sizes). " +
            "\"SQLite\" is SQLite's own peak heap inside the process (`sqlite3_memory_highwater`), in brackets the page caches' part of it (`sqlite3_status` PAGECACHE_OVERFLOW); SQLite's part is bounded (the page cache by cache_size; an index rebuild's sorter holds up to another cache_size of keys in memory before it spills to a temporary file), so growth of the peak beyond that is the rest: .NET's heap, the runtime and native code. " +
            "The floor also holds every distinct patient's pseudonym in a map built before its clock, which grows with the patients. The sampled-peak column comes from a thread in the step's process that reads RSS, SQLite's heap and .NET's heap every 20 ms and keeps the moment of highest RSS (its phase is listed below with the import's phases; VmHWM stays the peak of record).");
        sb.AppendLine();
        sb.AppendLine($"**{Escape(g.Verdict)}.**");
        sb.AppendLine();
        sb.AppendLine("| clinics | input rows | import peak MB | SQLite's peak MB (page cache) | at the sampled peak: SQLite / .NET heap MB | floor peak MB (SQLite) | import s | import rows/s | floor s | peak growth, MB per M rows (floor) |");
        sb.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var p in g.Points)
        {
            if (p.Data is null)
            {
                sb.AppendLine($"| {p.Clinics} | not measured: {Escape(p.Error ?? "no data")} | | | | | | | | |");
                continue;
            }
            var i = p.Import is { Ok: true } ok ? ok : null;
            var f = p.Floor is { Ok: true } fok ? fok : null;
            var sqlite = i?.SqliteHeapPeakMb is { } h ? $"{h:0}" + (i.SqlitePageCachePeakMb is { } pc ? $" ({pc:0})" : "") : "—";
            var growthCell = p.ImportGrowthMbPerMillionRows is { } gi
                ? Signed(gi) + (p.FloorGrowthMbPerMillionRows is { } gf ? $" ({Signed(gf)})" : "")
                : "—";
            var importPeak = i is null ? $"not measured: {Escape(p.Import?.Error ?? "not run")}" : Mb(i.PeakMb);
            var floorPeak = f is null ? $"not measured: {Escape(p.Floor?.Error ?? "not run")}" : Mb(f.PeakMb) + (f.SqliteHeapPeakMb is { } fh ? $" ({fh:0})" : "");
            var rate = i is { Seconds: > 0 } ? Count(i.Rows / i.Seconds) : "—";
            var atPeak = i?.AtPeak is { } ap ? $"{Mb(ap.SqliteMb)} / {Mb(ap.ManagedMb)}" : "—";
            sb.AppendLine($"| {p.Clinics} | {Count(p.InputRows)} | {importPeak} | {sqlite} | {atPeak} | {floorPeak} | {Sec(i?.Seconds)} | {rate} | {Sec(f?.Seconds)} | {growthCell} |");
        }
        sb.AppendLine();
        sb.AppendLine("<details><summary>The import's phases per size (reading side and write task overlap) and the load around each step</summary>");
        sb.AppendLine();
        foreach (var p in g.Points.Where(p => p.Import is { Ok: true }))
        {
            var i = p.Import!;
            var phases = i.Notes.FirstOrDefault(n => n.StartsWith("importer phases", StringComparison.Ordinal)) ?? "no phases reported";
            var load = i.LoadBefore is { } lb ? $"; load avg {lb:0.0}→{i.LoadAfter:0.0}" : "";
            var outside = i.ProcessPeakMb is { } pp ? $"; /usr/bin/time peak {pp:0} MB" : "";
            sb.AppendLine($"- {p.Clinics} clinic{(p.Clinics == 1 ? "" : "s")}, {Count(i.Rows)} rows read{outside}{load}. {AtPeak("Import", i.AtPeak)} {AtPeak("Floor", p.Floor?.AtPeak)} {Escape(phases)}");
        }
        sb.AppendLine();
        sb.AppendLine("</details>");
        sb.AppendLine();
    }

    private static string AtPeak(string who, MemoryAtPeak? a) => a is null ? "" :
        $"{who}'s highest sampled RSS {a.RssMb:0} MB ({a.Samples:N0} samples) at {a.AtSeconds:0.0} s, during \"{Escape(a.Phase ?? "?")}\": SQLite {Mb(a.SqliteMb)} MB (page cache {Mb(a.PageCacheMb)}), .NET heap {Mb(a.ManagedMb)} MB (GC committed {Mb(a.GcCommittedMb)} MB), the rest {Mb(a.RssMb - (a.SqliteMb ?? 0) - Math.Max(a.ManagedMb, a.GcCommittedMb))} MB (runtime, native code, memory freed but kept by the allocators).";

    private static string Mb(double? mb) => mb is { } v ? v.ToString("N0", CultureInfo.InvariantCulture) : "—";

    private static string Signed(double v) => (v >= 0 ? "+" : "−") + Math.Abs(v).ToString("0.0", CultureInfo.InvariantCulture);

    private static string Month(int yyyymm) => $"{yyyymm / 100:D4}-{yyyymm % 100:D2}";

    private static string Sec(double? s) => s is { } v ? v.ToString(v < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " s" : "—";

    private static string Count(double? v) => v is { } x ? x.ToString("N0", CultureInfo.InvariantCulture) : "—";

    private static string Count(long? v) => v is { } x ? x.ToString("N0", CultureInfo.InvariantCulture) : "";

    private static string Escape(string s) => s.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
