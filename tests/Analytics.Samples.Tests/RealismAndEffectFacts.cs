using Analytics.Domain;
using Analytics.Samples;

namespace Analytics.Samples.Tests;

/// <summary>
/// The planted effects show in the raw files of a mid-size set (10 clinics × 12 months).
/// Bounds are wide around the planted value: course noise has SD 10 points.
/// </summary>
public sealed class RealismAndEffectFacts(MidSizeSet set) : IClassFixture<MidSizeSet>
{
    private static double Mean(IEnumerable<double> xs) => xs.Average();

    [Fact]
    public void A_mid_size_set_is_generated_fast()
    {
        Assert.InRange(set.Summary.SessionRows, 55_000, 75_000);
        // ~0.2 s of CPU; the bound leaves room for a loaded 2-core machine.
        Assert.True(set.Elapsed < TimeSpan.FromSeconds(10), $"took {set.Elapsed}");
    }

    [Fact]
    public void A_clean_set_breaks_no_contract_rule()
    {
        Assert.Empty(ContractRules.FindRejects(set));
        Assert.False(File.Exists(Path.Combine(set.Dir, SampleFiles.PlantedRejects)));
    }

    [Fact]
    public void Prp_adds_about_eight_points_for_acne_scars()
    {
        var courses = CourseImprovements.For(set, "goodman_baron_quant").Where(c => c.Concern == "acne_scars").ToList();
        var alone = courses.Where(c => c.Protocol == "microneedling").Select(c => c.ImprovementPct).ToList();
        var prp = courses.Where(c => c.Protocol == "microneedling+prp").Select(c => c.ImprovementPct).ToList();
        Assert.True(alone.Count > 300 && prp.Count > 300);
        Assert.InRange(Mean(prp) - Mean(alone), 5.5, 10.5);
    }

    [Fact]
    public void Minoxidil_helps_hair_loss_far_more_than_micro_needling_alone()
    {
        var courses = CourseImprovements.For(set, "hair_density");
        var alone = Mean(courses.Where(c => c.Protocol == "microneedling").Select(c => c.ImprovementPct));
        var minoxidil = Mean(courses.Where(c => c.Protocol == "microneedling+minoxidil").Select(c => c.ImprovementPct));
        Assert.InRange(minoxidil - alone, 18, 32);
        Assert.True(minoxidil > 2.5 * alone);
    }

    [Fact]
    public void Tranexamic_acid_helps_melasma()
    {
        var courses = CourseImprovements.For(set, "mmasi").Where(c => c.Concern == "melasma").ToList();
        var alone = Mean(courses.Where(c => c.Protocol == "microneedling").Select(c => c.ImprovementPct));
        var txa = Mean(courses.Where(c => c.Protocol == "microneedling+tranexamic_acid").Select(c => c.ImprovementPct));
        Assert.InRange(txa - alone, 8, 16);
    }

    /// <summary>Improvement % minus its concern-and-protocol mean, on the instruments with fine-grained scores.</summary>
    private List<(CourseImprovement Course, double Residual)> Residuals()
    {
        var all = new[] { "goodman_baron_quant", "posas_observer", "mmasi", "hair_density" }
            .SelectMany(i => CourseImprovements.For(set, i).Select(c => (Instrument: i, Course: c))).ToList();
        var means = all.GroupBy(x => (x.Instrument, x.Course.Concern, x.Course.Protocol))
            .ToDictionary(g => g.Key, g => g.Average(x => x.Course.ImprovementPct));
        return [.. all.Select(x => (x.Course, x.Course.ImprovementPct - means[(x.Instrument, x.Course.Concern, x.Course.Protocol)]))];
    }

    [Fact]
    public void The_planted_practitioner_is_about_ten_points_better()
    {
        var residuals = Residuals();
        var skilled = residuals.Where(r => r.Course.Practitioner == set.Summary.PlantedSkilledPractitionerId).Select(r => r.Residual).ToList();
        var colleagues = residuals.Where(r => r.Course.ClinicId == "c01" && r.Course.Practitioner != set.Summary.PlantedSkilledPractitionerId)
            .Select(r => r.Residual).ToList();
        Assert.True(skilled.Count > 80, $"{skilled.Count} courses");
        Assert.InRange(Mean(skilled) - Mean(colleagues), 6, 14);
    }

