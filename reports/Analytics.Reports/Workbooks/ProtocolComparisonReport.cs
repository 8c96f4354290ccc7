using System.Globalization;
using Analytics.Domain;
using Analytics.Reports.Charts;
using Analytics.Reports.Exports;
using ClosedXML.Excel;

namespace Analytics.Reports.Workbooks;

/// <summary>
/// The protocol comparison workbook: per concern and instrument each protocol against
/// micro-needling alone (Welch, Holm, adjusted OLS), forest plots, the outcome models' accuracy
/// and feature importances, the what-if table, and a Conclusions sheet in words.
/// Written to <c>root/protocols.xlsx</c>.
/// </summary>
public sealed class ProtocolComparisonReport
{
    public const string ComparisonSheet = "Comparison";
    public const string ForestSheet = "Forest plot";
    public const string ModelsSheet = "Models";
    public const string ImportanceSheet = "Feature importance";
    public const string WhatIfSheet = "What-if";
    public const string ConclusionsSheet = "Conclusions";

    /// <summary>Family-wise significance level used with the Holm-adjusted p-values.</summary>
    public const double Alpha = 0.05;

    private readonly ReportTables _tables;
    private readonly ModelReport? _models;
    private readonly ReportContext _context;

    public ProtocolComparisonReport(ReportTables tables, ModelReport? models, ReportContext context)
    {
        _tables = tables;
        _models = models;
        _context = context;
    }

    public static byte[] Create(ReportTables tables, ModelReport? models, ReportContext context) =>
        new ProtocolComparisonReport(tables, models, context).Create();

    /// <summary>Writes <c>root/protocols.xlsx</c> atomically and returns its path.</summary>
    public string Write(string root) => WorkbookOutput.Write(ReportPaths.Protocols(root), Create());

    public byte[] Create()
    {
        var footer = $"Protocol comparison · generated {_context.GeneratedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC · v{_context.SoftwareVersion}";
        using var workbook = WorkbookOutput.NewWorkbook("Protocol comparison", _context);
        var charts = new List<ChartSpec>();
        var rows = ExportTables.ProtocolComparison.Sorted(_tables.ProtocolComparison);
        WriteConclusions(workbook, footer, rows);
        WriteComparison(workbook, footer, rows);
        WriteForest(workbook, footer, rows, charts);
        WriteModels(workbook, footer);
        WriteImportances(workbook, footer);
        WriteWhatIf(workbook, footer);
        Definitions.Write(workbook, _context, _tables.Settings, footer,
        [
            ("Comparison", "Each protocol against micro-needling alone within one concern and instrument, on evaluable courses of every month: Welch's two-sample t-test of improvement %, its 95 % interval for the difference (protocol − reference) and two-sided p-value."),
            ("Holm", "Holm's step-down adjustment of the Welch p-values across the protocols of one concern and instrument; 'significant' means p (Holm) < 0.05."),
            ("Adjusted difference", "Ordinary least squares of improvement % on protocol indicators (reference micro-needling alone) plus baseline score, Fitzpatrick type (categories), age and sessions, on courses with all of these: the protocol's coefficient, standard error, t-based 95 % interval and p-value."),
            ("Suppressed", $"A protocol with fewer than {_tables.Settings.MinCellSize} evaluable courses is left out of the tests, the Holm family and the adjusted model."),
            ("Model metrics", "Cross-validated R², RMSE and MAE of each trainer, against predicting the mean (baseline RMSE). The promoted trainer is the one used for expected values."),
            ("Feature importance", "Permutation feature importance: the mean drop in R² when a feature's values are shuffled (± its standard deviation over permutations)."),
            ("What-if", "The promoted model's expected improvement % for a patient profile under each protocol: a prediction from observational data, not a promise."),
        ],
        [("Comparisons", rows.Count.ToString(CultureInfo.InvariantCulture))]);
        workbook.Worksheet(ConclusionsSheet).SetTabActive();
        return WorkbookOutput.Finish(workbook, charts);
    }

    private static string F(double? value, string format = "0.0") =>
        value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "–";

