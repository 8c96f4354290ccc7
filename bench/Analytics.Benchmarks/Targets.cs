using System.Globalization;

namespace Analytics.Benchmarks;

/// <summary>The targets (network scale, 2 cores) and the results table rows built from the step reports.</summary>
public static class Targets
{
    public const double ImportShareOfFloor = 0.70;
    public const double SessionsFileSeconds = 30;
    public const double TablesTimesFloor = 2.0;
    public const double ModelSeconds = 60;
    public const double WorkbookSeconds = 10;
    public const double PipelineSeconds = 60;
    public const double PipelinePeakMb = 1536;

    public static List<ComparisonRow> Compare(ScaleResult r)
    {
        var rows = new List<ComparisonRow>();

        // Import: rows/s against the bare insert loop, and the sessions file's time.
        {
            var p = r.Step("import");
            var f = r.Step("import-floor");
            var rps = Rate(p);
            var frps = Rate(f);
            var share = rps / frps;
            var sessions = p is { Ok: true } && p.Values.TryGetValue("sessionsSeconds", out var ss) ? ss : (double?)null;
            var verdicts = new List<string>();
            bool? met = null;
            if (share is { } s)
            {
                var ok = s >= ImportShareOfFloor;
                verdicts.Add(ok ? $"met: {Pct(s)} of floor" : $"missed: {Pct(s)} of floor, {Pct(ImportShareOfFloor - s)} points short");
                met = ok;
            }
            if (sessions is { } sec)
            {
                var ok = sec <= SessionsFileSeconds;
                verdicts.Add(ok ? $"met: sessions file {sec:0.0} s" : $"missed: sessions file {sec:0.0} s, {sec - SessionsFileSeconds:0.0} s over ({sec / SessionsFileSeconds:0.0}×)");
                met = (met ?? true) && ok;
            }
            rows.Add(new ComparisonRow("import", "import of the three files into SQLite",
                p?.Ok == true ? p.Seconds : null, p?.Ok == true ? p.Rows : null, "rows", rps,
                "bare prepared-insert loop, same rows, same schema", f?.Ok == true ? f.Seconds : null, frps, f?.PeakMb,
                share is { } sh ? $"{Pct(sh)} of floor rows/s" : null, p?.PeakMb,
                $"≥ {Pct(ImportShareOfFloor)} of floor rows/s; sessions file ≤ {SessionsFileSeconds:0} s",
                verdicts.Count > 0 ? string.Join("; ", verdicts) : "not measured", met, Error(p, f)));
        }

        // The six export tables against the hand-written GROUP BY of the outcome table's counts.
        {
            var p = r.Step("tables");
            var f = r.Step("tables-floor");
            var times = Seconds(p) / Seconds(f);
            rows.Add(new ComparisonRow("tables", "the six export tables (OutcomeService.ComputeAsync)",
                Seconds(p), p?.Ok == true ? p.Rows : null, p?.RowsLabel ?? "rows", Rate(p),
                "hand-written SQL GROUP BY of the outcome table's counts", Seconds(f), Rate(f), f?.PeakMb,
                times is { } t ? $"{t:0.00}× floor time" : null, p?.PeakMb,
                $"≤ {TablesTimesFloor:0}× floor time",
                times is { } x ? (x <= TablesTimesFloor ? $"met: {x:0.00}×" : $"missed: {x:0.00}×, {Seconds(p) - TablesTimesFloor * Seconds(f):0.0} s over") : "not measured",
                times is { } y ? y <= TablesTimesFloor : null, Error(p, f)));
        }

        rows.Add(Limit(r.Step("models"), "models", "model fitting, all concerns (OutcomeModelTrainer.FitAllAsync)", ModelSeconds, null));

        {
            var p = r.Step("workbooks");
            var f = r.Step("workbooks-floor");
            var times = Seconds(p) / Seconds(f);
            var row = Limit(p, "workbooks", "monthly workbook per clinic + network + protocol workbook", WorkbookSeconds, null);
            rows.Add(row with
            {
                Floor = "same sheets and cell values with OpenXmlWriter (SAX), no styling",
                FloorSeconds = Seconds(f),
                FloorRowsPerSecond = Rate(f),
                FloorPeakMb = f?.PeakMb,
                Ratio = times is { } t ? $"{t:0.0}× floor time" : null,
                Error = Error(p, f),
            });
        }

        rows.Add(Limit(r.Step("pipeline"), "pipeline", "monthly pipeline: `analytics run`, one new month pulled into the loaded database", PipelineSeconds, PipelinePeakMb));
        return [.. rows.Select(x => x with
        {
            CpuSeconds = r.Step(x.Step) is { Ok: true } s ? s.ProcessCpuSeconds : null,
            PeakMb = r.Step(x.Step) is { Ok: true } ok ? x.PeakMb : null,
            Verdict = x.Met == false && r.Step(x.Step) is { Ok: true } m ? $"{x.Verdict}; largest parts: {LargestParts(m)}" : x.Verdict,
        })];
    }

