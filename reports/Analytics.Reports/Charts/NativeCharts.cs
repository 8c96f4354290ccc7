using System.Globalization;
using System.Security;
using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Analytics.Reports.Charts;

/// <summary>
/// Adds native Excel charts (DrawingML) to a workbook ClosedXML has saved: ClosedXML 0.95.4 has
/// no charts, so the chart and drawing parts are written here with the OpenXml SDK 2.20.0.
/// Series reference the sheet's cells and carry cached values, so Excel and LibreOffice both
/// draw them without recalculating.
/// </summary>
public static class NativeCharts
{
    private const string ChartNs = "http://schemas.openxmlformats.org/drawingml/2006/chart";
    private const string DrawingNs = "http://schemas.openxmlformats.org/drawingml/2006/main";
    private const string SheetDrawingNs = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing";
    private const string RelNs = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    private static readonly string[] Palette = ["1F4E79", "C55A11", "548235", "7030A0", "BF9000", "2E75B6", "A50021", "00B0F0", "808080", "FF66CC"];

    /// <summary>Adds the charts to the package in <paramref name="xlsx"/> (opened read-write, the stream left open).</summary>
    public static void Add(Stream xlsx, IReadOnlyList<ChartSpec> charts)
    {
        if (charts.Count == 0)
        {
            return;
        }
        using var document = SpreadsheetDocument.Open(xlsx, true);
        Add(document, charts);
    }

    /// <summary>Adds the charts to an open, writable package.</summary>
    public static void Add(SpreadsheetDocument document, IReadOnlyList<ChartSpec> charts)
    {
        var workbookPart = document.WorkbookPart ?? throw new InvalidOperationException("The workbook has no workbook part.");
        foreach (var group in charts.GroupBy(c => c.Sheet))
        {
            var sheet = workbookPart.Workbook.Descendants<Sheet>().FirstOrDefault(s => s.Name?.Value == group.Key)
                ?? throw new InvalidOperationException($"No sheet '{group.Key}' to put a chart on.");
            var worksheetPart = (WorksheetPart)workbookPart.GetPartById(sheet.Id!.Value!);
            if (worksheetPart.DrawingsPart is not null)
            {
                throw new InvalidOperationException($"Sheet '{group.Key}' already has a drawing.");
            }
            var drawingsPart = worksheetPart.AddNewPart<DrawingsPart>();
            var anchors = new StringBuilder();
            var id = 2;
            foreach (var chart in group)
            {
                var chartPart = drawingsPart.AddNewPart<ChartPart>();
                Feed(chartPart, chart switch
                {
                    LineChartSpec line => LineChartXml(line),
                    ForestChartSpec forest => ForestChartXml(forest),
                    _ => throw new NotSupportedException(chart.GetType().Name),
                });
                anchors.Append(AnchorXml(chart, drawingsPart.GetIdOfPart(chartPart), id++));
            }
            Feed(drawingsPart, $"<xdr:wsDr xmlns:xdr=\"{SheetDrawingNs}\" xmlns:a=\"{DrawingNs}\">{anchors}</xdr:wsDr>");
            InsertDrawingReference(worksheetPart.Worksheet, worksheetPart.GetIdOfPart(drawingsPart));
            worksheetPart.Worksheet.Save();
        }
    }

