using System.Text.Json;
using Analytics.Domain;
using Analytics.Reports.Workbooks;

namespace Analytics.Reports.Tests;

/// <summary>The workbooks as another program reads them: openpyxl (Debian python3-openpyxl, /usr/bin/python3).</summary>
[Collection(WorkbookCollection.Name)]
public sealed class OpenpyxlFacts(WorkbookFixture fixture)
{
    private static Dictionary<(int Row, int Column), JsonElement> Cells(JsonElement book, string sheet) =>
        book.GetProperty(sheet).GetProperty("cells").EnumerateArray()
            .ToDictionary(c => (c[0].GetInt32(), c[1].GetInt32()), c => c);

    [Fact]
    public void Openpyxl_reads_exactly_the_export_doubles_on_every_clinics_outcomes_and_safety_sheets()
    {
        var month = Codes.MonthText(SampleTables.ReportMonth);
        foreach (var clinic in SampleTables.Clinics.Append(Codes.All))
        {
            var book = fixture.ReadWithOpenpyxl(fixture.MonthlyPath(clinic));
            foreach (var (sheet, table, keys) in new[] { ("Outcomes", "outcomes", 5), ("Safety", "safety", 3) })
            {
                var cells = Cells(book, sheet);
                var headerCells = cells.Where(c => c.Key.Row == 4).ToDictionary(c => c.Value[2].GetString()!, c => c.Key.Column);
                var (header, rows) = fixture.ReadCsv(table);
                var expected = rows.Where(r => r[0] == month && r[1] == clinic).ToList();
                Assert.NotEmpty(expected);
                var compared = 0;
                for (var i = 0; i < expected.Count; i++)
                {
                    // The first data column after the keys: walk every numeric export column by its position
                    // among the sheet's columns (the sheet shows the export columns in export order).
                    var numericExports = header.Select((name, index) => (name, index)).Skip(keys).Where(x => x.name != "suppressed").ToList();
                    var sheetColumns = headerCells.Values.Order().Skip(keys - 2).Take(numericExports.Count).ToList();
                    for (var k = 0; k < numericExports.Count; k++)
                    {
                        var text = expected[i][numericExports[k].index];
                        var found = cells.TryGetValue((5 + i, sheetColumns[k]), out var cell);
                        if (text.Length == 0)
                        {
                            Assert.False(found, $"{clinic} {sheet} row {i} {numericExports[k].name} should be empty");
                        }
                        else
                        {
                            Assert.True(found);
                            Assert.Equal("n", cell[3].GetString());
                            Assert.Equal(WorkbookFacts.Number(text), cell[2].GetDouble());
                            compared++;
                        }
                    }
                }
                Assert.True(compared > 10);
            }
        }
    }

    [Fact]
    public void Openpyxl_sees_formula_looking_and_zero_padded_text_as_plain_strings()
    {
        var monthly = fixture.ReadWithOpenpyxl(fixture.MonthlyPath("c01"));
        var practitioners = monthly.GetProperty("Practitioners").GetProperty("cells").EnumerateArray().ToList();
        foreach (var id in SampleTables.Practitioners)
        {
            var cell = practitioners.First(c => c[2].ValueKind == JsonValueKind.String && c[2].GetString() == id);
            Assert.Equal("s", cell[3].GetString());
        }
        var network = fixture.ReadWithOpenpyxl(fixture.NetworkPath);
        var clinics = network.GetProperty("Clinics").GetProperty("cells").EnumerateArray().ToList();
        foreach (var text in SampleTables.Clinics.Concat(SampleTables.ClinicNames.Values))
        {
            var cell = clinics.First(c => c[2].ValueKind == JsonValueKind.String && c[2].GetString() == text);
            Assert.Equal("s", cell[3].GetString());
        }
        foreach (var book in new[] { monthly, network, fixture.ReadWithOpenpyxl(fixture.ProtocolsPath) })
        {
            foreach (var sheet in book.EnumerateObject())
            {
                Assert.DoesNotContain(sheet.Value.GetProperty("cells").EnumerateArray(), c => c[3].GetString() == "f");
            }
        }
    }

    [Fact]
    public void Openpyxl_finds_the_charts_tables_frozen_headers_and_landscape_fit_to_width()
    {
        var monthly = fixture.ReadWithOpenpyxl(fixture.MonthlyPath("c01"));
        Assert.Equal(3, monthly.GetProperty("Trends").GetProperty("charts").GetInt32());
        Assert.Equal("A5", monthly.GetProperty("Outcomes").GetProperty("freeze").GetString());
        Assert.Contains("Outcomes", monthly.GetProperty("Outcomes").GetProperty("tables").EnumerateArray().Select(t => t.GetString()));
        foreach (var sheet in monthly.EnumerateObject())
        {
            Assert.Equal("landscape", sheet.Value.GetProperty("orientation").GetString());
            Assert.Equal(1, sheet.Value.GetProperty("fitToWidth").GetInt32());
            Assert.True(sheet.Value.GetProperty("fitToPage").GetBoolean());
        }
        var protocols = fixture.ReadWithOpenpyxl(fixture.ProtocolsPath);
        Assert.Equal(3, protocols.GetProperty(ProtocolComparisonReport.ForestSheet).GetProperty("charts").GetInt32());
        var network = fixture.ReadWithOpenpyxl(fixture.NetworkPath);
        Assert.Equal(1, network.GetProperty(NetworkReport.PlotSheet).GetProperty("charts").GetInt32());
    }
}
