using Analytics.Domain;
using Analytics.Samples;

namespace Analytics.Samples.Tests;

public sealed class PlantedRejectsFacts(SmallSetWithBadRows set) : IClassFixture<SmallSetWithBadRows>
{
    // The contract's columns, copied from data-contract.md (not from the generator).
    [Theory]
    [InlineData(SampleFiles.Sessions, "session_id,clinic_id,clinic_name,practitioner_id,patient_ref,patient_birth_year,patient_sex,fitzpatrick_type,course_id,concern,area,session_date,device,needle_depth_mm,passes,combination,adverse_events,downtime_days,price,currency")]
    [InlineData(SampleFiles.Assessments, "assessment_id,patient_ref,course_id,instrument,assessed_on,timepoint,score,assessor_id")]
    [InlineData(SampleFiles.Satisfaction, "response_id,patient_ref,course_id,session_id,responded_on,instrument,score")]
    public void Every_contract_column_is_in_the_header(string file, string columns)
    {
        var header = File.ReadLines(Path.Combine(set.Dir, file)).First();
        Assert.Equal(columns, header);
    }

    [Fact]
    public void Files_are_utf8_without_bom_with_crlf_lines()
    {
        var bytes = File.ReadAllBytes(Path.Combine(set.Dir, SampleFiles.Sessions));
        Assert.False(bytes is [0xEF, 0xBB, 0xBF, ..]);
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        Assert.Equal(text.Split("\r\n").Length - 1, text.Count(ch => ch == '\n'));
    }

    [Fact]
    public void Manifest_lists_exactly_the_rows_that_break_a_contract_rule()
    {
        var manifest = CsvTable.Read(set.Dir, SampleFiles.PlantedRejects);
        Assert.Equal(["file", "line", "id", "column", "reason"], manifest.Header);

        var planted = manifest.Rows.ToDictionary(r => (r["file"], int.Parse(r["line"])), r => r["reason"]);
        var found = ContractRules.FindRejects(set);

        Assert.Equal(planted.OrderBy(p => p.Key), found.OrderBy(p => p.Key));
        Assert.Equal(set.Summary.PlantedRejects, manifest.Rows.Count);
    }

    [Fact]
    public void Each_manifest_entry_points_at_its_row_and_names_its_column()
    {
        var tables = new[] { set.Sessions, set.Assessments, set.Satisfaction }.ToDictionary(t => t.File);
        foreach (var entry in CsvTable.Read(set.Dir, SampleFiles.PlantedRejects).Rows)
        {
            var table = tables[entry["file"]];
            var row = table.Rows[int.Parse(entry["line"]) - 2];
            Assert.Equal(int.Parse(entry["line"]), row.Line);
            Assert.Equal(entry["id"], row.Fields[0]);
            Assert.Contains(entry["column"], table.Header);
            if (entry["reason"] == RejectReasons.Required) Assert.Equal("", row[entry["column"]]);
        }
    }

    [Fact]
    public void Every_reason_kind_of_the_contract_is_planted()
    {
        var reasons = CsvTable.Read(set.Dir, SampleFiles.PlantedRejects).Rows.Select(r => r["reason"]).ToHashSet();
        // missing_column rejects a whole file; it is made on request with SampleGenerator.WriteWithoutColumn.
        Assert.Equal(RejectReasons.All.Where(r => r != RejectReasons.MissingColumn).Order(), reasons.Order());
    }

    [Fact]
    public void Every_kind_is_planted_even_in_a_tiny_set()
    {
        var dir = Path.Combine(Path.GetTempPath(), "samples-tiny-" + Guid.NewGuid().ToString("N"));
        try
        {
            var summary = new SampleGenerator().Generate(dir, new GeneratorSettings
            {
                Clinics = 1, Months = 1, SessionsPerClinicPerMonth = 10, BadRowShare = 0.001,
            });
            var manifest = CsvTable.Read(dir, SampleFiles.PlantedRejects);
            Assert.Equal(RejectReasons.All.Count - 1, manifest.Rows.Select(r => r["reason"]).Distinct().Count());
            Assert.True(summary.PlantedRejects >= 25); // 9 + 9 + 7 kinds, duplicates count twice
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Bad_row_share_is_about_what_was_asked()
    {
        var manifest = CsvTable.Read(set.Dir, SampleFiles.PlantedRejects);
        var sessionsPlanted = manifest.Rows.Count(r => r["file"] == SampleFiles.Sessions);
        var share = sessionsPlanted / (double)set.Sessions.Rows.Count;
        Assert.InRange(share, 0.02, 0.045); // asked 3 % (duplicates add a second row)
    }

    [Fact]
    public void Good_rows_carry_formula_like_text_and_leading_zero_ids()
    {
        var bad = CsvTable.Read(set.Dir, SampleFiles.PlantedRejects).Rows
            .Where(r => r["file"] == SampleFiles.Sessions).Select(r => int.Parse(r["line"])).ToHashSet();
        var good = set.Sessions.Rows.Where(r => !bad.Contains(r.Line)).ToList();
        Assert.Contains(good, r => r["clinic_name"].StartsWith('='));
        Assert.Contains(good, r => r["clinic_name"].Contains('"') && r["clinic_name"].Contains(','));
        Assert.Contains(good, r => r["patient_ref"].StartsWith("00", StringComparison.Ordinal) && r["patient_ref"].All(char.IsAsciiDigit));
    }
}
