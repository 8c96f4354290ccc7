using System.Globalization;
using System.Runtime.CompilerServices;
using Analytics.Reports.Charts;
using ClosedXML.Excel;
using DocumentFormat.OpenXml.Packaging;
using S = DocumentFormat.OpenXml.Spreadsheet;

namespace Analytics.Reports.Workbooks;

/// <summary>
/// ClosedXML 0.95.4 saves numbers with 15 significant digits ("G15"), which is not always the
/// same double. Every double written through <see cref="Sheet"/> is recorded here when its
/// round-trip text differs, and rewritten in the saved package, so the workbook holds exactly
/// the value of its export row.
/// </summary>
internal sealed partial class PreciseNumbers
{
    private static readonly ConditionalWeakTable<IXLWorkbook, PreciseNumbers> Ledgers = [];

    private readonly Dictionary<string, Dictionary<string, double>> _bySheet = new(StringComparer.Ordinal);

    public static void Record(IXLCell cell, double value)
    {
        var exact = value.ToString("R", CultureInfo.InvariantCulture);
        if (exact == value.ToString("G15", CultureInfo.InvariantCulture))
        {
            return;
        }
        var ledger = Ledgers.GetValue(cell.Worksheet.Workbook, _ => new PreciseNumbers());
        lock (ledger._bySheet)
        {
            if (!ledger._bySheet.TryGetValue(cell.Worksheet.Name, out var cells))
            {
                ledger._bySheet[cell.Worksheet.Name] = cells = new Dictionary<string, double>(StringComparer.Ordinal);
            }
            cells[cell.Address.ToString()!] = value;
        }
    }

    public static bool HasAny(IXLWorkbook workbook) => Ledgers.TryGetValue(workbook, out var ledger) && ledger._bySheet.Count > 0;

    /// <summary>Rewrites the recorded cells' values in the saved package (open read-write).</summary>
    public static void Apply(IXLWorkbook workbook, SpreadsheetDocument document)
    {
        if (!Ledgers.TryGetValue(workbook, out var ledger))
        {
            return;
        }
        var workbookPart = document.WorkbookPart!;
        foreach (var (sheetName, cells) in ledger._bySheet)
        {
            var sheet = workbookPart.Workbook.Descendants<S.Sheet>().Single(s => s.Name?.Value == sheetName);
            var part = (WorksheetPart)workbookPart.GetPartById(sheet.Id!.Value!);
            // A text rewrite of the <v> of the recorded cells: several times faster than loading the DOM.
            string xml;
            using (var reader = new StreamReader(part.GetStream(FileMode.Open, FileAccess.Read)))
            {
                xml = reader.ReadToEnd();
            }
            var rewritten = NumberCell().Replace(xml, m =>
                cells.TryGetValue(m.Groups["ref"].Value, out var value)
                    ? m.Groups["head"].Value + value.ToString("R", CultureInfo.InvariantCulture) + m.Groups["tail"].Value
                    : m.Value);
            using var stream = part.GetStream(FileMode.Create, FileAccess.Write);
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false));
            writer.Write(rewritten);
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("(?<head><(?:\\w+:)?c r=\"(?<ref>[A-Z]+[0-9]+)\"[^>]*>(?:<(?:\\w+:)?f[^>]*/>)?<(?:\\w+:)?v>)[^<]*(?<tail></(?:\\w+:)?v>)")]
    private static partial System.Text.RegularExpressions.Regex NumberCell();
}
