using Analytics.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Outcomes.Tests;

public class QueryFacts
{
    private static AnalyticsDbContext SqlServerContext() => DatabaseSetup.CreateContext(new DatabaseOptions
    {
        Provider = DatabaseProvider.SqlServer,
        ConnectionString = "Server=localhost;Database=analytics;Trusted_Connection=True;TrustServerCertificate=True",
    });

    public static TheoryData<string> QueryNames => new()
    {
        "courses", "assessments", "sessions", "answers", "rejected", "batches", "depths", "devices", "areas",
    };

    private static IQueryable Query(AnalyticsDbContext db, string name) => name switch
    {
        "courses" => OutcomeQueries.Courses(db),
        "assessments" => OutcomeQueries.Assessments(db),
        "sessions" => OutcomeQueries.Sessions(db, 202512),
        "answers" => OutcomeQueries.Answers(db, 202501, 202512),
        "rejected" => OutcomeQueries.RejectedRows(db),
        "batches" => OutcomeQueries.ImportDays(db),
        "depths" => OutcomeQueries.NeedleDepths(db),
        "devices" => OutcomeQueries.Devices(db),
        "areas" => OutcomeQueries.Areas(db),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(QueryNames))]
    public void Every_query_translates_to_SQL_Server_SQL_that_ScriptDom_parses(string name)
    {
        using var db = SqlServerContext();
        var sql = Query(db, name).ToQueryString();
        Assert.Contains("SELECT", sql, StringComparison.Ordinal);
        Assert.Empty(TSqlValidator.Errors(sql));
    }

    [Fact]
    public async Task The_hand_written_SQL_floor_gives_the_same_counts_as_the_outcomes_table()
    {
        var d = ReportTablesFacts.MainData();
        // Extra cases for the floor's rules: tie on the baseline date (greater id, score 0 → not evaluable),
        // an interim-treated follow-up, a global instrument, a second follow-up month.
        var k9 = d.Course("k9", "p9", "c1", "acne_scars", ["2025-01-05", "2025-02-05"]);
        d.Score("b9-a", k9, "goodman_baron_quant", "baseline", "2025-01-01", 30);
        d.Score("b9-b", k9, "goodman_baron_quant", "baseline", "2025-01-01", 0);
        d.Score("f9-a", k9, "goodman_baron_quant", "follow_up", "2025-02-05", 10);
        d.Score("f9-b", k9, "goodman_baron_quant", "follow_up", "2025-04-02", 10);
        d.Score("g9", k9, "gais_investigator", "follow_up", "2025-04-03", 2);
        d.Score("g1", "k1", "p1", "gais_investigator", "follow_up", "2025-03-11", 3);

        using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var tables = await ReportTablesFacts.ComputeAsync(db, d, new OutcomeOptions { MinCellSize = 1 });
        var floor = await OutcomeCountsFloor.QueryAsync(db.Options.EffectiveConnectionString);

        var expected = tables.Outcomes.Where(r => r.ClinicId != Codes.All && r.Protocol != Codes.All)
            .Select(r => new OutcomeCount(r.Month, r.ClinicId, r.Concern, r.Protocol, r.Instrument, r.Courses, r.EvaluableCourses, r.Patients));
        Assert.Equal(expected, floor);
        Assert.Contains(floor, r => r is { Month: 202504, Instrument: "goodman_baron_quant", Courses: 1, EvaluableCourses: 0 });
    }

    [Theory]
    [MemberData(nameof(Providers.Local), MemberType = typeof(Providers))]
    public async Task Course_outcomes_for_the_models_carry_session_features(DatabaseProvider provider)
    {
        var d = new TestData();
        var k1 = d.Course("k1", "p1", "c1", "acne_scars", ["2025-01-05", "2025-01-25", "2025-02-14"], device: "pen", depth: 1.5, area: "face");
        d.Sessions[1].Device = "roller";
        d.Sessions[1].NeedleDepthMm = 2.0;
        d.Sessions[2].NeedleDepthMm = null;
        var k2 = d.Course("k2", "p2", "c1", "acne_scars", ["2025-01-05", "2025-02-05"], device: "stamp", area: "neck");
        d.Sessions[^1].Device = "pen"; // one stamp, one pen: the tie goes to the ordinally smaller code
        d.Score("a1", k1, "goodman_baron_quant", "baseline", "2025-01-01", 40);
        d.Score("a2", k1, "goodman_baron_quant", "follow_up", "2025-03-01", 20);
        d.Score("a3", k2, "goodman_baron_quant", "baseline", "2025-01-01", 40);

        using var db = await TestDatabase.CreateAsync(provider);
        await using (var ctx = db.CreateContext()) await d.SaveAsync(ctx);
        await using var read = db.CreateContext();
        var outcomes = (await OutcomeService.GetCourseOutcomesAsync(read, new OutcomeOptions())).ToDictionary(o => o.CourseId);

        Assert.Equal(2, outcomes.Count);
        Assert.Equal("pen", outcomes["k1"].Device);
        Assert.Equal(1.75, outcomes["k1"].NeedleDepthMm!.Value, 12);
        Assert.Equal("face", outcomes["k1"].Area);
        Assert.Equal(20, outcomes["k1"].MeanIntervalDays);
        Assert.True(outcomes["k1"].Evaluable);
        Assert.Equal("pen", outcomes["k2"].Device);
        Assert.Null(outcomes["k2"].NeedleDepthMm);
        Assert.False(outcomes["k2"].Evaluable);

        var march = await OutcomeService.GetCourseOutcomesAsync(read, new OutcomeOptions { FromMonth = 202503, ToMonth = 202503 });
        Assert.Equal("k1", Assert.Single(march).CourseId);
    }

    [Fact]
    public async Task The_service_reads_its_options_from_configuration_and_honours_the_month_range()
    {
        var d = ReportTablesFacts.MainData();
        var late = d.Course("k20", "p20", "c1", "acne_scars", ["2025-03-01"]);
        d.Score("b20", late, "goodman_baron_quant", "baseline", "2025-03-01", 40);
        d.Score("f20", late, "goodman_baron_quant", "follow_up", "2025-04-10", 10);
        using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using (var ctx = db.CreateContext()) await d.SaveAsync(ctx);

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:ConnectionString"] = db.Options.EffectiveConnectionString,
            ["Outcomes:MinCellSize"] = "2",
            ["Outcomes:ResponderThresholds:goodman_baron_quant"] = "70",
        }).Build();
        var services = new ServiceCollection().AddAnalyticsDatabase(configuration).AddAnalyticsOutcomes(configuration).BuildServiceProvider();
        var service = services.GetRequiredService<OutcomeService>();

        var all = await service.ComputeAsync();
        Assert.Equal(2, all.Settings.MinCellSize);
        Assert.Equal(70, all.Settings.Instruments.Single(i => i.Code == "goodman_baron_quant").Threshold);
        var network = all.Outcomes.Single(r => r is { Month: 202503, ClinicId: "ALL", Protocol: "ALL" });
        Assert.Equal(2, network.Responders); // improvements 75 and 70 reach 70 %
        var prpCell = all.Outcomes.Single(r => r is { Month: 202503, ClinicId: "c2", Protocol: "microneedling+prp" });
        Assert.False(prpCell.Suppressed); // 2 patients ≥ MinCellSize 2
        Assert.Contains(all.Outcomes, r => r.Month == 202504);

        var march = await service.ComputeAsync(new OutcomeOptions { MinCellSize = 5, FromMonth = 202503, ToMonth = 202503 });
        Assert.All(march.Outcomes, r => Assert.Equal(202503, r.Month));
        // Only k20's session is in March (the others are in January and February)…
        Assert.Equal([("ALL", 1), ("c1", 1)], march.Safety.Select(r => (r.ClinicId, r.Sessions)));
        Assert.Equal([new ActivityRow(202503, "ALL", 1, 1, 1, 0, 1), new ActivityRow(202503, "c1", 1, 1, 1, 0, 1)], march.Activity);
        Assert.Equal(["ALL", "c1"], march.Satisfaction.Select(s => s.ClinicId)); // …the answers in March
        Assert.Equal(8, march.ProtocolComparison.Single().N + march.ProtocolComparison.Single().NReference);
        Assert.Equal((202503, 202503), (march.Settings.FromMonth, march.Settings.ToMonth));
    }

    [Fact]
    public void Cells_with_zero_one_or_two_evaluable_courses_and_all_or_no_responders()
    {
        var d = new TestData();
        // Cell c1: one evaluable course (mean, no interval). Cell c2: baseline 0 → 0 evaluable. Cell c3: two, both responders.
        // Cell c4: three, no responders.
        var a = d.Course("a", "pa", "c1", "melasma", ["2025-01-05"]);
        d.Score("a1", a, "mmasi", "baseline", "2025-01-01", 10);
        d.Score("a2", a, "mmasi", "follow_up", "2025-03-01", 4);
        var b = d.Course("b", "pb", "c2", "melasma", ["2025-01-05"]);
        d.Score("b1", b, "mmasi", "baseline", "2025-01-01", 0);
        d.Score("b2", b, "mmasi", "follow_up", "2025-03-01", 0);
        foreach (var (id, fu) in new[] { ("c", 2.0), ("e", 4.0) })
        {
            var c = d.Course(id, "p" + id, "c3", "melasma", ["2025-01-05"]);
            d.Score(id + "1", c, "mmasi", "baseline", "2025-01-01", 10);
            d.Score(id + "2", c, "mmasi", "follow_up", "2025-03-01", fu);
        }
        foreach (var id in new[] { "x", "y", "z" })
        {
            var c = d.Course(id, "p" + id, "c4", "melasma", ["2025-01-05"]);
            d.Score(id + "1", c, "mmasi", "baseline", "2025-01-01", 10);
            d.Score(id + "2", c, "mmasi", "follow_up", "2025-03-01", 9);
        }
        var rows = OutcomeTableBuilder.Build(CourseOutcomeBuilder.Build(d.CourseFacts, d.Points, InstrumentCatalog.Clinical), minCellSize: 1)
            .Where(r => r.Protocol != Codes.All).ToDictionary(r => r.ClinicId);

        Assert.Equal((1, 1, 60.0), (rows["c1"].Courses, rows["c1"].EvaluableCourses, rows["c1"].MeanImprovementPct!.Value));
        Assert.Null(rows["c1"].ImprovementCiLow);
        Assert.Equal((1, 0), (rows["c2"].Courses, rows["c2"].EvaluableCourses));
        Assert.Null(rows["c2"].MeanImprovementPct);
        Assert.Null(rows["c2"].ResponderRate);
        // Two responders of two: improvements 80 and 60; scipy t interval → mean 70, 70 ± t.ppf(.975, 1)·sd/√2 = (−57.06204736174704, 197.06204736432096)
        Assert.Equal(2, rows["c3"].Responders);
        ReportTablesFacts.Near(-57.06204736432096, rows["c3"].ImprovementCiLow);
        ReportTablesFacts.Near(197.06204736432096, rows["c3"].ImprovementCiHigh);
        Assert.Equal(1.0, rows["c3"].ResponderCiHigh);
        // statsmodels proportion_confint(0, 3, method='wilson') → (0.0, 0.5614970317550455)
        Assert.Equal(0, rows["c4"].Responders);
        Assert.Equal(0.0, rows["c4"].ResponderCiLow);
        ReportTablesFacts.Near(0.5614970317550455, rows["c4"].ResponderCiHigh);
        // Three identical improvements (10 %): the interval collapses to the mean.
        ReportTablesFacts.Near(10, rows["c4"].ImprovementCiLow);
        ReportTablesFacts.Near(10, rows["c4"].ImprovementCiHigh);
    }
}