    private static string P(double? p) => p is not { } v ? "–" : v < 0.001 ? "< 0.001" : v.ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>What one comparison row allows us to say, in one sentence.</summary>
    public static string Verdict(ProtocolComparisonRow r, int minCellSize)
    {
        if (r.Suppressed || r.Difference is null)
        {
            return $"Not compared: fewer than {minCellSize} evaluable courses (n = {r.N}, reference n = {r.NReference}).";
        }
        var crossesZero = r.DifferenceCiLow <= 0 && r.DifferenceCiHigh >= 0;
        var significant = r.PHolm is { } ph && ph < Alpha;
        var direction = r.Difference > 0 ? "better" : "worse";
        var text = significant
            ? $"Significantly {direction} than micro-needling alone after Holm correction: difference {F(r.Difference)} points (95 % CI {F(r.DifferenceCiLow)} to {F(r.DifferenceCiHigh)}), p (Holm) {P(r.PHolm)}."
            : crossesZero
                ? $"No detectable difference: the 95 % CI of the difference ({F(r.DifferenceCiLow)} to {F(r.DifferenceCiHigh)}) includes 0; p (Holm) {P(r.PHolm)}."
                : $"Not significant after Holm correction (p (Holm) {P(r.PHolm)}), although the unadjusted 95 % CI ({F(r.DifferenceCiLow)} to {F(r.DifferenceCiHigh)}) excludes 0.";
        if (r.AdjustedDifference is { } adjusted)
        {
            var adjustedCrosses = r.AdjustedCiLow <= 0 && r.AdjustedCiHigh >= 0;
            text += adjustedCrosses
                ? $" Adjusted for baseline, skin type, age and sessions: {F(adjusted)} (95 % CI {F(r.AdjustedCiLow)} to {F(r.AdjustedCiHigh)}), not distinguishable from 0."
                : $" Adjusted for baseline, skin type, age and sessions: {F(adjusted)} (95 % CI {F(r.AdjustedCiLow)} to {F(r.AdjustedCiHigh)}), still {(adjusted > 0 ? "better" : "worse")}.";
        }
        else
        {
            text += " No adjusted estimate (too few courses with complete case-mix data).";
        }
        return text;
    }

    private void WriteConclusions(XLWorkbook workbook, string footer, IReadOnlyList<ProtocolComparisonRow> rows)
    {
        var ws = Sheet.Add(workbook, ConclusionsSheet, "Protocol comparison — what can and cannot be concluded",
            "Each protocol against micro-needling alone, per concern and outcome instrument. Details on the following sheets.", footer);
        Sheet.Widths(ws, 26, 22, 30, 110);
        var row = 4;
        Sheet.Heading(ws, row++, "Read this first");
        string[] caveats =
        [
            "These are observational clinic data, not a randomised trial. Protocols are chosen by practitioners and patients, so a difference can reflect who received a protocol as much as what the protocol does. The adjusted differences correct only for baseline severity, skin type, age and number of sessions.",
            $"Only comparisons with at least {_tables.Settings.MinCellSize} evaluable courses per protocol are tested. 'Significant' means a Holm-adjusted p-value below {Alpha.ToString(CultureInfo.InvariantCulture)} within one concern and instrument; no correction is made across concerns.",
            "A confidence interval that includes 0 means the data cannot tell the protocol apart from micro-needling alone: it does not show that they are equal.",
        ];
        foreach (var caveat in caveats)
        {
            row = Sheet.Note(ws, row, "• " + caveat, 1, 4);
        }
        row++;
        var significant = rows.Count(r => !r.Suppressed && r.PHolm < Alpha);
        var suppressed = rows.Count(r => r.Suppressed);
        row = Sheet.Note(ws, row, $"{rows.Count} comparisons: {significant} significant after Holm correction, {rows.Count - significant - suppressed} not significant, {suppressed} not compared (too few courses).", 1, 4);
        ws.Cell(row - 1, 1).Style.Font.SetBold();
        row++;
        var columns = new DisplayColumn<ProtocolComparisonRow>[]
        {
            DisplayColumn<ProtocolComparisonRow>.Of(ExportTables.ProtocolComparison, "concern", "Concern", 26),
            DisplayColumn<ProtocolComparisonRow>.Of(ExportTables.ProtocolComparison, "instrument", "Instrument", 22),
            DisplayColumn<ProtocolComparisonRow>.Of(ExportTables.ProtocolComparison, "protocol", "Protocol", 30),
            new("Conclusion", 110, null, r => Verdict(r, _tables.Settings.MinCellSize)),
        };
        var first = row + 1;
        Sheet.Table(ws, row, "Conclusions", columns, rows, r => r.Suppressed, "No protocol comparisons were computed.", setWidths: false);
        for (var i = 0; i < rows.Count; i++)
        {
            ws.Cell(first + i, 4).Style.Alignment.SetWrapText(true);
            ws.Range(first + i, 1, first + i, 4).Style.Alignment.SetVertical(XLAlignmentVerticalValues.Top);
            ws.Row(first + i).Height = 13.5 * Sheet.WrapWords(Verdict(rows[i], _tables.Settings.MinCellSize), 112).Count() + 2;
        }
        ws.PageSetup.FitToPages(1, 0);
    }

