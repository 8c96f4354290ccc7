using Microsoft.EntityFrameworkCore;

namespace Analytics.Ingest.Tests;

/// <summary>Each of the contract's "Rules for bad input", one case each, on a real SQLite database.</summary>
public sealed class ValidationFacts
{
    private static async Task<ImportSummary> ImportSessions(TestDatabase db, Drop drop, params string[] rows)
    {
        drop.Write("sessions.csv", Lines([SessionHeader, .. rows]));
        return await Import(db, drop.Folder);
    }

    private static void AssertOneReject(ImportSummary s, int line, string? column, string reason)
    {
        var r = Assert.Single(s.Rejects);
        Assert.Equal((line, column, reason), (r.Line, r.Column, r.ReasonCode));
        Assert.DoesNotContain("PAT-", r.RawRow ?? "");
    }

    [Theory]
    [InlineData("session_id", "", "required")]
    [InlineData("clinic_id", "", "required")]
    [InlineData("practitioner_id", "", "required")]
    [InlineData("patient_ref", "", "required")]
    [InlineData("course_id", "", "required")]
    [InlineData("concern", "", "required")]
    [InlineData("session_date", "", "required")]
    [InlineData("concern", "acne", "unknown_code")]
    [InlineData("concern", "Acne_Scars", "unknown_code")]
    [InlineData("area", "foot", "unknown_code")]
    [InlineData("device", "laser", "unknown_code")]
    [InlineData("patient_sex", "female", "unknown_code")]
    [InlineData("combination", "prp;botox", "unknown_code")]
    [InlineData("adverse_events", "rash", "unknown_code")]
    [InlineData("currency", "eur", "unknown_code")]
    [InlineData("currency", "EURO", "unknown_code")]
    [InlineData("patient_birth_year", "19x5", "bad_number")]
    [InlineData("patient_birth_year", "1899", "out_of_range")]
    [InlineData("patient_birth_year", "2026", "out_of_range")]
    [InlineData("fitzpatrick_type", "7", "out_of_range")]
    [InlineData("fitzpatrick_type", "0", "out_of_range")]
    [InlineData("needle_depth_mm", "3.6", "out_of_range")]
    [InlineData("needle_depth_mm", "0.05", "out_of_range")]
    [InlineData("needle_depth_mm", "deep", "bad_number")]
    [InlineData("passes", "21", "out_of_range")]
    [InlineData("passes", "0", "out_of_range")]
    [InlineData("passes", "2.5", "bad_number")]
    [InlineData("downtime_days", "61", "out_of_range")]
    [InlineData("downtime_days", "-1", "out_of_range")]
    [InlineData("price", "-5", "out_of_range")]
    [InlineData("price", "12,50", "bad_number")]
    [InlineData("session_date", "2025-13-01", "bad_date")]
    [InlineData("session_date", "10/01/2025", "bad_date")]
    [InlineData("session_date", "2025-07-01", "future_date")]
    [InlineData("currency", "", "price_without_currency")]
    public async Task A_bad_session_field_rejects_only_its_row(string column, string value, string reason)
    {
        using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var drop = new Drop();
        var s = await ImportSessions(db, drop, Session(), Session(("session_id", "S2"), ("session_date", "2025-02-10"), (column, value)));

        AssertOneReject(s, 3, column, reason);
        Assert.Equal(["S1"], await All(db, c => c.Sessions.Select(x => x.Id)));
        var stored = Assert.Single(await All(db, c => c.RejectedRows));
        Assert.Equal((3, reason, "sessions.csv"), (stored.Line, stored.ReasonCode, stored.File));
        Assert.False(string.IsNullOrEmpty(stored.Reason));
    }

    [Fact]
    public async Task Future_date_follows_the_as_of_day()
    {
        using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var drop = new Drop();
        drop.Write("sessions.csv", Lines(SessionHeader, Session(("session_date", "2025-07-01"))));
        var later = await Importer(db).ImportAsync(drop.Folder, new ImportOptions { AsOf = new DateOnly(2025, 7, 1) });
        Assert.Empty(later.Rejects);
        Assert.Equal(1, later.Applied);
    }

