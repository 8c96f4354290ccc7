using System.Globalization;
using Analytics.Domain;
using Analytics.Reports.Workbooks;
using ClosedXML.Excel;
using DocumentFormat.OpenXml.Packaging;
using C = DocumentFormat.OpenXml.Drawing.Charts;
using S = DocumentFormat.OpenXml.Spreadsheet;

namespace Analytics.Reports.Tests;

[Collection(WorkbookCollection.Name)]
public sealed class WorkbookFacts(WorkbookFixture fixture)
{
    // Workbook header → export column, written out here rather than taken from the code under test.
    private static readonly (string Header, string Export)[] OutcomeColumns =
    [
        ("Courses", "courses"), ("Evaluable", "evaluable_courses"), ("Patients", "patients"),
        ("Mean improvement %", "mean_improvement_pct"), ("Improvement CI low", "improvement_ci_low"), ("Improvement CI high", "improvement_ci_high"),
        ("Responders", "responders"), ("Responder rate", "responder_rate"), ("Responder CI low", "responder_ci_low"), ("Responder CI high", "responder_ci_high"),
    ];

    public static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    [Fact]
    public void Every_number_on_the_outcomes_sheet_is_the_double_of_its_export_row()
    {
        var (header, rows) = fixture.ReadCsv("outcomes");
        var month = Codes.MonthText(SampleTables.ReportMonth);
        foreach (var clinic in SampleTables.Clinics.Append(Codes.All))
        {
            var expected = rows.Where(r => r[0] == month && r[1] == clinic).ToList();
            using var workbook = new XLWorkbook(fixture.MonthlyPath(clinic));
            var ws = workbook.Worksheet(MonthlyClinicReport.OutcomesSheet);
            var headers = ws.Row(4).CellsUsed().ToDictionary(c => c.GetString(), c => c.Address.ColumnNumber);
            Assert.NotEmpty(expected);
            for (var i = 0; i < expected.Count; i++)
            {
                var cells = ws.Row(5 + i);
                Assert.Equal(expected[i][2], cells.Cell(headers["Concern"]).GetString());
                Assert.Equal(expected[i][3], cells.Cell(headers["Protocol"]).GetString());
                Assert.Equal(expected[i][4], cells.Cell(headers["Instrument"]).GetString());
                foreach (var (title, export) in OutcomeColumns)
                {
                    var text = expected[i][Array.IndexOf(header, export)];
                    var cell = cells.Cell(headers[title]);
                    if (text.Length == 0)
                    {
                        Assert.True(cell.IsEmpty(), $"{clinic} row {i} {title} should be empty (suppressed or not applicable)");
                    }
                    else
                    {
                        // ClosedXML 0.95.4 reads numbers back through 15 significant digits; the file holds the
                        // exact double (openpyxl reads it exactly: OpenpyxlFacts), so allow only that last-digit loss here.
                        Assert.Equal(Number(text), cell.GetDouble(), Math.Abs(Number(text)) * 1e-14);
                    }
                }
                var suppressed = expected[i][Array.IndexOf(header, "suppressed")] == "true";
                Assert.Equal(suppressed, cells.Cell(headers["Status"]).GetString().StartsWith("suppressed", StringComparison.Ordinal));
            }
            Assert.True(ws.Row(5 + expected.Count).IsEmpty());
        }
    }

    [Fact]
    public void Imported_text_that_looks_like_a_formula_or_a_number_stays_literal_text()
    {
        using (var workbook = new XLWorkbook(fixture.MonthlyPath("c01")))
        {
            var ws = workbook.Worksheet(MonthlyClinicReport.PractitionersSheet);
            foreach (var id in SampleTables.Practitioners)
            {
                var cell = ws.CellsUsed().FirstOrDefault(c => c.GetString() == id);
                Assert.True(cell is not null, $"practitioner {id} is on the sheet");
                Assert.False(cell!.HasFormula);
                Assert.Equal(XLDataType.Text, cell.DataType);
            }
        }
        using (var workbook = new XLWorkbook(fixture.NetworkPath))
        {
            var ws = workbook.Worksheet(NetworkReport.ClinicsSheet);
            foreach (var text in SampleTables.Clinics.Concat(SampleTables.ClinicNames.Values))
            {
                var cell = ws.CellsUsed().FirstOrDefault(c => c.GetString() == text);
                Assert.True(cell is not null, $"{text} is on the Clinics sheet");
                Assert.False(cell!.HasFormula);
                Assert.Equal(XLDataType.Text, cell.DataType);
            }
        }
        // And in the file itself: not one formula anywhere in any workbook.
        foreach (var path in fixture.MonthlyPaths.Append(fixture.NetworkPath).Append(fixture.ProtocolsPath))
        {
            using var document = SpreadsheetDocument.Open(path, false);
            foreach (var part in document.WorkbookPart!.WorksheetParts)
            {
                Assert.Empty(part.Worksheet.Descendants<S.CellFormula>());
            }
        }
    }

