using Analytics.Reports.Charts;
using ClosedXML.Excel;

namespace Analytics.Reports.Workbooks;

/// <summary>One estimate with its 95 % interval, to be drawn on a forest plot.</summary>
public sealed record ForestRow(string Label, double Estimate, double Low, double High);

/// <summary>
/// Writes the data of a forest plot on a sheet (label, estimate, interval, and the plotted
/// helper values: height and error-bar lengths) and returns the chart that draws it.
/// </summary>
internal static class ForestBlock
{
    /// <summary>Columns used from <paramref name="left"/>: label, estimate, low, high, y, minus, plus.</summary>
    public const int Width = 7;

    public static (ForestChartSpec? Chart, int NextRow) Write(IXLWorksheet ws, int top, int left, string tableName, string title,
        IReadOnlyList<ForestRow> rows, string axisTitle, string valueFormat, string axisFormat, ChartAnchor anchor,
        double referenceValue = 0, string referenceName = "no difference", bool nonNegative = false)
    {
        string[] headers = ["Label", "Estimate", "95 % CI low", "95 % CI high", "Plot height", "Error bar −", "Error bar +"];
        var n = rows.Count;
        var columns = new DisplayColumn<(ForestRow Row, int Index)>[]
        {
            new(headers[0], 34, null, x => x.Row.Label),
            new(headers[1], 10, valueFormat, x => x.Row.Estimate),
            new(headers[2], 10, valueFormat, x => x.Row.Low),
            new(headers[3], 10, valueFormat, x => x.Row.High),
            new(headers[4], 9, "0", x => (double)(n - x.Index)),
            new(headers[5], 9, valueFormat, x => x.Row.Estimate - x.Row.Low),
            new(headers[6], 9, valueFormat, x => x.Row.High - x.Row.Estimate),
        };
        var indexed = rows.Select((r, i) => (r, i)).ToList();
        Sheet.Text(ws.Cell(top, left), title).Style.Font.SetBold();
        var next = Sheet.Table(ws, top + 1, tableName, columns, indexed, left: left, empty: "Nothing to plot: every row is suppressed.");
        if (n == 0)
        {
            return (null, next);
        }
        // The plot-helper columns are muted: they exist only for the chart.
        ws.Range(top + 2, left + 4, top + 1 + n, left + 6).Style.Font.SetFontColor(Sheet.MutedText);
        // Two cells for the vertical reference line: x = reference, y from 0 to the top.
        var lineRow = top + 2 + n;
        Sheet.Number(ws.Cell(lineRow, left + 4), referenceValue).Style.Font.SetFontColor(Sheet.MutedText).NumberFormat.SetFormat(valueFormat);
        Sheet.Number(ws.Cell(lineRow + 1, left + 4), referenceValue).Style.Font.SetFontColor(Sheet.MutedText).NumberFormat.SetFormat(valueFormat);
        ws.Cell(lineRow, left + 5).SetValue(0.0).Style.Font.SetFontColor(Sheet.MutedText);
        ws.Cell(lineRow + 1, left + 5).SetValue((double)(n + 1)).Style.Font.SetFontColor(Sheet.MutedText);
        Sheet.Text(ws.Cell(lineRow, left), $"reference line ({referenceName}): x, then y from 0 to top").Style.Font.SetFontColor(Sheet.MutedText);
        var points = rows.Select((r, i) => new ForestPoint(r.Label, top + 2 + i, r.Estimate, r.Estimate - r.Low, r.High - r.Estimate, n - i)).ToList();
        var chart = new ForestChartSpec(ws.Name, title, anchor, points,
            LabelColumn: left, EstimateColumn: left + 1, MinusColumn: left + 5, PlusColumn: left + 6, YColumn: left + 4,
            ZeroLine: (left + 4, left + 5, lineRow, n + 1), axisTitle, axisFormat, referenceValue, referenceName);
        var (xMin, xMax) = NiceRange(rows.Min(r => r.Low), rows.Max(r => r.High), referenceValue, nonNegative);
        chart = chart with { XMin = xMin, XMax = xMax };
        return (chart, Math.Max(next, lineRow + 3));
    }

    /// <summary>Axis bounds on a round step that include every interval and the reference line.</summary>
    public static (double Min, double Max) NiceRange(double low, double high, double reference, bool nonNegative = false)
    {
        low = Math.Min(low, reference);
        high = Math.Max(high, reference);
        var range = high - low;
        if (!(range > 0))
        {
            range = Math.Abs(high) > 0 ? Math.Abs(high) : 1;
        }
        var raw = range / 5;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
        var min = Math.Floor(low / step) * step;
        var max = Math.Ceiling(high / step) * step;
        // Keep the reference line and the interval ends off the frame.
        return (min >= low && !(nonNegative && min - step < 0) ? min - step : min, max <= high ? max + step : max);
    }
}