    [Fact]
    public void More_sessions_and_lighter_skin_improve_more()
    {
        var residuals = Residuals();
        var few = Mean(residuals.Where(r => r.Course.Sessions <= 2).Select(r => r.Residual));
        var many = Mean(residuals.Where(r => r.Course.Sessions >= 5).Select(r => r.Residual));
        Assert.InRange(many - few, 7, 17); // 3 points per session, 3.5 sessions apart on average

        var dark = Mean(residuals.Where(r => r.Course.Fitzpatrick >= 5).Select(r => r.Residual));
        var light = Mean(residuals.Where(r => r.Course.Fitzpatrick <= 4).Select(r => r.Residual));
        Assert.InRange(dark - light, -7, -1.5);
    }

    [Fact]
    public void Adverse_events_and_pih_are_more_frequent_in_dark_skin()
    {
        var typed = set.Sessions.Rows.Where(r => r["fitzpatrick_type"].Length > 0).ToList();
        double Rate(Func<CsvRecord, bool> group, Func<CsvRecord, bool> ae) =>
            typed.Where(group).Count(ae) / (double)typed.Count(group);
        bool Dark(CsvRecord r) => int.Parse(r["fitzpatrick_type"]) >= 4;
        bool Light(CsvRecord r) => int.Parse(r["fitzpatrick_type"]) <= 3;
        Assert.True(Rate(Dark, r => r["adverse_events"].Length > 0) > 1.4 * Rate(Light, r => r["adverse_events"].Length > 0));
        Assert.True(Rate(Dark, r => r["adverse_events"].Contains("pih")) > 3 * Rate(Light, r => r["adverse_events"].Contains("pih")));
    }

