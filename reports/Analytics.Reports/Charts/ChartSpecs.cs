namespace Analytics.Reports.Charts;

/// <summary>Where a chart sits: zero-based column and row of its top-left and bottom-right cells.</summary>
public sealed record ChartAnchor(int FromColumn, int FromRow, int ToColumn, int ToRow);

/// <summary>A data range on a sheet: one column, rows <c>FirstRow..LastRow</c> (one-based, as in Excel).</summary>
public sealed record CellColumn(int Column, int FirstRow, int LastRow);

public abstract record ChartSpec(string Sheet, string Title, ChartAnchor Anchor);

/// <summary>One line of a line chart: name, values, and the cached values written with it.</summary>
public sealed record LineSeries(string Name, CellColumn Values, IReadOnlyList<double?> Cache);

/// <summary>A line chart over text categories (months on the Trends sheet).</summary>
public sealed record LineChartSpec(
    string Sheet, string Title, ChartAnchor Anchor,
    CellColumn Categories, IReadOnlyList<string> CategoryCache,
    IReadOnlyList<LineSeries> Series, string AxisFormat, string? AxisTitle = null)
    : ChartSpec(Sheet, Title, Anchor);

/// <summary>One row of a forest plot: a point estimate with its 95 % interval at height <see cref="Y"/>.</summary>
public sealed record ForestPoint(string Label, int Row, double Estimate, double Minus, double Plus, double Y);

/// <summary>
/// A forest plot: a scatter chart, one series per row (so each carries its own label), with
/// horizontal custom error bars for the interval and a vertical reference line at zero.
/// Cells: <see cref="EstimateColumn"/>, <see cref="MinusColumn"/>, <see cref="PlusColumn"/>,
/// <see cref="YColumn"/> hold the plotted values of each point's row; the zero line uses
/// <see cref="ZeroLine"/> (x column, y column, two rows).
/// </summary>
public sealed record ForestChartSpec(
    string Sheet, string Title, ChartAnchor Anchor,
    IReadOnlyList<ForestPoint> Points, int LabelColumn, int EstimateColumn, int MinusColumn, int PlusColumn, int YColumn,
    (int XColumn, int YColumn, int FirstRow, double Top) ZeroLine, string AxisTitle, string AxisFormat = "0",
    double ReferenceValue = 0, string ReferenceName = "no difference", double? XMin = null, double? XMax = null)
    : ChartSpec(Sheet, Title, Anchor);