    [Fact]
    public void Monthly_workbooks_have_every_sheet_with_tables_filters_frozen_headers_and_print_setup()
    {
        using var workbook = new XLWorkbook(fixture.MonthlyPath("c01"));
        Assert.Equal(
            ["Summary", "Outcomes", "Satisfaction", "Safety", "Activity & revenue", "Practitioners", "Trends", "Data quality", "Definitions"],
            workbook.Worksheets.Select(w => w.Name).ToArray());
        var outcomes = workbook.Worksheet(MonthlyClinicReport.OutcomesSheet);
        Assert.Equal(4, outcomes.SheetView.SplitRow);
        var table = Assert.Single(outcomes.Tables);
        Assert.True(table.ShowAutoFilter);
        foreach (var ws in workbook.Worksheets)
        {
            Assert.Equal(XLPageOrientation.Landscape, ws.PageSetup.PageOrientation);
            Assert.Equal(1, ws.PageSetup.PagesWide);
        }
        using (var document = SpreadsheetDocument.Open(fixture.MonthlyPath("c01"), false))
        {
            foreach (var part in document.WorkbookPart!.WorksheetParts)
            {
                var footer = part.Worksheet.Descendants<S.OddFooter>().Single().Text;
                Assert.Contains("&RPage &P of &N", footer, StringComparison.Ordinal);
                // '&' in a clinic name is escaped, so it is not read as a header code.
                Assert.Contains("Rivera Skin && Laser (c01)", footer, StringComparison.Ordinal);
            }
        }
        // Widths are set explicitly (not left at the default) on the data columns.
        Assert.Equal(30, outcomes.Column(2).Width, 1);
        Assert.Equal("0.0%", outcomes.Cell(5, 11).Style.NumberFormat.Format);
        var definitions = workbook.Worksheet("Definitions");
        foreach (var instrument in InstrumentCatalog.Clinical)
        {
            Assert.Contains(definitions.CellsUsed(), c => c.GetString() == instrument.Code);
        }
        Assert.Contains(definitions.CellsUsed(), c => c.GetString() == "1.2.3-test");
        Assert.Contains(definitions.CellsUsed(), c => c.GetString() == "2024-09-02 to 2025-10-30");
    }

    [Fact]
    public void Summary_shows_the_activity_counts_and_pooled_rates_of_the_export_rows()
    {
        var tables = fixture.Tables;
        using var workbook = new XLWorkbook(fixture.MonthlyPath("c01"));
        var ws = workbook.Worksheet(MonthlyClinicReport.SummarySheet);
        IXLCell Value(string measure, int column = 2) => ws.Column(1).CellsUsed().Single(c => c.GetString() == measure).WorksheetRow().Cell(column);
        var activity = tables.Activity.Single(a => a.Month == SampleTables.ReportMonth && a.ClinicId == "c01");
        var lastMonth = tables.Activity.Single(a => a.Month == Codes.AddMonths(SampleTables.ReportMonth, -1) && a.ClinicId == "c01");
        Assert.Equal(activity.Sessions, Value("Sessions").GetDouble());
        Assert.Equal(lastMonth.Sessions, Value("Sessions", 3).GetDouble());
        Assert.Equal(activity.Sessions - lastMonth.Sessions, Value("Sessions", 4).GetDouble());
        var totals = tables.Outcomes.Where(o => o.Month == SampleTables.ReportMonth && o.ClinicId == "c01" && o.Protocol == Codes.All).ToList();
        Assert.Equal((double)totals.Sum(t => t.Responders) / totals.Sum(t => t.EvaluableCourses), Value("Responder rate").GetDouble(), 12);
        var revenue = tables.Revenue.Single(r => r.Month == SampleTables.ReportMonth && r.ClinicId == "c01" && r.Currency == "EUR").Revenue;
        Assert.Equal((double)revenue, Value("Revenue (EUR)").GetDouble());
    }

