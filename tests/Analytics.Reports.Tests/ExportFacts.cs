using System.Globalization;
using System.Text.Json;
using Analytics.Domain;
using Analytics.Reports.Exports;

namespace Analytics.Reports.Tests;

public sealed class ExportFacts
{
    // Header lines pasted from data-contract.md, "Exports" (and the model exports named in the reports brief).
    [Theory]
    [InlineData("outcomes", "month,clinic_id,concern,protocol,instrument,courses,evaluable_courses,patients,mean_improvement_pct,improvement_ci_low,improvement_ci_high,responders,responder_rate,responder_ci_low,responder_ci_high,suppressed")]
    [InlineData("satisfaction", "month,clinic_id,instrument,responses,patients,mean_score,ci_low,ci_high,promoters,passives,detractors,nps,suppressed")]
    [InlineData("safety", "month,clinic_id,concern,sessions,patients,sessions_with_adverse_event,adverse_event_rate,ci_low,ci_high,mean_downtime_days,suppressed")]
    [InlineData("activity", "month,clinic_id,sessions,patients,new_patients,returning_patients,courses_started")]
    [InlineData("revenue", "month,clinic_id,currency,priced_sessions,revenue")]
    [InlineData("protocol_comparison", "concern,instrument,protocol,reference_protocol,n,n_reference,mean_improvement_pct,reference_mean_improvement_pct,difference,difference_ci_low,difference_ci_high,p_value,p_holm,adjusted_difference,adjusted_se,adjusted_ci_low,adjusted_ci_high,adjusted_p_value,suppressed")]
    [InlineData("models", "concern,instrument,trainer,folds,n,r2,rmse,mae,baseline_rmse,promoted")]
    public async Task Each_csv_starts_with_the_contract_header_line(string table, string header)
    {
        var folder = Directory.CreateTempSubdirectory("export-").FullName;
        try
        {
            await TableExportWriter.WriteAllAsync(SampleTables.Tables(), folder, ExportFormat.Csv);
            await TableExportWriter.WriteModelsAsync(SampleTables.Models(), folder, ExportFormat.Csv);
            var text = await File.ReadAllTextAsync(Path.Combine(folder, table + ".csv"));
            Assert.StartsWith(header + "\r\n", text, StringComparison.Ordinal);
            Assert.False(text.StartsWith('\uFEFF'), "no byte-order mark");
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void Rows_are_sorted_by_key_columns_ordinally_whatever_the_input_order()
    {
        var rows = SampleTables.Tables().Outcomes.OrderBy(_ => Guid.NewGuid()).ToList();
        var (_, csv) = Csv.Parse(TableExportWriter.ToCsv(ExportTables.Outcomes, rows));
        var expected = rows
            .OrderBy(r => r.Month)
            .ThenBy(r => r.ClinicId, StringComparer.Ordinal)
            .ThenBy(r => r.Concern, StringComparer.Ordinal)
            .ThenBy(r => r.Protocol, StringComparer.Ordinal)
            .ThenBy(r => r.Instrument, StringComparer.Ordinal)
            .Select(r => $"{Codes.MonthText(r.Month)}|{r.ClinicId}|{r.Concern}|{r.Protocol}|{r.Instrument}")
            .ToList();
        Assert.Equal(expected, csv.Select(f => string.Join('|', f.Take(5))).ToList());
        // Ordinal: upper case "ALL" sorts before lower-case ids and "+north" before "00123".
        var clinicsOfFirstMonth = csv.Where(f => f[0] == "2024-10").Select(f => f[1]).Distinct().ToList();
        Assert.Equal(["+north", "00123", "ALL", "c01"], clinicsOfFirstMonth);
    }

    [Fact]
    public void Numbers_are_plain_full_precision_and_parse_back_to_the_same_double()
    {
        var random = new Random(11);
        var values = Enumerable.Range(0, 500).Select(_ => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-8, 9)))
            .Concat([0.1 + 0.2, 1.0 / 3, 1e-12, 123456789.123456789, -0.0, 5e-324]).ToList();
        var rows = values.Select((v, i) => new SafetyRow(202401, $"c{i:D4}", "acne_scars", 10, 9, 1, v, null, null, v * 3, false)).ToList();
        var (header, csv) = Csv.Parse(TableExportWriter.ToCsv(ExportTables.Safety, rows));
        var rate = Array.IndexOf(header, "adverse_event_rate");
        var downtime = Array.IndexOf(header, "mean_downtime_days");
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(rows[i].AdverseEventRate!.Value, double.Parse(csv[i][rate], NumberStyles.Float, CultureInfo.InvariantCulture));
            Assert.Equal(rows[i].MeanDowntimeDays!.Value, double.Parse(csv[i][downtime], NumberStyles.Float, CultureInfo.InvariantCulture));
            Assert.DoesNotContain(",", csv[i][rate]);
        }
        Assert.Contains(csv, f => f[rate] == "0.30000000000000004");
        Assert.Contains(csv, f => f[rate] == "1E-12");
    }

    [Fact]
    public void Null_is_empty_booleans_are_true_false_months_are_yyyy_mm_and_money_is_written_without_its_storage_scale()
    {
        var satisfaction = new SatisfactionRow(202403, "c1", "likert5", 3, 3, null, null, null, null, null, null, null, true);
        Assert.Equal("month,clinic_id,instrument,responses,patients,mean_score,ci_low,ci_high,promoters,passives,detractors,nps,suppressed\r\n" +
            "2024-03,c1,likert5,3,3,,,,,,,,true\r\n", TableExportWriter.ToCsv(ExportTables.Satisfaction, [satisfaction]));
        // SQLite returns 1234.50 and PostgreSQL numeric(18,4) 1234.5000 for the same stored price: one text for both.
        foreach (var money in new[] { 1234.50m, 1234.5000m, 1234.5m })
        {
            var revenue = new RevenueRow(202412, "c1", "EUR", 2, money);
            Assert.EndsWith("\r\n2024-12,c1,EUR,2,1234.5\r\n", TableExportWriter.ToCsv(ExportTables.Revenue, [revenue]));
        }
        Assert.EndsWith("\r\n2024-12,c1,EUR,2,0.01\r\n", TableExportWriter.ToCsv(ExportTables.Revenue, [new RevenueRow(202412, "c1", "EUR", 2, 0.0100m)]));
        var shown = new ModelMetricsRow("acne_scars", "vss", "FastTree", 5, 100, 0.25, 1, 2, 3, false);
        Assert.EndsWith(",false\r\n", TableExportWriter.ToCsv(ExportTables.Models, [shown]));
    }

    [Fact]
    public void Text_with_commas_quotes_or_line_breaks_is_quoted_as_rfc_4180_says()
    {
        var row = new ActivityRow(202401, "a,\"b\"\nc", 1, 1, 1, 0, 1);
        Assert.EndsWith("\r\n2024-01,\"a,\"\"b\"\"\nc\",1,1,1,0,1\r\n", TableExportWriter.ToCsv(ExportTables.Activity, [row]));
        var (_, rows) = Csv.Parse(TableExportWriter.ToCsv(ExportTables.Activity, [row]));
        Assert.Equal("a,\"b\"\nc", rows[0][1]);
    }

    [Fact]
    public async Task Json_is_an_array_of_objects_with_the_csv_names_and_the_same_values()
    {
        var folder = Directory.CreateTempSubdirectory("export-json-").FullName;
        try
        {
            var tables = SampleTables.Tables();
            await TableExportWriter.WriteAllAsync(tables, folder, ExportFormat.Json);
            using var json = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(folder, "outcomes.json")));
            var sorted = ExportTables.Outcomes.Sorted(tables.Outcomes);
            Assert.Equal(sorted.Count, json.RootElement.GetArrayLength());
            var names = ExportTables.Outcomes.Columns.Select(c => c.Name).ToList();
            var i = 0;
            foreach (var element in json.RootElement.EnumerateArray())
            {
                Assert.Equal(names, element.EnumerateObject().Select(p => p.Name).ToList());
                var row = sorted[i++];
                Assert.Equal(Codes.MonthText(row.Month), element.GetProperty("month").GetString());
                Assert.Equal(row.ClinicId, element.GetProperty("clinic_id").GetString());
                Assert.Equal(row.Suppressed, element.GetProperty("suppressed").GetBoolean());
                var mean = element.GetProperty("mean_improvement_pct");
                if (row.MeanImprovementPct is { } m)
                {
                    Assert.Equal(m, mean.GetDouble());
                }
                else
                {
                    Assert.Equal(JsonValueKind.Null, mean.ValueKind);
                }
            }
            using var revenue = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(folder, "revenue.json")));
            Assert.Equal(ExportTables.Revenue.Sorted(tables.Revenue)[0].Revenue, revenue.RootElement[0].GetProperty("revenue").GetDecimal());
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Fact]
    public async Task Writing_replaces_files_atomically_and_leaves_no_temporary_files()
    {
        var folder = Directory.CreateTempSubdirectory("export-atomic-").FullName;
        try
        {
            var tables = SampleTables.Tables();
            await TableExportWriter.WriteAllAsync(tables, folder, ExportFormat.Csv);
            var first = await File.ReadAllTextAsync(Path.Combine(folder, "activity.csv"));
            var fewer = tables with { Activity = tables.Activity.Take(3).ToList() };
            var written = await TableExportWriter.WriteAllAsync(fewer, folder, ExportFormat.Csv);
            Assert.Equal(6, written.Count);
            Assert.Equal(4, (await File.ReadAllLinesAsync(Path.Combine(folder, "activity.csv"))).Length);
            Assert.NotEqual(first, await File.ReadAllTextAsync(Path.Combine(folder, "activity.csv")));

            // A write that fails halfway leaves the previous file whole and no temporary file behind.
            var before = await File.ReadAllTextAsync(Path.Combine(folder, "outcomes.csv"));
            await Assert.ThrowsAsync<InvalidOperationException>(() => AtomicFile.WriteAsync(Path.Combine(folder, "outcomes.csv"), async stream =>
            {
                await stream.WriteAsync("half a file"u8.ToArray());
                throw new InvalidOperationException("killed halfway");
            }));
            Assert.Equal(before, await File.ReadAllTextAsync(Path.Combine(folder, "outcomes.csv")));
            Assert.Equal(
                new[] { "activity.csv", "outcomes.csv", "protocol_comparison.csv", "revenue.csv", "safety.csv", "satisfaction.csv" },
                Directory.GetFiles(folder).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray());
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }
}
