using Microsoft.EntityFrameworkCore;
using Analytics.Domain;

namespace Analytics.Outcomes.Tests;

/// <summary>The SQLite fast path (<see cref="SqliteStreams"/>) gives exactly the tables of the portable LINQ path.</summary>
public class SqliteStreamsFacts
{
    /// <summary>A seeded mix of every case the streams touch: ties on dates, interim and early follow-ups, global scales,
    /// scores of courses not imported, sessions before the range, prices in two currencies, missing downtime.</summary>
    private static TestData Varied()
    {
        var rnd = new Random(7);
        var d = new TestData();
        string[] clinics = ["c1", "c2", "clinic-ü"];
        (string Concern, string Instrument)[] concerns = [("acne_scars", "goodman_baron_quant"), ("wrinkles", "wsrs"), ("melasma", "mmasi")];
        string[][] adjuncts = [[], ["prp"], ["chemical_peel"]];
        for (var i = 0; i < 160; i++)
        {
            var (concern, instrument) = concerns[rnd.Next(concerns.Length)];
            var first = new DateOnly(2024, 11, 1).AddDays(rnd.Next(300));
            var dates = Enumerable.Range(0, 1 + rnd.Next(4)).Select(k => first.AddDays(28 * k).ToString("yyyy-MM-dd")).ToArray();
            var last = TestData.D(dates[^1]);
            decimal? price = rnd.Next(4) == 0 ? null : 100m + rnd.Next(50) + 0.5m;
            var course = d.Course($"k{i:D3}", $"p{rnd.Next(60)}", clinics[rnd.Next(clinics.Length)], concern, dates,
                adjuncts: adjuncts[rnd.Next(adjuncts.Length)], birthYear: rnd.Next(8) == 0 ? null : 1960 + rnd.Next(40),
                fitzpatrick: 1 + rnd.Next(4), price: price, currency: rnd.Next(3) == 0 ? "USD" : "EUR",
                downtime: rnd.Next(3) == 0 ? null : rnd.Next(5), adverseOnSession: rnd.Next(6) == 0 ? 0 : -1);
            var baseline = 2 + rnd.Next(20);
            d.Score($"a{i}-b1", course, instrument, "baseline", first.ToString("yyyy-MM-dd"), baseline);
            if (rnd.Next(3) == 0) d.Score($"a{i}-b2", course, instrument, "baseline", first.ToString("yyyy-MM-dd"), baseline + 1); // tie: greater id wins
            if (rnd.Next(5) == 0) d.Score($"a{i}-b0", course, instrument, "baseline", first.ToString("yyyy-MM-dd"), 0);
            d.Score($"a{i}-i", course, instrument, "interim", last.ToString("yyyy-MM-dd"), baseline * 0.9);
            if (rnd.Next(4) == 0) d.Score($"a{i}-e", course, instrument, "follow_up", last.ToString("yyyy-MM-dd"), baseline * 0.8);
            if (rnd.Next(6) != 0) d.Score($"a{i}-f1", course, instrument, "follow_up", last.AddDays(30 + rnd.Next(40)).ToString("yyyy-MM-dd"), baseline * rnd.NextDouble());
            if (rnd.Next(3) == 0) d.Score($"a{i}-f2", course, instrument, "follow_up", last.AddDays(60).ToString("yyyy-MM-dd"), baseline * rnd.NextDouble());
            if (rnd.Next(4) == 0) d.Score($"a{i}-g", course, "gais_investigator", "follow_up", last.AddDays(45).ToString("yyyy-MM-dd"), 1 + rnd.Next(5));
            if (rnd.Next(10) == 0) d.Score($"a{i}-x", course, "vss", "follow_up", last.AddDays(45).ToString("yyyy-MM-dd"), 3); // not fitting the concern
            switch (rnd.Next(5))
            {
                // Linked by session, by course, by neither (the patient's latest session decides), or to nothing known.
                case 0: d.Answer($"r{i}", course.PatientId, last.AddDays(10).ToString("yyyy-MM-dd"), "nps", rnd.Next(11), session: $"k{i:D3}-s1"); break;
                case 1: d.Answer($"r{i}", course.PatientId, last.AddDays(12).ToString("yyyy-MM-dd"), "likert5", 1 + rnd.Next(5), course: course.Id); break;
                case 2: d.Answer($"r{i}", course.PatientId, last.AddDays(5).ToString("yyyy-MM-dd"), "nps", rnd.Next(11)); break;
                case 3: d.Answer($"r{i}", $"stranger{i}", last.ToString("yyyy-MM-dd"), "gais_patient", 1 + rnd.Next(5)); break;
            }
        }
        for (var i = 0; i < 5; i++) d.Score($"w{i}", $"missing{i}", "p1", "wsrs", "follow_up", "2025-06-01", 2);
        return d;
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(202503, 202508)]
    public async Task Streams_and_linq_give_identical_tables(int? from, int? to)
    {
        using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using (var ctx = db.CreateContext()) await Varied().SaveAsync(ctx);
        var options = new OutcomeOptions { MinCellSize = 2, FromMonth = from, ToMonth = to };

        await using var read = db.CreateContext();
        var fast = await OutcomeService.ComputeAsync(read, options, sqliteStreams: true);
        var portable = await OutcomeService.ComputeAsync(read, options, sqliteStreams: false);

        Assert.NotEmpty(fast.Outcomes);
        Assert.NotEmpty(fast.Revenue);
        Assert.Contains(fast.DataQuality, r => r.AssessmentsAwaitingCourse > 0 || from is not null);
        Assert.Contains(fast.DataQuality, r => r.AnswersWithoutClinic > 0);
        Assert.Contains(fast.DataQuality, r => r.FollowUpsTreatedAsInterim > 0);
        Assert.Equal(portable.Outcomes, fast.Outcomes);
        Assert.Equal(portable.Satisfaction, fast.Satisfaction);
        Assert.Equal(portable.Safety, fast.Safety);
        Assert.Equal(portable.Activity, fast.Activity);
        Assert.Equal(portable.Revenue, fast.Revenue);
        Assert.Equal(portable.ProtocolComparison, fast.ProtocolComparison);
        Assert.Equal(portable.DataQuality, fast.DataQuality);
        Assert.Equal(portable.Settings.DataFrom, fast.Settings.DataFrom);
        Assert.Equal(portable.Settings.DataTo, fast.Settings.DataTo);
    }

