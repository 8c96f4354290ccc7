using Microsoft.EntityFrameworkCore;

namespace Analytics.Ingest.Tests;

/// <summary>Idempotent upsert, change log, derived rows, pending assessments and atomicity on SQLite and PostgreSQL.</summary>
public sealed class UpsertFacts
{
    private static void WriteTrio(Drop drop, string[]? sessions = null, string[]? assessments = null, string[]? answers = null)
    {
        drop.Write("sessions.csv", Lines([SessionHeader, .. sessions ?? [
            Session(),
            Session(("session_id", "S2"), ("session_date", "2025-02-10"), ("combination", "chemical_peel;prp"), ("practitioner_id", "PR2"), ("adverse_events", "pih")),
            Session(("session_id", "S3"), ("course_id", "C2"), ("patient_ref", "PAT-0002"), ("concern", "melasma"), ("combination", ""), ("clinic_id", "CL2"), ("clinic_name", "Two")),
        ]]));
        drop.Write("assessments.csv", Lines([AssessmentHeader, .. assessments ?? [
            Assessment(),
            Assessment(("assessment_id", "A2"), ("timepoint", "follow_up"), ("assessed_on", "2025-05-01"), ("score", "2")),
        ]]));
        drop.Write("satisfaction.csv", Lines([SatisfactionHeader, .. answers ?? [Answer()]]));
    }

    [Theory]
    [MemberData(nameof(Providers.Local), MemberType = typeof(Providers))]
    public async Task The_same_files_twice_change_nothing_the_second_time(DatabaseProvider provider)
    {
        using var db = await TestDatabase.CreateAsync(provider);
        using var drop = new Drop();
        WriteTrio(drop);
        var first = await Import(db, drop.Folder);
        var before = await ReadingFacts.Dump(db);
        var second = await Import(db, drop.Folder);

        Assert.Equal((6, 6, 0, 0), (first.RowsRead, first.Applied, first.Unchanged, first.Updated));
        Assert.Equal((6, 0, 6, 0, 0), (second.RowsRead, second.Applied, second.Unchanged, second.Updated, second.Rejected));
        Assert.Equal(before, await ReadingFacts.Dump(db));
        Assert.Equal(0, await Count(db, c => c.ChangeLog));
        var batches = await All(db, c => c.ImportBatches.OrderBy(b => b.Id));
        Assert.Equal([ImportStatus.Succeeded, ImportStatus.Succeeded], batches.Select(b => b.Status));
        Assert.Equal(6, batches[1].RowsUnchanged);
    }

    [Theory]
    [MemberData(nameof(Providers.Local), MemberType = typeof(Providers))]
    public async Task A_changed_row_updates_the_stored_one_and_is_logged(DatabaseProvider provider)
    {
        using var db = await TestDatabase.CreateAsync(provider);
        using (var drop = new Drop())
        {
            WriteTrio(drop);
            await Import(db, drop.Folder);
        }
        using var changed = new Drop();
        WriteTrio(changed, sessions: [
            Session(("price", "175.5")),
            Session(("session_id", "S2"), ("session_date", "2025-02-10"), ("combination", "prp"), ("practitioner_id", "PR2"), ("adverse_events", "pih")),
            Session(("session_id", "S3"), ("course_id", "C2"), ("patient_ref", "PAT-0002"), ("concern", "melasma"), ("combination", ""), ("clinic_id", "CL2"), ("clinic_name", "Two")),
        ]);
        var s = await Import(db, changed.Folder);

        var sessions = s.Files.Single(f => f.Kind == InputKind.Sessions);
        Assert.Equal((0, 1, 2), (sessions.Applied, sessions.Unchanged, sessions.Updated));
        Assert.Equal(175.5m, (await All(db, c => c.Sessions.Where(x => x.Id == "S1"))).Single().Price);
        var log = await All(db, c => c.ChangeLog.OrderBy(x => x.RecordId));
        Assert.Equal(["S1", "S2"], log.Select(l => l.RecordId));
        Assert.Contains("Price", log[0].Description);
        Assert.Contains("150", log[0].Description);
        Assert.Contains("175.5", log[0].Description);
        Assert.Equal("sessions", log[0].Table);
        Assert.Equal(s.BatchId, log[0].ImportBatchId);
        // S2 lost chemical_peel: children replaced and the course protocol refreshed.
        Assert.Equal(["prp"], await All(db, c => c.SessionAdjuncts.Where(a => a.SessionId == "S2").Select(a => a.Adjunct)));
        Assert.Equal("microneedling+prp", (await All(db, c => c.Courses.Where(x => x.Id == "C1"))).Single().Protocol);
    }