    [Fact]
    public void Summary_says_not_enough_data_where_rows_are_suppressed_and_names_significant_moves()
    {
        const int month = 202406;
        var previous = Codes.AddMonths(month, -1);
        // 50/80 responders against 20/80 last month: statsmodels proportions_ztest([50,20],[80,80]) gives z = 4.7809, p = 1.745e-06.
        OutcomeRow Total(int m, int responders) => new(m, "c9", "acne_scars", Codes.All, "goodman_baron_quant", 80, 80, 80, 40.0, 35.0, 45.0,
            responders, responders / 80.0, null, null, false);
        var tables = new ReportTables(
            [Total(month, 50), Total(previous, 20)],
            [new SatisfactionRow(month, "c9", "nps", 3, 3, null, null, null, 2, 1, 0, null, true)],
            [], [new ActivityRow(month, "c9", 100, 60, 10, 50, 12)], [], [], [],
            new TableSettings(5, null, null, null, null, InstrumentCatalog.Clinical));
        var bytes = MonthlyClinicReport.Create(tables, null, "c9", month, SampleTables.Context());
        using var workbook = new XLWorkbook(new MemoryStream(bytes));
        var ws = workbook.Worksheet(MonthlyClinicReport.SummarySheet);
        var nps = ws.Column(1).CellsUsed().Single(c => c.GetString() == "NPS").WorksheetRow();
        Assert.Equal("not enough data", nps.Cell(2).GetString());
        var text = string.Join("\n", ws.CellsUsed().Select(c => c.GetString()));
        Assert.Contains("Responder rate rose from 25.0% to 62.5% compared with last month (two-proportion z-test, p < 0.001).", text, StringComparison.Ordinal);

        // 30/80 against 25/80: p = 0.405 (statsmodels), so no line.
        var calm = tables with { Outcomes = [Total(month, 30), Total(previous, 25)] };
        using var calmBook = new XLWorkbook(new MemoryStream(MonthlyClinicReport.Create(calm, null, "c9", month, SampleTables.Context())));
        var calmText = string.Join("\n", calmBook.Worksheet(MonthlyClinicReport.SummarySheet).CellsUsed().Select(c => c.GetString()));
        Assert.DoesNotContain("Responder rate rose", calmText, StringComparison.Ordinal);
        Assert.Contains("No headline measure moved significantly", calmText, StringComparison.Ordinal);
        // Without a model report the Practitioners sheet says so instead of failing.
        Assert.Contains(calmBook.Worksheet(MonthlyClinicReport.PractitionersSheet).CellsUsed(), c => c.GetString().StartsWith("No model report", StringComparison.Ordinal));
    }

    [Fact]
    public void Native_charts_are_in_the_trends_forest_and_network_sheets()
    {
        static Dictionary<string, List<ChartPart>> Charts(string path)
        {
            using var document = SpreadsheetDocument.Open(path, false);
            var workbookPart = document.WorkbookPart!;
            return workbookPart.Workbook.Descendants<S.Sheet>().ToDictionary(
                s => s.Name!.Value!,
                s => ((WorksheetPart)workbookPart.GetPartById(s.Id!.Value!)).DrawingsPart?.ChartParts.ToList() ?? []);
        }
        using (var document = SpreadsheetDocument.Open(fixture.MonthlyPath("c01"), false))
        {
            var trends = (WorksheetPart)document.WorkbookPart!.GetPartById(document.WorkbookPart.Workbook.Descendants<S.Sheet>().Single(s => s.Name == "Trends").Id!.Value!);
            var charts = trends.DrawingsPart!.ChartParts.ToList();
            Assert.Equal(3, charts.Count);
            Assert.All(charts, c => Assert.NotNull(c.ChartSpace.Descendants<C.LineChart>().SingleOrDefault()));
            var sessions = charts.Select(c => c.ChartSpace).Single(c => c.InnerText.Contains("Sessions and patients", StringComparison.Ordinal));
            var formula = sessions.Descendants<C.Values>().First().Descendants<C.Formula>().Single().Text;
            Assert.Equal("'Trends'!$B$5:$B$16", formula);
            Assert.NotNull(trends.Worksheet.Elements<S.Drawing>().SingleOrDefault());
        }
        var protocols = Charts(fixture.ProtocolsPath);
        Assert.Equal(3, protocols[ProtocolComparisonReport.ForestSheet].Count);
        using (var document = SpreadsheetDocument.Open(fixture.ProtocolsPath, false))
        {
            var forest = document.WorkbookPart!.WorksheetParts.SelectMany(p => p.DrawingsPart?.ChartParts ?? []).First();
            Assert.NotEmpty(forest.ChartSpace.Descendants<C.ScatterChart>());
            var errorBars = forest.ChartSpace.Descendants<C.ErrorBars>().ToList();
            Assert.NotEmpty(errorBars);
            Assert.All(errorBars, e => Assert.Equal(C.ErrorBarDirectionValues.X, e.ErrorDirection!.Val!.Value));
        }
        Assert.Single(Charts(fixture.NetworkPath)[NetworkReport.PlotSheet]);
    }

