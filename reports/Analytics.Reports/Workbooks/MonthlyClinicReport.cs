using System.Globalization;
using Analytics.Domain;
using Analytics.Reports.Charts;
using Analytics.Reports.Exports;
using ClosedXML.Excel;

namespace Analytics.Reports.Workbooks;

/// <summary>
/// The monthly workbook of one clinic (or of the whole network, clinic id <c>ALL</c>): Summary,
/// Outcomes, Satisfaction, Safety, Activity &amp; revenue, Practitioners, Trends, Data quality,
/// Definitions. Every table cell is the double of its export row, formatted, never rounded.
/// Build one instance per run and call <see cref="Create"/> per clinic: the tables are indexed once.
/// </summary>
public sealed class MonthlyClinicReport
{
    public const string SummarySheet = "Summary";
    public const string OutcomesSheet = "Outcomes";
    public const string SatisfactionSheet = "Satisfaction";
    public const string SafetySheet = "Safety";
    public const string ActivitySheet = "Activity & revenue";
    public const string PractitionersSheet = "Practitioners";
    public const string TrendsSheet = "Trends";
    public const string DataQualitySheet = "Data quality";

    private const string NotEnoughData = "not enough data";

    private readonly ReportIndex _index;
    private readonly ModelReport? _models;
    private readonly ReportContext _context;
    private readonly Dictionary<string, List<ObservedExpectedRow>> _observedExpected;

    public MonthlyClinicReport(ReportTables tables, ModelReport? models, ReportContext context)
        : this(new ReportIndex(tables), models, context)
    {
    }

    public MonthlyClinicReport(ReportIndex index, ModelReport? models, ReportContext context)
    {
        _index = index;
        _models = models;
        _context = context;
        // Practitioner rows by their clinic; clinic-level rows under ALL (the network workbook lists clinics).
        _observedExpected = new Dictionary<string, List<ObservedExpectedRow>>(StringComparer.Ordinal);
        foreach (var row in ExportTables.ObservedExpected.Sorted(models?.ObservedExpected ?? []))
        {
            var key = row.Level == "practitioner" ? row.ClinicId : row.Level == "clinic" ? Codes.All : null;
            if (key is null)
            {
                continue;
            }
            if (!_observedExpected.TryGetValue(key, out var list))
            {
                _observedExpected[key] = list = [];
            }
            list.Add(row);
        }
    }

    public static byte[] Create(ReportTables tables, ModelReport? models, string clinicId, int month, ReportContext context) =>
        new MonthlyClinicReport(tables, models, context).Create(clinicId, month);

    /// <summary>Writes <c>root/YYYY-MM/&lt;clinic&gt;.xlsx</c> atomically and returns its path.</summary>
    public string Write(string root, string clinicId, int month) =>
        WorkbookOutput.Write(ReportPaths.Monthly(root, month, clinicId), Create(clinicId, month));