    [Fact]
    public async Task Inside_a_transaction_the_streams_read_the_contexts_own_connection_and_see_its_uncommitted_changes()
    {
        using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using (var ctx = db.CreateContext()) await Varied().SaveAsync(ctx);
        var options = new OutcomeOptions { MinCellSize = 2 };

        await using var read = db.CreateContext();
        var committed = await OutcomeService.ComputeAsync(read, options, sqliteStreams: true);
        await using var transaction = await read.Database.BeginTransactionAsync();
        await read.SatisfactionResponses.ExecuteDeleteAsync();
        await read.Assessments.Where(a => a.Timepoint == "follow_up").ExecuteDeleteAsync();
        var fast = await OutcomeService.ComputeAsync(read, options, sqliteStreams: true);
        var portable = await OutcomeService.ComputeAsync(read, options, sqliteStreams: false);
        await transaction.RollbackAsync();

        Assert.NotEmpty(committed.Satisfaction);
        Assert.NotEmpty(committed.Outcomes);
        Assert.Empty(fast.Satisfaction); // a second connection would still see the committed answers
        Assert.Empty(fast.Outcomes);
        Assert.Equal(committed.Safety, fast.Safety);
        Assert.Equal(portable.Safety, fast.Safety);
        Assert.Equal(portable.Activity, fast.Activity);
        Assert.Equal(portable.DataQuality, fast.DataQuality);
    }
}
