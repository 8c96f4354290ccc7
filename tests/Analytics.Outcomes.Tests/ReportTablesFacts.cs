using Microsoft.EntityFrameworkCore;
using Analytics.Domain;

namespace Analytics.Outcomes.Tests;

/// <summary>
/// The six tables on a small hand-built data set, on SQLite and PostgreSQL. Expected statistics were computed
/// independently with Debian's python3-scipy 1.10.1 / python3-statsmodels (see the comment at each value).
/// </summary>
public class ReportTablesFacts
{
    /// <summary>
    /// Relative tolerance 1e-8: MathNet's Student-t quantile (used by Analytics.Statistics) agrees with scipy's to
    /// about 2e-9, so interval bounds differ from scipy's in the 9th significant digit.
    /// </summary>
    internal static void Near(double expected, double? actual)
    {
        Assert.NotNull(actual);
        Assert.True(Math.Abs(expected - actual!.Value) <= 1e-8 * Math.Max(1, Math.Abs(expected)), $"expected {expected:R}, got {actual.Value:R}");
    }

    /// <summary>
    /// Clinic c1: six micro-needling courses (p1–p6), improvements 50, 25, 60, 10, 75, 40 %; clinic c2: two
    /// micro-needling + PRP courses (p7, p8), improvements 30, 70 %. Baselines 40 on the first session's day,
    /// sessions in January and February 2025, follow-ups in March. c1's sessions cost 100 EUR and have 2 days
    /// of downtime; p1's first session had an adverse event. p1–p5 answer the NPS question in March.
    /// </summary>
    internal static TestData MainData()
    {
        var d = new TestData();
        double[] improvements = [50, 25, 60, 10, 75, 40, 30, 70];
        for (var i = 0; i < improvements.Length; i++)
        {
            var c1 = i < 6;
            var course = d.Course($"k{i + 1}", $"p{i + 1}", c1 ? "c1" : "c2", "acne_scars", ["2025-01-05", "2025-02-05"],
                adjuncts: c1 ? [] : ["prp"], price: c1 ? 100m : null, currency: "EUR", downtime: c1 ? 2 : null,
                adverseOnSession: i == 0 ? 0 : -1);
            d.Score($"b{i + 1}", course, "goodman_baron_quant", "baseline", "2025-01-05", 40);
            d.Score($"f{i + 1}", course, "goodman_baron_quant", "follow_up", "2025-03-10", 40 * (1 - improvements[i] / 100));
        }
        double[] nps = [10, 9, 8, 6, 3];
        for (var i = 0; i < nps.Length; i++) d.Answer($"r{i + 1}", $"p{i + 1}", "2025-03-15", "nps", nps[i], session: $"k{i + 1}-s2");
        return d;
    }

    internal static async Task<ReportTables> ComputeAsync(TestDatabase db, TestData data, OutcomeOptions? options = null)
    {
        await using (var ctx = db.CreateContext()) await data.SaveAsync(ctx);
        await using var read = db.CreateContext();
        return await OutcomeService.ComputeAsync(read, options ?? new OutcomeOptions());
    }

