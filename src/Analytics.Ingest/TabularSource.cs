using System.Globalization;
using System.Text;
using ClosedXML.Excel;
using CsvHelper;
using CsvHelper.Configuration;

namespace Analytics.Ingest;

/// <summary>One input row: its physical line (header = line 1) and its fields in header order.</summary>
public readonly record struct SourceRow(int Line, string[] Fields);

/// <summary>
/// A CSV file or an .xlsx sheet holding one of the contract's files. <see cref="ReadRows"/> can be
/// enumerated more than once (the importer reads twice: ids first, then rows) and streams.
/// </summary>
public abstract class TabularSource
{
    protected TabularSource(string displayName, InputKind kind)
    {
        DisplayName = displayName;
        Kind = kind;
    }

    /// <summary>File name (CSV) or <c>workbook.xlsx#sheet</c>; stored on rejected rows.</summary>
    public string DisplayName { get; }

    public InputKind Kind { get; }

    public abstract IReadOnlyList<string> ReadHeader();

    public abstract IEnumerable<SourceRow> ReadRows();
}

/// <summary>RFC 4180 CSV via CsvHelper's parser; UTF-8 with or without BOM.</summary>
public sealed class CsvTabularSource(string path, InputKind kind) : TabularSource(System.IO.Path.GetFileName(path), kind)
{
    public string Path { get; } = path;

    private static CsvConfiguration Configuration => new(CultureInfo.InvariantCulture)
    {
        HasHeaderRecord = true,
        IgnoreBlankLines = true,
        BadDataFound = null,
        DetectDelimiter = false,
        Delimiter = ",",
        TrimOptions = TrimOptions.None,
        CountBytes = false,
    };

    public override IReadOnlyList<string> ReadHeader()
    {
        using var reader = Open();
        using var parser = new CsvParser(reader, Configuration);
        return parser.Read() ? [.. parser.Record!] : [];
    }

    public override IEnumerable<SourceRow> ReadRows()
    {
        using var reader = Open();
        using var parser = new CsvParser(reader, Configuration);
        if (!parser.Read()) yield break;
        var width = parser.Count;
        var previousEnd = parser.RawRow;
        while (parser.Read())
        {
            // RawRow is the physical line where the record ends; a record spanning lines (quoted
            // line breaks) starts after the previous record's end, minus skipped blank lines.
            var end = parser.RawRow;
            var record = parser.Record!;
            // Only a field with a line break makes a record span lines: then (rarely) count them in the raw text,
            // which costs a string per record.
            var spanned = HasLineBreak(record) ? CountLineBreaks(parser.RawRecord) : 0;
            var start = Math.Max(previousEnd + 1, end - spanned);
            previousEnd = end;
            if (record.Length == 1 && record[0].Length == 0 && width > 1) continue;
            yield return new SourceRow(start, record);
        }
    }

    private static bool HasLineBreak(string[] record)
    {
        foreach (var field in record)
        {
            if (field.AsSpan().IndexOfAny('\r', '\n') >= 0) return true;
        }
        return false;
    }

    private static int CountLineBreaks(string raw)
    {
        // The raw record includes its own terminating line break; count only the inner ones.
        var text = raw.AsSpan().TrimEnd("\r\n");
        var n = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n') n++;
            else if (text[i] == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n')) n++;
        }
        return n;
    }

    private StreamReader Open() =>
        new(new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan),
            new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
}

/// <summary>
/// A sheet named like the file (<c>sessions</c>, <c>assessments</c>, <c>satisfaction</c>) of an .xlsx workbook.
/// ClosedXML loads the whole workbook: fine for workbooks exported by hand, use CSV for large volumes.
/// </summary>
public sealed class XlsxTabularSource(string path, string sheetName, InputKind kind)
    : TabularSource($"{System.IO.Path.GetFileName(path)}#{sheetName}", kind)
{
    public string Path { get; } = path;

    /// <summary>The contract sheets present in a workbook, in dependency order.</summary>
    public static IReadOnlyList<XlsxTabularSource> SheetsOf(string path)
    {
        using var wb = new XLWorkbook(path);
        var found = new List<XlsxTabularSource>();
        foreach (var kind in Enum.GetValues<InputKind>())
        {
            var sheet = wb.Worksheets.FirstOrDefault(w => string.Equals(w.Name.Trim(), InputSpecs.Name(kind), StringComparison.OrdinalIgnoreCase));
            if (sheet is not null) found.Add(new XlsxTabularSource(path, sheet.Name, kind));
        }
        return found;
    }

    public override IReadOnlyList<string> ReadHeader()
    {
        using var wb = new XLWorkbook(Path);
        var ws = wb.Worksheet(sheetName);
        var last = ws.LastColumnUsed()?.ColumnNumber() ?? 0;
        return [.. Enumerable.Range(1, last).Select(c => CellText(ws.Cell(1, c)))];
    }

    public override IEnumerable<SourceRow> ReadRows()
    {
        using var wb = new XLWorkbook(Path);
        var ws = wb.Worksheet(sheetName);
        var width = ws.LastColumnUsed()?.ColumnNumber() ?? 0;
        var lastRow = ws.LastRowUsed()?.RowNumber() ?? 0;
        for (var r = 2; r <= lastRow; r++)
        {
            var fields = new string[width];
            var any = false;
            for (var c = 1; c <= width; c++)
            {
                fields[c - 1] = CellText(ws.Cell(r, c));
                any |= fields[c - 1].Length > 0;
            }
            if (any) yield return new SourceRow(r, fields);
        }
    }

    private static string CellText(IXLCell cell)
    {
        if (cell.IsEmpty()) return "";
        return cell.DataType switch
        {
            XLDataType.DateTime => cell.GetDateTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            XLDataType.Number => cell.GetDouble().ToString("R", CultureInfo.InvariantCulture),
            XLDataType.Boolean => cell.GetBoolean() ? "true" : "false",
            _ => cell.GetString(),
        };
    }
}
