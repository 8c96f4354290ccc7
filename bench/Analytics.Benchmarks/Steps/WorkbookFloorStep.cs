using System.Diagnostics;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Analytics.Benchmarks.Steps;

/// <summary>
/// The workbooks' floor: the same sheets with the same cell values as the workbooks the product wrote, written with
/// OpenXmlWriter (SAX, DocumentFormat.OpenXml 2.20.0), inline strings, no styling, no charts. The product's
/// workbooks are read first (untimed) to get exactly their cells; only the writing is timed.
/// </summary>
public sealed class WorkbookFloorStep : IBenchStep
{
    public string Name => "workbooks-floor";

    public Task RunAsync(BenchPaths paths, StepReport report, CancellationToken ct)
    {
        var sources = Directory.Exists(paths.WorkbooksDir)
            ? Directory.GetFiles(paths.WorkbooksDir, "*.xlsx", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList()
            : [];
        if (sources.Count == 0) throw new InvalidOperationException($"No product workbooks in {paths.WorkbooksDir}: run the workbooks step first.");

        var read = Stopwatch.StartNew();
        var books = sources.Select(f => WorkbookCells.Read(f, Path.GetRelativePath(paths.WorkbooksDir, f))).ToList();
        read.Stop();
        var cells = books.Sum(b => b.CellCount);
        report.Notes.Add($"read {books.Count} product workbooks ({cells:N0} cells, {books.Sum(b => b.Sheets.Count)} sheets) in {read.Elapsed.TotalSeconds:0.0} s, untimed");

        if (Directory.Exists(paths.FloorWorkbooksDir)) Directory.Delete(paths.FloorWorkbooksDir, recursive: true);
        var sw = Stopwatch.StartNew();
        double monthly = 0, network = 0, protocols = 0;
        long monthlyCells = 0, networkCells = 0, protocolCells = 0;
        foreach (var book in books)
        {
            var one = Stopwatch.StartNew();
            var target = Path.Combine(paths.FloorWorkbooksDir, book.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            SaxWorkbookWriter.Write(target, book);
            var s = one.Elapsed.TotalSeconds;
            switch (Path.GetFileName(book.RelativePath))
            {
                case "network.xlsx": network += s; networkCells += book.CellCount; break;
                case "protocols.xlsx": protocols += s; protocolCells += book.CellCount; break;
                default: monthly += s; monthlyCells += book.CellCount; break;
            }
        }
        sw.Stop();
        report.Seconds = sw.Elapsed.TotalSeconds;
        report.Rows = cells;
        report.RowsLabel = "cells";
        report.Breakdown.Add(new Timing($"{books.Count - (networkCells > 0 ? 1 : 0) - (protocolCells > 0 ? 1 : 0)} monthly workbooks", monthly, monthlyCells));
        report.Breakdown.Add(new Timing("network workbook", network, networkCells));
        report.Breakdown.Add(new Timing("protocol workbook", protocols, protocolCells));
        return Task.CompletedTask;
    }
}

/// <summary>One workbook's cell values, sheet by sheet (no styles, no charts).</summary>
public sealed record WorkbookCells(string RelativePath, List<SheetCells> Sheets)
{
    public long CellCount => Sheets.Sum(s => s.Rows.Sum(r => (long)r.Cells.Count));

    /// <summary>Reads every sheet's cells with OpenXmlReader; shared strings resolved, formulas kept with their cached value.</summary>
    public static WorkbookCells Read(string file, string relativePath)
    {
        using var doc = SpreadsheetDocument.Open(file, false);
        var wb = doc.WorkbookPart ?? throw new InvalidDataException($"{file} has no workbook part.");
        var shared = wb.SharedStringTablePart?.SharedStringTable?.Elements<SharedStringItem>().Select(i => i.InnerText).ToArray() ?? [];
        var sheets = new List<SheetCells>();
        foreach (var sheet in wb.Workbook.Sheets?.Elements<Sheet>() ?? [])
        {
            if (sheet.Id?.Value is not { } id || wb.GetPartById(id) is not WorksheetPart part) continue;
            var rows = new List<RowCells>();
            using var reader = OpenXmlReader.Create(part);
            RowCells? row = null;
            while (reader.Read())
            {
                if (reader.ElementType == typeof(Row) && reader.IsStartElement)
                {
                    var r = reader.Attributes.FirstOrDefault(a => a.LocalName == "r").Value;
                    row = new RowCells(uint.TryParse(r, out var ri) ? ri : (uint)rows.Count + 1, []);
                    rows.Add(row);
                }
                else if (reader.ElementType == typeof(Cell) && reader.IsStartElement && row is not null)
                {
                    var cell = (Cell)reader.LoadCurrentElement()!;
                    var value = cell.CellValue?.Text;
                    var formula = cell.CellFormula?.Text;
                    var type = cell.DataType?.Value;
                    CellKind kind;
                    string? text;
                    if (type == CellValues.SharedString)
                    {
                        kind = CellKind.Text;
                        text = int.TryParse(value, out var si) && si < shared.Length ? shared[si] : value;
                    }
                    else if (type == CellValues.InlineString)
                    {
                        kind = CellKind.Text;
                        text = cell.InlineString?.InnerText;
                    }
                    else if (type == CellValues.String || type == CellValues.Error)
                    {
                        kind = CellKind.Text;
                        text = value;
                    }
                    else if (type == CellValues.Boolean)
                    {
                        kind = CellKind.Boolean;
                        text = value;
                    }
                    else
                    {
                        kind = CellKind.Number;
                        text = value;
                    }
                    if (text is null && formula is null) continue;
                    row.Cells.Add(new CellData(ColumnIndex(cell.CellReference?.Value) ?? row.Cells.Count + 1, kind, text, formula));
                }
            }
            sheets.Add(new SheetCells(sheet.Name?.Value ?? $"Sheet{sheets.Count + 1}", rows));
        }
        return new WorkbookCells(relativePath, sheets);
    }

    private static int? ColumnIndex(string? reference)
    {
        if (string.IsNullOrEmpty(reference)) return null;
        var n = 0;
        foreach (var ch in reference)
        {
            if (ch is < 'A' or > 'Z') break;
            n = n * 26 + (ch - 'A' + 1);
        }
        return n == 0 ? null : n;
    }
}

public sealed record SheetCells(string Name, List<RowCells> Rows);

public sealed record RowCells(uint Index, List<CellData> Cells);

public enum CellKind : byte
{
    Number,
    Text,
    Boolean,
}

public sealed record CellData(int Column, CellKind Kind, string? Value, string? Formula);

/// <summary>Writes cells with OpenXmlWriter: one SAX pass per sheet, inline strings, no styles part.</summary>
public static class SaxWorkbookWriter
{
    // OpenXmlWriter only takes the element's name from these; the attributes carry the content.
    private static readonly Worksheet WorksheetElement = new();
    private static readonly SheetData SheetDataElement = new();
    private static readonly Row RowElement = new();
    private static readonly Cell CellElement = new();
    private static readonly InlineString InlineStringElement = new();

    public static void Write(string path, WorkbookCells book)
    {
        using var doc = SpreadsheetDocument.Create(path, SpreadsheetDocumentType.Workbook);
        var wbPart = doc.AddWorkbookPart();
        var sheets = new Sheets();
        uint sheetId = 1;
        var refs = new List<OpenXmlAttribute>(2);
        foreach (var sheet in book.Sheets)
        {
            var part = wbPart.AddNewPart<WorksheetPart>();
            using (var w = OpenXmlWriter.Create(part))
            {
                w.WriteStartElement(WorksheetElement);
                w.WriteStartElement(SheetDataElement);
                foreach (var row in sheet.Rows)
                {
                    var r = row.Index.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    w.WriteStartElement(RowElement, [new OpenXmlAttribute("r", "", r)]);
                    foreach (var cell in row.Cells)
                    {
                        refs.Clear();
                        refs.Add(new OpenXmlAttribute("r", "", ColumnName(cell.Column) + r));
                        switch (cell.Kind)
                        {
                            case CellKind.Text when cell.Formula is null:
                                refs.Add(new OpenXmlAttribute("t", "", "inlineStr"));
                                w.WriteStartElement(CellElement, refs);
                                w.WriteStartElement(InlineStringElement);
                                w.WriteElement(new Text(cell.Value ?? "") { Space = SpaceProcessingModeValues.Preserve });
                                w.WriteEndElement();
                                w.WriteEndElement();
                                continue;
                            case CellKind.Text:
                                refs.Add(new OpenXmlAttribute("t", "", "str"));
                                break;
                            case CellKind.Boolean:
                                refs.Add(new OpenXmlAttribute("t", "", "b"));
                                break;
                        }
                        w.WriteStartElement(CellElement, refs);
                        if (cell.Formula is { } f) w.WriteElement(new CellFormula(f));
                        if (cell.Value is { } v) w.WriteElement(new CellValue(v));
                        w.WriteEndElement();
                    }
                    w.WriteEndElement();
                }
                w.WriteEndElement();
                w.WriteEndElement();
            }
            sheets.Append(new Sheet { Name = sheet.Name, SheetId = sheetId++, Id = wbPart.GetIdOfPart(part) });
        }
        wbPart.Workbook = new Workbook(sheets);
        wbPart.Workbook.Save();
    }

    private static string ColumnName(int column)
    {
        Span<char> buffer = stackalloc char[4];
        var i = buffer.Length;
        while (column > 0)
        {
            column--;
            buffer[--i] = (char)('A' + column % 26);
            column /= 26;
        }
        return new string(buffer[i..]);
    }
}