    private void WriteComparison(XLWorkbook workbook, string footer, IReadOnlyList<ProtocolComparisonRow> rows)
    {
        var ws = Sheet.Add(workbook, ComparisonSheet, "Protocols against micro-needling alone",
            "Difference in mean improvement % (protocol − reference): Welch's t-test with Holm correction per concern and instrument, and the case-mix adjusted OLS estimate.", footer);
        var t = ExportTables.ProtocolComparison;
        var columns = new[]
        {
            DisplayColumn<ProtocolComparisonRow>.Of(t, "concern", "Concern", 15),
            DisplayColumn<ProtocolComparisonRow>.Of(t, "instrument", "Instrument", 18),
            DisplayColumn<ProtocolComparisonRow>.Of(t, "protocol", "Protocol", 28),
            DisplayColumn<ProtocolComparisonRow>.Of(t, "n", "n", 6),
            DisplayColumn<ProtocolComparisonRow>.Of(t, "n_reference", "n (reference)", 9),
            DisplayColumn<ProtocolComparisonRow>.Of(t, "mean_improvement_pct", "Mean improvement %", 11, Formats.OneDecimal),
            DisplayColumn<ProtocolComparisonRow>.Of(t, "reference_mean_improvement_pct", "Reference mean %", 10, Formats.OneDecimal),
            DisplayColumn<ProtocolComparisonRow>.Of(t, "difference", "Difference", 10, Formats.ChangeOneDecimal),
            DisplayColumn<ProtocolComparisonRow>.Of(t, "difference_ci_low", "Difference CI low", 10, Formats.ChangeOneDecimal),
            DisplayColumn<ProtocolComparisonRow>.Of(t, "difference_ci_high", "Difference CI high", 10, Formats.ChangeOneDecimal),
            DisplayColumn<ProtocolComparisonRow>.Of(t, "p_value", "p (Welch)", 9, Formats.PValue),
            DisplayColumn<ProtocolComparisonRow>.Of(t, "p_holm", "p (Holm)", 9, Formats.PValue),
            DisplayColumn<ProtocolComparisonRow>.Of(t, "adjusted_difference", "Adjusted difference", 10, Formats.ChangeOneDecimal),
            DisplayColumn<ProtocolComparisonRow>.Of(t, "adjusted_se", "Adjusted SE", 9, Formats.TwoDecimals),
            DisplayColumn<ProtocolComparisonRow>.Of(t, "adjusted_ci_low", "Adjusted CI low", 10, Formats.ChangeOneDecimal),
            DisplayColumn<ProtocolComparisonRow>.Of(t, "adjusted_ci_high", "Adjusted CI high", 10, Formats.ChangeOneDecimal),
            DisplayColumn<ProtocolComparisonRow>.Of(t, "adjusted_p_value", "p (adjusted)", 9, Formats.PValue),
            new DisplayColumn<ProtocolComparisonRow>("Status", 22, null, r => r.Suppressed ? "suppressed: too few courses"
                : r.PHolm < Alpha ? "significant (Holm)" : "not significant"),
        };
        Sheet.Table(ws, 4, "Comparison", columns, rows, r => r.Suppressed, "No protocol comparisons were computed.");
        Sheet.FreezeAt(ws, 4);
        ws.SheetView.FreezeColumns(3);
    }

