using Analytics.Domain;

namespace Analytics.Outcomes.Tests;

public class ProtocolComparisonFacts
{
    // (protocol adjuncts, baseline, follow-up, Fitzpatrick, birth year, sessions); one patient per course.
    private static readonly (string[] Adjuncts, double Baseline, double FollowUp, int? Fitz, int Birth, int Sessions)[] Courses =
    [
        ([], 40, 28, 2, 1980, 3), ([], 50, 30, 3, 1975, 4), ([], 36, 27, 4, 1990, 3), ([], 60, 39, 2, 1985, 5),
        ([], 44, 30, 3, 1970, 4), ([], 52, 40, 5, 1995, 3), ([], 48, 26, 3, 1988, 6),
        (["prp"], 40, 18, 2, 1982, 4), (["prp"], 56, 24, 3, 1979, 5), (["prp"], 38, 20, 4, 1991, 3),
        (["prp"], 62, 30, 3, 1968, 4), (["prp"], 46, 23, 5, 1987, 6), (["prp"], 50, 21, null, 1984, 4),
        (["chemical_peel"], 42, 27, 2, 1983, 3), (["chemical_peel"], 58, 35, 4, 1977, 4), (["chemical_peel"], 45, 31, 3, 1993, 5),
        (["chemical_peel"], 39, 22, 2, 1986, 3), (["chemical_peel"], 54, 36, 3, 1972, 4),
        (["laser"], 40, 10, 3, 1980, 3), (["laser"], 50, 12, 3, 1980, 3), (["laser"], 45, 11, 3, 1980, 3),
    ];

    private static TestData Data(IEnumerable<(string[] Adjuncts, double Baseline, double FollowUp, int? Fitz, int Birth, int Sessions)> courses)
    {
        var d = new TestData();
        var i = 0;
        foreach (var c in courses)
        {
            i++;
            // Sessions a week apart from 2025-01-06; first session in 2025, so age = 2025 − birth year.
            var dates = Enumerable.Range(0, c.Sessions).Select(k => new DateOnly(2025, 1, 6).AddDays(7 * k).ToString("yyyy-MM-dd")).ToArray();
            var course = d.Course($"k{i:D3}", $"p{i:D3}", i % 2 == 0 ? "c1" : "c2", "acne_scars", dates, c.Adjuncts, birthYear: c.Birth, fitzpatrick: c.Fitz);
            d.Score($"b{i:D3}", course, "goodman_baron_quant", "baseline", "2025-01-06", c.Baseline);
            d.Score($"f{i:D3}", course, "goodman_baron_quant", "follow_up", "2025-06-01", c.FollowUp);
        }
        return d;
    }

    private static IReadOnlyList<ProtocolComparisonRow> Compare(TestData d, int minCellSize = 5) =>
        ProtocolComparisonBuilder.Build(CourseOutcomeBuilder.Build(d.CourseFacts, d.Points, InstrumentCatalog.Clinical), minCellSize);

    private static void Near(double expected, double? actual) => ReportTablesFacts.Near(expected, actual);

    [Fact]
    public void Welch_Holm_and_the_adjusted_model_match_scipy_and_statsmodels()
    {
        var rows = Compare(Data(Courses));
        Assert.Equal(["microneedling+chemical_peel", "microneedling+laser", "microneedling+prp"], rows.Select(r => r.Protocol));
        Assert.All(rows, r => Assert.Equal(("acne_scars", "goodman_baron_quant", "microneedling", 7), (r.Concern, r.Instrument, r.ReferenceProtocol, r.NReference)));

        // Independent values: /usr/bin/python3 with scipy 1.10.1 and statsmodels (Debian 12):
        // stats.ttest_ind(a, ref, equal_var=False); Welch interval with t.ppf(.975, Welch–Satterthwaite df);
        // multipletests([...], method="holm"); smf.ols("imp ~ baseline + C(fitz) + age + sessions +
        // C(protocol, Treatment('microneedling'))") on the reference, peel and PRP courses with a Fitzpatrick type (17).
        var peel = rows[0];
        Assert.Equal((5, false), (peel.N, peel.Suppressed));
        Near(36.68072923245337, peel.MeanImprovementPct);
        Near(32.96120546120546, peel.ReferenceMeanImprovementPct);
        Near(3.719523771247914, peel.Difference);
        Near(-4.714429185595558, peel.DifferenceCiLow);
        Near(12.153476728091386, peel.DifferenceCiHigh);
        Near(0.3485259874701905, peel.PValue);
        Near(0.3485259874701905, peel.PHolm);
        Near(2.9772021935057893, peel.AdjustedDifference);
        Near(3.5658135104436752, peel.AdjustedSe);
        Near(-5.245578506335184, peel.AdjustedCiLow);
        Near(11.199982893346762, peel.AdjustedCiHigh);
        Near(0.427985369175127, peel.AdjustedPValue);

        var prp = rows[2];
        Assert.Equal((6, false), (prp.N, prp.Suppressed));
        Near(53.187363570215865, prp.MeanImprovementPct);
        Near(20.226158109010406, prp.Difference);
        Near(12.34573094944453, prp.DifferenceCiLow);
        Near(28.106585268576282, prp.DifferenceCiHigh);
        Near(0.00023610207698004156, prp.PValue);
        Near(0.0004722041539600831, prp.PHolm);
        Near(18.38691245733922, prp.AdjustedDifference);
        Near(3.673732018319017, prp.AdjustedSe);
        Near(9.915271232091078, prp.AdjustedCiLow);
        Near(26.858553682587363, prp.AdjustedCiHigh);
        Near(0.0010463134562378824, prp.AdjustedPValue);

        // Laser: 3 courses < 5 → suppressed, out of the tests, the Holm family (m = 2 above) and the model.
        var laser = rows[1];
        Assert.Equal((3, true), (laser.N, laser.Suppressed));
        Assert.Null(laser.MeanImprovementPct);
        Assert.Null(laser.PValue);
        Assert.Null(laser.PHolm);
        Assert.Null(laser.AdjustedDifference);
    }

