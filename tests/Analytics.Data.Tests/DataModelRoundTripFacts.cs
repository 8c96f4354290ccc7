using Analytics.Data;
using Analytics.Domain;
using Analytics.Testing;
using Microsoft.EntityFrameworkCore;

namespace Analytics.Data.Tests;

/// <summary>Every column of the contract survives a write and a read on each provider that runs here.</summary>
public sealed class DataModelRoundTripFacts
{
    [Theory]
    [MemberData(nameof(Providers.Local), MemberType = typeof(Providers))]
    public async Task Migrations_apply_and_seed_the_instrument_catalog(DatabaseProvider provider)
    {
        using var db = await TestDatabase.CreateAsync(provider);
        await using var ctx = db.CreateContext();

        Assert.Empty(await ctx.Database.GetPendingMigrationsAsync());
        var instruments = await ctx.Instruments.Include(i => i.Concerns).OrderBy(i => i.Code).ToListAsync();
        Assert.Equal(InstrumentCatalog.Clinical.Count, instruments.Count);
        var hair = instruments.Single(i => i.Code == "hair_density");
        Assert.True(hair.HigherIsBetter);
        Assert.Equal(ResponderRule.ImprovementPercentAtLeast, hair.ResponderRule);
        Assert.Equal(20, hair.ResponderThreshold);
        Assert.Equal(["hair_loss"], hair.Concerns.Select(c => c.Concern));
        Assert.Equal(Codes.Concerns.Count, instruments.Single(i => i.Code == "gais_investigator").Concerns.Count);
    }

    [Theory]
    [MemberData(nameof(Providers.Local), MemberType = typeof(Providers))]
    public async Task Every_contract_column_round_trips(DatabaseProvider provider)
    {
        using var db = await TestDatabase.CreateAsync(provider);
        var session = new Session
        {
            Id = "S-00123", ClinicId = "=clinic", PractitionerId = "P7", PatientId = new string('a', 64), CourseId = "C-1",
            Concern = "acne_scars", SessionDate = new DateOnly(2026, 2, 28), Month = 202602, PatientBirthYear = 1987,
            PatientSex = "f", FitzpatrickType = 5, Area = "face", Device = "rf_microneedling", NeedleDepthMm = 1.75,
            Passes = 3, DowntimeDays = 2.5, Price = 249.9900m, Currency = "EUR", HasAdverseEvent = true,
            ContentHash = new string('f', 64), ImportBatchId = 1,
            Adjuncts = [new SessionAdjunct { SessionId = "S-00123", Adjunct = "prp" }, new SessionAdjunct { SessionId = "S-00123", Adjunct = "vitamin_c" }],
            AdverseEvents = [new SessionAdverseEvent { SessionId = "S-00123", Event = "pih" }],
        };
        var assessment = new Assessment
        {
            Id = "A-1", PatientId = session.PatientId, CourseId = "C-1", Instrument = "goodman_baron_quant",
            AssessedOn = new DateOnly(2026, 1, 3), Month = 202601, Timepoint = "baseline", Score = 41.5, AssessorId = "P7",
            ContentHash = "h", ImportBatchId = 1,
        };
        var answer = new SatisfactionResponse
        {
            Id = "R-1", PatientId = session.PatientId, CourseId = "C-1", SessionId = "S-00123",
            RespondedOn = new DateOnly(2026, 3, 1), Month = 202603, Instrument = "nps", Score = 9, ContentHash = "h", ImportBatchId = 1,
        };
        await using (var ctx = db.CreateContext())
        {
            ctx.Clinics.Add(new Clinic { Id = "=clinic", Name = "+Dermal Studio, \"Mitte\"" });
            ctx.Patients.Add(new Patient { Id = session.PatientId, BirthYear = 1987, Sex = "f", FitzpatrickType = 5 });
            ctx.Sessions.Add(session);
            ctx.Assessments.Add(assessment);
            ctx.SatisfactionResponses.Add(answer);
            await ctx.SaveChangesAsync();
        }

        await using (var ctx = db.CreateContext())
        {
            var s = await ctx.Sessions.AsNoTracking().Include(x => x.Adjuncts).Include(x => x.AdverseEvents).SingleAsync();
            AssertScalarsEqual(session, s);
            Assert.Equal(["prp", "vitamin_c"], s.Adjuncts.Select(a => a.Adjunct).Order());
            Assert.Equal(["pih"], s.AdverseEvents.Select(a => a.Event));
            Assert.Equal(249.99m, s.Price);
            Assert.Equal("+Dermal Studio, \"Mitte\"", (await ctx.Clinics.SingleAsync()).Name);
            Assert.Equivalent(assessment, await ctx.Assessments.AsNoTracking().SingleAsync());
            Assert.Equivalent(answer, await ctx.SatisfactionResponses.AsNoTracking().SingleAsync());
        }
    }

    [Theory]
    [MemberData(nameof(Providers.Local), MemberType = typeof(Providers))]
    public async Task Month_grouping_translates_and_counts(DatabaseProvider provider)
    {
        using var db = await TestDatabase.CreateAsync(provider);
        await using (var ctx = db.CreateContext())
        {
            for (var i = 0; i < 6; i++)
            {
                var date = new DateOnly(2026, 1 + i % 2, 10 + i);
                ctx.Sessions.Add(new Session
                {
                    Id = $"S{i}", ClinicId = i < 4 ? "c1" : "c2", PractitionerId = "p", PatientId = $"pt{i % 3}", CourseId = $"C{i}",
                    Concern = "wrinkles", SessionDate = date, Month = Codes.MonthKey(date), ContentHash = "h",
                });
            }
            await ctx.SaveChangesAsync();
        }
        await using (var ctx = db.CreateContext())
        {
            var groups = await ctx.Sessions.GroupBy(s => new { s.ClinicId, s.Month })
                .OrderBy(g => g.Key.ClinicId).ThenBy(g => g.Key.Month)
                .Select(g => new { g.Key.ClinicId, g.Key.Month, Sessions = g.Count(), Patients = g.Select(s => s.PatientId).Distinct().Count() })
                .ToListAsync();
            Assert.Equal(
                [("c1", 202601, 2, 2), ("c1", 202602, 2, 2), ("c2", 202601, 1, 1), ("c2", 202602, 1, 1)],
                groups.Select(g => (g.ClinicId, g.Month, g.Sessions, g.Patients)));
        }
    }

    /// <summary>Compares every scalar property (navigation lists are checked separately).</summary>
    private static void AssertScalarsEqual<T>(T expected, T actual)
    {
        foreach (var p in typeof(T).GetProperties().Where(p => !p.PropertyType.IsGenericType || Nullable.GetUnderlyingType(p.PropertyType) is not null))
        {
            Assert.True(Equals(p.GetValue(expected), p.GetValue(actual)), $"{p.Name}: expected {p.GetValue(expected)}, got {p.GetValue(actual)}");
        }
    }
}