    [Fact]
    public async Task Price_with_currency_and_empty_optional_fields_are_accepted()
    {
        using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var drop = new Drop();
        var s = await ImportSessions(db, drop, Session(("price", ""), ("currency", ""), ("area", ""), ("device", ""), ("patient_sex", ""),
            ("patient_birth_year", ""), ("fitzpatrick_type", ""), ("combination", ""), ("needle_depth_mm", ""), ("passes", ""), ("downtime_days", "")));
        Assert.Empty(s.Rejects);
        var session = Assert.Single(await All(db, c => c.Sessions));
        Assert.Null(session.Price);
        Assert.Null(session.Currency);
    }

    [Theory]
    [InlineData("assessment_id", "", "required")]
    [InlineData("patient_ref", "", "required")]
    [InlineData("course_id", "", "required")]
    [InlineData("instrument", "", "required")]
    [InlineData("assessed_on", "", "required")]
    [InlineData("timepoint", "", "required")]
    [InlineData("score", "", "required")]
    [InlineData("instrument", "goodman", "unknown_code")]
    [InlineData("timepoint", "final", "unknown_code")]
    [InlineData("score", "5", "out_of_range")]
    [InlineData("score", "0", "out_of_range")]
    [InlineData("score", "three", "bad_number")]
    [InlineData("assessed_on", "2025-02-30", "bad_date")]
    [InlineData("assessed_on", "2025-07-01", "future_date")]
    public async Task A_bad_assessment_field_rejects_only_its_row(string column, string value, string reason)
    {
        using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var drop = new Drop();
        drop.Write("sessions.csv", Lines(SessionHeader, Session()));
        drop.Write("assessments.csv", Lines(AssessmentHeader, Assessment(), Assessment(("assessment_id", "A2"), (column, value))));
        var s = await Import(db, drop.Folder);
        AssertOneReject(s, 3, column, reason);
        Assert.Equal("assessments.csv", s.Rejects[0].File);
        Assert.Equal(["A1"], await All(db, c => c.Assessments.Select(x => x.Id)));
    }

    [Fact]
    public async Task A_global_instrument_at_baseline_is_rejected()
    {
        using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var drop = new Drop();
        drop.Write("sessions.csv", Lines(SessionHeader, Session()));
        drop.Write("assessments.csv", Lines(AssessmentHeader,
            Assessment(("instrument", "gais_investigator"), ("score", "2"), ("timepoint", "follow_up"), ("assessed_on", "2025-05-01")),
            Assessment(("assessment_id", "A2"), ("instrument", "gais_investigator"), ("score", "2"))));
        AssertOneReject(await Import(db, drop.Folder), 3, "timepoint", RejectReasons.GlobalAtBaseline);
    }

    [Fact]
    public async Task An_interim_or_follow_up_before_the_course_start_is_rejected_but_a_baseline_is_not()
    {
        using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var drop = new Drop();
        drop.Write("sessions.csv", Lines(SessionHeader, Session()));
        drop.Write("assessments.csv", Lines(AssessmentHeader,
            Assessment(("assessed_on", "2025-01-05")),
            Assessment(("assessment_id", "A2"), ("timepoint", "interim"), ("assessed_on", "2025-01-05"))));
        AssertOneReject(await Import(db, drop.Folder), 3, "assessed_on", RejectReasons.BeforeCourseStart);
    }

    [Fact]
    public async Task An_instrument_that_does_not_fit_the_course_concern_is_rejected()
    {
        using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var drop = new Drop();
        drop.Write("sessions.csv", Lines(SessionHeader, Session()));
        drop.Write("assessments.csv", Lines(AssessmentHeader, Assessment(), Assessment(("assessment_id", "A2"), ("instrument", "wsrs"))));
        AssertOneReject(await Import(db, drop.Folder), 3, "instrument", RejectReasons.InstrumentConcernMismatch);
    }

    [Theory]
    [InlineData("response_id", "", "required")]
    [InlineData("patient_ref", "", "required")]
    [InlineData("responded_on", "", "required")]
    [InlineData("instrument", "", "required")]
    [InlineData("score", "", "required")]
    [InlineData("instrument", "csat", "unknown_code")]
    [InlineData("score", "11", "out_of_range")]
    [InlineData("score", "nine", "bad_number")]
    [InlineData("responded_on", "2025-7-1", "bad_date")]
    [InlineData("responded_on", "2025-07-01", "future_date")]
    public async Task A_bad_answer_field_rejects_only_its_row(string column, string value, string reason)
    {
        using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var drop = new Drop();
        drop.Write("satisfaction.csv", Lines(SatisfactionHeader, Answer(), Answer(("response_id", "R2"), (column, value))));
        AssertOneReject(await Import(db, drop.Folder), 3, column, reason);
        Assert.Equal(["R1"], await All(db, c => c.SatisfactionResponses.Select(x => x.Id)));
    }

