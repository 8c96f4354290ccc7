namespace Analytics.Ingest.Tests;

/// <summary>
/// The derived courses and patients, recomputed from the database streamed by group, match the contract's
/// definitions computed here directly from the input rows (LINQ over the whole data set, no grouping by stream):
/// courses scattered through the file, patients with several courses, missing values, practitioner ties,
/// sessions moved between courses by a later file. PostgreSQL reads in pages of a few rows, so pages cut
/// courses in two and one course is larger than a page.
/// </summary>
public sealed class StreamedRefreshFacts
{
    private sealed record Row(string Id, string Course, string Patient, string Practitioner, DateOnly Date, string? Birth, string? Sex,
        string? Fitz, string[] Adjuncts, string Concern, string Clinic);

    private static readonly string[] AdjunctChoices = ["", "prp", "chemical_peel;prp", "laser", "minoxidil", "tranexamic_acid;vitamin_c"];

    /// <summary>~300 sessions of 40 courses of 12 patients, shuffled; course C00 has 25 sessions (more than a test page).</summary>
    private static List<Row> DataSet(int seed)
    {
        var random = new Random(seed);
        var rows = new List<Row>();
        for (var c = 0; c < 40; c++)
        {
            var course = $"C{c:D2}";
            var patient = $"PAT-{c % 12:D3}";
            var concern = c % 2 == 0 ? "acne_scars" : "melasma";
            var sessions = c == 0 ? 25 : random.Next(1, 13);
            var start = new DateOnly(2024, 1, 1).AddDays(random.Next(0, 300));
            for (var i = 0; i < sessions; i++)
            {
                // Same date for some sessions: the id decides which is first. Practitioners alternate: ties happen.
                var date = start.AddDays(random.Next(0, 4) * 14);
                rows.Add(new Row($"S{c:D2}-{random.Next(0, 1_000_000):D6}-{i}", course, patient, random.Next(0, 2) == 0 ? "PR-A" : "PR-B", date,
                    random.Next(0, 3) == 0 ? null : (1960 + random.Next(0, 40)).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    random.Next(0, 3) == 0 ? null : random.Next(0, 2) == 0 ? "f" : "m",
                    random.Next(0, 3) == 0 ? null : (1 + random.Next(0, 6)).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    AdjunctChoices[random.Next(0, AdjunctChoices.Length)].Split(';', StringSplitOptions.RemoveEmptyEntries), concern, "CL1"));
            }
        }
        return [.. rows.OrderBy(_ => random.Next())];
    }