    [Theory]
    [MemberData(nameof(Providers.Local), MemberType = typeof(Providers))]
    public async Task Courses_patients_clinics_and_practitioners_are_derived_from_all_sessions(DatabaseProvider provider)
    {
        using var db = await TestDatabase.CreateAsync(provider);
        using (var drop = new Drop())
        {
            drop.Write("sessions.csv", Lines(SessionHeader,
                Session(("patient_birth_year", ""), ("patient_sex", ""), ("practitioner_id", "PR2"), ("combination", "prp")),
                Session(("session_id", "S2"), ("session_date", "2025-02-10"), ("patient_birth_year", "1990"), ("practitioner_id", "PR1"), ("combination", "chemical_peel;prp"), ("clinic_name", ""))));
            await Import(db, drop.Folder);
        }
        using (var drop = new Drop())
        {
            // A later import adds a third session to the same course, with a new clinic name.
            drop.Write("sessions.csv", Lines(SessionHeader,
                Session(("session_id", "S3"), ("session_date", "2025-03-10"), ("patient_birth_year", "1970"), ("practitioner_id", "PR1"), ("combination", "laser"), ("clinic_name", "Clinic One Renamed"))));
            await Import(db, drop.Folder);
        }
        var course = (await All(db, c => c.Courses)).Single();
        Assert.Equal(("CL1", "acne_scars", 3), (course.ClinicId, course.Concern, course.SessionCount));
        Assert.Equal((new DateOnly(2025, 1, 10), new DateOnly(2025, 3, 10)), (course.FirstSessionDate, course.LastSessionDate));
        Assert.Equal("microneedling+chemical_peel+laser+prp", course.Protocol);
        Assert.Equal("PR1", course.PractitionerId); // 2 sessions against 1
        Assert.Equal((1990, "f", 3), (course.BirthYear, course.Sex, course.FitzpatrickType)); // first non-empty values
        var patient = (await All(db, c => c.Patients)).Single();
        Assert.Equal((course.PatientId, 1990), (patient.Id, patient.BirthYear));
        Assert.Equal("Clinic One Renamed", (await All(db, c => c.Clinics)).Single().Name);
        Assert.Equal(["CL1", "CL1"], await All(db, c => c.Practitioners.OrderBy(p => p.Id).Select(p => p.ClinicId!)));
    }

    [Theory]
    [MemberData(nameof(Providers.Local), MemberType = typeof(Providers))]
    public async Task A_session_moved_to_another_course_refreshes_both_courses(DatabaseProvider provider)
    {
        using var db = await TestDatabase.CreateAsync(provider);
        using var drop = new Drop();
        drop.Write("sessions.csv", Lines(SessionHeader, Session(), Session(("session_id", "S2"), ("session_date", "2025-02-10")),
            Session(("session_id", "S3"), ("course_id", "C3"))));
        await Import(db, drop.Folder);
        drop.Write("sessions.csv", Lines(SessionHeader, Session(), Session(("session_id", "S2"), ("session_date", "2025-02-10"), ("course_id", "C2")),
            Session(("session_id", "S3"), ("course_id", "C4"))));
        var s = await Import(db, drop.Folder);
        Assert.Equal(2, s.Updated);
        var courses = await All(db, c => c.Courses.OrderBy(x => x.Id));
        Assert.Equal([("C1", 1), ("C2", 1), ("C4", 1)], courses.Select(c => (c.Id, c.SessionCount)));
        Assert.Equal(new DateOnly(2025, 1, 10), courses[0].LastSessionDate);
    }