    [Theory]
    [MemberData(nameof(Providers.Local), MemberType = typeof(Providers))]
    public async Task Outcomes_have_network_rows_concern_totals_and_suppressed_small_cells(DatabaseProvider provider)
    {
        using var db = await TestDatabase.CreateAsync(provider);
        var tables = await ComputeAsync(db, MainData());

        var keys = tables.Outcomes.Select(r => $"{r.ClinicId}|{r.Protocol}").ToArray();
        Assert.Equal(
            ["ALL|ALL", "ALL|microneedling", "ALL|microneedling+prp", "c1|ALL", "c1|microneedling", "c2|ALL", "c2|microneedling+prp"],
            keys);
        Assert.All(tables.Outcomes, r => Assert.Equal((202503, "acne_scars", "goodman_baron_quant"), (r.Month, r.Concern, r.Instrument)));

        var all = tables.Outcomes[0];
        Assert.Equal((8, 8, 8, 4, false), (all.Courses, all.EvaluableCourses, all.Patients, all.Responders, all.Suppressed));
        // scipy: x=[50,25,60,10,75,40,30,70]; mean ± t.ppf(.975,7)·sd/√8 → 45.0, 25.909620669552574, 64.09037933044743
        Near(45.0, all.MeanImprovementPct);
        Near(25.909620669552574, all.ImprovementCiLow);
        Near(64.09037933044743, all.ImprovementCiHigh);
        // statsmodels proportion_confint(4, 8, method='wilson') → (0.2152160622138775, 0.7847839377861225)
        Near(0.5, all.ResponderRate);
        Near(0.2152160622138775, all.ResponderCiLow);
        Near(0.7847839377861225, all.ResponderCiHigh);

        foreach (var r in new[] { tables.Outcomes[1], tables.Outcomes[3], tables.Outcomes[4] })
        {
            Assert.Equal((6, 6, 6, 3, false), (r.Courses, r.EvaluableCourses, r.Patients, r.Responders, r.Suppressed));
            // scipy: x=[50,25,60,10,75,40] → 43.333333333333336, 18.573174997718244, 68.09349166894843
            Near(43.333333333333336, r.MeanImprovementPct);
            Near(18.573174997718244, r.ImprovementCiLow);
            Near(68.09349166894843, r.ImprovementCiHigh);
            // statsmodels proportion_confint(3, 6, method='wilson') → (0.18761630648265054, 0.8123836935173494)
            Near(0.18761630648265054, r.ResponderCiLow);
            Near(0.8123836935173494, r.ResponderCiHigh);
        }

        foreach (var r in new[] { tables.Outcomes[2], tables.Outcomes[5], tables.Outcomes[6] })
        {
            // Two patients < 5: counts kept, statistics empty.
            Assert.Equal((2, 2, 2, 1, true), (r.Courses, r.EvaluableCourses, r.Patients, r.Responders, r.Suppressed));
            Assert.Null(r.MeanImprovementPct);
            Assert.Null(r.ImprovementCiLow);
            Assert.Null(r.ResponderRate);
            Assert.Null(r.ResponderCiHigh);
        }
    }

    [Theory]
    [MemberData(nameof(Providers.Local), MemberType = typeof(Providers))]
    public async Task Safety_activity_revenue_and_satisfaction_match_hand_counts(DatabaseProvider provider)
    {
        using var db = await TestDatabase.CreateAsync(provider);
        var tables = await ComputeAsync(db, MainData());

        var safety = tables.Safety.Where(r => r.Month == 202501).ToArray();
        Assert.Equal(["ALL", "c1", "c2"], safety.Select(r => r.ClinicId));
        Assert.Equal((8, 8, 1, false), (safety[0].Sessions, safety[0].Patients, safety[0].SessionsWithAdverseEvent, safety[0].Suppressed));
        // statsmodels proportion_confint(1, 8, method='wilson') → (0.022417491450056642, 0.47088818221285356)
        Near(0.125, safety[0].AdverseEventRate);
        Near(0.022417491450056642, safety[0].CiLow);
        Near(0.47088818221285356, safety[0].CiHigh);
        Assert.Equal(2, safety[0].MeanDowntimeDays); // only c1's sessions record downtime
        // statsmodels proportion_confint(1, 6, method='wilson') → (0.030053369748306635, 0.5635028221864703)
        Near(0.030053369748306635, safety[1].CiLow);
        Near(0.5635028221864703, safety[1].CiHigh);
        Assert.True(safety[2].Suppressed);
        Assert.Equal((2, 2, 0), (safety[2].Sessions, safety[2].Patients, safety[2].SessionsWithAdverseEvent));
        Assert.Null(safety[2].AdverseEventRate);
        Assert.Null(safety[2].MeanDowntimeDays);
        var feb = tables.Safety.Single(r => r.Month == 202502 && r.ClinicId == "c1");
        Assert.Equal((6, 0, false, 0.0), (feb.Sessions, feb.SessionsWithAdverseEvent, feb.Suppressed, feb.AdverseEventRate!.Value));
        Assert.Equal(0, feb.CiLow); // Wilson lower bound at k = 0

        Assert.Equal(
            [
                new ActivityRow(202501, "ALL", 8, 8, 8, 0, 8), new ActivityRow(202501, "c1", 6, 6, 6, 0, 6), new ActivityRow(202501, "c2", 2, 2, 2, 0, 2),
                new ActivityRow(202502, "ALL", 8, 8, 0, 8, 0), new ActivityRow(202502, "c1", 6, 6, 0, 6, 0), new ActivityRow(202502, "c2", 2, 2, 0, 2, 0),
            ],
            tables.Activity);

        Assert.Equal(
            [
                new RevenueRow(202501, "ALL", "EUR", 6, 600m), new RevenueRow(202501, "c1", "EUR", 6, 600m),
                new RevenueRow(202502, "ALL", "EUR", 6, 600m), new RevenueRow(202502, "c1", "EUR", 6, 600m),
            ],
            tables.Revenue);

        Assert.Equal(["ALL", "c1"], tables.Satisfaction.Select(r => r.ClinicId));
        foreach (var s in tables.Satisfaction)
        {
            Assert.Equal((202503, "nps", 5, 5, false), (s.Month, s.Instrument, s.Responses, s.Patients, s.Suppressed));
            // scipy: x=[10,9,8,6,3] → mean 7.2, t interval (3.7545222348486567, 10.645477765151345)
            Near(7.2, s.MeanScore);
            Near(3.7545222348486567, s.CiLow);
            Near(10.645477765151345, s.CiHigh);
            // promoters 10, 9; passive 8; detractors 6, 3: NPS = 100 × (2 − 2) / 5 = 0
            Assert.Equal((2, 1, 2, 0.0), (s.Promoters, s.Passives, s.Detractors, s.Nps));
        }
    }