    [Fact]
    public void A_reference_below_the_cell_size_suppresses_every_protocol()
    {
        var rows = Compare(Data(Courses.Where((c, i) => c.Adjuncts.Length > 0 || i < 4)));
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r =>
        {
            Assert.True(r.Suppressed);
            Assert.Equal(4, r.NReference);
            Assert.Null(r.Difference);
            Assert.Null(r.PHolm);
            Assert.Null(r.AdjustedDifference);
        });
        Assert.Equal([5, 3, 6], rows.Select(r => r.N));
    }

    [Fact]
    public void A_protocol_confounded_with_skin_type_gets_empty_adjusted_columns()
    {
        // Five exosome courses, all and only they with Fitzpatrick type 6: the protocol indicator equals the
        // fitzpatrick[6] indicator, which comes earlier in the design, so the protocol's column is aliased.
        var exosomes = Enumerable.Range(0, 5).Select(i => (new[] { "exosomes" }, 40.0 + i, 20.0 + i, (int?)6, 1980 + i, 3 + i % 2));
        var rows = Compare(Data(Courses.Concat(exosomes)));
        var exo = rows.Single(r => r.Protocol == "microneedling+exosomes");
        Assert.False(exo.Suppressed);
        Assert.NotNull(exo.Difference);
        Assert.NotNull(exo.PValue);
        Assert.NotNull(exo.PHolm);
        Assert.Null(exo.AdjustedDifference);
        Assert.Null(exo.AdjustedSe);
        Assert.Null(exo.AdjustedCiLow);
        Assert.Null(exo.AdjustedPValue);
        Assert.NotNull(rows.Single(r => r.Protocol == "microneedling+prp").AdjustedDifference);
    }

    [Fact]
    public void A_generated_data_set_with_a_known_prp_effect_recovers_it()
    {
        // 600 courses, seeded: improvement % = 30 + 8·PRP + 0.3·(baseline − 40) − 2·(type − 3) + 0.15·(age − 40)
        // + 2·(sessions − 4) + N(0, 10²), PRP more likely on darker skin (confounding the crude comparison).
        var random = new Random(20261124);
        var courses = new List<(string[], double, double, int?, int, int)>();
        for (var i = 0; i < 600; i++)
        {
            var fitz = random.Next(1, 7);
            var prp = random.NextDouble() < 0.25 + 0.08 * fitz;
            var baseline = (double)random.Next(20, 61);
            var birth = random.Next(1960, 2001);
            var sessions = random.Next(3, 7);
            var noise = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()) * 10;
            var improvement = 30 + (prp ? 8 : 0) + 0.3 * (baseline - 40) - 2 * (fitz - 3) + 0.15 * (2025 - birth - 40) + 2 * (sessions - 4) + noise;
            courses.Add((prp ? ["prp"] : [], baseline, baseline * (1 - improvement / 100), fitz, birth, sessions));
        }
        var row = Assert.Single(Compare(Data(courses)));
        Assert.Equal("microneedling+prp", row.Protocol);
        Assert.Equal(600, row.N + row.NReference);
        Assert.InRange(8.0, row.AdjustedCiLow!.Value, row.AdjustedCiHigh!.Value);
        Assert.True(row.AdjustedCiLow > 0, $"adjusted interval [{row.AdjustedCiLow}, {row.AdjustedCiHigh}] should exclude 0");
        Assert.True(row.AdjustedPValue < 0.05);
    }
}
