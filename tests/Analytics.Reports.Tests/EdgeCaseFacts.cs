using Analytics.Domain;
using Analytics.Reports.Workbooks;
using ClosedXML.Excel;

namespace Analytics.Reports.Tests;

public sealed class EdgeCaseFacts
{
    private static readonly ReportTables Empty = new([], [], [], [], [], [], [],
        new TableSettings(5, null, null, null, null, InstrumentCatalog.Clinical));

    [Fact]
    public void Empty_tables_still_give_readable_workbooks_of_every_type()
    {
        var context = SampleTables.Context() with { Rejects = null };
        using (var monthly = new XLWorkbook(new MemoryStream(MonthlyClinicReport.Create(Empty, null, Codes.All, 202501, context))))
        {
            var outcomes = monthly.Worksheet(MonthlyClinicReport.OutcomesSheet);
            Assert.Contains(outcomes.CellsUsed(), c => c.GetString().StartsWith("No course", StringComparison.Ordinal));
            var summary = monthly.Worksheet(MonthlyClinicReport.SummarySheet);
            var rate = summary.Column(1).CellsUsed().Single(c => c.GetString() == "Responder rate").WorksheetRow();
            Assert.Equal("not enough data", rate.Cell(2).GetString());
        }
        using (var network = new XLWorkbook(new MemoryStream(NetworkReport.Create(Empty, 202501, context))))
        {
            Assert.Contains(network.Worksheet(NetworkReport.ClinicsSheet).CellsUsed(), c => c.GetString() == "ALL");
        }
        using var protocols = new XLWorkbook(new MemoryStream(ProtocolComparisonReport.Create(Empty, null, context)));
        Assert.Contains(protocols.Worksheet(ProtocolComparisonReport.ConclusionsSheet).CellsUsed(),
            c => c.GetString().StartsWith("0 comparisons", StringComparison.Ordinal));
    }

    [Fact]
    public void Control_characters_and_very_long_names_in_imported_text_do_not_break_the_workbook()
    {
        var name = "Bad\u0001Name " + new string('x', 400);
        var context = SampleTables.Context() with { ClinicNames = new Dictionary<string, string> { ["c01"] = name } };
        var bytes = MonthlyClinicReport.Create(SampleTables.Tables(), null, "c01", SampleTables.ReportMonth, context);
        using var workbook = new XLWorkbook(new MemoryStream(bytes));
        Assert.StartsWith("Monthly report: Bad\uFFFDName", workbook.Worksheet(MonthlyClinicReport.SummarySheet).Cell(1, 1).GetString(), StringComparison.Ordinal);
    }
}
