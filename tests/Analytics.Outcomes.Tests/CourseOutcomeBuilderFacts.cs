using Analytics.Domain;

namespace Analytics.Outcomes.Tests;

public class CourseOutcomeBuilderFacts
{
    private static readonly string[] Dates = ["2025-01-10", "2025-02-10", "2025-03-10"];

    private static IReadOnlyList<CourseOutcome> Build(TestData data, IReadOnlyDictionary<string, double>? thresholds = null) =>
        CourseOutcomeBuilder.Build(data.CourseFacts, data.Points, InstrumentCatalog.WithThresholds(thresholds));

    [Fact]
    public void Baseline_is_the_latest_baseline_on_or_before_the_first_session()
    {
        var data = new TestData();
        var c = data.Course("k1", "p1", "c1", "acne_scars", Dates);
        data.Score("a1", c, "goodman_baron_quant", "baseline", "2025-01-01", 50);
        data.Score("a2", c, "goodman_baron_quant", "baseline", "2025-01-10", 40); // on the first session's day: counts
        data.Score("a3", c, "goodman_baron_quant", "baseline", "2025-01-11", 80); // after it: ignored
        data.Score("a4", c, "goodman_baron_quant", "follow_up", "2025-05-01", 20);

        var o = Assert.Single(Build(data));
        Assert.Equal(40, o.Baseline);
        Assert.Equal(TestData.D("2025-01-10"), o.BaselineDate);
        Assert.Equal(50, o.ImprovementPct);
        Assert.Equal(20, o.Change);
        Assert.True(o.Evaluable);
        Assert.True(o.Responder); // goodman_baron_quant: improvement ≥ 50 %
        Assert.Equal(202505, o.Month);
    }

    [Fact]
    public void Follow_up_is_the_latest_after_the_last_session_and_one_on_or_before_it_is_interim()
    {
        var data = new TestData();
        var c = data.Course("k1", "p1", "c1", "acne_scars", Dates);
        data.Score("a1", c, "goodman_baron_quant", "baseline", "2025-01-05", 40);
        data.Score("a2", c, "goodman_baron_quant", "follow_up", "2025-03-10", 5);  // on the last session: interim
        data.Score("a3", c, "goodman_baron_quant", "follow_up", "2025-02-01", 6);  // before it: interim
        data.Score("a4", c, "goodman_baron_quant", "follow_up", "2025-04-10", 30);
        data.Score("a5", c, "goodman_baron_quant", "follow_up", "2025-06-10", 30);
        data.Score("a6", c, "goodman_baron_quant", "follow_up", "2025-05-10", 10);

        var builder = new CourseOutcomeBuilder(InstrumentCatalog.Clinical);
        foreach (var f in data.CourseFacts) builder.AddCourse(f);
        var uses = data.Points.Select(p => builder.Add(p)).ToArray();
        var o = Assert.Single(builder.Build());

        Assert.Equal(30, o.FollowUp);
        Assert.Equal(TestData.D("2025-06-10"), o.FollowUpDate);
        Assert.Equal(25, o.ImprovementPct);
        Assert.False(o.Responder);
        Assert.Equal(2, uses.Count(u => u == AssessmentUse.FollowUpTreatedAsInterim));
        Assert.Equal(1, builder.FollowUpsTreatedAsInterim[(202503, "c1")]);
        Assert.Equal(1, builder.FollowUpsTreatedAsInterim[(202502, "c1")]);
    }

    [Fact]
    public void A_tie_on_the_date_goes_to_the_greater_id_by_ordinal_comparison()
    {
        var data = new TestData();
        var c = data.Course("k1", "p1", "c1", "acne_scars", Dates);
        // Ordinally "a-9" > "a-10" (the character '9' sorts after '1'): the greater id is a-9.
        data.Score("a-9", c, "goodman_baron_quant", "baseline", "2025-01-01", 40);
        data.Score("a-10", c, "goodman_baron_quant", "baseline", "2025-01-01", 60);
        data.Score("f-B", c, "goodman_baron_quant", "follow_up", "2025-05-01", 10);
        data.Score("f-A", c, "goodman_baron_quant", "follow_up", "2025-05-01", 30);
        data.Score("f-a", c, "goodman_baron_quant", "follow_up", "2025-05-01", 20); // 'a' (97) > 'B' (66): wins

        var o = Assert.Single(Build(data));
        Assert.Equal(40, o.Baseline);
        Assert.Equal(20, o.FollowUp);
    }