    [Theory]
    [MemberData(nameof(Providers.Local), MemberType = typeof(Providers))]
    public async Task A_survey_answer_takes_the_clinic_of_its_session_else_course_else_latest_session_else_unknown(DatabaseProvider provider)
    {
        var d = new TestData();
        d.Course("m1", "q1", "c1", "wrinkles", ["2025-01-05", "2025-02-05"]);
        d.Course("m2", "q2", "c2", "wrinkles", ["2025-01-05"]);
        d.Course("m3", "q3", "c2", "wrinkles", ["2025-01-05"]);
        d.Course("m4", "q3", "c1", "wrinkles", ["2025-03-01"]);
        // Scores 1..5 identify the answers of likert5; 1..2 those of gais_patient.
        d.Answer("r1", "q1", "2025-03-20", "likert5", 1, session: "m1-s1", course: "m2");  // session → c1 (beats the course)
        d.Answer("r2", "q2", "2025-03-20", "likert5", 2, course: "m2");                    // course → c2
        d.Answer("r3", "q2", "2025-03-20", "likert5", 3, session: "ghost", course: "m2");  // session not imported → course → c2
        d.Answer("r4", "q3", "2025-02-15", "likert5", 4);                                  // latest session on/before → m3 → c2
        d.Answer("r5", "q3", "2025-03-01", "likert5", 5, course: "not-yet");               // same-day session m4 → c1
        d.Answer("r6", "q9", "2025-03-20", "gais_patient", 1);                             // no sessions → unknown
        d.Answer("r7", "q3", "2024-12-01", "gais_patient", 2);                             // before any session → unknown

        using var db = await TestDatabase.CreateAsync(provider);
        await using (var ctx = db.CreateContext()) await d.SaveAsync(ctx);
        await using var read = db.CreateContext();
        var linked = (await OutcomeQueries.Answers(read, null, null).ToListAsync())
            .ToDictionary(a => $"{a.Instrument}:{a.Score}", a => a.ClinicId ?? Codes.UnknownClinic);
        Assert.Equal("c1", linked["likert5:1"]);
        Assert.Equal("c2", linked["likert5:2"]);
        Assert.Equal("c2", linked["likert5:3"]);
        Assert.Equal("c2", linked["likert5:4"]);
        Assert.Equal("c1", linked["likert5:5"]);
        Assert.Equal("unknown", linked["gais_patient:1"]);
        Assert.Equal("unknown", linked["gais_patient:2"]);

        var tables = await OutcomeService.ComputeAsync(read, new OutcomeOptions { MinCellSize = 1 });
        var unknownRows = tables.Satisfaction.Where(r => r.ClinicId == "unknown").ToArray();
        Assert.Equal([(202412, 1), (202503, 1)], unknownRows.Select(r => (r.Month, r.Responses)));
        Assert.Null(unknownRows[0].Nps); // not an nps row
        Assert.Equal(1, tables.DataQuality.Single(r => r.Month == 202412 && r.ClinicId == "unknown").AnswersWithoutClinic);
        Assert.Equal(1, tables.DataQuality.Single(r => r.Month == 202503 && r.ClinicId == "ALL").AnswersWithoutClinic);
    }

