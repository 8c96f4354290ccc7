using Analytics.Reports.Charts;
using ClosedXML.Excel;

namespace Analytics.Reports.Workbooks;

/// <summary>Saves a ClosedXML workbook, adds its native charts, and writes it atomically.</summary>
internal static class WorkbookOutput
{
    public static XLWorkbook NewWorkbook(string title, ReportContext context)
    {
        var workbook = new XLWorkbook();
        workbook.Properties.Title = Sheet.XmlSafe(title.Length > 200 ? title[..200] : title);
        workbook.Properties.Author = "Analytics " + context.SoftwareVersion;
        workbook.Properties.Created = context.GeneratedAt.UtcDateTime;
        return workbook;
    }

    public static byte[] Finish(XLWorkbook workbook, IReadOnlyList<ChartSpec> charts)
    {
        using var stream = new MemoryStream();
        workbook.SaveAs(stream);

        if (charts.Count > 0 || PreciseNumbers.HasAny(workbook))
        {
            stream.Position = 0;
            using var document = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(stream, true);
            PreciseNumbers.Apply(workbook, document);
            NativeCharts.Add(document, charts);
        }
        return stream.ToArray();
    }

    public static string Write(string path, byte[] content)
    {
        AtomicFile.Write(path, content);
        return path;
    }
}