    [Fact]
    public void A_global_scale_is_evaluable_with_a_follow_up_and_has_no_improvement()
    {
        var data = new TestData();
        var c1 = data.Course("k1", "p1", "c1", "wrinkles", Dates);
        var c2 = data.Course("k2", "p2", "c1", "wrinkles", Dates);
        var c3 = data.Course("k3", "p3", "c1", "hair_loss", Dates);
        data.Score("a1", c1, "gais_investigator", "follow_up", "2025-04-01", 2); // ≤ 2: responder
        data.Score("a2", c2, "gais_investigator", "follow_up", "2025-04-01", 3);
        data.Score("a3", c3, "global_photo_7", "follow_up", "2025-04-01", 2);   // ≥ 2: responder

        var outcomes = Build(data).ToDictionary(o => o.CourseId);
        Assert.All(outcomes.Values, o =>
        {
            Assert.True(o.Evaluable);
            Assert.Equal(InstrumentKind.Global, o.Kind);
            Assert.Null(o.ImprovementPct);
            Assert.Null(o.Change);
            Assert.Null(o.Baseline);
        });
        Assert.True(outcomes["k1"].Responder);
        Assert.False(outcomes["k2"].Responder);
        Assert.True(outcomes["k3"].Responder);
    }

    [Fact]
    public void A_baseline_of_zero_or_a_missing_follow_up_is_not_evaluable()
    {
        var data = new TestData();
        var c1 = data.Course("k1", "p1", "c1", "melasma", Dates);
        var c2 = data.Course("k2", "p2", "c1", "melasma", Dates);
        data.Score("a1", c1, "mmasi", "baseline", "2025-01-01", 0);
        data.Score("a2", c1, "mmasi", "follow_up", "2025-04-01", 0);
        data.Score("a3", c2, "mmasi", "baseline", "2025-01-01", 12);

        var outcomes = Build(data).ToDictionary(o => o.CourseId);
        Assert.False(outcomes["k1"].Evaluable);
        Assert.Null(outcomes["k1"].ImprovementPct);
        Assert.Null(outcomes["k1"].Responder);
        Assert.Equal(0, outcomes["k1"].Change);
        Assert.False(outcomes["k2"].Evaluable);
        Assert.Null(outcomes["k2"].Month);
        Assert.Null(outcomes["k2"].Responder);
    }

    [Fact]
    public void Hair_density_improves_upwards()
    {
        var data = new TestData();
        var c1 = data.Course("k1", "p1", "c1", "hair_loss", Dates);
        var c2 = data.Course("k2", "p2", "c1", "hair_loss", Dates);
        data.Score("a1", c1, "hair_density", "baseline", "2025-01-01", 100);
        data.Score("a2", c1, "hair_density", "follow_up", "2025-04-01", 125);
        data.Score("a3", c2, "hair_density", "baseline", "2025-01-01", 100);
        data.Score("a4", c2, "hair_density", "follow_up", "2025-04-01", 90);

        var outcomes = Build(data).ToDictionary(o => o.CourseId);
        Assert.Equal(25, outcomes["k1"].ImprovementPct);
        Assert.Equal(25, outcomes["k1"].Change);
        Assert.True(outcomes["k1"].Responder); // ≥ 20 %
        Assert.Equal(-10, outcomes["k2"].ImprovementPct);
        Assert.False(outcomes["k2"].Responder);
    }

    [Fact]
    public void Responder_thresholds_can_be_overridden_per_instrument()
    {
        var data = new TestData();
        var c = data.Course("k1", "p1", "c1", "surgical_scars", Dates);
        data.Score("a1", c, "posas_observer", "baseline", "2025-01-01", 40);
        data.Score("a2", c, "posas_observer", "follow_up", "2025-04-01", 26); // 35 %

        Assert.True(Assert.Single(Build(data)).Responder); // default 30 %
        Assert.False(Assert.Single(Build(data, new Dictionary<string, double> { ["posas_observer"] = 40 })).Responder);
    }

    [Fact]
    public void Age_sessions_and_mean_interval_come_from_the_course()
    {
        var data = new TestData();
        var c = data.Course("k1", "p1", "c1", "acne_scars", ["2025-01-10", "2025-02-09", "2025-03-11"], birthYear: 1990, fitzpatrick: 4);
        data.Score("a1", c, "goodman_baron_qual", "baseline", "2025-01-01", 3);
        data.Score("a2", c, "goodman_baron_qual", "follow_up", "2025-04-01", 2);
        data.Score("x1", "missing-course", "p9", "goodman_baron_qual", "baseline", "2025-01-01", 3);

        var builder = new CourseOutcomeBuilder(InstrumentCatalog.Clinical);
        foreach (var f in data.CourseFacts) builder.AddCourse(f);
        var uses = data.Points.Select(p => builder.Add(p)).ToArray();
        var o = Assert.Single(builder.Build());
        Assert.Equal(35, o.Age);
        Assert.Equal(3, o.Sessions);
        Assert.Equal(4, o.FitzpatrickType);
        Assert.Equal(30, o.MeanIntervalDays); // (60 days) / 2 intervals
        Assert.True(o.Responder); // change 1 grade
        Assert.Equal(AssessmentUse.CourseNotImported, uses[^1]);
    }
}