    [Fact]
    public async Task A_session_naming_another_concern_than_its_course_first_session_is_rejected()
    {
        using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var drop = new Drop();
        // S2 is the course's first session by date (it comes later in the file): S1 is the odd one out.
        var s = await ImportSessions(db, drop,
            Session(("session_date", "2025-02-10")),
            Session(("session_id", "S2"), ("session_date", "2025-01-10"), ("concern", "wrinkles")));
        AssertOneReject(s, 2, "concern", RejectReasons.ConcernMismatch);
        Assert.Equal("wrinkles", (await All(db, c => c.Courses)).Single().Concern);
    }

    [Fact]
    public async Task Ties_on_the_first_date_go_to_the_smaller_id()
    {
        using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var drop = new Drop();
        var s = await ImportSessions(db, drop,
            Session(("session_id", "S9"), ("concern", "wrinkles")),
            Session(("session_id", "S10")));
        // Ordinal: "S10" < "S9", so S10 (acne_scars) is first and S9 is rejected.
        AssertOneReject(s, 2, "concern", RejectReasons.ConcernMismatch);
    }

    [Fact]
    public async Task The_concern_rule_also_applies_against_sessions_stored_earlier()
    {
        using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using (var first = new Drop())
        {
            await ImportSessions(db, first, Session());
        }
        using var drop = new Drop();
        var s = await ImportSessions(db, drop, Session(("session_id", "S2"), ("session_date", "2025-03-01"), ("concern", "melasma")));
        AssertOneReject(s, 2, "concern", RejectReasons.ConcernMismatch);
    }

    [Fact]
    public async Task An_id_repeated_with_different_content_rejects_every_row_with_it()
    {
        using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var drop = new Drop();
        var s = await ImportSessions(db, drop, Session(), Session(("session_id", "S2")), Session(("price", "99")));
        Assert.Equal([(2, "duplicate_id_conflict"), (4, "duplicate_id_conflict")], s.Rejects.Select(r => (r.Line, r.ReasonCode)));
        Assert.All(s.Rejects, r => Assert.Equal("S1", r.RecordId));
        Assert.Equal(["S2"], await All(db, c => c.Sessions.Select(x => x.Id)));
    }

    [Fact]
    public async Task The_exact_same_row_twice_is_applied_once()
    {
        using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var drop = new Drop();
        var s = await ImportSessions(db, drop, Session(), Session());
        Assert.Empty(s.Rejects);
        Assert.Equal((2, 1, 1), (s.RowsRead, s.Applied, s.Unchanged));
        Assert.Equal(1, await Count(db, c => c.Sessions));
    }

    [Fact]
    public async Task A_header_missing_a_required_column_rejects_the_whole_file_and_names_the_column()
    {
        using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var drop = new Drop();
        var header = string.Join(',', InputSpecs.SessionColumns.Where(c => c != "concern"));
        var row = string.Join(',', Session().Split(',').Where((_, i) => InputSpecs.SessionColumns[i] != "concern"));
        drop.Write("sessions.csv", Lines(header, row));
        drop.Write("satisfaction.csv", Lines(SatisfactionHeader, Answer()));
        var s = await Import(db, drop.Folder);

        var file = s.Files.Single(f => f.Kind == InputKind.Sessions);
        Assert.Equal(FileImportStatus.RejectedWhole, file.Status);
        Assert.Contains("concern", file.Note);
        var reject = Assert.Single(s.Rejects);
        Assert.Equal((1, "concern", RejectReasons.MissingColumn), (reject.Line, reject.Column, reject.ReasonCode));
        Assert.Equal(0, await Count(db, c => c.Sessions));
        Assert.Equal(0, await Count(db, c => c.Courses));
        Assert.Equal(1, await Count(db, c => c.SatisfactionResponses)); // the other file still applies
        Assert.Contains("concern", s.ToTable());
    }
}
