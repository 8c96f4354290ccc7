using Analytics.Data;
using Analytics.Domain;
using Microsoft.EntityFrameworkCore;

namespace Analytics.Outcomes;

/// <summary>
/// The database side of the outcome tables: narrow, untracked projections that every provider translates
/// (checked by running on SQLite and PostgreSQL, and by parsing the SQL Server text with ScriptDom). Each table
/// family reads its rows once; grouping into cells and the statistics run in memory, in one pass.
/// </summary>
public static class OutcomeQueries
{
    /// <summary>A course row as the outcome rules need it.</summary>
    public static IQueryable<CourseFacts> Courses(AnalyticsDbContext db) =>
        db.Courses.AsNoTracking().Select(c => new CourseFacts(
            c.Id, c.PatientId, c.ClinicId, c.PractitionerId, c.Concern, c.Protocol, c.FirstSessionDate, c.LastSessionDate,
            c.SessionCount, c.BirthYear, c.Sex, c.FitzpatrickType));

    /// <summary>Timepoint as a small code computed by the database: 0 baseline, 1 follow_up, 2 interim (avoids a string per row).</summary>
    public sealed record AssessmentRow(string Id, string CourseId, string Instrument, int Timepoint, DateOnly AssessedOn, int Month, double Score);

    /// <summary>Every assessment (any timepoint: interim rows are needed only to count those awaiting their course).</summary>
    public static IQueryable<AssessmentRow> Assessments(AnalyticsDbContext db) =>
        db.Assessments.AsNoTracking().Select(a => new AssessmentRow(
            a.Id, a.CourseId, a.Instrument,
            a.Timepoint == Codes.Baseline ? 0 : a.Timepoint == Codes.FollowUp ? 1 : 2,
            a.AssessedOn, a.Month, a.Score));

    /// <summary>Sessions up to <paramref name="toMonth"/> (earlier months too: they decide who is a new patient).</summary>
    public static IQueryable<SessionFact> Sessions(AnalyticsDbContext db, int? toMonth)
    {
        var q = db.Sessions.AsNoTracking();
        if (toMonth is { } t) q = q.Where(s => s.Month <= t);
        return q.Select(s => new SessionFact(s.Month, s.ClinicId, s.Concern, s.PatientId, s.HasAdverseEvent, s.DowntimeDays, s.Price, s.Currency));
    }

    public sealed record AnswerRow(int Month, string Instrument, string PatientId, double Score, string? ClinicId);

    /// <summary>
    /// Survey answers in the month range with their clinic: the session's, else the course's, else the clinic of
    /// the patient's latest session (by date, then id) on or before the answer's date, else null. The fallback
    /// subquery runs only for answers that neither link resolves (CASE short-circuits on all three providers).
    /// </summary>
    public static IQueryable<AnswerRow> Answers(AnalyticsDbContext db, int? fromMonth, int? toMonth)
    {
        var responses = db.SatisfactionResponses.AsNoTracking();
        if (fromMonth is { } f) responses = responses.Where(r => r.Month >= f);
        if (toMonth is { } t) responses = responses.Where(r => r.Month <= t);
        return
            from r in responses
            join s in db.Sessions on r.SessionId equals s.Id into rs
            from s in rs.DefaultIfEmpty()
            join c in db.Courses on r.CourseId equals c.Id into rc
            from c in rc.DefaultIfEmpty()
            select new AnswerRow(
                r.Month, r.Instrument, r.PatientId, r.Score,
                s != null ? s.ClinicId
                : c != null ? c.ClinicId
                : db.Sessions
                    .Where(x => x.PatientId == r.PatientId && x.SessionDate <= r.RespondedOn)
                    .OrderByDescending(x => x.SessionDate).ThenByDescending(x => x.Id)
                    .Select(x => x.ClinicId)
                    .FirstOrDefault());
    }

    public sealed record RejectedCount(int? Month, string? ClinicId, int ImportBatchId, int Count);

    /// <summary>One distinct rejected row (by file, line, id and reason) and the first batch that rejected it.</summary>
    public sealed record RejectedRowKey(int? Month, string? ClinicId, string ReasonCode, int FirstBatchId);

    /// <summary>
    /// Rejected rows, each distinct row once (the data-quality notes and the workbooks' rejects by reason both use it): a bad row imported again is rejected again by the new batch,
    /// and counting it twice would make a re-run of the same import change the data-quality notes.
    /// </summary>
    public static IQueryable<RejectedRowKey> RejectedRows(AnalyticsDbContext db) =>
        db.RejectedRows.AsNoTracking()
            .GroupBy(r => new { r.Month, r.ClinicId, r.File, r.Line, r.RecordId, r.ReasonCode })
            .OrderBy(g => g.Key.Month).ThenBy(g => g.Key.ClinicId).ThenBy(g => g.Key.File).ThenBy(g => g.Key.Line)
            .ThenBy(g => g.Key.RecordId).ThenBy(g => g.Key.ReasonCode)
            .Select(g => new RejectedRowKey(g.Key.Month, g.Key.ClinicId, g.Key.ReasonCode, g.Min(r => r.ImportBatchId)));

    public static List<RejectedCount> CountRejected(IEnumerable<RejectedRowKey> rows) =>
        [.. rows.GroupBy(r => (r.Month, r.ClinicId, r.FirstBatchId))
            .OrderBy(g => g.Key.Month).ThenBy(g => g.Key.ClinicId, StringComparer.Ordinal).ThenBy(g => g.Key.FirstBatchId)
            .Select(g => new RejectedCount(g.Key.Month, g.Key.ClinicId, g.Key.FirstBatchId, g.Count()))];

    public sealed record BatchDay(int Id, DateOnly AsOf);

    public static IQueryable<BatchDay> ImportDays(AnalyticsDbContext db) =>
        db.ImportBatches.AsNoTracking().Select(b => new BatchDay(b.Id, b.AsOf));

    public sealed record CourseDepth(string CourseId, double? NeedleDepthMm);

    /// <summary>Mean needle depth per course over the sessions that record it.</summary>
    public static IQueryable<CourseDepth> NeedleDepths(AnalyticsDbContext db) =>
        db.Sessions.AsNoTracking()
            .Where(s => s.NeedleDepthMm != null)
            .GroupBy(s => s.CourseId)
            .OrderBy(g => g.Key)
            .Select(g => new CourseDepth(g.Key, g.Average(s => s.NeedleDepthMm)));

    public sealed record CourseCodeCount(string CourseId, string Code, int Sessions);

    /// <summary>Sessions per course and device (the mode is picked in memory).</summary>
    public static IQueryable<CourseCodeCount> Devices(AnalyticsDbContext db) =>
        db.Sessions.AsNoTracking()
            .Where(s => s.Device != null)
            .GroupBy(s => new { s.CourseId, s.Device })
            .OrderBy(g => g.Key.CourseId).ThenBy(g => g.Key.Device)
            .Select(g => new CourseCodeCount(g.Key.CourseId, g.Key.Device!, g.Count()));

    /// <summary>Sessions per course and treated area (the mode is picked in memory).</summary>
    public static IQueryable<CourseCodeCount> Areas(AnalyticsDbContext db) =>
        db.Sessions.AsNoTracking()
            .Where(s => s.Area != null)
            .GroupBy(s => new { s.CourseId, s.Area })
            .OrderBy(g => g.Key.CourseId).ThenBy(g => g.Key.Area)
            .Select(g => new CourseCodeCount(g.Key.CourseId, g.Key.Area!, g.Count()));
}