    [Fact]
    public async Task A_practitioner_tie_goes_to_the_earlier_session()
    {
        using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var drop = new Drop();
        drop.Write("sessions.csv", Lines(SessionHeader,
            Session(("session_id", "S2"), ("session_date", "2025-02-10"), ("practitioner_id", "PR-A")),
            Session(("practitioner_id", "PR-B"))));
        await Import(db, drop.Folder);
        Assert.Equal("PR-B", (await All(db, c => c.Courses)).Single().PractitionerId);
    }

    [Theory]
    [MemberData(nameof(Providers.Local), MemberType = typeof(Providers))]
    public async Task An_assessment_before_its_course_is_kept_and_used_once_the_course_arrives(DatabaseProvider provider)
    {
        using var db = await TestDatabase.CreateAsync(provider);
        using (var drop = new Drop())
        {
            drop.Write("assessments.csv", Lines(AssessmentHeader,
                Assessment(),
                Assessment(("assessment_id", "A2"), ("timepoint", "interim"), ("assessed_on", "2025-01-02")), // before the course starts
                Assessment(("assessment_id", "A3"), ("instrument", "wsrs")))); // does not fit acne_scars
            var early = await Import(db, drop.Folder);
            Assert.Empty(early.Rejects);
            Assert.Equal(3, early.Files[0].AwaitingCourse);
            Assert.Equal(3, await Count(db, c => c.Assessments));
        }
        using (var drop = new Drop())
        {
            drop.Write("sessions.csv", Lines(SessionHeader, Session()));
            var late = await Import(db, drop.Folder);
            // Same outcome as importing sessions first: A2 and A3 break the course rules, A1 is used.
            Assert.Equal(2, late.PendingAssessmentsRejected);
            Assert.Equal([("A2", RejectReasons.BeforeCourseStart), ("A3", RejectReasons.InstrumentConcernMismatch)],
                late.Rejects.OrderBy(r => r.RecordId).Select(r => (r.RecordId!, r.ReasonCode)));
            Assert.All(late.Rejects, r => Assert.Equal("CL1", r.ClinicId));
        }
        Assert.Equal(["A1"], await All(db, c => c.Assessments.Select(a => a.Id)));
        var course = (await All(db, c => c.Courses)).Single();
        var a1 = (await All(db, c => c.Assessments)).Single();
        Assert.Equal(course.PatientId, a1.PatientId);
        Assert.Equal(2, await Count(db, c => c.RejectedRows));
    }

    private sealed class ThrowingProgress(long afterRows) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value)
        {
            if (value.Phase == "importing" && value.Rows >= afterRows) throw new InvalidOperationException("killed mid-file");
        }
    }

    [Theory]
    [MemberData(nameof(Providers.Local), MemberType = typeof(Providers))]
    public async Task A_failed_import_leaves_no_partial_rows(DatabaseProvider provider)
    {
        using var db = await TestDatabase.CreateAsync(provider);
        using (var drop = new Drop())
        {
            WriteTrio(drop);
            await Import(db, drop.Folder);
        }
        var before = await ReadingFacts.Dump(db);
        using var big = new Drop();
        var rows = Enumerable.Range(0, 12_000).Select(i =>
            Session(("session_id", $"B{i:D5}"), ("course_id", $"BC{i / 4}"), ("patient_ref", $"BIG-{i / 8}"), ("passes", i % 500 == 0 ? "99" : "3")));
        big.Write("sessions.csv", Lines([SessionHeader, .. rows]));

        // Progress is reported every 10,000 rows, after two 5,000-row chunks were written in the transaction.
        await Assert.ThrowsAsync<InvalidOperationException>(() => Import(db, big.Folder, new ThrowingProgress(10_000)));

        Assert.Equal(before, await ReadingFacts.Dump(db));
        Assert.Equal(0, await Count(db, c => c.RejectedRows));
        var batches = await All(db, c => c.ImportBatches.OrderBy(b => b.Id));
        Assert.Equal(2, batches.Count);
        Assert.Equal(ImportStatus.Failed, batches[1].Status);
        Assert.Contains("killed mid-file", batches[1].Notes);
    }
}
