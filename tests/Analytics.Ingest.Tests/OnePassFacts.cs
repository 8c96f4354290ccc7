using Analytics.Samples;

namespace Analytics.Ingest.Tests;

/// <summary>
/// A first load into SQLite takes one pass with no per-id state in memory: repeated ids are found by the table's primary
/// key, and the rules that depend on the whole file (an id repeated with other content, a course's first session's
/// concern) are applied to the written rows at the end. Its result must be exactly the two-pass result: same rows, same
/// rejects with the same lines and reasons in the same order, same counts.
/// </summary>
public sealed class OnePassFacts
{
    private static readonly ImportOptions OnePass = new() { AsOf = AsOf };
    private static readonly ImportOptions TwoPasses = new() { AsOf = AsOf, OnePassFirstLoad = false };

    private static string S(string id, string course, string date, string concern = "acne_scars", string price = "150.00") =>
        Session(("session_id", id), ("course_id", course), ("session_date", date), ("concern", concern), ("price", price));

    public static TheoryData<string, string[], bool> Files => new()
    {
        {
            // Everything here is judged while reading: a course whose first session comes later in the file with the
            // same concern, an exact repeat (applied once), a bad code.
            "judged while reading", [
                S("S1", "C1", "2025-01-10"), S("S2", "C1", "2025-02-10"), S("S3", "C2", "2025-03-10"),
                S("S4", "C2", "2025-02-01"), S("S2", "C1", "2025-02-10"),
                Session(("session_id", "S6"), ("course_id", "C3"), ("area", "elbow")), S("S7", "C3", "2025-04-01"),
            ], false
        },
        {
            // A concern mismatch after the course's first session: found in the table at the end, recorded on a second read.
            "concern mismatch", [
                S("S1", "C1", "2025-01-10"), S("S2", "C1", "2025-02-10"), S("S3", "C2", "2025-03-10"),
                S("S5", "C1", "2025-03-10", concern: "melasma"), S("S2", "C1", "2025-02-10"),
            ], true
        },
        {
            // C1's first session (by date) is on the last line, with another concern: S1 and S2 are the mismatches.
            "late first session with another concern", [
                S("S1", "C1", "2025-02-10"), S("S2", "C1", "2025-03-10"), S("S3", "C2", "2025-03-10"),
                S("S4", "C1", "2025-01-05", concern: "melasma"),
            ], true
        },
        {
            // S1 repeats on the last line with another price: every row of S1 is rejected, including line 2.
            "conflict on the last line", [
                S("S1", "C1", "2025-01-10"), S("S2", "C1", "2025-02-10"), S("S3", "C2", "2025-03-10"), S("S1", "C1", "2025-01-10", price: "99.00"),
            ], true
        },
        {
            // Conflicts with rows the row rules reject: S1 valid then invalid (found by the written row's hash), S2 invalid
            // then valid twice (found by the rejected id's hash), S3 invalid twice with different content (no conflict:
            // both keep their own reason), and S4 repeated exactly after its course's other session.
            "conflicts with rejected rows", [
                S("S1", "C1", "2025-01-10"), Session(("session_id", "S1"), ("course_id", "C1"), ("area", "elbow")),
                Session(("session_id", "S2"), ("course_id", "C2"), ("area", "elbow")), S("S2", "C2", "2025-02-10"), S("S2", "C2", "2025-02-10"),
                Session(("session_id", "S3"), ("course_id", "C3"), ("area", "elbow")), Session(("session_id", "S3"), ("course_id", "C3"), ("area", "knee")),
                S("S5", "C4", "2025-01-10"), S("S4", "C4", "2025-03-10"), S("S4", "C4", "2025-03-10"),
            ], true
        },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public async Task One_pass_gives_the_two_pass_result(string name, string[] rows, bool rereads)
    {
        using var drop = new Drop();
        var path = drop.Write("sessions.csv", Lines([SessionHeader, .. rows]));
        using var oneDb = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var twoDb = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);

        var one = await Importer(oneDb).ImportAsync(path, OnePass);
        var two = await Importer(twoDb).ImportAsync(path, TwoPasses);

        Assert.Contains("sessions: one pass (read, check ids, validate, queue writes)", one.Phases.Keys);
        // Rows rejected only once the whole file is known take a second read (of the file, for their lines and raw rows).
        Assert.Equal(rereads, one.Phases.ContainsKey("sessions: one pass: second read for the rows rejected at the end"));
        Assert.DoesNotContain(two.Phases.Keys, k => k.Contains("one pass", StringComparison.Ordinal));
        Assert.True(two.Rejected > 0, name);
        Assert.Equal(Counts(two), Counts(one));
        Assert.Equal(Rejects(two), Rejects(one));
        Assert.Equal(await StoredRejects(twoDb), await StoredRejects(oneDb));
        Assert.Equal(await ReadingFacts.Dump(twoDb), await ReadingFacts.Dump(oneDb));
    }

