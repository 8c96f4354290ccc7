using Analytics.Data;
using Analytics.Domain;

namespace Analytics.Outcomes.Tests;

/// <summary>Builds small, consistent data sets (sessions with their derived course rows) and inserts them with EF.</summary>
internal sealed class TestData
{
    public List<Session> Sessions { get; } = [];
    public List<Course> Courses { get; } = [];
    public List<Assessment> Assessments { get; } = [];
    public List<SatisfactionResponse> Answers { get; } = [];
    public List<RejectedRow> Rejected { get; } = [];
    public List<ImportBatch> Batches { get; } = [];

    public static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd");

    /// <summary>A course with one session per date (all at one clinic), protocol from <paramref name="adjuncts"/>.</summary>
    public Course Course(
        string id, string patient, string clinic, string concern, string[] dates, string[]? adjuncts = null,
        int? birthYear = 1980, int? fitzpatrick = 3, string? sex = "f", decimal? price = null, string? currency = null,
        double? downtime = null, int adverseOnSession = -1, string? device = null, double? depth = null, string? area = null)
    {
        adjuncts ??= [];
        for (var i = 0; i < dates.Length; i++)
        {
            var date = D(dates[i]);
            var s = new Session
            {
                Id = $"{id}-s{i + 1}", ClinicId = clinic, PractitionerId = "dr1", PatientId = patient, CourseId = id, Concern = concern,
                SessionDate = date, Month = Codes.MonthKey(date), PatientBirthYear = birthYear, PatientSex = sex,
                FitzpatrickType = fitzpatrick, Price = price, Currency = price is null ? null : currency ?? "EUR",
                DowntimeDays = downtime, HasAdverseEvent = i == adverseOnSession, ContentHash = "h", ImportBatchId = 1,
                Device = device, NeedleDepthMm = depth, Area = area,
            };
            s.Adjuncts.AddRange(adjuncts.Select(a => new SessionAdjunct { SessionId = s.Id, Adjunct = a }));
            if (i == adverseOnSession) s.AdverseEvents.Add(new SessionAdverseEvent { SessionId = s.Id, Event = "pih" });
            Sessions.Add(s);
        }
        var course = new Course
        {
            Id = id, PatientId = patient, ClinicId = clinic, Concern = concern, PractitionerId = "dr1",
            FirstSessionDate = D(dates[0]), LastSessionDate = D(dates[^1]), SessionCount = dates.Length,
            Protocol = Codes.Protocol(adjuncts), BirthYear = birthYear, Sex = sex, FitzpatrickType = fitzpatrick,
        };
        Courses.Add(course);
        return course;
    }

    public Assessment Score(string id, Course course, string instrument, string timepoint, string date, double score) =>
        Score(id, course.Id, course.PatientId, instrument, timepoint, date, score);

    public Assessment Score(string id, string courseId, string patient, string instrument, string timepoint, string date, double score)
    {
        var a = new Assessment
        {
            Id = id, PatientId = patient, CourseId = courseId, Instrument = instrument, Timepoint = timepoint,
            AssessedOn = D(date), Month = Codes.MonthKey(D(date)), Score = score, ContentHash = "h", ImportBatchId = 1,
        };
        Assessments.Add(a);
        return a;
    }

    public SatisfactionResponse Answer(string id, string patient, string date, string instrument, double score, string? session = null, string? course = null)
    {
        var r = new SatisfactionResponse
        {
            Id = id, PatientId = patient, SessionId = session, CourseId = course, RespondedOn = D(date),
            Month = Codes.MonthKey(D(date)), Instrument = instrument, Score = score, ContentHash = "h", ImportBatchId = 1,
        };
        Answers.Add(r);
        return r;
    }

    public async Task SaveAsync(AnalyticsDbContext db)
    {
        db.Sessions.AddRange(Sessions);
        db.Courses.AddRange(Courses);
        db.Assessments.AddRange(Assessments);
        db.SatisfactionResponses.AddRange(Answers);
        db.ImportBatches.AddRange(Batches);
        db.RejectedRows.AddRange(Rejected);
        await db.SaveChangesAsync();
    }

    public IReadOnlyList<CourseFacts> CourseFacts => [.. Courses.Select(Outcomes.CourseFacts.From)];

    public IEnumerable<AssessmentPoint> Points =>
        Assessments.Select(a => new AssessmentPoint(a.Id, a.CourseId, a.Instrument, a.Timepoint, a.AssessedOn, a.Score));
}