    private static ComparisonRow Limit(StepReport? p, string step, string what, double seconds, double? peakMb)
    {
        var verdicts = new List<string>();
        bool? met = null;
        if (Seconds(p) is { } s)
        {
            var ok = s <= seconds;
            verdicts.Add(ok ? $"met: {s:0.0} s" : $"missed: {s:0.0} s, {s - seconds:0.0} s over ({s / seconds:0.0}×)");
            met = ok;
        }
        if (peakMb is { } limit && p?.Ok == true && p.PeakMb is { } mb)
        {
            var ok = mb <= limit;
            verdicts.Add(ok ? $"met: peak {mb:0} MB" : $"missed: peak {mb:0} MB, {mb - limit:0} MB over");
            met = (met ?? true) && ok;
        }
        var target = peakMb is { } l ? $"≤ {seconds:0} s, ≤ {l / 1024:0.0} GB peak" : $"≤ {seconds:0} s";
        return new ComparisonRow(step, what, Seconds(p), p?.Ok == true ? p.Rows : null, p?.RowsLabel ?? "rows", Rate(p),
            null, null, null, null, null, p?.PeakMb, target, verdicts.Count > 0 ? string.Join("; ", verdicts) : "not measured", met, Error(p));
    }

    /// <summary>The two biggest timed parts of a step (labels that are notes about the step, not timed, are left out).</summary>
    private static string LargestParts(StepReport s) =>
        string.Join(", ", s.Breakdown.Where(t => !t.Label.Contains("not in the", StringComparison.Ordinal) && !t.Label.Contains("untimed", StringComparison.Ordinal))
            .OrderByDescending(t => t.Seconds).Take(2).Select(t => $"{t.Label.Trim()} {t.Seconds:0.0} s"));

    private static double? Seconds(StepReport? s) => s is { Ok: true } ? s.Seconds : null;

    private static double? Rate(StepReport? s) => s is { Ok: true, Seconds: > 0, Rows: > 0 } ? s.Rows / s.Seconds : null;

    private static string? Error(params StepReport?[] steps)
    {
        var errors = steps.Where(s => s is not null && !s.Ok).Select(s => $"{s!.Step}: {s.Error}").ToList();
        var missing = steps.Where(s => s is null).Count();
        if (missing > 0 && errors.Count == 0) return "not run";
        return errors.Count > 0 ? string.Join("; ", errors) : null;
    }

    public static string Pct(double share) => (share * 100).ToString("0", CultureInfo.InvariantCulture) + " %";

    /// <summary>Growth of every step's time across the scales that were run.</summary>
    public static List<GrowthRow> Growth(IReadOnlyList<ScaleResult> scales)
    {
        var withData = scales.Where(s => s.Data is not null).ToList();
        if (withData.Count < 2) return [];
        var steps = withData.SelectMany(s => s.Steps).Select(s => s.Step).Where(s => s != "prepare-data").Distinct().ToList();
        var result = new List<GrowthRow>();
        foreach (var step in steps)
        {
            var points = new List<GrowthPoint>();
            GrowthPoint? previous = null;
            foreach (var s in withData)
            {
                var sec = Seconds(s.Step(step));
                double? k = null;
                if (previous is { Seconds: { } t0 } && sec is { } t1 && t0 > 0 && t1 > 0 && s.Data!.LoadSessions != previous.Sessions)
                {
                    k = Math.Log(t1 / t0) / Math.Log((double)s.Data!.LoadSessions / previous.Sessions);
                }
                var point = new GrowthPoint(s.Scale, s.Data!.LoadSessions, sec, k);
                points.Add(point);
                previous = point;
            }
            var exps = points.Where(p => p.Exponent is not null).Select(p => p.Exponent!.Value).ToList();
            var verdict = exps.Count == 0 ? "—" : Describe(exps[^1]);
            result.Add(new GrowthRow(step, points, verdict));
        }
        return result;
    }

    private static string Describe(double k) => k switch
    {
        < 0.8 => $"sub-linear (k = {k:0.00})",
        <= 1.2 => $"linear (k = {k:0.00})",
        _ => $"super-linear (k = {k:0.00})",
    };
}
