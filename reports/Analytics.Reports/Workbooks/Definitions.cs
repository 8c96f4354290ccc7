using System.Globalization;
using Analytics.Domain;
using ClosedXML.Excel;

namespace Analytics.Reports.Workbooks;

/// <summary>The Definitions sheet every workbook ends with: what each number means and how it was made.</summary>
internal static class Definitions
{
    public const string SheetName = "Definitions";

    public static readonly (string Measure, string Definition)[] Common =
    [
        ("Course", "A treatment plan: its concern and clinic are those of its first session; its protocol is 'microneedling' followed by the sorted adjuncts of all its sessions, joined with '+'."),
        ("Month of an outcome", "A course's outcome belongs to the month of its latest follow_up score dated after its last session."),
        ("Evaluable course", "Severity scale: has a baseline (≠ 0) dated on or before the first session and a follow-up. Global scale: has a follow-up."),
        ("Improvement %", "(baseline − follow-up) / baseline × 100 where lower is better; (follow-up − baseline) / baseline × 100 where higher is better. Empty for global scales."),
        ("Responder", "A course meeting its instrument's responder rule (see the instrument table below)."),
        ("Responder rate", "Responders / evaluable courses, with a 95 % Wilson score interval."),
        ("Mean improvement", "Mean improvement % of evaluable courses, with a 95 % Student-t interval (n − 1 degrees of freedom)."),
        ("NPS", "100 × (promoters − detractors) / responses; promoters answer 9–10, passives 7–8, detractors 0–6."),
        ("Adverse-event rate", "Sessions with at least one adverse event / sessions, with a 95 % Wilson score interval."),
        ("New / returning patients", "New: first session at the clinic (anywhere, for the network) falls in the month. Returning: a session this month and one there in an earlier month."),
        ("Revenue", "Sum of session prices in the month, one line per currency (never converted)."),
        ("Suppressed / not enough data", "A row with fewer distinct patients than the minimum cell size keeps its counts and leaves its statistics empty; it is shown greyed out."),
        ("Headline rates (Summary)", "Pooled over the concern-total rows (protocol ALL) of the month: responders / evaluable course-instrument pairs, with a Wilson interval; 'not enough data' when every contributing row is suppressed. The headline mean improvement is the evaluable-weighted mean of the shown concern-total rows."),
        ("Courses finished (Summary)", "Courses with a follow-up in the month, counted once per concern on the instrument with the most courses."),
        ("Moved significantly", "Rates: pooled two-proportion z-test, two-sided p < 0.05. NPS: z-test using the NPS variance (p_promoter + p_detractor − (p_promoter − p_detractor)²)/n × 100². Mean improvement: the two 95 % intervals do not overlap (a conservative rule). Counts and revenue are complete counts, not samples: no test; changes of 10 % or more (and at least 5) are listed as changes, not as significant."),
        ("Observed / expected", "Observed mean improvement against the mean the model expects for the same case mix; shown only with enough courses. Computed over all months, not per month."),
    ];

    public static void Write(XLWorkbook workbook, ReportContext context, TableSettings settings, string footer,
        IReadOnlyList<(string Measure, string Definition)> measures, IReadOnlyList<(string Item, string Value)> about)
    {
        var ws = Sheet.Add(workbook, SheetName, "Definitions", "What every number in this workbook means and how it was made.", footer);
        Sheet.Widths(ws, 30, 9, 6, 6, 7, 18, 9, 36, 44);
        var row = 4;
        Sheet.Heading(ws, row++, "This workbook");
        var facts = new List<(string, string)>(about)
        {
            ("Generated at (UTC)", context.GeneratedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)),
            ("Software version", context.SoftwareVersion),
            ("Data range", $"{Date(settings.DataFrom)} to {Date(settings.DataTo)}"),
            ("Months computed", $"{Month(settings.FromMonth)} to {Month(settings.ToMonth)}"),
            ("Minimum cell size", settings.MinCellSize.ToString(CultureInfo.InvariantCulture)),
            ("Intervals", "95 %: Student-t for means, Wilson score for proportions"),
            ("Data caveat", "Observational clinic data, not a randomised trial: differences between clinics, practitioners or protocols can reflect case mix and choice of treatment."),
        };
        foreach (var (item, value) in facts)
        {
            Sheet.Text(ws.Cell(row, 1), item).Style.Font.SetBold();
            row = Sheet.Note(ws, row, value, 2, 9);
        }
        row++;
        Sheet.Heading(ws, row++, "Measures");
        foreach (var (measure, definition) in measures)
        {
            Sheet.Text(ws.Cell(row, 1), measure).Style.Font.SetBold();
            ws.Cell(row, 1).Style.Alignment.SetVertical(XLAlignmentVerticalValues.Top).Alignment.SetWrapText(true);
            row = Sheet.Note(ws, row, definition, 2, 9);
        }
        row++;
        Sheet.Heading(ws, row++, "Outcome instruments and responder rules used");
        var instruments = context.Instruments ?? settings.Instruments;
        var columns = new DisplayColumn<Instrument>[]
        {
            new("Code", 30, null, i => i.Code),
            new("Kind", 9, null, i => i.Kind == InstrumentKind.Severity ? "severity" : "global"),
            new("Min", 6, Formats.OneDecimal, i => i.Min),
            new("Max", 6, Formats.OneDecimal, i => i.Max),
            new("Better", 7, null, i => i.HigherIsBetter ? "higher" : "lower"),
            new("Responder rule", 18, null, i => i.RuleText),
            new("Threshold", 9, "0.##", i => i.Threshold),
            new("Basis", 36, null, i => i.ThresholdIsDefault ? "default setting: " + i.Basis : i.Basis),
            new("Name and concerns", 44, null, i => i.Name + " — " + (i.AnyConcern ? "any concern" : string.Join(", ", i.Concerns))),
        };
        row = Sheet.Table(ws, row, "Instruments", columns, instruments, setWidths: false);
        Sheet.FreezeAt(ws, 2);
        ws.Range(1, 1, row, 9).Style.Alignment.SetVertical(XLAlignmentVerticalValues.Top);
    }

    private static string Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "(not given)";

    private static string Month(int? month) => month is { } m ? Codes.MonthText(m) : "(all)";
}
