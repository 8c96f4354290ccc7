using Analytics.Domain;
using Analytics.Reports.Exports;
using Analytics.Reports.Workbooks;

namespace Analytics.Reports;

/// <summary>
/// Everything one report run writes, for the jobs and the CLI: the monthly workbook of every
/// clinic active in the month and of the network (<c>root/YYYY-MM/&lt;clinic&gt;.xlsx</c>, <c>ALL.xlsx</c>),
/// the clinics-side-by-side workbook (<c>root/YYYY-MM/network.xlsx</c>), the protocol comparison
/// (<c>root/protocols.xlsx</c>) and the CSV and JSON exports (<c>root/exports/</c>). Each file is
/// written atomically, so re-running replaces each file whole.
/// </summary>
public static class ReportBundle
{
    public const string ExportsFolder = "exports";

    public static async Task<IReadOnlyList<string>> WriteAsync(ReportTables tables, ModelReport? models, ReportContext context,
        string root, int month, CancellationToken cancellationToken = default)
    {
        var index = new ReportIndex(tables);
        var paths = new List<string>();
        paths.AddRange(new MonthlyClinicReport(index, models, context).WriteMonth(root, month));
        cancellationToken.ThrowIfCancellationRequested();
        paths.Add(new NetworkReport(index, context).Write(root, month));
        paths.Add(new ProtocolComparisonReport(tables, models, context).Write(root));
        var exports = Path.Combine(root, ExportsFolder);
        foreach (var format in new[] { ExportFormat.Csv, ExportFormat.Json })
        {
            paths.AddRange(await TableExportWriter.WriteAllAsync(tables, exports, format, cancellationToken).ConfigureAwait(false));
            if (models is not null)
            {
                paths.AddRange(await TableExportWriter.WriteModelsAsync(models, exports, format, cancellationToken).ConfigureAwait(false));
            }
        }
        return paths;
    }
}