    private static string Csv(IEnumerable<Row> rows) => Lines([SessionHeader, .. rows.Select(r => Session(
        ("session_id", r.Id), ("course_id", r.Course), ("patient_ref", r.Patient), ("practitioner_id", r.Practitioner),
        ("session_date", r.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)), ("patient_birth_year", r.Birth ?? ""),
        ("patient_sex", r.Sex ?? ""), ("fitzpatrick_type", r.Fitz ?? ""), ("combination", string.Join(';', r.Adjuncts)), ("concern", r.Concern),
        ("clinic_id", r.Clinic)))]);

    // The contract's order: by date, then id (ordinal).
    private static IOrderedEnumerable<Row> Chronological(IEnumerable<Row> rows) => rows.OrderBy(r => r.Date).ThenBy(r => r.Id, StringComparer.Ordinal);

    private static int? FirstInt(IEnumerable<Row> rows, Func<Row, string?> value) =>
        Chronological(rows).Select(value).FirstOrDefault(v => v is not null) is { } v ? int.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : null;

    private static string ExpectedPractitioner(IEnumerable<Row> rows) => rows.GroupBy(r => r.Practitioner)
        .Select(g => (Id: g.Key, Count: g.Count(), Earliest: Chronological(g).First()))
        .OrderByDescending(p => p.Count).ThenBy(p => p.Earliest.Date).ThenBy(p => p.Earliest.Id, StringComparer.Ordinal).First().Id;

    private static async Task AssertDerivedAsync(TestDatabase db, List<Row> data)
    {
        var courses = (await All(db, c => c.Courses)).ToDictionary(c => c.Id);
        Assert.Equal(data.Select(r => r.Course).Distinct().Order(StringComparer.Ordinal), courses.Keys.Order(StringComparer.Ordinal));
        var pseudonyms = new Dictionary<string, string>();
        foreach (var g in data.GroupBy(r => r.Course))
        {
            var course = courses[g.Key];
            var first = Chronological(g).First();
            var adjuncts = g.SelectMany(r => r.Adjuncts).Distinct().Order(StringComparer.Ordinal);
            Assert.Equal((first.Concern, first.Clinic, g.Count(), g.Min(r => r.Date), g.Max(r => r.Date)),
                (course.Concern, course.ClinicId, course.SessionCount, course.FirstSessionDate, course.LastSessionDate));
            Assert.Equal(string.Join('+', adjuncts.Prepend("microneedling")), course.Protocol);
            Assert.Equal(ExpectedPractitioner(g), course.PractitionerId);
            Assert.Equal((FirstInt(g, r => r.Birth), Chronological(g).Select(r => r.Sex).FirstOrDefault(s => s is not null), FirstInt(g, r => r.Fitz)),
                (course.BirthYear, course.Sex, course.FitzpatrickType));
            Assert.Equal(pseudonyms.GetValueOrDefault(first.Patient, course.PatientId), course.PatientId);
            pseudonyms[first.Patient] = course.PatientId;
        }
        var patients = (await All(db, c => c.Patients)).ToDictionary(p => p.Id);
        foreach (var g in data.GroupBy(r => r.Patient))
        {
            var patient = patients[pseudonyms[g.Key]];
            Assert.Equal((FirstInt(g, r => r.Birth), Chronological(g).Select(r => r.Sex).FirstOrDefault(s => s is not null), FirstInt(g, r => r.Fitz)),
                (patient.BirthYear, patient.Sex, patient.FitzpatrickType));
        }
    }

    [Theory]
    [MemberData(nameof(Providers.Local), MemberType = typeof(Providers))]
    public async Task Courses_and_patients_match_the_definitions_after_a_load_and_after_sessions_move(DatabaseProvider provider)
    {
        DerivedRefresh.PageRowsOverride.Value = 7;
        using var db = await TestDatabase.CreateAsync(provider);
        var data = DataSet(seed: 11);
        using (var drop = new Drop())
        {
            drop.Write("sessions.csv", Csv(data));
            var first = await Import(db, drop.Folder);
            Assert.Equal((data.Count, 0), (first.Applied, first.Rejected));
        }
        await AssertDerivedAsync(db, data);

        // A second file: C39's sessions all move to C38 (C39 empties), one session of C00 moves to new course C40,
        // and a new session of a stored course takes over its first values with an earlier date.
        var moved = data.Select(r => r.Course == "C39" ? r with { Course = "C38", Concern = data.First(x => x.Course == "C38").Concern } : r).ToList();
        var c00 = Chronological(moved.Where(r => r.Course == "C00")).Last();
        moved[moved.IndexOf(c00)] = c00 with { Course = "C40" };
        var c05 = data.Where(r => r.Course == "C05").ToList();
        var earlier = c05[0] with { Id = "S05-earliest", Date = c05.Min(r => r.Date).AddDays(-1), Birth = "1999", Sex = "m", Fitz = "6", Practitioner = "PR-C" };
        moved.Add(earlier);
        using (var drop = new Drop())
        {
            drop.Write("sessions.csv", Csv(moved.Where(r => r.Course is "C38" or "C40" || r.Id == earlier.Id)));
            var second = await Import(db, drop.Folder);
            Assert.Equal(0, second.Rejected);
        }
        await AssertDerivedAsync(db, moved);
        Assert.DoesNotContain("C39", await All(db, c => c.Courses.Select(x => x.Id)));
    }
}
