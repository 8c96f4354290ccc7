using Analytics.Data;
using Analytics.Domain;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Analytics.Outcomes;

/// <summary>
/// Computes the contract's report tables (and the per-course outcomes the models use) from the database.
/// </summary>
/// <remarks>
/// Query strategy: one streaming, untracked, narrow projection per table family — courses, assessments,
/// sessions, answers (with the clinic linking done by the database), rejected-row counts — each read once;
/// cells are grouped in memory in one pass with integer keys, then the statistics run per cell.
/// On SQLite the four big streams are stepped natively (<see cref="SqliteStreams"/> over <see cref="NativeSqlite"/>: the
/// same projections, texts interned from UTF-8 spans, no string per row), each on its own read-only connection so the
/// course side runs beside the sessions and answers, and the outcome table and protocol comparison start as soon as
/// the course side is done; the LINQ queries stay the portable path (PostgreSQL, SQL Server) and give identical tables.
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
    public static Task<ReportTables> ComputeAsync(
        AnalyticsDbContext db, OutcomeOptions options, CancellationToken ct = default, Action<string, TimeSpan>? log = null) =>
        ComputeAsync(db, options, sqliteStreams: true, ct, log);

    /// <param name="sqliteStreams">On SQLite, read the big streams with <see cref="SqliteStreams"/>; false = the portable LINQ path only.</param>
    internal static async Task<ReportTables> ComputeAsync(
        AnalyticsDbContext db, OutcomeOptions options, bool sqliteStreams, CancellationToken ct = default, Action<string, TimeSpan>? log = null)
    {
        options.Validate();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var times = new System.Collections.Concurrent.ConcurrentQueue<(string Phase, TimeSpan Time)>();
        // (Creating the SqliteConnection initialises SQLitePCL, which NativeSqlite.Available asks for its library.)
        var sqlite = sqliteStreams ? db.Database.GetDbConnection() as SqliteConnection : null;
        if (sqlite is not null && !NativeSqlite.Available) sqlite = null;
        if (sqlite is null)
        {
            var course = await CourseSideAsync(db, null, options, withFeatures: false, ct);
            Lap("courses and assessments");
            var (outcomes, comparison) = StartCourseTables(Task.FromResult(course), options, times);
            var session = SessionSide(db, options, ct);
            Lap("sessions");
            var answer = await AnswerSideAsync(db, options, ct);
            Lap("answers and rejected rows");
            return await AssembleAsync(options, course, outcomes, comparison, session, answer, times, Lap, log);
        }

        await db.Database.OpenConnectionAsync(ct);
        try
        {
            // A file outside a transaction: each stream on its own read-only connection (SQLite readers on separate
            // connections run concurrently). In a transaction or in memory only the context's connection sees the
            // data, so the streams run one after another on it.
            var file = db.Database.CurrentTransaction is null ? NativeSqlite.FileOf(sqlite) : null;
            if (file is null)
            {
                using var shared = NativeSqlite.Borrow(sqlite);
                var course = CourseSideFromSqlite(shared, options, ct);
                Lap("courses and assessments");
                var (outcomes, comparison) = StartCourseTables(Task.FromResult(course), options, times);
                var session = SessionSide(shared, options, ct);
                Lap("sessions");
                var answer = ReadAnswerSide(shared, options, ct);
                Lap("answers and rejected rows");
                return await AssembleAsync(options, course, outcomes, comparison, session, answer, times, Lap, log);
            }

            // Two cores here: the course side (courses, assessments, then its two tables as soon as it is done) runs
            // beside the sessions stream; the answers stream (and the rejected-row counts) run on this thread.
            var courseWork = Task.Run(() => Timed(times, "courses and assessments (alongside)", () =>
            {
                using var connection = NativeSqlite.Open(file);
                return CourseSideFromSqlite(connection, options, ct);
            }), ct);
            var (outcomeRows, comparisonRows) = StartCourseTables(courseWork, options, times);
            var sessionWork = Task.Run(() => Timed(times, "sessions (alongside)", () =>
            {
                using var connection = NativeSqlite.Open(file);
                return SessionSide(connection, options, ct);
            }), ct);
            AnswerSide answers;
            try
            {
                answers = Timed(times, "answers and rejected rows (alongside)", () =>
                {
                    using var connection = NativeSqlite.Open(file);
                    return ReadAnswerSide(connection, options, ct);
                });
            }
            finally
            {
                // Never leave a stream running on its connection after an error here.
                await Task.WhenAll(courseWork, sessionWork, outcomeRows, comparisonRows).ContinueWith(_ => { }, TaskScheduler.Default);
            }
            var courseSide = await courseWork;
            var sessions = await sessionWork;
            Lap("streams, side by side");
            return await AssembleAsync(options, courseSide, outcomeRows, comparisonRows, sessions, answers, times, Lap, log);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        void Lap(string phase)
        {
            log?.Invoke(phase, clock.Elapsed);
            clock.Restart();
        }
    }

    private static T Timed<T>(System.Collections.Concurrent.ConcurrentQueue<(string Phase, TimeSpan Time)> times, string phase, Func<T> work)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var result = work();
        times.Enqueue((phase, watch.Elapsed));
        return result;
    }

    /// <summary>The outcome table and the protocol comparison need only the course side: they start as soon as it is done.</summary>
    private static (Task<IReadOnlyList<OutcomeRow>> Outcomes, Task<IReadOnlyList<ProtocolComparisonRow>> Comparison) StartCourseTables(
        Task<CourseSide> course, OutcomeOptions o, System.Collections.Concurrent.ConcurrentQueue<(string Phase, TimeSpan Time)> times)
    {
        var outcomes = course.ContinueWith(c => Timed(times, "outcome cells (alongside)",
                () => OutcomeTableBuilder.Build(c.Result.Outcomes, o.MinCellSize, o.FromMonth, o.ToMonth)),
            CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        var comparison = course.ContinueWith(c => Timed(times, "protocol comparison (alongside)",
                () => ProtocolComparisonBuilder.Build(c.Result.Outcomes, o.MinCellSize, o.FromMonth, o.ToMonth)),
            CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        return (outcomes, comparison);
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
        var sqlite = db.Database.GetDbConnection() as SqliteConnection;
        if (sqlite is not null && !NativeSqlite.Available) sqlite = null;
        if (sqlite is not null) await db.Database.OpenConnectionAsync(ct);
        CourseSide side;
        try
        {
            side = await CourseSideAsync(db, sqlite, options, withFeatures: true, ct);
        }
        finally
        {
            if (sqlite is not null) await db.Database.CloseConnectionAsync();
        }
        if (options.FromMonth is null && options.ToMonth is null) return side.Outcomes;
        return [.. side.Outcomes.Where(x => x.Month is { } m && options.InRange(m))];
    }

    private sealed record CourseSide(
        IReadOnlyList<CourseFacts> Courses, IReadOnlyList<CourseOutcome> Outcomes, CourseOutcomeBuilder Builder,
        Dictionary<int, int> AwaitingCourse);

    private static async Task<CourseSide> CourseSideAsync(
        AnalyticsDbContext db, SqliteConnection? sqlite, OutcomeOptions options, bool withFeatures, CancellationToken ct)
    {
        if (sqlite is not null)
        {
            using var shared = NativeSqlite.Borrow(sqlite);
            return CourseSideFromSqlite(shared, options, ct, withFeatures);
        }
        var builder = new CourseOutcomeBuilder(options.Instruments());
        var courses = await OutcomeQueries.Courses(db).ToListAsync(ct);
        foreach (var c in courses) builder.AddCourse(c);
        var awaiting = ReadAssessments(db, builder, ct);
        Dictionary<string, CourseSessionFeatures>? features = null;
        if (withFeatures) features = await SessionFeaturesAsync(db, ct);
        return new CourseSide(courses, builder.Build(features), builder, awaiting);
    }

    private static CourseSide CourseSideFromSqlite(NativeSqlite.Connection sqlite, OutcomeOptions options, CancellationToken ct, bool withFeatures = false)
    {
        var builder = new CourseOutcomeBuilder(options.Instruments());
        var courses = SqliteStreams.Courses(sqlite);
        foreach (var c in courses) builder.AddCourse(c);
        var awaiting = SqliteStreams.Assessments(sqlite, builder, ct);
        var features = withFeatures ? SqliteStreams.SessionFeatures(sqlite, builder, ct) : null;
        return new CourseSide(courses, builder.Build(features), builder, awaiting);
    }

    private static Dictionary<int, int> ReadAssessments(AnalyticsDbContext db, CourseOutcomeBuilder builder, CancellationToken ct)
    {
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
        return awaiting;
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

    private static SessionTablesBuilder SessionSide(NativeSqlite.Connection sqlite, OutcomeOptions options, CancellationToken ct)
    {
        var tables = new SessionTablesBuilder(options.MinCellSize, options.FromMonth, options.ToMonth);
        SqliteStreams.Sessions(sqlite, tables, options.ToMonth, ct);
        return tables;
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

    private static AnswerSide ReadAnswerSide(NativeSqlite.Connection sqlite, OutcomeOptions options, CancellationToken ct)
    {
        var table = new SatisfactionTableBuilder(options.MinCellSize);
        var withoutClinic = new Dictionary<int, int>();
        SqliteStreams.Answers(sqlite, options.FromMonth, options.ToMonth, table, withoutClinic, ct);
        return new AnswerSide(table, withoutClinic, OutcomeQueries.CountRejected(SqliteStreams.RejectedRows(sqlite)), SqliteStreams.ImportDays(sqlite));
    }

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
        var rejected = OutcomeQueries.CountRejected(await OutcomeQueries.RejectedRows(db).ToListAsync(ct));
        var days = await OutcomeQueries.ImportDays(db).ToDictionaryAsync(b => b.Id, b => b.AsOf, ct);
        return new AnswerSide(table, withoutClinic, rejected, days);
    }

    /// <summary>
    /// The tables from the streams: the course tables were started by <see cref="StartCourseTables"/>; the session and
    /// answer tables and the data-quality notes are built beside them. Each one's own duration goes to <paramref name="log"/>.
    /// </summary>
    private static async Task<ReportTables> AssembleAsync(
        OutcomeOptions o, CourseSide course, Task<IReadOnlyList<OutcomeRow>> outcomes, Task<IReadOnlyList<ProtocolComparisonRow>> comparison,
        SessionTablesBuilder sessions, AnswerSide answers, System.Collections.Concurrent.ConcurrentQueue<(string Phase, TimeSpan Time)> times,
        Action<string> lap, Action<string, TimeSpan>? log)
    {
        foreach (var c in course.Courses) sessions.AddCourseStart(c.ClinicId, c.FirstSessionDate);
        DateOnly? dataFrom = null, dataTo = null;
        foreach (var c in course.Courses)
        {
            if (dataFrom is not { } f || c.FirstSessionDate < f) dataFrom = c.FirstSessionDate;
            if (dataTo is not { } t || c.LastSessionDate > t) dataTo = c.LastSessionDate;
        }

        var quality = Task.Run(() => Timed(times, "data quality (alongside)", () => Quality(o, course, answers)));
        var sessionTables = Task.Run(() => Timed(times, "session and answer cells (alongside)", () =>
            (answers.Table.Build(), sessions.Safety(), sessions.Activity(), sessions.Revenue())));
        await Task.WhenAll(quality, sessionTables, outcomes, comparison);
        foreach (var (phase, time) in times) log?.Invoke(phase, time);
        lap("tables (after the streams)");
        var (satisfaction, safety, activity, revenue) = sessionTables.Result;
        return new ReportTables(outcomes.Result, satisfaction, safety, activity, revenue, comparison.Result, quality.Result,
            new TableSettings(o.MinCellSize, o.FromMonth, o.ToMonth, dataFrom, dataTo, o.Instruments()));
    }

    private static IReadOnlyList<DataQualityRow> Quality(OutcomeOptions o, CourseSide course, AnswerSide answers)
    {
        var quality = new DataQualityBuilder(o.FromMonth, o.ToMonth);
        quality.CountCourses(course.Builder);
        foreach (var ((month, clinic), n) in course.Builder.FollowUpsTreatedAsInterim) quality.Count(month, clinic, DataQualityBuilder.InterimFollowUps, n);
        foreach (var (month, n) in course.AwaitingCourse) quality.Count(month, Codes.UnknownClinic, DataQualityBuilder.AwaitingCourse, n);
        foreach (var (month, n) in answers.WithoutClinic) quality.Count(month, Codes.UnknownClinic, DataQualityBuilder.AnswersWithoutClinic, n);
        foreach (var r in answers.Rejected)
        {
            int? month = r.Month ?? (answers.ImportDays.TryGetValue(r.ImportBatchId, out var day) ? Codes.MonthKey(day) : null);
            if (month is { } m) quality.Count(m, r.ClinicId ?? Codes.UnknownClinic, DataQualityBuilder.Rejected, r.Count);
        }
        return quality.Build();
    }
}
