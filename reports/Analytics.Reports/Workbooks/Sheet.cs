using Analytics.Reports.Exports;
using ClosedXML.Excel;

namespace Analytics.Reports.Workbooks;

/// <summary>One displayed column: header, explicit width, Excel number format, value accessor.</summary>
public sealed record DisplayColumn<T>(string Header, double Width, string? Format, Func<T, object?> Value)
{
    /// <summary>A column that shows an export column's value through the export's own accessor.</summary>
    public static DisplayColumn<T> Of(ExportTable<T> table, string exportName, string header, double width, string? format = null)
    {
        var column = table.Columns.Single(c => c.Name == exportName);
        return new DisplayColumn<T>(header, width, format ?? DefaultFormat(column.Kind), column.Read);
    }

    private static string? DefaultFormat(ColumnKind kind) => kind switch
    {
        ColumnKind.Integer => "#,##0",
        ColumnKind.Number => "0.0",
        ColumnKind.Money => "#,##0.00",
        _ => null,
    };
}

/// <summary>Number formats used across the workbooks.</summary>
public static class Formats
{
    public const string Count = "#,##0";
    public const string OneDecimal = "0.0";
    public const string TwoDecimals = "0.00";
    public const string Percent = "0.0%";
    public const string ChangePercent = "+0.0%;-0.0%;0.0%";
    public const string ChangeCount = "+#,##0;-#,##0;0";
    public const string ChangeOneDecimal = "+0.0;-0.0;0.0";
    public const string Money = "#,##0.00";
    public const string PValue = "0.0000";
    public const string DateTime = "yyyy-mm-dd hh:mm";
    public const string Date = "yyyy-mm-dd";
}

/// <summary>Writing helpers shared by the workbooks: one style, text always as text, explicit widths.</summary>
public static class Sheet
{
    public static readonly XLColor HeaderFill = XLColor.FromHtml("#1F4E79");
    public static readonly XLColor TitleColour = XLColor.FromHtml("#1F4E79");
    public static readonly XLColor MutedText = XLColor.FromHtml("#7F7F7F");
    public static readonly XLColor NoteFill = XLColor.FromHtml("#F2F2F2");

    /// <summary>A new sheet with a title, a subtitle line and the common print setup.</summary>
    public static IXLWorksheet Add(XLWorkbook workbook, string name, string title, string subtitle, string footer)
    {
        var ws = workbook.Worksheets.Add(name);
        ws.Style.Font.FontName = "Calibri";
        ws.Style.Font.FontSize = 10;
        Text(ws.Cell(1, 1), title).Style.Font.SetBold().Font.SetFontSize(14).Font.SetFontColor(TitleColour);
        Text(ws.Cell(2, 1), subtitle).Style.Font.SetFontColor(MutedText);
        ws.ShowGridLines = false;
        var page = ws.PageSetup;
        page.PageOrientation = XLPageOrientation.Landscape;
        page.PaperSize = XLPaperSize.A4Paper;
        page.FitToPages(1, 0);
        page.Margins.SetLeft(0.4).SetRight(0.4).SetTop(0.6).SetBottom(0.6).SetHeader(0.3).SetFooter(0.3);
        page.Header.Left.AddText(Escape(title));
        page.Header.Right.AddText("&A");
        page.Footer.Left.AddText(Escape(footer));
        page.Footer.Right.AddText("Page &P of &N");
        return ws;
    }

    /// <summary>'&amp;' starts a code in Excel headers and footers.</summary>
    /// <summary>Excel allows 255 characters per header or footer: long clinic names are shortened.</summary>
    private static string Escape(string text) =>
        XmlSafe(text.Length > 120 ? text[..119] + "…" : text).Replace("&", "&&", StringComparison.Ordinal);

    /// <summary>Imported text goes in as text: never a formula, never a number (<c>=1+1</c>, <c>00123</c> stay as typed).</summary>
    public static IXLCell Text(IXLCell cell, string? text)
    {
        if (text is null)
        {
            return cell;
        }
        cell.SetValue<string>(XmlSafe(text));
        cell.DataType = XLDataType.Text;
        return cell;
    }

    /// <summary>Control characters cannot be stored in the XML of a workbook: imported text loses them visibly (U+FFFD), never the whole file.</summary>
    public static string XmlSafe(string text)
    {
        foreach (var ch in text)
        {
            if (!System.Xml.XmlConvert.IsXmlChar(ch) && !char.IsSurrogate(ch))
            {
                return string.Concat(text.Select(c => System.Xml.XmlConvert.IsXmlChar(c) || char.IsSurrogate(c) ? c : '\uFFFD'));
            }
        }
        return text;
    }