    private void WriteForest(XLWorkbook workbook, string footer, IReadOnlyList<ProtocolComparisonRow> rows, List<ChartSpec> charts)
    {
        var ws = Sheet.Add(workbook, ForestSheet, "Forest plots — difference against micro-needling alone",
            "Points: difference in mean improvement % (percentage points); bars: 95 % intervals. Welch (unadjusted) and case-mix adjusted, per concern and instrument. Suppressed protocols are not plotted.", footer);
        var row = 4;
        var index = 0;
        foreach (var group in rows.GroupBy(r => (r.Concern, r.Instrument)))
        {
            var points = new List<ForestRow>();
            foreach (var r in group.Where(r => !r.Suppressed))
            {
                var name = r.Protocol.StartsWith(Codes.MicroneedlingAlone + "+", StringComparison.Ordinal)
                    ? "+ " + r.Protocol[(Codes.MicroneedlingAlone.Length + 1)..].Replace("+", " + ", StringComparison.Ordinal)
                    : r.Protocol;
                if (r is { Difference: { } d, DifferenceCiLow: { } lo, DifferenceCiHigh: { } hi })
                {
                    points.Add(new ForestRow($"{name} (Welch)", d, lo, hi));
                }
                if (r is { AdjustedDifference: { } a, AdjustedCiLow: { } alo, AdjustedCiHigh: { } ahi })
                {
                    points.Add(new ForestRow($"{name} (adjusted)", a, alo, ahi));
                }
            }
            var height = Math.Max(16, points.Count * 3 + 6);
            var (chart, next) = ForestBlock.Write(ws, row, 1, $"Forest{++index}", $"{group.Key.Concern} — {group.Key.Instrument}", points,
                "Difference in mean improvement % (points)", Formats.ChangeOneDecimal, "0",
                new ChartAnchor(ForestBlock.Width + 1, row - 1, ForestBlock.Width + 10, row - 1 + height));
            if (chart is not null)
            {
                charts.Add(chart);
            }
            row = Math.Max(next, row + height + 1);
        }
        if (index == 0)
        {
            Sheet.Note(ws, row, "No protocol comparisons were computed.", 1, 8);
        }
    }