    [Fact]
    public void Areas_devices_and_adjuncts_fit_the_concern()
    {
        Assert.All(set.Sessions.Rows.Where(r => r["concern"] == "hair_loss" && r["area"].Length > 0), r => Assert.Equal("scalp", r["area"]));
        Assert.DoesNotContain(set.Sessions.Rows, r => r["area"] == "scalp" && r["concern"] != "hair_loss");
        Assert.DoesNotContain(set.Sessions.Rows, r => r["combination"].Contains("minoxidil") && r["concern"] != "hair_loss");
        Assert.DoesNotContain(set.Sessions.Rows, r => r["combination"].Contains("tranexamic_acid") && r["concern"] is not ("melasma" or "hyperpigmentation"));
        var melasmaDepth = set.Sessions.Rows.Where(r => r["concern"] == "melasma").Average(r => double.Parse(r["needle_depth_mm"], System.Globalization.CultureInfo.InvariantCulture));
        var scarDepth = set.Sessions.Rows.Where(r => r["concern"] == "acne_scars").Average(r => double.Parse(r["needle_depth_mm"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(scarDepth > melasmaDepth + 0.8);
    }

    [Fact]
    public void Clinics_charge_mostly_one_currency_and_leave_some_sessions_unpriced()
    {
        foreach (var clinic in set.Sessions.Rows.GroupBy(r => r["clinic_id"]))
        {
            var priced = clinic.Where(r => r["price"].Length > 0).ToList();
            var main = priced.GroupBy(r => r["currency"]).Max(g => g.Count());
            Assert.True(main > 0.9 * priced.Count);
            Assert.InRange(1 - priced.Count / (double)clinic.Count(), 0.03, 0.12);
        }
    }

    [Fact]
    public void Assessments_follow_the_contract_timeline_with_realistic_gaps()
    {
        var firstLast = set.Sessions.Rows.GroupBy(r => r["course_id"]).ToDictionary(g => g.Key,
            g => (First: g.Min(r => r["session_date"])!, Last: g.Max(r => r["session_date"])!));
        var byCourse = set.Assessments.Rows.GroupBy(r => r["course_id"]).ToDictionary(g => g.Key, g => g.ToList());

        // Global scales only at follow-up; baselines on or before the first session.
        Assert.All(set.Assessments.Rows.Where(r => InstrumentCatalog.Get(r["instrument"]).Kind == InstrumentKind.Global),
            r => Assert.Equal(Codes.FollowUp, r["timepoint"]));
        Assert.All(set.Assessments.Rows.Where(r => r["timepoint"] == Codes.Baseline),
            r => Assert.True(string.CompareOrdinal(r["assessed_on"], firstLast[r["course_id"]].First) <= 0));

        // Among courses whose follow-up was due (last session ≥ 12 weeks before the end), 10–30 % lack one.
        var due = firstLast.Where(c => DateOnly.Parse(c.Value.Last).AddDays(84) <= set.Settings.LastDay).Select(c => c.Key).ToList();
        var missing = due.Count(c => !byCourse.TryGetValue(c, out var rows)
            || !rows.Any(r => r["timepoint"] == Codes.FollowUp && string.CompareOrdinal(r["assessed_on"], firstLast[c].Last) > 0));
        Assert.InRange(missing / (double)due.Count, 0.15, 0.30);

        // Some follow_up rows are dated on or before the last session (the contract treats them as interim).
        var early = set.Assessments.Rows.Count(r => r["timepoint"] == Codes.FollowUp
            && string.CompareOrdinal(r["assessed_on"], firstLast[r["course_id"]].Last) <= 0);
        Assert.InRange(early / (double)firstLast.Count, 0.01, 0.08);
        Assert.Contains(set.Assessments.Rows, r => r["timepoint"] == Codes.Interim);
    }

    [Fact]
    public void Satisfaction_answers_link_to_session_course_or_neither_and_follow_improvement()
    {
        var rows = set.Satisfaction.Rows;
        Assert.Contains(rows, r => r["session_id"].Length > 0);
        Assert.Contains(rows, r => r["session_id"].Length == 0 && r["course_id"].Length > 0);
        Assert.Contains(rows, r => r["session_id"].Length == 0 && r["course_id"].Length == 0);
        Assert.Equal(InstrumentCatalog.Satisfaction.Select(i => i.Code).Order(), rows.Select(r => r["instrument"]).Distinct().Order());

        var sessionIds = set.Sessions.Rows.Select(r => r["session_id"]).ToHashSet();
        Assert.All(rows.Where(r => r["session_id"].Length > 0), r => Assert.Contains(r["session_id"], sessionIds));
        var sessionDates = set.Sessions.Rows.ToDictionary(r => r["session_id"], r => DateOnly.Parse(r["session_date"]));
        Assert.All(rows.Where(r => r["session_id"].Length > 0), r =>
            Assert.InRange(DateOnly.Parse(r["responded_on"]).DayNumber - sessionDates[r["session_id"]].DayNumber, 0, 7));

        // FACE-Q at course end is higher for courses that improved more (acne scars, goodman_baron_quant).
        var improvement = CourseImprovements.For(set, "goodman_baron_quant").ToDictionary(c => c.CourseId, c => c.ImprovementPct);
        var pairs = rows.Where(r => r["instrument"] == "face_q_satisfaction" && improvement.ContainsKey(r["course_id"]))
            .Select(r => (X: improvement[r["course_id"]], Y: double.Parse(r["score"]))).ToList();
        Assert.True(Correlation(pairs) > 0.3);
    }

    private static double Correlation(List<(double X, double Y)> pairs)
    {
        var mx = pairs.Average(p => p.X);
        var my = pairs.Average(p => p.Y);
        var sxy = pairs.Sum(p => (p.X - mx) * (p.Y - my));
        var sxx = pairs.Sum(p => (p.X - mx) * (p.X - mx));
        var syy = pairs.Sum(p => (p.Y - my) * (p.Y - my));
        return sxy / Math.Sqrt(sxx * syy);
    }
}
