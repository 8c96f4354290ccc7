using Analytics.Domain;
using Analytics.Reports.Charts;
using Analytics.Reports.Exports;
using ClosedXML.Excel;

namespace Analytics.Reports.Workbooks;

/// <summary>
/// The network workbook of one month: clinics side by side (Clinics), ranked with their 95 %
/// intervals (Rankings, with a forest plot against the network rate), outcomes by concern per
/// clinic ranked with intervals (Outcomes by clinic), and Definitions. Written to
/// <c>root/YYYY-MM/network.xlsx</c>.
/// </summary>
public sealed class NetworkReport
{
    public const string ClinicsSheet = "Clinics";
    public const string RankingsSheet = "Rankings";
    public const string OutcomesSheet = "Outcomes by clinic";
    public const string PlotSheet = "Responder plot";

    private readonly ReportIndex _index;
    private readonly ReportContext _context;

    public NetworkReport(ReportTables tables, ReportContext context) : this(new ReportIndex(tables), context)
    {
    }

    public NetworkReport(ReportIndex index, ReportContext context)
    {
        _index = index;
        _context = context;
    }

    public static byte[] Create(ReportTables tables, int month, ReportContext context) => new NetworkReport(tables, context).Create(month);

    /// <summary>Writes <c>root/YYYY-MM/network.xlsx</c> atomically and returns its path.</summary>
    public string Write(string root, int month) => WorkbookOutput.Write(ReportPaths.Network(root, month), Create(month));

    private sealed record ClinicLine(string ClinicId, string Name, MonthKpis Kpis);

