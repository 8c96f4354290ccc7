using Analytics.Data;
using Analytics.Domain;
using Microsoft.EntityFrameworkCore;

namespace Analytics.Outcomes;

/// <summary>
/// Computes the contract's report tables (and the per-course outcomes the models use) from the database.
/// </summary>
/// <remarks>
/// Query strategy: one streaming, untracked, narrow projection per table family — courses, assessments,
/// sessions, answers (with the clinic linking done by the database), rejected-row counts — each read once;
/// cells are grouped in memory in one pass with integer-keyed hash tables, then the statistics run per cell.
/// With a DbContext factory the session and answer streams run on their own contexts beside the course and
/// assessment stream.
/// </remarks>
public sealed class OutcomeService(IDbContextFactory<AnalyticsDbContext> contexts, OutcomeOptions defaults)
{
    /// <summary>All tables with the configured options, or with <paramref name="options"/> for this run.</summary>
    public async Task<ReportTables> ComputeAsync(OutcomeOptions? options = null, CancellationToken ct = default)
    {
        var o = options ?? defaults;
        o.Validate();
        var courseTask = Task.Run(async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            return await CourseSideAsync(db, o, withFeatures: false, ct);
        }, ct);
        var sessionTask = Task.Run(async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            return await SessionSideAsync(db, o, ct);
        }, ct);
        var answerTask = Task.Run(async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            return await AnswerSideAsync(db, o, ct);
        }, ct);
        await Task.WhenAll(courseTask, sessionTask, answerTask);
        return Assemble(o, await courseTask, await sessionTask, await answerTask);
    }

    /// <summary>Every course outcome (with session features), for the models.</summary>
    public async Task<IReadOnlyList<CourseOutcome>> GetCourseOutcomesAsync(OutcomeOptions? options = null, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await GetCourseOutcomesAsync(db, options ?? defaults, ct);
    }

    /// <summary>All tables on one context (the streams run one after another).</summary>
    public static async Task<ReportTables> ComputeAsync(AnalyticsDbContext db, OutcomeOptions options, CancellationToken ct = default)
    {
        options.Validate();
        var course = await CourseSideAsync(db, options, withFeatures: false, ct);
        var session = await SessionSideAsync(db, options, ct);
        var answer = await AnswerSideAsync(db, options, ct);
        return Assemble(options, course, session, answer);
    }

    /// <summary>
    /// Every course × instrument with a usable baseline or follow-up, with the session features (mean interval,
    /// mean needle depth, most used device and area — ties to the ordinally smallest code). With a month range
    /// only outcomes whose follow-up falls in it are returned; without one, unfinished courses are included
    /// (Evaluable = false).
    /// </summary>
    public static async Task<IReadOnlyList<CourseOutcome>> GetCourseOutcomesAsync(AnalyticsDbContext db, OutcomeOptions options, CancellationToken ct = default)
    {
        options.Validate();
        var side = await CourseSideAsync(db, options, withFeatures: true, ct);
        if (options.FromMonth is null && options.ToMonth is null) return side.Outcomes;
        return [.. side.Outcomes.Where(x => x.Month is { } m && options.InRange(m))];
    }

    private sealed record CourseSide(
        IReadOnlyList<CourseFacts> Courses, IReadOnlyList<CourseOutcome> Outcomes, CourseOutcomeBuilder Builder,
        Dictionary<int, int> AwaitingCourse);

    private static async Task<CourseSide> CourseSideAsync(AnalyticsDbContext db, OutcomeOptions options, bool withFeatures, CancellationToken ct)
    {
        var builder = new CourseOutcomeBuilder(options.Instruments());
        var courses = await OutcomeQueries.Courses(db).ToListAsync(ct);
        foreach (var c in courses) builder.AddCourse(c);

        var awaiting = new Dictionary<int, int>();
        await foreach (var a in OutcomeQueries.Assessments(db).AsAsyncEnumerable().WithCancellation(ct))
        {
            var timepoint = a.Timepoint switch { 0 => Codes.Baseline, 1 => Codes.FollowUp, _ => Codes.Interim };
            var use = builder.Add(new AssessmentPoint(a.Id, a.CourseId, a.Instrument, timepoint, a.AssessedOn, a.Score));
            if (use == AssessmentUse.CourseNotImported) awaiting[a.Month] = awaiting.GetValueOrDefault(a.Month) + 1;
        }

        Dictionary<string, CourseSessionFeatures>? features = null;
        if (withFeatures) features = await SessionFeaturesAsync(db, ct);
        return new CourseSide(courses, builder.Build(features), builder, awaiting);
    }

    private static async Task<Dictionary<string, CourseSessionFeatures>> SessionFeaturesAsync(AnalyticsDbContext db, CancellationToken ct)
    {
        var depths = await OutcomeQueries.NeedleDepths(db).ToDictionaryAsync(d => d.CourseId, d => d.NeedleDepthMm, StringComparer.Ordinal, ct);
        var devices = Modes(await OutcomeQueries.Devices(db).ToListAsync(ct));
        var areas = Modes(await OutcomeQueries.Areas(db).ToListAsync(ct));
        var result = new Dictionary<string, CourseSessionFeatures>(StringComparer.Ordinal);
        foreach (var id in depths.Keys.Concat(devices.Keys).Concat(areas.Keys).Distinct(StringComparer.Ordinal))
        {
            result[id] = new CourseSessionFeatures(depths.GetValueOrDefault(id), devices.GetValueOrDefault(id), areas.GetValueOrDefault(id));
        }
        return result;

        static Dictionary<string, string> Modes(List<OutcomeQueries.CourseCodeCount> counts) =>
            counts.GroupBy(c => c.CourseId, StringComparer.Ordinal).ToDictionary(
                g => g.Key,
                g => g.OrderByDescending(c => c.Sessions).ThenBy(c => c.Code, StringComparer.Ordinal).First().Code,
                StringComparer.Ordinal);
    }

    private static async Task<SessionTablesBuilder> SessionSideAsync(AnalyticsDbContext db, OutcomeOptions options, CancellationToken ct)
    {
        var tables = new SessionTablesBuilder(options.MinCellSize, options.FromMonth, options.ToMonth);
        await foreach (var s in OutcomeQueries.Sessions(db, options.ToMonth).AsAsyncEnumerable().WithCancellation(ct))
        {
            tables.Add(s);
        }
        return tables;
    }

    private sealed record AnswerSide(SatisfactionTableBuilder Table, Dictionary<int, int> WithoutClinic,
        List<OutcomeQueries.RejectedCount> Rejected, Dictionary<int, DateOnly> ImportDays);

    private static async Task<AnswerSide> AnswerSideAsync(AnalyticsDbContext db, OutcomeOptions options, CancellationToken ct)
    {
        var table = new SatisfactionTableBuilder(options.MinCellSize);
        var withoutClinic = new Dictionary<int, int>();
        await foreach (var a in OutcomeQueries.Answers(db, options.FromMonth, options.ToMonth).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (a.ClinicId is null) withoutClinic[a.Month] = withoutClinic.GetValueOrDefault(a.Month) + 1;
            table.Add(new AnswerFact(a.Month, a.ClinicId ?? Codes.UnknownClinic, a.Instrument, a.PatientId, a.Score));
        }
        var rejected = await OutcomeQueries.RejectedRows(db).ToListAsync(ct);
        var days = await OutcomeQueries.ImportDays(db).ToDictionaryAsync(b => b.Id, b => b.AsOf, ct);
        return new AnswerSide(table, withoutClinic, rejected, days);
    }

    private static ReportTables Assemble(OutcomeOptions o, CourseSide course, SessionTablesBuilder sessions, AnswerSide answers)
    {
        foreach (var c in course.Courses) sessions.AddCourseStart(c.ClinicId, c.FirstSessionDate);

        var quality = new DataQualityBuilder(o.FromMonth, o.ToMonth);
        quality.CountCourses(course.Courses, course.Outcomes);
        foreach (var ((month, clinic), n) in course.Builder.FollowUpsTreatedAsInterim) quality.Count(month, clinic, DataQualityBuilder.InterimFollowUps, n);
        foreach (var (month, n) in course.AwaitingCourse) quality.Count(month, Codes.UnknownClinic, DataQualityBuilder.AwaitingCourse, n);
        foreach (var (month, n) in answers.WithoutClinic) quality.Count(month, Codes.UnknownClinic, DataQualityBuilder.AnswersWithoutClinic, n);
        foreach (var r in answers.Rejected)
        {
            int? month = r.Month ?? (answers.ImportDays.TryGetValue(r.ImportBatchId, out var day) ? Codes.MonthKey(day) : null);
            if (month is { } m) quality.Count(m, r.ClinicId ?? Codes.UnknownClinic, DataQualityBuilder.Rejected, r.Count);
        }

        DateOnly? dataFrom = course.Courses.Count > 0 ? course.Courses.Min(c => c.FirstSessionDate) : null;
        DateOnly? dataTo = course.Courses.Count > 0 ? course.Courses.Max(c => c.LastSessionDate) : null;
        return new ReportTables(
            OutcomeTableBuilder.Build(course.Outcomes, o.MinCellSize, o.FromMonth, o.ToMonth),
            answers.Table.Build(),
            sessions.Safety(),
            sessions.Activity(),
            sessions.Revenue(),
            ProtocolComparisonBuilder.Build(course.Outcomes, o.MinCellSize, o.FromMonth, o.ToMonth),
            quality.Build(),
            new TableSettings(o.MinCellSize, o.FromMonth, o.ToMonth, dataFrom, dataTo, o.Instruments()));
    }
}