    [Fact]
    public async Task The_committed_samples_come_out_the_same_with_and_without_the_one_pass_as_a_large_load()
    {
        using var drop = new Drop();
        new SampleGenerator().Generate(drop.Folder, GeneratorSettings.CommittedSamples);
        using var oneDb = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var twoDb = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);

        var one = await Importer(oneDb).ImportAsync(drop.Folder, new ImportOptions { AsOf = new DateOnly(2026, 11, 30), LargeLoadRows = 1 });
        var two = await Importer(twoDb).ImportAsync(drop.Folder, new ImportOptions { AsOf = new DateOnly(2026, 11, 30), LargeLoadRows = 1, OnePassFirstLoad = false });

        Assert.Contains("sessions: rebuild indexes", one.Phases.Keys);
        Assert.Equal(Counts(two), Counts(one));
        Assert.Equal(Rejects(two), Rejects(one));
        Assert.Equal(await StoredRejects(twoDb), await StoredRejects(oneDb));
        Assert.Equal(await ReadingFacts.Dump(twoDb), await ReadingFacts.Dump(oneDb));
    }

    private static string A(string id, string course = "C1", string instrument = "goodman_baron_qual", string date = "2025-03-10",
        string timepoint = "follow_up", string score = "2") =>
        Assessment(("assessment_id", id), ("course_id", course), ("instrument", instrument), ("assessed_on", date), ("timepoint", timepoint), ("score", score));

    private static string R(string id, string course = "C1", string session = "S1", string score = "9") =>
        Answer(("response_id", id), ("course_id", course), ("session_id", session), ("score", score));

    [Fact]
    public async Task Assessments_and_answers_in_one_pass_give_the_two_pass_result()
    {
        using var drop = new Drop();
        drop.Write("sessions.csv", Lines(SessionHeader, S("S1", "C1", "2025-01-10"), S("S2", "C2", "2025-02-10", concern: "wrinkles")));
        drop.Write("assessments.csv", Lines(AssessmentHeader,
            A("A1", timepoint: "baseline", date: "2025-01-10"),
            A("A2", timepoint: "interim", date: "2025-01-05"),                   // before the course's first session
            A("A3", instrument: "wsrs"),                                         // instrument of another concern
            A("A4", course: "C9"), A("A4", course: "C9"),                        // course not imported yet, exact repeat
            A("A5"), A("A5", date: "2025-01-02"),                                // valid, then a course-rule reject with other content
            A("A6", date: "2025-01-02"), A("A6"), A("A6"),                       // a course-rule reject, then valid rows with other content
            A("A7", score: "99"), A("A7", course: "C9"), A("A7", course: "C9"),  // a row-rule reject, then valid rows waiting for their course
            A("A8", course: "C9", score: "1"), A("A8", course: "C9", score: "3"), // a conflict among rows waiting for their course
            A("A9", course: "C2", instrument: "wsrs", score: "3")));
        drop.Write("satisfaction.csv", Lines(SatisfactionHeader,
            R("R1"), R("R2", session: "S99"), R("R3", course: "C9", session: ""), R("R4", score: "11"),
            R("R5", score: "8"), R("R5", score: "7"), R("R6"), R("R6"), R("R7", course: "C9", session: "", score: "x"),
            R("R8", course: "C9", session: "S98"), R("R8", course: "C9", session: "S98", score: "3")));
        using var oneDb = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var twoDb = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);

        var one = await Importer(oneDb).ImportAsync(drop.Folder, OnePass);
        var two = await Importer(twoDb).ImportAsync(drop.Folder, TwoPasses);

        Assert.Contains("assessments: one pass (read, check ids, validate, queue writes)", one.Phases.Keys);
        Assert.Contains("satisfaction: one pass (read, check ids, validate, queue writes)", one.Phases.Keys);
        Assert.Contains(two.Rejects, r => r.ReasonCode == RejectReasons.DuplicateIdConflict && r.RecordId == "A8");
        Assert.Contains(two.Rejects, r => r.ReasonCode == RejectReasons.InstrumentConcernMismatch && r.RecordId == "A3" && r.ClinicId == "CL1");
        Assert.True(two.Files.Single(f => f.Kind == InputKind.Assessments).AwaitingCourse > 0);
        Assert.Equal(FileCounts(two), FileCounts(one));
        Assert.Equal(Rejects(two), Rejects(one));
        Assert.Equal(await StoredRejects(twoDb), await StoredRejects(oneDb));
        Assert.Equal(await ReadingFacts.Dump(twoDb), await ReadingFacts.Dump(oneDb));
    }

    private static readonly string[] FirstSessions = [S("S1", "C1", "2025-01-10"), S("S2", "C2", "2025-02-10", concern: "wrinkles")];

    // A month later: new rows — sessions of a stored course (one with another concern), of a new course (whose first
    // session comes last, with another concern), an exact repeat.
    private static readonly string[] NewSessions =
    [
        S("S3", "C1", "2025-03-10"), S("S4", "C1", "2025-03-20", concern: "melasma"), S("S5", "C3", "2025-03-12", concern: "wrinkles"),
        S("S6", "C3", "2025-03-01", concern: "melasma"), S("S7", "C4", "2025-03-05"), S("S7", "C4", "2025-03-05"),
    ];

    public static TheoryData<string, string[], bool> NextDrops => new()
    {
        { "new rows", NewSessions, false },
        { "an update on the last line", [.. NewSessions, S("S2", "C2", "2025-02-10", concern: "wrinkles", price: "80.00")], true },
        { "the stored rows again, then new ones (a cumulative export)", [.. FirstSessions, .. NewSessions], false },
        { "a stored row unchanged, then its id with other content", [FirstSessions[0], .. NewSessions, S("S1", "C1", "2025-01-10", price: "99.00")], true },
        { "a rejected row of a stored id", [.. NewSessions, Session(("session_id", "S2"), ("course_id", "C2"), ("area", "elbow"))], true },
    };

    [Theory]
    [MemberData(nameof(NextDrops))]
    public async Task Rows_over_stored_ones_in_one_pass_give_the_two_pass_result(string name, string[] sessions, bool rolledBack)
    {
        using var first = new Drop();
        first.Write("sessions.csv", Lines([SessionHeader, .. FirstSessions]));
        first.Write("assessments.csv", Lines(AssessmentHeader, A("A1", timepoint: "baseline", date: "2025-01-10"), A("A2", course: "C3")));
        first.Write("satisfaction.csv", Lines(SatisfactionHeader, R("R1")));
        // Assessments of stored and new courses (the stored assessment A2's course arrives), answers naming stored and new sessions.
        using var next = new Drop();
        next.Write("sessions.csv", Lines([SessionHeader, .. sessions]));
        next.Write("assessments.csv", Lines(AssessmentHeader, A("A1", timepoint: "baseline", date: "2025-01-10"), A("A3"),
            A("A4", course: "C4", date: "2025-03-01", timepoint: "interim"), A("A5", course: "C4", date: "2025-04-01"),
            A("A6", course: "C2", instrument: "wsrs", score: "3"), A("A6", course: "C2", instrument: "wsrs", score: "2")));
        next.Write("satisfaction.csv", Lines(SatisfactionHeader, R("R1"), R("R2", session: "S1"), R("R3", course: "C4", session: "S7"), R("R4", course: "C9", session: "S99")));
        using var oneDb = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var twoDb = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await Importer(oneDb).ImportAsync(first.Folder, OnePass);
        await Importer(twoDb).ImportAsync(first.Folder, TwoPasses);

        var one = await Importer(oneDb).ImportAsync(next.Folder, OnePass);
        var two = await Importer(twoDb).ImportAsync(next.Folder, TwoPasses);

        Assert.Equal(rolledBack, one.Phases.ContainsKey("sessions: one pass (rolled back: an id stored before this batch)"));
        Assert.Equal(!rolledBack, one.Phases.ContainsKey("sessions: one pass (read, check ids, validate, queue writes)"));
        Assert.Contains("assessments: one pass (read, check ids, validate, queue writes)", one.Phases.Keys);
        Assert.Contains(two.Rejects, r => r.ReasonCode == RejectReasons.ConcernMismatch && r.RecordId == "S4");
        Assert.Contains(two.Rejects, r => r.ReasonCode == RejectReasons.ConcernMismatch && r.RecordId == "S5");
        Assert.True(two.Unchanged > 0, name);
        Assert.Equal(FileCounts(two), FileCounts(one));
        Assert.Equal(Rejects(two), Rejects(one));
        Assert.Equal(await StoredRejects(twoDb), await StoredRejects(oneDb));
        Assert.Equal(await ReadingFacts.Dump(twoDb), await ReadingFacts.Dump(oneDb));

        // And the same drop once more changes nothing, in one pass.
        var again = await Importer(oneDb).ImportAsync(next.Folder, OnePass);
        Assert.Equal((0, 0), (again.Applied, again.Updated));
        Assert.DoesNotContain(again.Phases.Keys, k => k.Contains("rolled back", StringComparison.Ordinal) && !rolledBack);
    }

    private static List<string> FileCounts(ImportSummary s) =>
        [.. s.Files.Select(f => $"{f.File}: read {f.RowsRead}, applied {f.Applied}, unchanged {f.Unchanged}, updated {f.Updated}, rejected {f.Rejected}, awaiting {f.AwaitingCourse}")];

    private static (int, int, int, int, int) Counts(ImportSummary s) => (s.RowsRead, s.Applied, s.Unchanged, s.Updated, s.Rejected);

    private static List<string> Rejects(ImportSummary s) =>
        [.. s.Rejects.Select(r => $"{r.File}|{r.Line}|{r.RecordId}|{r.Column}|{r.ReasonCode}|{r.Reason}|{r.RawRow}|{r.Month}|{r.ClinicId}")];

    private static async Task<List<string>> StoredRejects(TestDatabase db) =>
        (await All(db, c => c.RejectedRows.OrderBy(r => r.Id))).Select(r => $"{r.File}|{r.Line}|{r.RecordId}|{r.Column}|{r.ReasonCode}|{r.Reason}|{r.RawRow}|{r.Month}|{r.ClinicId}").ToList();
}
