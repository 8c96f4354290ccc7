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
/// The streams run one after another: on this 2-core machine reading them on three contexts at once was
/// slower (more live memory during the streams, more full garbage collections), see the report.
/// </remarks>
public sealed class OutcomeService(IDbContextFactory<AnalyticsDbContext> contexts, OutcomeOptions defaults)
{
    /// <summary>All tables with the configured options, or with <paramref name="options"/> for this run.</summary>
    public async Task<ReportTables> ComputeAsync(OutcomeOptions? options = null, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await ComputeAsync(db, options ?? defaults, ct);
    }

    /// <summary>Every course outcome (with session features), for the models.</summary>
    public async Task<IReadOnlyList<CourseOutcome>> GetCourseOutcomesAsync(OutcomeOptions? options = null, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await GetCourseOutcomesAsync(db, options ?? defaults, ct);
    }

    /// <summary>All tables on one context; <paramref name="log"/> receives each phase's duration (for progress and benchmarks).</summary>
    public static async Task<ReportTables> ComputeAsync(
        AnalyticsDbContext db, OutcomeOptions options, CancellationToken ct = default, Action<string, TimeSpan>? log = null)
    {
        options.Validate();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var course = await CourseSideAsync(db, options, withFeatures: false, ct);
        Lap("courses and assessments");
        var session = SessionSide(db, options, ct);
        Lap("sessions");
        var answer = await AnswerSideAsync(db, options, ct);
        Lap("answers and rejected rows");
        var tables = Assemble(options, course, session, answer, Lap);
        return tables;

        void Lap(string phase)
        {
            log?.Invoke(phase, clock.Elapsed);
            clock.Restart();
        }
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
        var n = 0;
        // Synchronous enumeration: one async state machine step per row costs ~20 % on a million-row stream.
        foreach (var a in OutcomeQueries.Assessments(db).AsEnumerable())
        {
            if ((++n & 0xFFFF) == 0) ct.ThrowIfCancellationRequested();
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

    private static SessionTablesBuilder SessionSide(AnalyticsDbContext db, OutcomeOptions options, CancellationToken ct)
    {
        var tables = new SessionTablesBuilder(options.MinCellSize, options.FromMonth, options.ToMonth);
        var n = 0;
        foreach (var s in OutcomeQueries.Sessions(db, options.ToMonth).AsEnumerable())
        {
            if ((++n & 0xFFFF) == 0) ct.ThrowIfCancellationRequested();
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
        var n = 0;
        foreach (var a in OutcomeQueries.Answers(db, options.FromMonth, options.ToMonth).AsEnumerable())
        {
            if ((++n & 0xFFFF) == 0) ct.ThrowIfCancellationRequested();
            if (a.ClinicId is null) withoutClinic[a.Month] = withoutClinic.GetValueOrDefault(a.Month) + 1;
            table.Add(new AnswerFact(a.Month, a.ClinicId ?? Codes.UnknownClinic, a.Instrument, a.PatientId, a.Score));
        }
        var rejected = await OutcomeQueries.RejectedRows(db).ToListAsync(ct);
        var days = await OutcomeQueries.ImportDays(db).ToDictionaryAsync(b => b.Id, b => b.AsOf, ct);
        return new AnswerSide(table, withoutClinic, rejected, days);
    }

    private static ReportTables Assemble(OutcomeOptions o, CourseSide course, SessionTablesBuilder sessions, AnswerSide answers, Action<string> lap)
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

        lap("data quality");

        DateOnly? dataFrom = course.Courses.Count > 0 ? course.Courses.Min(c => c.FirstSessionDate) : null;
        DateOnly? dataTo = course.Courses.Count > 0 ? course.Courses.Max(c => c.LastSessionDate) : null;
        var outcomes = OutcomeTableBuilder.Build(course.Outcomes, o.MinCellSize, o.FromMonth, o.ToMonth);
        lap("outcome cells");
        var satisfaction = answers.Table.Build();
        var safety = sessions.Safety();
        var activity = sessions.Activity();
        var revenue = sessions.Revenue();
        lap("session and answer cells");
        var comparison = ProtocolComparisonBuilder.Build(course.Outcomes, o.MinCellSize, o.FromMonth, o.ToMonth);
        lap("protocol comparison");
        return new ReportTables(outcomes, satisfaction, safety, activity, revenue, comparison, quality.Build(),
            new TableSettings(o.MinCellSize, o.FromMonth, o.ToMonth, dataFrom, dataTo, o.Instruments()));
    }
}