    [Fact]
    public void Workbooks_land_in_the_month_folder_under_safe_names_with_no_temporary_files_left()
    {
        var month = Path.Combine(fixture.Root, "2025-10");
        var files = Directory.GetFiles(month).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(5, files.Count);
        Assert.Contains("c01.xlsx", files);
        Assert.Contains("00123.xlsx", files);
        Assert.Contains("ALL.xlsx", files);
        Assert.Contains("network.xlsx", files);
        Assert.Single(files, f => f.StartsWith("_north-", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(fixture.Root, "protocols.xlsx")));
        Assert.Empty(Directory.GetFiles(fixture.Root, AtomicFile.TempPrefix + "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void Protocol_comparison_numbers_match_the_export_and_conclusions_say_what_holds()
    {
        var (header, rows) = fixture.ReadCsv("protocol_comparison");
        using var workbook = new XLWorkbook(fixture.ProtocolsPath);
        var ws = workbook.Worksheet(ProtocolComparisonReport.ComparisonSheet);
        var headers = ws.Row(4).CellsUsed().ToDictionary(c => c.GetString(), c => c.Address.ColumnNumber);
        (string Header, string Export)[] columns =
        [
            ("n", "n"), ("Difference", "difference"), ("Difference CI low", "difference_ci_low"), ("p (Holm)", "p_holm"),
            ("Adjusted difference", "adjusted_difference"), ("p (adjusted)", "adjusted_p_value"),
        ];
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(rows[i][2], ws.Cell(5 + i, headers["Protocol"]).GetString());
            foreach (var (title, export) in columns)
            {
                var text = rows[i][Array.IndexOf(header, export)];
                var cell = ws.Cell(5 + i, headers[title]);
                if (text.Length == 0)
                {
                    Assert.True(cell.IsEmpty());
                }
                else
                {
                    Assert.Equal(Number(text), cell.GetDouble(), Math.Abs(Number(text)) * 1e-14);
                }
            }
        }
        var conclusions = string.Join("\n", workbook.Worksheet(ProtocolComparisonReport.ConclusionsSheet).CellsUsed().Select(c => c.GetString()));
        Assert.Contains("observational", conclusions, StringComparison.Ordinal);
        Assert.Contains("5 comparisons: 2 significant after Holm correction, 2 not significant, 1 not compared", conclusions, StringComparison.Ordinal);
    }
}

[Collection(WorkbookCollection.Name)]
public sealed class SchemaFacts(WorkbookFixture fixture)
{
    /// <summary>Excel is stricter than LibreOffice: every part, the added charts included, passes the Office 2016 schema.</summary>
    [Fact]
    public void Every_workbook_passes_open_xml_schema_validation()
    {
        foreach (var path in fixture.MonthlyPaths.Append(fixture.NetworkPath).Append(fixture.ProtocolsPath))
        {
            using var document = SpreadsheetDocument.Open(path, false);
            var errors = new DocumentFormat.OpenXml.Validation.OpenXmlValidator(DocumentFormat.OpenXml.FileFormatVersions.Office2016)
                .Validate(document).Select(e => $"{e.Part?.Uri} {e.Path?.XPath}: {e.Description}").ToList();
            Assert.True(errors.Count == 0, $"{Path.GetFileName(path)}:\n{string.Join("\n", errors.Take(5))}");
        }
    }
}