    public byte[] Create(int month)
    {
        var footer = $"Network · {Codes.MonthText(month)} · generated {_context.GeneratedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC · v{_context.SoftwareVersion}";
        using var workbook = WorkbookOutput.NewWorkbook("Network report " + Codes.MonthText(month), _context);
        var charts = new List<ChartSpec>();
        var clinics = _index.Clinics
            .Select(c => new ClinicLine(c, _context.ClinicName(c), MonthKpis.Of(_index, month, c)))
            .Where(c => c.Kpis.Sessions > 0 || c.Kpis.CoursesFinished > 0 || c.Kpis.NpsResponses > 0)
            .ToList();
        var network = new ClinicLine(Codes.All, _context.ClinicName(Codes.All), MonthKpis.Of(_index, month, Codes.All));
        WriteClinics(workbook, month, footer, clinics, network);
        WriteRankings(workbook, month, footer, clinics, network, charts);
        WriteOutcomes(workbook, month, footer, clinics);
        Definitions.Write(workbook, _context, _index.Tables.Settings, footer,
        [
            .. Definitions.Common,
            ("Ranking", "Clinics are ordered by their point estimate; each shows its 95 % interval. Clinics whose intervals overlap cannot be told apart. 'Above' or 'below network' means the clinic's interval excludes the network value."),
        ],
        [("Month", Codes.MonthText(month)), ("Clinics", clinics.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        workbook.Worksheet(ClinicsSheet).SetTabActive();
        return WorkbookOutput.Finish(workbook, charts);
    }

    private void WriteClinics(XLWorkbook workbook, int month, string footer, List<ClinicLine> clinics, ClinicLine network)
    {
        var ws = Sheet.Add(workbook, ClinicsSheet, $"Network — clinics side by side, {Codes.MonthText(month)}",
            $"One row per clinic, the network total last. Rates and means of fewer than {_index.MinCellSize} patients are empty.", footer);
        var currencies = clinics.Append(network).SelectMany(c => c.Kpis.Revenue.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var columns = new List<DisplayColumn<ClinicLine>>
        {
            new("Clinic id", 12, null, c => c.ClinicId),
            new("Clinic", 26, null, c => c.Name),
            new("Sessions", 9, Formats.Count, c => c.Kpis.Sessions),
            new("Patients", 9, Formats.Count, c => c.Kpis.Patients),
            new("New patients", 9, Formats.Count, c => c.Kpis.NewPatients),
            new("Courses finished", 9, Formats.Count, c => c.Kpis.CoursesFinished),
            new("Responder rate", 10, Formats.Percent, c => c.Kpis.ResponderRate),
            new("Responder CI low", 10, Formats.Percent, c => c.Kpis.ResponderCiLow),
            new("Responder CI high", 10, Formats.Percent, c => c.Kpis.ResponderCiHigh),
            new("Mean improvement %", 11, Formats.OneDecimal, c => c.Kpis.MeanImprovementPct),
            new("NPS", 8, Formats.OneDecimal, c => c.Kpis.Nps),
            new("Adverse-event rate", 10, Formats.Percent, c => c.Kpis.AdverseEventRate),
            new("AE CI low", 9, Formats.Percent, c => c.Kpis.AdverseEventCiLow),
            new("AE CI high", 9, Formats.Percent, c => c.Kpis.AdverseEventCiHigh),
        };
        columns.AddRange(currencies.Select(cur => new DisplayColumn<ClinicLine>($"Revenue ({cur})", 13, Formats.Money,
            c => c.Kpis.Revenue.TryGetValue(cur, out var r) ? r : null)));
        var rows = clinics.Append(network).ToList();
        Sheet.Table(ws, 4, "Clinics", columns, rows, empty: "No clinic had activity in this month.");
        if (rows.Count > 0)
        {
            ws.Range(4 + rows.Count, 1, 4 + rows.Count, columns.Count).Style.Font.SetBold();
        }
        Sheet.FreezeAt(ws, 4);
        ws.SheetView.FreezeColumns(2);
    }

    private void WriteRankings(XLWorkbook workbook, int month, string footer, List<ClinicLine> clinics, ClinicLine network, List<ChartSpec> charts)
    {
        var ws = Sheet.Add(workbook, RankingsSheet, $"Clinics ranked, with 95 % intervals — {Codes.MonthText(month)}",
            "Ordered by the point estimate. Overlapping intervals mean the clinics cannot be told apart; 'above/below network' only when the interval excludes the network value.", footer);
        string Versus(double? low, double? high, double? reference, bool higherIsBetter)
        {
            if (low is not { } l || high is not { } h || reference is not { } r)
            {
                return low is null ? "not enough data" : "";
            }
            return l > r ? (higherIsBetter ? "above network (better)" : "above network (worse)")
                : h < r ? (higherIsBetter ? "below network (worse)" : "below network (better)")
                : "consistent with network";
        }
        var row = 4;
        Sheet.Heading(ws, row++, "Responder rate");
        var byResponders = clinics.OrderBy(c => c.Kpis.ResponderRate is null ? 1 : 0)
            .ThenByDescending(c => c.Kpis.ResponderRate ?? 0).ThenBy(c => c.ClinicId, StringComparer.Ordinal).ToList();
        var responderColumns = new DisplayColumn<ClinicLine>[]
        {
            new("Rank", 7, "0", c => c.Kpis.ResponderRate is null ? null : byResponders.IndexOf(c) + 1),
            new("Clinic id", 12, null, c => c.ClinicId),
            new("Clinic", 26, null, c => c.Name),
            new("Evaluable", 10, Formats.Count, c => c.Kpis.Evaluable),
            new("Responders", 10, Formats.Count, c => c.Kpis.Responders),
            new("Rate", 9, Formats.Percent, c => c.Kpis.ResponderRate),
            new("95 % CI low", 10, Formats.Percent, c => c.Kpis.ResponderCiLow),
            new("95 % CI high", 10, Formats.Percent, c => c.Kpis.ResponderCiHigh),
            new("Compared with network", 24, null, c => Versus(c.Kpis.ResponderCiLow, c.Kpis.ResponderCiHigh, network.Kpis.ResponderRate, true)),
        };
        row = Sheet.Table(ws, row, "ResponderRanking", responderColumns, byResponders, c => c.Kpis.ResponderRate is null);
        Sheet.Heading(ws, row++, "Adverse-event rate (lower is better)");
        var byEvents = clinics.OrderBy(c => c.Kpis.AdverseEventRate is null ? 1 : 0)
            .ThenBy(c => c.Kpis.AdverseEventRate ?? 0).ThenBy(c => c.ClinicId, StringComparer.Ordinal).ToList();
        var eventColumns = new DisplayColumn<ClinicLine>[]
        {
            new("Rank", 7, "0", c => c.Kpis.AdverseEventRate is null ? null : byEvents.IndexOf(c) + 1),
            new("Clinic id", 12, null, c => c.ClinicId),
            new("Clinic", 26, null, c => c.Name),
            new("Sessions", 10, Formats.Count, c => c.Kpis.SafetySessions),
            new("With event", 10, Formats.Count, c => c.Kpis.AdverseEventSessions),
            new("Rate", 9, Formats.Percent, c => c.Kpis.AdverseEventRate),
            new("95 % CI low", 10, Formats.Percent, c => c.Kpis.AdverseEventCiLow),
            new("95 % CI high", 10, Formats.Percent, c => c.Kpis.AdverseEventCiHigh),
            new("Compared with network", 24, null, c => Versus(c.Kpis.AdverseEventCiLow, c.Kpis.AdverseEventCiHigh, network.Kpis.AdverseEventRate, false)),
        };
        row = Sheet.Table(ws, row, "AdverseEventRanking", eventColumns, byEvents, c => c.Kpis.AdverseEventRate is null);
        Sheet.FreezeAt(ws, 2);

        var plotted = byResponders.Where(c => c.Kpis is { ResponderRate: not null, ResponderCiLow: not null, ResponderCiHigh: not null })
            .Select(c => new ForestRow(c.Name == c.ClinicId ? c.ClinicId : $"{c.Name} ({c.ClinicId})", c.Kpis.ResponderRate!.Value, c.Kpis.ResponderCiLow!.Value, c.Kpis.ResponderCiHigh!.Value))
            .ToList();
        var plot = Sheet.Add(workbook, PlotSheet, $"Responder rate by clinic — {Codes.MonthText(month)}",
            "Each clinic's responder rate with its 95 % Wilson interval; the dashed line is the network rate.", footer);
        var height = Math.Max(18, plotted.Count * 2 + 8);
        var (chart, _) = ForestBlock.Write(plot, 4, 1, "ResponderPlot", "Responder rate by clinic (95 % Wilson interval)", plotted,
            "Responder rate", Formats.Percent, "0%", new ChartAnchor(ForestBlock.Width + 1, 3, ForestBlock.Width + 9, 3 + height),
            network.Kpis.ResponderRate ?? 0, "network rate", nonNegative: true);
        if (chart is not null && network.Kpis.ResponderRate is not null)
        {
            charts.Add(chart);
        }
    }

    private void WriteOutcomes(XLWorkbook workbook, int month, string footer, List<ClinicLine> clinics)
    {
        var ws = Sheet.Add(workbook, OutcomesSheet, $"Outcomes by concern, clinics ranked — {Codes.MonthText(month)}",
            "Concern totals (protocol ALL) of each clinic, ranked within concern and instrument by mean improvement (severity scales) or responder rate (global scales), with 95 % intervals.", footer);
        var names = clinics.ToDictionary(c => c.ClinicId, c => c.Name, StringComparer.Ordinal);
        var ranked = new List<(OutcomeRow Row, int? Rank)>();
        var groups = clinics.SelectMany(c => _index.Outcomes(month, c.ClinicId)).Where(r => r.Protocol == Codes.All)
            .GroupBy(r => (r.Concern, r.Instrument))
            .OrderBy(g => g.Key.Concern, StringComparer.Ordinal).ThenBy(g => g.Key.Instrument, StringComparer.Ordinal);
        foreach (var group in groups)
        {
            var severity = group.Any(r => r.MeanImprovementPct is not null);
            var ordered = group.OrderBy(r => r.Suppressed ? 1 : 0)
                .ThenByDescending(r => severity ? r.MeanImprovementPct ?? double.MinValue : r.ResponderRate ?? double.MinValue)
                .ThenBy(r => r.ClinicId, StringComparer.Ordinal).ToList();
            var rank = 0;
            ranked.AddRange(ordered.Select(r => (r, r.Suppressed ? (int?)null : ++rank)));
        }
        var t = ExportTables.Outcomes;
        DisplayColumn<(OutcomeRow Row, int? Rank)> Of(string name, string header, double width, string? format = null)
        {
            var c = DisplayColumn<OutcomeRow>.Of(t, name, header, width, format);
            return new(c.Header, c.Width, c.Format, x => c.Value(x.Row));
        }
        var columns = new[]
        {
            Of("concern", "Concern", 16),
            Of("instrument", "Instrument", 20),
            new DisplayColumn<(OutcomeRow Row, int? Rank)>("Rank", 6, "0", x => x.Rank),
            Of("clinic_id", "Clinic id", 12),
            new DisplayColumn<(OutcomeRow Row, int? Rank)>("Clinic", 24, null, x => names.GetValueOrDefault(x.Row.ClinicId, x.Row.ClinicId)),
            Of("evaluable_courses", "Evaluable", 9),
            Of("patients", "Patients", 9),
            Of("mean_improvement_pct", "Mean improvement %", 11, Formats.OneDecimal),
            Of("improvement_ci_low", "Improvement CI low", 11, Formats.OneDecimal),
            Of("improvement_ci_high", "Improvement CI high", 11, Formats.OneDecimal),
            Of("responder_rate", "Responder rate", 10, Formats.Percent),
            Of("responder_ci_low", "Responder CI low", 10, Formats.Percent),
            Of("responder_ci_high", "Responder CI high", 10, Formats.Percent),
            new DisplayColumn<(OutcomeRow Row, int? Rank)>("Status", 26, null, x => x.Row.Suppressed ? $"suppressed: fewer than {_index.MinCellSize} patients" : ""),
        };
        Sheet.Table(ws, 4, "OutcomesByClinic", columns, ranked, x => x.Row.Suppressed, "No course finished in this month.");
        Sheet.FreezeAt(ws, 4);
    }
}