    [Theory]
    [MemberData(nameof(Providers.Local), MemberType = typeof(Providers))]
    public async Task Data_quality_counts_interim_follow_ups_waiting_assessments_rejected_rows_and_incomplete_courses(DatabaseProvider provider)
    {
        var d = new TestData();
        var k1 = d.Course("k1", "p1", "c1", "acne_scars", ["2025-01-05", "2025-02-05"]);
        d.Score("a1", k1, "goodman_baron_quant", "baseline", "2025-01-01", 40);
        d.Score("a2", k1, "goodman_baron_quant", "follow_up", "2025-02-05", 30); // on the last session: interim
        d.Course("k2", "p2", "c2", "acne_scars", ["2025-01-05"]);                // no assessment at all
        var k3 = d.Course("k3", "p3", "c2", "wrinkles", ["2025-01-05"]);
        d.Score("a3", k3, "gais_investigator", "follow_up", "2025-03-01", 2);     // global only: needs no baseline
        d.Score("a4", "k-missing", "p4", "goodman_baron_quant", "baseline", "2025-01-02", 40);
        d.Score("a5", "k-missing", "p4", "goodman_baron_quant", "interim", "2025-02-02", 35);
        d.Batches.Add(new ImportBatch { Id = 7, Source = "drop", AsOf = TestData.D("2025-04-30"), Status = ImportStatus.Succeeded });
        d.Rejected.Add(new RejectedRow { ImportBatchId = 7, File = "sessions.csv", Line = 3, ReasonCode = "required", Reason = "x", Month = 202501, ClinicId = "c1" });
        d.Rejected.Add(new RejectedRow { ImportBatchId = 7, File = "sessions.csv", Line = 4, ReasonCode = "bad_date", Reason = "x" });

        using var db = await TestDatabase.CreateAsync(provider);
        var tables = await ComputeAsync(db, d);
        Assert.Equal(
            [
                new DataQualityRow(202501, "ALL", 1, 1, 0, 0, 1, 1),
                new DataQualityRow(202501, "c1", 0, 0, 0, 0, 0, 1),
                new DataQualityRow(202501, "c2", 1, 1, 0, 0, 0, 0),
                new DataQualityRow(202501, "unknown", 0, 0, 0, 0, 1, 0),
                new DataQualityRow(202502, "ALL", 0, 1, 1, 0, 1, 0),
                new DataQualityRow(202502, "c1", 0, 1, 1, 0, 0, 0),
                new DataQualityRow(202502, "unknown", 0, 0, 0, 0, 1, 0),
                new DataQualityRow(202504, "ALL", 0, 0, 0, 0, 0, 1),
                new DataQualityRow(202504, "unknown", 0, 0, 0, 0, 0, 1),
            ],
            tables.DataQuality);
        // k1's only follow-up was interim: no outcome row; k3's global follow-up gives one.
        Assert.All(tables.Outcomes, r => Assert.Equal("gais_investigator", r.Instrument));
    }

    [Theory]
    [MemberData(nameof(Providers.Local), MemberType = typeof(Providers))]
    public async Task New_and_returning_patients_follow_the_first_session_at_the_clinic_or_anywhere(DatabaseProvider provider)
    {
        var d = new TestData();
        d.Course("a1", "pA", "c1", "acne_scars", ["2025-01-10", "2025-02-10"], price: 100m);
        d.Course("a2", "pA", "c2", "wrinkles", ["2025-02-11"], price: 200m, currency: "USD");
        d.Course("b1", "pB", "c1", "acne_scars", ["2025-02-12"], price: 50m);

        using var db = await TestDatabase.CreateAsync(provider);
        var tables = await ComputeAsync(db, d);
        Assert.Equal(
            [
                new ActivityRow(202501, "ALL", 1, 1, 1, 0, 1),
                new ActivityRow(202501, "c1", 1, 1, 1, 0, 1),
                new ActivityRow(202502, "ALL", 3, 2, 1, 1, 2), // pA was seen in January somewhere: returning on ALL
                new ActivityRow(202502, "c1", 2, 2, 1, 1, 1),
                new ActivityRow(202502, "c2", 1, 1, 1, 0, 1),  // pA's first session at c2: new there
            ],
            tables.Activity);
        Assert.Equal(
            [
                new RevenueRow(202501, "ALL", "EUR", 1, 100m), new RevenueRow(202501, "c1", "EUR", 1, 100m),
                new RevenueRow(202502, "ALL", "EUR", 2, 150m), new RevenueRow(202502, "ALL", "USD", 1, 200m),
                new RevenueRow(202502, "c1", "EUR", 2, 150m), new RevenueRow(202502, "c2", "USD", 1, 200m),
            ],
            tables.Revenue);

        // With --from 2025-02 the January sessions still decide who is new.
        await using var read = db.CreateContext();
        var february = await OutcomeService.ComputeAsync(read, new OutcomeOptions { FromMonth = 202502 });
        Assert.Equal(tables.Activity.Where(r => r.Month == 202502), february.Activity);
        Assert.All(february.Revenue, r => Assert.Equal(202502, r.Month));
    }
}