    private static void Feed(OpenXmlPart part, string xml)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>" + xml));
        part.FeedData(stream);
    }

    /// <summary>The &lt;drawing&gt; element must precede legacyDrawing, tableParts and extLst (CT_Worksheet order).</summary>
    private static void InsertDrawingReference(Worksheet worksheet, string relationshipId)
    {
        var drawing = new Drawing { Id = relationshipId };
        var before = worksheet.ChildElements.FirstOrDefault(e =>
            e is LegacyDrawing or LegacyDrawingHeaderFooter or DrawingHeaderFooter or Picture or OleObjects or Controls
                or WebPublishItems or TableParts or WorksheetExtensionList);
        if (before is null)
        {
            worksheet.Append(drawing);
        }
        else
        {
            worksheet.InsertBefore(drawing, before);
        }
    }

    private static string AnchorXml(ChartSpec chart, string relationshipId, int id)
    {
        var a = chart.Anchor;
        return $"<xdr:twoCellAnchor editAs=\"oneCell\">" +
            $"<xdr:from><xdr:col>{a.FromColumn}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{a.FromRow}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>" +
            $"<xdr:to><xdr:col>{a.ToColumn}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{a.ToRow}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>" +
            $"<xdr:graphicFrame macro=\"\"><xdr:nvGraphicFramePr><xdr:cNvPr id=\"{id}\" name=\"Chart {id - 1}\" descr=\"{Esc(chart.Title)}\"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>" +
            "<xdr:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"0\" cy=\"0\"/></xdr:xfrm>" +
            $"<a:graphic><a:graphicData uri=\"{ChartNs}\"><c:chart xmlns:c=\"{ChartNs}\" xmlns:r=\"{RelNs}\" r:id=\"{relationshipId}\"/></a:graphicData></a:graphic>" +
            "</xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>";
    }

    private static string LineChartXml(LineChartSpec spec)
    {
        var series = new StringBuilder();
        for (var i = 0; i < spec.Series.Count; i++)
        {
            var s = spec.Series[i];
            var colour = Palette[i % Palette.Length];
            series.Append(CultureInfo.InvariantCulture, $"<c:ser><c:idx val=\"{i}\"/><c:order val=\"{i}\"/>")
                .Append(CultureInfo.InvariantCulture, $"<c:tx><c:v>{Esc(s.Name)}</c:v></c:tx>")
                .Append(CultureInfo.InvariantCulture, $"<c:spPr><a:ln w=\"28575\" cap=\"rnd\"><a:solidFill><a:srgbClr val=\"{colour}\"/></a:solidFill><a:round/></a:ln></c:spPr>")
                .Append(CultureInfo.InvariantCulture, $"<c:marker><c:symbol val=\"circle\"/><c:size val=\"5\"/><c:spPr><a:solidFill><a:srgbClr val=\"{colour}\"/></a:solidFill><a:ln><a:solidFill><a:srgbClr val=\"{colour}\"/></a:solidFill></a:ln></c:spPr></c:marker>")
                .Append("<c:cat>").Append(StrRef(spec.Sheet, spec.Categories, spec.CategoryCache)).Append("</c:cat>")
                .Append("<c:val>").Append(NumRef(spec.Sheet, s.Values, s.Cache, spec.AxisFormat)).Append("</c:val>")
                .Append("<c:smooth val=\"0\"/></c:ser>");
        }
        var plot = "<c:lineChart><c:grouping val=\"standard\"/><c:varyColors val=\"0\"/>" + series +
            "<c:marker val=\"1\"/><c:axId val=\"1001\"/><c:axId val=\"1002\"/></c:lineChart>" +
            "<c:catAx><c:axId val=\"1001\"/><c:scaling><c:orientation val=\"minMax\"/></c:scaling><c:delete val=\"0\"/><c:axPos val=\"b\"/>" +
            "<c:numFmt formatCode=\"General\" sourceLinked=\"0\"/><c:majorTickMark val=\"out\"/><c:minorTickMark val=\"none\"/><c:tickLblPos val=\"low\"/>" +
            Text(8, rotate: -2700000) +
            "<c:crossAx val=\"1002\"/><c:crosses val=\"autoZero\"/><c:auto val=\"1\"/><c:lblAlgn val=\"ctr\"/><c:lblOffset val=\"100\"/><c:noMultiLvlLbl val=\"0\"/></c:catAx>" +
            "<c:valAx><c:axId val=\"1002\"/><c:scaling><c:orientation val=\"minMax\"/></c:scaling><c:delete val=\"0\"/><c:axPos val=\"l\"/>" +
            Gridlines() + (spec.AxisTitle is null ? "" : AxisTitle(spec.AxisTitle, vertical: true)) +
            $"<c:numFmt formatCode=\"{Esc(spec.AxisFormat)}\" sourceLinked=\"0\"/><c:majorTickMark val=\"out\"/><c:minorTickMark val=\"none\"/><c:tickLblPos val=\"nextTo\"/>" +
            Text(8) + "<c:crossAx val=\"1001\"/><c:crosses val=\"autoZero\"/><c:crossBetween val=\"between\"/></c:valAx>";
        return ChartSpace(spec.Title, plot, legend: true);
    }

    private static string ForestChartXml(ForestChartSpec spec)
    {
        var series = new StringBuilder();
        for (var i = 0; i < spec.Points.Count; i++)
        {
            var p = spec.Points[i];
            var colour = Palette[i % Palette.Length];
            var row = new CellColumn(0, p.Row, p.Row);
            series.Append(CultureInfo.InvariantCulture, $"<c:ser><c:idx val=\"{i}\"/><c:order val=\"{i}\"/>")
                .Append("<c:tx>").Append(StrRef(spec.Sheet, row with { Column = spec.LabelColumn }, [p.Label])).Append("</c:tx>")
                .Append("<c:spPr><a:ln w=\"19050\"><a:noFill/></a:ln></c:spPr>")
                .Append(CultureInfo.InvariantCulture, $"<c:marker><c:symbol val=\"square\"/><c:size val=\"7\"/><c:spPr><a:solidFill><a:srgbClr val=\"{colour}\"/></a:solidFill><a:ln><a:solidFill><a:srgbClr val=\"{colour}\"/></a:solidFill></a:ln></c:spPr></c:marker>")
                .Append("<c:dLbls><c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>").Append(Text(8))
                .Append("<c:dLblPos val=\"t\"/><c:showLegendKey val=\"0\"/><c:showVal val=\"0\"/><c:showCatName val=\"0\"/><c:showSerName val=\"1\"/><c:showPercent val=\"0\"/><c:showBubbleSize val=\"0\"/></c:dLbls>")
                .Append("<c:errBars><c:errDir val=\"x\"/><c:errBarType val=\"both\"/><c:errValType val=\"cust\"/><c:noEndCap val=\"0\"/>")
                .Append("<c:plus>").Append(NumRef(spec.Sheet, row with { Column = spec.PlusColumn }, [p.Plus], "General")).Append("</c:plus>")
                .Append("<c:minus>").Append(NumRef(spec.Sheet, row with { Column = spec.MinusColumn }, [p.Minus], "General")).Append("</c:minus>")
                .Append(CultureInfo.InvariantCulture, $"<c:spPr><a:ln w=\"19050\"><a:solidFill><a:srgbClr val=\"{colour}\"/></a:solidFill></a:ln></c:spPr></c:errBars>")
                .Append("<c:xVal>").Append(NumRef(spec.Sheet, row with { Column = spec.EstimateColumn }, [p.Estimate], "General")).Append("</c:xVal>")
                .Append("<c:yVal>").Append(NumRef(spec.Sheet, row with { Column = spec.YColumn }, [p.Y], "General")).Append("</c:yVal>")
                .Append("<c:smooth val=\"0\"/></c:ser>");
        }
        var z = spec.ZeroLine;
        var n = spec.Points.Count;
        series.Append(CultureInfo.InvariantCulture, $"<c:ser><c:idx val=\"{n}\"/><c:order val=\"{n}\"/><c:tx><c:v>{Esc(spec.ReferenceName)}</c:v></c:tx>")
            .Append("<c:spPr><a:ln w=\"12700\"><a:solidFill><a:srgbClr val=\"7F7F7F\"/></a:solidFill><a:prstDash val=\"dash\"/></a:ln></c:spPr><c:marker><c:symbol val=\"none\"/></c:marker>")
            .Append("<c:xVal>").Append(NumRef(spec.Sheet, new CellColumn(z.XColumn, z.FirstRow, z.FirstRow + 1), [spec.ReferenceValue, spec.ReferenceValue], "General")).Append("</c:xVal>")
            .Append("<c:yVal>").Append(NumRef(spec.Sheet, new CellColumn(z.YColumn, z.FirstRow, z.FirstRow + 1), [0, z.Top], "General")).Append("</c:yVal>")
            .Append("<c:smooth val=\"0\"/></c:ser>");
        var plot = "<c:scatterChart><c:scatterStyle val=\"lineMarker\"/><c:varyColors val=\"0\"/>" + series +
            "<c:axId val=\"2001\"/><c:axId val=\"2002\"/></c:scatterChart>" +
            "<c:valAx><c:axId val=\"2001\"/><c:scaling><c:orientation val=\"minMax\"/>" +
            (spec.XMax is { } xMax ? string.Create(CultureInfo.InvariantCulture, $"<c:max val=\"{xMax:R}\"/>") : "") +
            (spec.XMin is { } xMin ? string.Create(CultureInfo.InvariantCulture, $"<c:min val=\"{xMin:R}\"/>") : "") +
            "</c:scaling><c:delete val=\"0\"/><c:axPos val=\"b\"/>" +
            Gridlines() + AxisTitle(spec.AxisTitle, vertical: false) +
            $"<c:numFmt formatCode=\"{Esc(spec.AxisFormat)}\" sourceLinked=\"0\"/><c:majorTickMark val=\"out\"/><c:minorTickMark val=\"none\"/><c:tickLblPos val=\"low\"/>" +
            Text(8) + "<c:crossAx val=\"2002\"/><c:crosses val=\"autoZero\"/><c:crossBetween val=\"midCat\"/></c:valAx>" +
            "<c:valAx><c:axId val=\"2002\"/><c:scaling><c:orientation val=\"minMax\"/>" +
            string.Create(CultureInfo.InvariantCulture, $"<c:max val=\"{z.Top}\"/><c:min val=\"0\"/>") +
            "</c:scaling><c:delete val=\"1\"/><c:axPos val=\"l\"/><c:numFmt formatCode=\"General\" sourceLinked=\"0\"/><c:majorTickMark val=\"none\"/><c:minorTickMark val=\"none\"/><c:tickLblPos val=\"none\"/>" +
            "<c:crossAx val=\"2001\"/><c:crosses val=\"autoZero\"/><c:crossBetween val=\"midCat\"/></c:valAx>";
        return ChartSpace(spec.Title, plot, legend: false);
    }

    private static string ChartSpace(string title, string plotArea, bool legend) =>
        $"<c:chartSpace xmlns:c=\"{ChartNs}\" xmlns:a=\"{DrawingNs}\" xmlns:r=\"{RelNs}\">" +
        "<c:roundedCorners val=\"0\"/><c:chart>" +
        $"<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz=\"1200\" b=\"1\"/></a:pPr><a:r><a:rPr lang=\"en-US\" sz=\"1200\" b=\"1\"/><a:t>{Esc(title)}</a:t></a:r></a:p></c:rich></c:tx><c:overlay val=\"0\"/></c:title>" +
        "<c:autoTitleDeleted val=\"0\"/><c:plotArea><c:layout/>" + plotArea + "</c:plotArea>" +
        (legend ? "<c:legend><c:legendPos val=\"b\"/><c:overlay val=\"0\"/>" + Text(9) + "</c:legend>" : "") +
        "<c:plotVisOnly val=\"1\"/><c:dispBlanksAs val=\"gap\"/></c:chart>" +
        "<c:spPr><a:solidFill><a:srgbClr val=\"FFFFFF\"/></a:solidFill><a:ln><a:solidFill><a:srgbClr val=\"D9D9D9\"/></a:solidFill></a:ln></c:spPr>" +
        "</c:chartSpace>";

    private static string Gridlines() =>
        "<c:majorGridlines><c:spPr><a:ln w=\"6350\"><a:solidFill><a:srgbClr val=\"E0E0E0\"/></a:solidFill></a:ln></c:spPr></c:majorGridlines>";

    private static string AxisTitle(string text, bool vertical) =>
        "<c:title><c:tx><c:rich>" + (vertical ? "<a:bodyPr rot=\"-5400000\" vert=\"horz\"/>" : "<a:bodyPr/>") +
        $"<a:lstStyle/><a:p><a:pPr><a:defRPr sz=\"900\" b=\"0\"/></a:pPr><a:r><a:rPr lang=\"en-US\" sz=\"900\" b=\"0\"/><a:t>{Esc(text)}</a:t></a:r></a:p></c:rich></c:tx><c:overlay val=\"0\"/></c:title>";

    private static string Text(int points, int rotate = 0) =>
        $"<c:txPr><a:bodyPr{(rotate != 0 ? $" rot=\"{rotate}\" vert=\"horz\"" : "")}/><a:lstStyle/><a:p><a:pPr><a:defRPr sz=\"{points * 100}\"/></a:pPr><a:endParaRPr lang=\"en-US\"/></a:p></c:txPr>";

    private static string StrRef(string sheet, CellColumn cells, IReadOnlyList<string> cache)
    {
        var b = new StringBuilder();
        b.Append("<c:strRef><c:f>").Append(Esc(Reference(sheet, cells))).Append("</c:f><c:strCache>")
            .Append(CultureInfo.InvariantCulture, $"<c:ptCount val=\"{cache.Count}\"/>");
        for (var i = 0; i < cache.Count; i++)
        {
            b.Append(CultureInfo.InvariantCulture, $"<c:pt idx=\"{i}\"><c:v>{Esc(cache[i])}</c:v></c:pt>");
        }
        return b.Append("</c:strCache></c:strRef>").ToString();
    }

    private static string NumRef(string sheet, CellColumn cells, IReadOnlyList<double?> cache, string format)
    {
        var b = new StringBuilder();
        b.Append("<c:numRef><c:f>").Append(Esc(Reference(sheet, cells))).Append("</c:f><c:numCache>")
            .Append(CultureInfo.InvariantCulture, $"<c:formatCode>{Esc(format)}</c:formatCode><c:ptCount val=\"{cache.Count}\"/>");
        for (var i = 0; i < cache.Count; i++)
        {
            if (cache[i] is { } v && double.IsFinite(v))
            {
                b.Append(CultureInfo.InvariantCulture, $"<c:pt idx=\"{i}\"><c:v>{v.ToString("R", CultureInfo.InvariantCulture)}</c:v></c:pt>");
            }
        }
        return b.Append("</c:numCache></c:numRef>").ToString();
    }

    private static string NumRef(string sheet, CellColumn cells, IReadOnlyList<double> cache, string format) =>
        NumRef(sheet, cells, [.. cache.Select(v => (double?)v)], format);

    /// <summary>An absolute reference such as <c>'Forest plot'!$C$5:$C$9</c>.</summary>
    public static string Reference(string sheet, CellColumn cells)
    {
        var column = ColumnLetters(cells.Column);
        var quoted = "'" + sheet.Replace("'", "''", StringComparison.Ordinal) + "'";
        return cells.FirstRow == cells.LastRow
            ? $"{quoted}!${column}${cells.FirstRow}"
            : $"{quoted}!${column}${cells.FirstRow}:${column}${cells.LastRow}";
    }

    public static string ColumnLetters(int column)
    {
        var letters = "";
        while (column > 0)
        {
            var m = (column - 1) % 26;
            letters = (char)('A' + m) + letters;
            column = (column - 1) / 26;
        }
        return letters;
    }

    private static string Esc(string text) => SecurityElement.Escape(Workbooks.Sheet.XmlSafe(text)) ?? "";
}