    /// <summary>The workbooks of every clinic active in the month, plus the network's (<c>ALL</c>).</summary>
    public IReadOnlyList<string> WriteMonth(string root, int month, int maxDegreeOfParallelism = 0)
    {
        var clinics = _index.Clinics
            .Where(c => _index.Activity(month, c) is not null || _index.Outcomes(month, c).Count > 0 || _index.Satisfaction(month, c).Count > 0)
            .Append(Codes.All)
            .ToList();
        var paths = new string[clinics.Count];
        Parallel.For(0, clinics.Count,
            new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : Environment.ProcessorCount },
            i => paths[i] = Write(root, clinics[i], month));
        return paths;
    }

    public byte[] Create(string clinicId, int month)
    {
        var name = _context.ClinicName(clinicId);
        var title = $"{name} — {Codes.MonthText(month)}";
        var footer = $"{name} ({clinicId}) · {Codes.MonthText(month)} · generated {_context.GeneratedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC · v{_context.SoftwareVersion}";
        using var workbook = WorkbookOutput.NewWorkbook("Monthly report " + title, _context);
        var charts = new List<ChartSpec>();
        var now = MonthKpis.Of(_index, month, clinicId);
        var last = MonthKpis.Of(_index, Codes.AddMonths(month, -1), clinicId);
        var lastYear = MonthKpis.Of(_index, Codes.AddMonths(month, -12), clinicId);

        WriteSummary(workbook, clinicId, month, title, footer, now, last, lastYear);
        WriteOutcomes(workbook, clinicId, month, footer);
        WriteSatisfaction(workbook, clinicId, month, footer);
        WriteSafety(workbook, clinicId, month, footer);
        WriteActivity(workbook, clinicId, month, footer);
        WritePractitioners(workbook, clinicId, footer);
        WriteTrends(workbook, clinicId, month, footer, charts);
        WriteDataQuality(workbook, clinicId, month, footer);
        Definitions.Write(workbook, _context, _index.Tables.Settings, footer, Definitions.Common,
        [
            ("Clinic", clinicId == Codes.All ? "ALL (whole network)" : $"{name} ({clinicId})"),
            ("Month", Codes.MonthText(month)),
        ]);
        workbook.Worksheet(SummarySheet).SetTabActive();
        return WorkbookOutput.Finish(workbook, charts);
    }

    private sealed record Kpi(string Name, Func<MonthKpis, double?> Value, string Format, string ChangeFormat, bool IsCount);

    private void WriteSummary(XLWorkbook workbook, string clinicId, int month, string title, string footer,
        MonthKpis now, MonthKpis last, MonthKpis lastYear)
    {
        var ws = Sheet.Add(workbook, SummarySheet, "Monthly report: " + title,
            $"Headline measures of {Codes.MonthText(month)} against last month and the same month last year. " +
            $"Rates and means of fewer than {_index.MinCellSize} patients show \"{NotEnoughData}\".", footer);
        Sheet.Widths(ws, 30, 14, 14, 12, 14, 12, 60);
        var kpis = new List<Kpi>
        {
            new("Sessions", k => k.Sessions, Formats.Count, Formats.ChangeCount, true),
            new("Patients treated", k => k.Patients, Formats.Count, Formats.ChangeCount, true),
            new("New patients", k => k.NewPatients, Formats.Count, Formats.ChangeCount, true),
            new("Returning patients", k => k.ReturningPatients, Formats.Count, Formats.ChangeCount, true),
            new("Courses started", k => k.CoursesStarted, Formats.Count, Formats.ChangeCount, true),
            new("Courses finished (with follow-up)", k => k.CoursesFinished, Formats.Count, Formats.ChangeCount, true),
            new("Responder rate", k => k.ResponderRate, Formats.Percent, Formats.ChangePercent, false),
            new("Mean improvement %", k => k.MeanImprovementPct, Formats.OneDecimal, Formats.ChangeOneDecimal, false),
            new("NPS", k => k.Nps, Formats.OneDecimal, Formats.ChangeOneDecimal, false),
            new("Adverse-event rate (per session)", k => k.AdverseEventRate, Formats.Percent, Formats.ChangePercent, false),
        };
        foreach (var currency in now.Revenue.Keys.Concat(last.Revenue.Keys).Concat(lastYear.Revenue.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            kpis.Add(new($"Revenue ({currency})", k => k.Revenue.TryGetValue(currency, out var r) ? (double)r : 0.0, Formats.Money, "+#,##0.00;-#,##0.00;0.00", true));
        }

        Sheet.Heading(ws, 4, "Headline");
        var header = 5;
        string[] headers = ["Measure", Codes.MonthText(month), $"Last month ({Codes.MonthText(last.Month)})", "Change",
            $"Same month last year ({Codes.MonthText(lastYear.Month)})", "Change", "95 % interval this month"];
        for (var c = 0; c < headers.Length; c++)
        {
            Sheet.Text(ws.Cell(header, c + 1), headers[c]);
        }
        var headerRange = ws.Range(header, 1, header, headers.Length);
        headerRange.Style.Font.SetBold().Font.SetFontColor(XLColor.White).Fill.SetBackgroundColor(Sheet.HeaderFill)
            .Alignment.SetWrapText(true).Alignment.SetVertical(XLAlignmentVerticalValues.Top);
        ws.Row(header).Height = 42;
        var row = header + 1;
        foreach (var kpi in kpis)
        {
            Sheet.Text(ws.Cell(row, 1), kpi.Name).Style.Font.SetBold();
            WriteKpiValue(ws.Cell(row, 2), kpi, kpi.Value(now));
            WriteKpiValue(ws.Cell(row, 3), kpi, kpi.Value(last));
            WriteChange(ws.Cell(row, 4), kpi, kpi.Value(now), kpi.Value(last));
            WriteKpiValue(ws.Cell(row, 5), kpi, kpi.Value(lastYear));
            WriteChange(ws.Cell(row, 6), kpi, kpi.Value(now), kpi.Value(lastYear));
            var interval = kpi.Name switch
            {
                "Responder rate" => Interval(now.ResponderCiLow, now.ResponderCiHigh, "0.0%", $"{now.Responders} of {now.Evaluable} evaluable"),
                "Adverse-event rate (per session)" => Interval(now.AdverseEventCiLow, now.AdverseEventCiHigh, "0.0%", $"{now.AdverseEventSessions} of {now.SafetySessions} sessions"),
                "NPS" => now.NpsResponses > 0 ? $"{now.NpsResponses} responses" : "",
                _ => "",
            };
            Sheet.Text(ws.Cell(row, 7), interval).Style.Font.SetFontColor(Sheet.MutedText).Alignment.SetIndent(1);
            row++;
        }
        ws.Range(header + 1, 1, row - 1, headers.Length).Style.Border.SetBottomBorder(XLBorderStyleValues.Hair)
            .Border.SetBottomBorderColor(XLColor.FromHtml("#D9D9D9"));
        Sheet.FreezeAt(ws, header);

        row++;
        Sheet.Heading(ws, row++, "What moved");
        var lines = MovedLines(clinicId, month, now, last, "last month")
            .Concat(MovedLines(clinicId, month, now, lastYear, "the same month last year"))
            .ToList();
        if (lines.Count == 0)
        {
            lines.Add("No headline measure moved significantly compared with last month or the same month last year.");
        }
        foreach (var line in lines)
        {
            row = Sheet.Note(ws, row, "• " + line, 1, 7);
        }
        row++;
        var howFrom = row;
        row = Sheet.Note(ws, row, "How these lines are decided: rates use a two-proportion z-test (p < 0.05), NPS a z-test of its variance, " +
            "means whether the two 95 % intervals do not overlap; counts and revenue are complete counts, so changes of 10 % or more are listed without a test. " +
            "This is observational data: a change can reflect case mix as well as care.", 1, 7);
        ws.Range(howFrom, 1, row - 1, 1).Style.Font.SetFontColor(Sheet.MutedText).Font.SetItalic();
    }

    private static string Interval(double? low, double? high, string format, string counts) =>
        low is { } l && high is { } h
            ? $"{l.ToString(format, CultureInfo.InvariantCulture)} to {h.ToString(format, CultureInfo.InvariantCulture)} ({counts})"
            : counts;

    private static void WriteKpiValue(IXLCell cell, Kpi kpi, double? value)
    {
        if (value is { } v)
        {
            Sheet.Number(cell, v);
            cell.Style.NumberFormat.Format = kpi.Format;
        }
        else
        {
            Sheet.Text(cell, NotEnoughData).Style.Font.SetItalic().Font.SetFontColor(Sheet.MutedText);
            cell.Style.Alignment.SetHorizontal(XLAlignmentHorizontalValues.Right);
        }
    }

    private static void WriteChange(IXLCell cell, Kpi kpi, double? now, double? then)
    {
        if (now is { } a && then is { } b)
        {
            Sheet.Number(cell, a - b);
            cell.Style.NumberFormat.Format = kpi.ChangeFormat;
        }
    }

    private IEnumerable<string> MovedLines(string clinicId, int month, MonthKpis now, MonthKpis then, string against)
    {
        static string Direction(double delta) => delta > 0 ? "rose" : "fell";
        static string P(double p) => p < 0.001 ? "p < 0.001" : "p = " + p.ToString("0.000", CultureInfo.InvariantCulture);

        foreach (var (name, a, b) in new[]
        {
            ("Sessions", now.Sessions, then.Sessions),
            ("Patients treated", now.Patients, then.Patients),
            ("New patients", now.NewPatients, then.NewPatients),
        })
        {
            if (b > 0 && Math.Abs(a - b) >= 5 && Math.Abs(a - b) >= 0.10 * b)
            {
                yield return $"{name} {Direction(a - b)} from {b:N0} to {a:N0} ({(a - b) / (double)b:+0%;-0%}) compared with {against} (a count: no test).";
            }
        }
        if (now.ResponderRate is { } r1 && then.ResponderRate is { } r0
            && Significance.TwoProportions(now.Responders, now.Evaluable, then.Responders, then.Evaluable) is { Significant: true } rt)
        {
            yield return $"Responder rate {Direction(r1 - r0)} from {r0:0.0%} to {r1:0.0%} compared with {against} (two-proportion z-test, {P(rt.PValue)}).";
        }
        if (now.AdverseEventRate is { } e1 && then.AdverseEventRate is { } e0
            && Significance.TwoProportions(now.AdverseEventSessions, now.SafetySessions, then.AdverseEventSessions, then.SafetySessions) is { Significant: true } et)
        {
            yield return $"Adverse-event rate {Direction(e1 - e0)} from {e0:0.0%} to {e1:0.0%} of sessions compared with {against} (two-proportion z-test, {P(et.PValue)}).";
        }
        if (now.Nps is { } n1 && then.Nps is { } n0
            && Significance.Nps(now.Promoters, now.Detractors, now.NpsResponses, then.Promoters, then.Detractors, then.NpsResponses) is { Significant: true } nt)
        {
            yield return $"NPS {Direction(n1 - n0)} from {n0:0.0} to {n1:0.0} compared with {against} (z-test, {P(nt.PValue)}).";
        }
        var before = _index.Outcomes(then.Month, clinicId).Where(r => r.Protocol == Codes.All)
            .ToDictionary(r => (r.Concern, r.Instrument));
        foreach (var row in _index.Outcomes(month, clinicId).Where(r => r.Protocol == Codes.All && !r.Suppressed))
        {
            if (before.TryGetValue((row.Concern, row.Instrument), out var old) && !old.Suppressed
                && row.MeanImprovementPct is { } m1 && old.MeanImprovementPct is { } m0
                && Significance.IntervalsApart(row.ImprovementCiLow, row.ImprovementCiHigh, old.ImprovementCiLow, old.ImprovementCiHigh))
            {
                yield return $"Mean improvement for {row.Concern} ({row.Instrument}) {Direction(m1 - m0)} from {m0:0.0} % to {m1:0.0} % compared with {against}; the 95 % intervals do not overlap.";
            }
        }
        _ = month;
    }

    private string StatusOf(bool suppressed) => suppressed ? $"suppressed: fewer than {_index.MinCellSize} patients" : "";

    private void WriteOutcomes(XLWorkbook workbook, string clinicId, int month, string footer)
    {
        var ws = Sheet.Add(workbook, OutcomesSheet, $"Outcomes — courses finished in {Codes.MonthText(month)}",
            $"By concern, protocol and instrument; protocol ALL = concern total. Greyed rows have fewer than {_index.MinCellSize} patients: counts kept, statistics suppressed.", footer);
        var t = ExportTables.Outcomes;
        var columns = new[]
        {
            DisplayColumn<OutcomeRow>.Of(t, "concern", "Concern", 17),
            DisplayColumn<OutcomeRow>.Of(t, "protocol", "Protocol", 30),
            DisplayColumn<OutcomeRow>.Of(t, "instrument", "Instrument", 20),
            DisplayColumn<OutcomeRow>.Of(t, "courses", "Courses", 9),
            DisplayColumn<OutcomeRow>.Of(t, "evaluable_courses", "Evaluable", 10),
            DisplayColumn<OutcomeRow>.Of(t, "patients", "Patients", 9),
            DisplayColumn<OutcomeRow>.Of(t, "mean_improvement_pct", "Mean improvement %", 13, Formats.OneDecimal),
            DisplayColumn<OutcomeRow>.Of(t, "improvement_ci_low", "Improvement CI low", 12, Formats.OneDecimal),
            DisplayColumn<OutcomeRow>.Of(t, "improvement_ci_high", "Improvement CI high", 12, Formats.OneDecimal),
            DisplayColumn<OutcomeRow>.Of(t, "responders", "Responders", 11),
            DisplayColumn<OutcomeRow>.Of(t, "responder_rate", "Responder rate", 11, Formats.Percent),
            DisplayColumn<OutcomeRow>.Of(t, "responder_ci_low", "Responder CI low", 10.5, Formats.Percent),
            DisplayColumn<OutcomeRow>.Of(t, "responder_ci_high", "Responder CI high", 10.5, Formats.Percent),
            new DisplayColumn<OutcomeRow>("Status", 30, null, r => StatusOf(r.Suppressed)),
        };
        Sheet.Table(ws, 4, "Outcomes", columns, _index.Outcomes(month, clinicId), r => r.Suppressed,
            "No course of this clinic had its follow-up in this month.");
        Sheet.FreezeAt(ws, 4);
    }

    private void WriteSatisfaction(XLWorkbook workbook, string clinicId, int month, string footer)
    {
        var ws = Sheet.Add(workbook, SatisfactionSheet, $"Patient satisfaction — {Codes.MonthText(month)}",
            "Survey answers given in the month. Promoter columns and NPS on the nps question only.", footer);
        var t = ExportTables.Satisfaction;
        var columns = new[]
        {
            DisplayColumn<SatisfactionRow>.Of(t, "instrument", "Instrument", 22),
            DisplayColumn<SatisfactionRow>.Of(t, "responses", "Responses", 10),
            DisplayColumn<SatisfactionRow>.Of(t, "patients", "Patients", 9),
            DisplayColumn<SatisfactionRow>.Of(t, "mean_score", "Mean score", 10, Formats.TwoDecimals),
            DisplayColumn<SatisfactionRow>.Of(t, "ci_low", "95 % CI low", 10, Formats.TwoDecimals),
            DisplayColumn<SatisfactionRow>.Of(t, "ci_high", "95 % CI high", 10, Formats.TwoDecimals),
            DisplayColumn<SatisfactionRow>.Of(t, "promoters", "Promoters", 10),
            DisplayColumn<SatisfactionRow>.Of(t, "passives", "Passives", 9),
            DisplayColumn<SatisfactionRow>.Of(t, "detractors", "Detractors", 10),
            DisplayColumn<SatisfactionRow>.Of(t, "nps", "NPS", 8, Formats.OneDecimal),
            new DisplayColumn<SatisfactionRow>("Status", 30, null, r => StatusOf(r.Suppressed)),
        };
        Sheet.Table(ws, 4, "Satisfaction", columns, _index.Satisfaction(month, clinicId), r => r.Suppressed, "No survey answers in this month.");
        Sheet.FreezeAt(ws, 4);
    }

    private void WriteSafety(XLWorkbook workbook, string clinicId, int month, string footer)
    {
        var ws = Sheet.Add(workbook, SafetySheet, $"Safety — sessions in {Codes.MonthText(month)}",
            "Sessions with at least one adverse event, by concern, and the mean downtime reported.", footer);
        var t = ExportTables.Safety;
        var columns = new[]
        {
            DisplayColumn<SafetyRow>.Of(t, "concern", "Concern", 18),
            DisplayColumn<SafetyRow>.Of(t, "sessions", "Sessions", 10),
            DisplayColumn<SafetyRow>.Of(t, "patients", "Patients", 9),
            DisplayColumn<SafetyRow>.Of(t, "sessions_with_adverse_event", "Sessions with adverse event", 13),
            DisplayColumn<SafetyRow>.Of(t, "adverse_event_rate", "Adverse-event rate", 11, Formats.Percent),
            DisplayColumn<SafetyRow>.Of(t, "ci_low", "95 % CI low", 10, Formats.Percent),
            DisplayColumn<SafetyRow>.Of(t, "ci_high", "95 % CI high", 10, Formats.Percent),
            DisplayColumn<SafetyRow>.Of(t, "mean_downtime_days", "Mean downtime (days)", 14, Formats.OneDecimal),
            new DisplayColumn<SafetyRow>("Status", 30, null, r => StatusOf(r.Suppressed)),
        };
        Sheet.Table(ws, 4, "Safety", columns, _index.Safety(month, clinicId), r => r.Suppressed, "No sessions in this month.");
        Sheet.FreezeAt(ws, 4);
    }

    private void WriteActivity(XLWorkbook workbook, string clinicId, int month, string footer)
    {
        var ws = Sheet.Add(workbook, ActivitySheet, $"Activity and revenue — {Codes.MonthText(month)}",
            "This month, last month and the same month last year. Counts are never suppressed; revenue is per currency, never converted.", footer);
        int[] months = [month, Codes.AddMonths(month, -1), Codes.AddMonths(month, -12)];
        var t = ExportTables.Activity;
        var activity = months.Select(m => _index.Activity(m, clinicId)).OfType<ActivityRow>().ToList();
        var columns = new[]
        {
            DisplayColumn<ActivityRow>.Of(t, "month", "Month", 12),
            DisplayColumn<ActivityRow>.Of(t, "sessions", "Sessions", 10),
            DisplayColumn<ActivityRow>.Of(t, "patients", "Patients", 10),
            DisplayColumn<ActivityRow>.Of(t, "new_patients", "New patients", 10),
            DisplayColumn<ActivityRow>.Of(t, "returning_patients", "Returning patients", 11),
            DisplayColumn<ActivityRow>.Of(t, "courses_started", "Courses started", 10),
        };
        columns[0] = columns[0] with { Value = r => Codes.MonthText(r.Month) };
        Sheet.Heading(ws, 4, "Activity");
        var next = Sheet.Table(ws, 5, "Activity", columns, activity, empty: "No sessions in these months.");

        Sheet.Heading(ws, next, "Revenue");
        var r = ExportTables.Revenue;
        var revenue = months.SelectMany(m => _index.Revenue(m, clinicId)).ToList();
        var revenueColumns = new[]
        {
            new DisplayColumn<RevenueRow>("Month", 12, null, x => Codes.MonthText(x.Month)),
            DisplayColumn<RevenueRow>.Of(r, "currency", "Currency", 10),
            DisplayColumn<RevenueRow>.Of(r, "priced_sessions", "Priced sessions", 10),
            DisplayColumn<RevenueRow>.Of(r, "revenue", "Revenue", 14, Formats.Money),
        };
        Sheet.Table(ws, next + 1, "Revenue", revenueColumns, revenue, empty: "No priced sessions in these months.");
    }

    private void WritePractitioners(XLWorkbook workbook, string clinicId, string footer)
    {
        var isNetwork = clinicId == Codes.All;
        var who = isNetwork ? "clinic" : "practitioner";
        var ws = Sheet.Add(workbook, PractitionersSheet, isNetwork ? "Clinics — observed against expected" : "Practitioners — observed against expected",
            $"Mean improvement % of each {who}'s courses against what the outcome model expects for the same case mix, over all months. " +
            "Shown only with enough courses; an interval that includes 0 means no clear difference.", footer);
        if (_models is null)
        {
            Sheet.Note(ws, 4, "No model report was available for this run, so observed-against-expected figures are not shown.", 1, 10);
            Sheet.Widths(ws, 18, 18, 18, 10, 12, 12, 12, 10, 10, 10, 30);
            return;
        }
        var rows = _observedExpected.GetValueOrDefault(clinicId) ?? [];
        var t = ExportTables.ObservedExpected;
        object? IfShown(ObservedExpectedRow row, object? value) => row.Shown ? value : null;
        var columns = new[]
        {
            DisplayColumn<ObservedExpectedRow>.Of(t, "concern", "Concern", 17),
            DisplayColumn<ObservedExpectedRow>.Of(t, "instrument", "Instrument", 20),
            DisplayColumn<ObservedExpectedRow>.Of(t, "id", isNetwork ? "Clinic" : "Practitioner", 16),
            DisplayColumn<ObservedExpectedRow>.Of(t, "courses", "Courses", 9),
            new DisplayColumn<ObservedExpectedRow>("Observed mean %", 11, Formats.OneDecimal, x => IfShown(x, x.ObservedMean)),
            new DisplayColumn<ObservedExpectedRow>("Expected mean %", 11, Formats.OneDecimal, x => IfShown(x, x.ExpectedMean)),
            new DisplayColumn<ObservedExpectedRow>("Observed − expected", 12, Formats.ChangeOneDecimal, x => IfShown(x, x.ObservedMinusExpected)),
            new DisplayColumn<ObservedExpectedRow>("95 % CI low", 10, Formats.ChangeOneDecimal, x => IfShown(x, x.OeCiLow)),
            new DisplayColumn<ObservedExpectedRow>("95 % CI high", 10, Formats.ChangeOneDecimal, x => IfShown(x, x.OeCiHigh)),
            new DisplayColumn<ObservedExpectedRow>("O/E ratio", 9, Formats.TwoDecimals, x => IfShown(x, x.OeRatio)),
            new DisplayColumn<ObservedExpectedRow>("Status", 30, null, x => !x.Shown ? "too few courses: not shown"
                : x.OeCiLow > 0 ? "better than expected" : x.OeCiHigh < 0 ? "worse than expected" : "as expected"),
        };
        Sheet.Table(ws, 4, "ObservedExpected", columns, rows, r => !r.Shown, $"No {who} rows in the model report.");
        if (rows.Count > 1)
        {
            ws.Range(5, 7, 4 + rows.Count, 7).AddConditionalFormat().ColorScale()
                .LowestValue(XLColor.FromHtml("#F8696B")).Midpoint(XLCFContentType.Number, 0, XLColor.White).HighestValue(XLColor.FromHtml("#63BE7B"));
        }
        Sheet.FreezeAt(ws, 4);
    }

    private void WriteTrends(XLWorkbook workbook, string clinicId, int month, string footer, List<ChartSpec> charts)
    {
        var ws = Sheet.Add(workbook, TrendsSheet, "Trends — last 12 months",
            "Headline measures month by month (empty = not enough data). Charts below.", footer);
        var months = Enumerable.Range(-11, 12).Select(d => MonthKpis.Of(_index, Codes.AddMonths(month, d), clinicId)).ToList();
        var columns = new DisplayColumn<MonthKpis>[]
        {
            new("Month", 10, null, k => Codes.MonthText(k.Month)),
            new("Sessions", 10, Formats.Count, k => k.Sessions),
            new("Patients", 10, Formats.Count, k => k.Patients),
            new("New patients", 10, Formats.Count, k => k.NewPatients),
            new("Returning patients", 11, Formats.Count, k => k.ReturningPatients),
            new("Courses finished", 10, Formats.Count, k => k.CoursesFinished),
            new("Responder rate", 11, Formats.Percent, k => k.ResponderRate),
            new("Mean improvement %", 12, Formats.OneDecimal, k => k.MeanImprovementPct),
            new("NPS", 9, Formats.OneDecimal, k => k.Nps),
            new("Adverse-event rate", 11, Formats.Percent, k => k.AdverseEventRate),
        };
        const int header = 4;
        Sheet.Table(ws, header, "Trends", columns, months);
        Sheet.FreezeAt(ws, header);
        var first = header + 1;
        var lastRow = header + months.Count;
        var categories = new CellColumn(1, first, lastRow);
        var labels = months.Select(k => Codes.MonthText(k.Month)).ToList();
        LineSeries Series(string name, int column, Func<MonthKpis, double?> value) =>
            new(name, new CellColumn(column, first, lastRow), [.. months.Select(value)]);
        var top = lastRow + 2;
        charts.Add(new LineChartSpec(TrendsSheet, "Sessions and patients", new ChartAnchor(0, top, 5, top + 18), categories, labels,
            [Series("Sessions", 2, k => k.Sessions), Series("Patients", 3, k => k.Patients), Series("New patients", 4, k => k.NewPatients)], "#,##0"));
        charts.Add(new LineChartSpec(TrendsSheet, "Responder and adverse-event rates", new ChartAnchor(5, top, 10, top + 18), categories, labels,
            [Series("Responder rate", 7, k => k.ResponderRate), Series("Adverse-event rate", 10, k => k.AdverseEventRate)], "0%"));
        charts.Add(new LineChartSpec(TrendsSheet, "NPS and mean improvement %", new ChartAnchor(0, top + 19, 5, top + 37), categories, labels,
            [Series("NPS", 9, k => k.Nps), Series("Mean improvement %", 8, k => k.MeanImprovementPct)], "0"));
        ws.PageSetup.FitToPages(1, 1);
    }

    private void WriteDataQuality(XLWorkbook workbook, string clinicId, int month, string footer)
    {
        var ws = Sheet.Add(workbook, DataQualitySheet, "Data quality",
            "What could not be used, month by month (last 12 months), and the rows rejected on import this month by reason.", footer);
        var rows = Enumerable.Range(-11, 12).Select(d => Codes.AddMonths(month, d))
            .SelectMany(m => _index.DataQuality(m, clinicId)).ToList();
        var columns = new DisplayColumn<DataQualityRow>[]
        {
            new("Month", 26, null, r => Codes.MonthText(r.Month)),
            new("Courses without baseline", 13, Formats.Count, r => r.CoursesWithoutBaseline),
            new("Courses without follow-up", 13, Formats.Count, r => r.CoursesWithoutFollowUp),
            new("Follow-ups treated as interim", 14, Formats.Count, r => r.FollowUpsTreatedAsInterim),
            new("Answers without clinic", 12, Formats.Count, r => r.AnswersWithoutClinic),
            new("Assessments awaiting their course", 15, Formats.Count, r => r.AssessmentsAwaitingCourse),
            new("Rejected rows", 10, Formats.Count, r => r.RejectedRows),
        };
        var next = Sheet.Table(ws, 4, "DataQuality", columns, rows, empty: "No data-quality notes for these months.");
        Sheet.FreezeAt(ws, 4);

        Sheet.Heading(ws, next, $"Rows rejected on import in {Codes.MonthText(month)}, by reason");
        var rejects = _context.Rejects ?? [];
        var mine = rejects.Where(r => r.Month == month && r.ClinicId == clinicId).ToList();
        if (clinicId == Codes.All && mine.Count == 0)
        {
            mine = [.. rejects.Where(r => r.Month == month).GroupBy(r => r.Reason, StringComparer.Ordinal)
                .Select(g => new RejectCount(month, Codes.All, g.Key, g.Sum(x => x.Rows)))];
        }
        mine = [.. mine.OrderByDescending(r => r.Rows).ThenBy(r => r.Reason, StringComparer.Ordinal)];
        var rejectColumns = new DisplayColumn<RejectCount>[]
        {
            new("Reason", 10, null, r => r.Reason),
            new("Rows", 13, Formats.Count, r => r.Rows),
        };
        Sheet.Table(ws, next + 1, "Rejects", rejectColumns, mine, setWidths: false,
            empty: _context.Rejects is null ? "Reject counts were not given to this report." : "No rows rejected in this month.");
        if (mine.Count > 0)
        {
            ws.Range(next + 2, 1, next + 1 + mine.Count, 2).Style.Alignment.SetWrapText(false);
        }
    }
}