    private void WriteModels(XLWorkbook workbook, string footer)
    {
        var ws = Sheet.Add(workbook, ModelsSheet, "Outcome models — cross-validated accuracy",
            "Each trainer against predicting the mean (baseline RMSE): a model helps only where its RMSE is clearly below the baseline's.", footer);
        if (_models is null)
        {
            Sheet.Note(ws, 4, "No model report was available for this run.", 1, 10);
            return;
        }
        var t = ExportTables.Models;
        var columns = new[]
        {
            DisplayColumn<ModelMetricsRow>.Of(t, "concern", "Concern", 16),
            DisplayColumn<ModelMetricsRow>.Of(t, "instrument", "Instrument", 20),
            DisplayColumn<ModelMetricsRow>.Of(t, "trainer", "Trainer", 16),
            DisplayColumn<ModelMetricsRow>.Of(t, "folds", "Folds", 7),
            DisplayColumn<ModelMetricsRow>.Of(t, "n", "Courses", 9),
            DisplayColumn<ModelMetricsRow>.Of(t, "r2", "R²", 8, "0.000"),
            DisplayColumn<ModelMetricsRow>.Of(t, "rmse", "RMSE", 9, Formats.TwoDecimals),
            DisplayColumn<ModelMetricsRow>.Of(t, "mae", "MAE", 9, Formats.TwoDecimals),
            DisplayColumn<ModelMetricsRow>.Of(t, "baseline_rmse", "Baseline RMSE", 10, Formats.TwoDecimals),
            DisplayColumn<ModelMetricsRow>.Of(t, "promoted", "Promoted", 9),
        };
        var rows = ExportTables.Models.Sorted(_models.Models);
        Sheet.Table(ws, 4, "Models", columns, rows, empty: "No models were fitted.");
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].Promoted)
            {
                ws.Range(5 + i, 1, 5 + i, columns.Length).Style.Font.SetBold();
            }
        }
        Sheet.FreezeAt(ws, 4);
    }

    private void WriteImportances(XLWorkbook workbook, string footer)
    {
        var ws = Sheet.Add(workbook, ImportanceSheet, "What the models rely on — permutation feature importance",
            "Mean drop in R² when one feature is shuffled; larger = the model leans on it more. Importance is not causation.", footer);
        if (_models is null)
        {
            Sheet.Note(ws, 4, "No model report was available for this run.", 1, 10);
            return;
        }
        var t = ExportTables.FeatureImportance;
        var columns = new[]
        {
            DisplayColumn<FeatureImportanceRow>.Of(t, "concern", "Concern", 16),
            DisplayColumn<FeatureImportanceRow>.Of(t, "instrument", "Instrument", 20),
            DisplayColumn<FeatureImportanceRow>.Of(t, "trainer", "Trainer", 14),
            DisplayColumn<FeatureImportanceRow>.Of(t, "rank", "Rank", 6),
            DisplayColumn<FeatureImportanceRow>.Of(t, "feature", "Feature", 20),
            DisplayColumn<FeatureImportanceRow>.Of(t, "delta_r2", "Drop in R²", 10, "0.0000"),
            DisplayColumn<FeatureImportanceRow>.Of(t, "delta_r2_sd", "SD", 9, "0.0000"),
        };
        var rows = ExportTables.FeatureImportance.Sorted(_models.FeatureImportances);
        Sheet.Table(ws, 4, "FeatureImportance", columns, rows, empty: "No feature importances were computed.");
        if (rows.Count > 1)
        {
            // A two-colour scale, not a data bar: ClosedXML 0.95.4 writes data bars with lower-case GUIDs, which fail schema validation.
            ws.Range(5, 6, 4 + rows.Count, 6).AddConditionalFormat().ColorScale()
                .LowestValue(XLColor.White).HighestValue(XLColor.FromHtml("#9DC3E6"));
        }
        Sheet.FreezeAt(ws, 4);
    }

    private void WriteWhatIf(XLWorkbook workbook, string footer)
    {
        var ws = Sheet.Add(workbook, WhatIfSheet, "What-if — expected improvement for a patient profile",
            "The promoted model's expected improvement % under each protocol. Predictions from observational data: a guide for discussion, not a promise.", footer);
        if (_models is null)
        {
            Sheet.Note(ws, 4, "No model report was available for this run.", 1, 10);
            return;
        }
        var t = ExportTables.WhatIf;
        var columns = new[]
        {
            DisplayColumn<WhatIfRow>.Of(t, "concern", "Concern", 16),
            DisplayColumn<WhatIfRow>.Of(t, "instrument", "Instrument", 20),
            DisplayColumn<WhatIfRow>.Of(t, "profile", "Profile", 44),
            DisplayColumn<WhatIfRow>.Of(t, "protocol", "Protocol", 28),
            DisplayColumn<WhatIfRow>.Of(t, "baseline", "Baseline", 9, "0.##"),
            DisplayColumn<WhatIfRow>.Of(t, "fitzpatrick_type", "Fitzpatrick", 9),
            DisplayColumn<WhatIfRow>.Of(t, "age", "Age", 6),
            DisplayColumn<WhatIfRow>.Of(t, "sessions", "Sessions", 8),
            DisplayColumn<WhatIfRow>.Of(t, "expected_improvement_pct", "Expected improvement %", 12, Formats.OneDecimal),
            DisplayColumn<WhatIfRow>.Of(t, "training_courses", "Training courses", 10),
        };
        Sheet.Table(ws, 4, "WhatIf", columns, ExportTables.WhatIf.Sorted(_models.WhatIf), empty: "No what-if rows were computed.");
        Sheet.FreezeAt(ws, 4);
    }
}