    /// <summary>Writes a value of an export row: numbers as the double itself (never rounded), text as text.</summary>
    public static IXLCell Put(IXLCell cell, object? value)
    {
        switch (value)
        {
            case null:
                break;
            case string s:
                Text(cell, s);
                break;
            case double d when double.IsFinite(d):
                Number(cell, d);
                break;
            case double:
                break;
            case int i:
                cell.SetValue(i);
                break;
            case decimal m:
                Number(cell, (double)m);
                break;
            case bool b:
                Text(cell, b ? "yes" : "no");
                break;
            case DateTimeOffset t:
                cell.SetValue(t.UtcDateTime);
                break;
            default:
                Text(cell, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
        }
        return cell;
    }

    /// <summary>Writes a double so that the saved file holds exactly this double (see <see cref="PreciseNumbers"/>).</summary>
    public static IXLCell Number(IXLCell cell, double value)
    {
        cell.SetValue(value);
        PreciseNumbers.Record(cell, value);
        return cell;
    }

    /// <summary>
    /// Writes rows as an Excel table (banded, filter buttons) at <paramref name="top"/>, with column
    /// formats and widths; returns the row after the table. Suppressed rows are greyed and italic.
    /// </summary>
    public static int Table<T>(IXLWorksheet ws, int top, string tableName, IReadOnlyList<DisplayColumn<T>> columns,
        IReadOnlyList<T> rows, Func<T, bool>? muted = null, string? empty = null, int left = 1, bool setWidths = true)
    {
        for (var c = 0; c < columns.Count; c++)
        {
            Text(ws.Cell(top, left + c), columns[c].Header);
            if (setWidths)
            {
                ws.Column(left + c).Width = Math.Max(ws.Column(left + c).Width, columns[c].Width);
            }
        }
        if (rows.Count == 0)
        {
            StyleHeader(ws.Range(top, left, top, left + columns.Count - 1));
            Text(ws.Cell(top + 1, left), empty ?? "No rows for this selection.").Style.Font.SetItalic().Font.SetFontColor(MutedText);
            return top + 3;
        }
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            for (var c = 0; c < columns.Count; c++)
            {
                Put(ws.Cell(top + 1 + r, left + c), columns[c].Value(row));
            }
            if (muted is not null && muted(row))
            {
                ws.Range(top + 1 + r, left, top + 1 + r, left + columns.Count - 1).Style.Font.SetItalic().Font.SetFontColor(MutedText);
            }
        }
        for (var c = 0; c < columns.Count; c++)
        {
            if (columns[c].Format is { } format)
            {
                ws.Range(top + 1, left + c, top + rows.Count, left + c).Style.NumberFormat.Format = format;
            }
        }
        for (var c = 1; c < columns.Count; c++)
        {
            // Text after a right-aligned number would touch it: indent it a little.
            if (columns[c].Format is null)
            {
                ws.Range(top, left + c, top + rows.Count, left + c).Style.Alignment.SetIndent(1);
            }
        }
        var range = ws.Range(top, left, top + rows.Count, left + columns.Count - 1);
        var table = range.CreateTable(tableName);
        table.Theme = XLTableTheme.TableStyleLight9;
        table.ShowAutoFilter = true;
        table.ShowRowStripes = true;
        StyleHeader(range.FirstRow().AsRange());
        return top + rows.Count + 2;
    }

    private static void StyleHeader(IXLRange header)
    {
        // Wrapped headers need their height set: ClosedXML does not measure text.
        var lines = 1;
        foreach (var cell in header.Cells())
        {
            var width = cell.WorksheetColumn().Width;
            var words = WrapWords(cell.GetString(), Math.Max(4, (int)(width * 1.05))).Count();
            lines = Math.Max(lines, words);
        }
        header.Worksheet.Row(header.RangeAddress.FirstAddress.RowNumber).Height = 13.5 * lines + 2;
        header.Style.Font.SetBold().Font.SetFontColor(XLColor.White).Fill.SetBackgroundColor(HeaderFill);
        header.Style.Alignment.SetWrapText(true).Alignment.SetVertical(XLAlignmentVerticalValues.Top);
    }

    /// <summary>A bold section heading.</summary>
    public static void Heading(IXLWorksheet ws, int row, string text, int column = 1) =>
        Text(ws.Cell(row, column), text).Style.Font.SetBold().Font.SetFontSize(12).Font.SetFontColor(TitleColour);

    /// <summary>
    /// A note over several columns, word-wrapped into one row per line. Each line overflows into
    /// the empty cells to its right; no merged cells (ClosedXML's merges cost ~2 ms each).
    /// Returns the row after the note.
    /// </summary>
    public static int Note(IXLWorksheet ws, int row, string text, int fromColumn = 1, int toColumn = 10)
    {
        var width = 0.0;
        for (var c = fromColumn; c <= toColumn; c++)
        {
            width += ws.Column(c).Width;
        }
        // About 1.2 characters of 10-point text per unit of column width, with some slack.
        var perLine = Math.Max(20, (int)(width * 1.05));
        foreach (var line in WrapWords(text, perLine))
        {
            Text(ws.Cell(row, fromColumn), line).Style.Alignment.SetWrapText(false);
            row++;
        }
        return row;
    }

    public static IEnumerable<string> WrapWords(string text, int perLine)
    {
        var line = new System.Text.StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > perLine)
            {
                yield return line.ToString();
                line.Clear();
            }
            if (line.Length > 0)
            {
                line.Append(' ');
            }
            line.Append(word);
        }
        if (line.Length > 0)
        {
            yield return line.ToString();
        }
    }

    public static void Widths(IXLWorksheet ws, params double[] widths)
    {
        for (var i = 0; i < widths.Length; i++)
        {
            ws.Column(i + 1).Width = widths[i];
        }
    }

    /// <summary>Freezes the rows above and including <paramref name="headerRow"/>.</summary>
    public static void FreezeAt(IXLWorksheet ws, int headerRow) => ws.SheetView.FreezeRows(headerRow);
}
