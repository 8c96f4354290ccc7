using System.Runtime.CompilerServices;
using Analytics.Domain;

namespace Analytics.Outcomes;

/// <summary>What the outcome rules need of one course (a narrow projection of <see cref="Course"/>).</summary>
public sealed record CourseFacts(
    string Id,
    string PatientId,
    string ClinicId,
    string? PractitionerId,
    string Concern,
    string Protocol,
    DateOnly FirstSessionDate,
    DateOnly LastSessionDate,
    int SessionCount,
    int? BirthYear,
    string? Sex,
    int? FitzpatrickType)
{
    public static CourseFacts From(Course c) => new(
        c.Id, c.PatientId, c.ClinicId, c.PractitionerId, c.Concern, c.Protocol, c.FirstSessionDate, c.LastSessionDate,
        c.SessionCount, c.BirthYear, c.Sex, c.FitzpatrickType);

    /// <summary>Age at the course: year of its first session − birth year.</summary>
    public int? Age => BirthYear is { } y ? FirstSessionDate.Year - y : null;

    /// <summary>
    /// Mean days between consecutive sessions = (last − first) / (sessions − 1); null for a one-session course.
    /// </summary>
    public double? MeanIntervalDays =>
        SessionCount >= 2 ? (LastSessionDate.DayNumber - FirstSessionDate.DayNumber) / (double)(SessionCount - 1) : null;
}

/// <summary>One stored assessment score, as the outcome rules read it.</summary>
public readonly record struct AssessmentPoint(
    string Id, string CourseId, string Instrument, string Timepoint, DateOnly AssessedOn, double Score);

/// <summary>Per-course session features for the models (means and modes over the course's sessions).</summary>
public sealed record CourseSessionFeatures(double? NeedleDepthMm, string? Device, string? Area);

/// <summary>What <see cref="CourseOutcomeBuilder.Add"/> did with an assessment.</summary>
public enum AssessmentUse
{
    /// <summary>A baseline dated on or before the course's first session (a candidate for "latest").</summary>
    BaselineCandidate,
    /// <summary>A follow-up dated after the course's last session (a candidate for "latest").</summary>
    FollowUpCandidate,
    /// <summary>A follow_up dated on or before the last session: treated as interim, counted in data quality.</summary>
    FollowUpTreatedAsInterim,
    /// <summary>An interim score: not used by any table.</summary>
    Interim,
    /// <summary>The course is not (yet) imported: kept, counted in data quality, used once the course arrives.</summary>
    CourseNotImported,
    /// <summary>
    /// Not usable: an instrument outside the catalog or not fitting the course's concern, a baseline dated after
    /// the first session, or a baseline on a global scale (the importer rejects the last two kinds; kept defensive).
    /// </summary>
    Ignored,
}

/// <summary>
/// The contract's course outcome rules, per course and instrument:
/// baseline = latest <c>baseline</c> dated on or before the first session; follow-up = latest <c>follow_up</c>
/// dated after the last session (also for global scales); "latest" = by date, then by id (ordinal), so a tie on
/// the date goes to the greater id. Evaluable: severity — baseline ≠ 0 and a follow-up; global — a follow-up.
/// Improvement % and change per the instrument's direction; responder by the (possibly overridden) threshold.
/// </summary>
/// <remarks>
/// Streaming: feed courses, then assessments in any order (one pass, O(1) per assessment); <see cref="Build"/>
/// emits one <see cref="CourseOutcome"/> per course and instrument that has a usable baseline or follow-up,
/// ordered by course id then instrument code.
/// Choices where the contract is silent: <see cref="CourseOutcome.Change"/> is given whenever a severity course
/// has both scores (also with baseline 0); improvement % and responder only when it is evaluable (responder is
/// null otherwise).
/// </remarks>
public sealed class CourseOutcomeBuilder
{
    private readonly Dictionary<string, Instrument> _instruments;
    private readonly Dictionary<string, CourseSlot> _courses = new(StringComparer.Ordinal);
    private readonly Dictionary<(int Month, string ClinicId), int> _interimFollowUps = [];

    public CourseOutcomeBuilder(IReadOnlyList<Instrument> instruments)
    {
        _instruments = instruments.ToDictionary(i => i.Code, StringComparer.Ordinal);
        _instrumentsBySpan = _instruments.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    private readonly Dictionary<string, Instrument>.AlternateLookup<ReadOnlySpan<char>> _instrumentsBySpan;

    /// <summary>Follow-ups dated on or before their course's last session, by the assessment's month and the course's clinic.</summary>
    public IReadOnlyDictionary<(int Month, string ClinicId), int> FollowUpsTreatedAsInterim => _interimFollowUps;

    public int CourseCount => _courses.Count;

    public IEnumerable<CourseFacts> Courses => _courses.Values.Select(s => s.Course);

    public CourseFacts? FindCourse(string id) => _courses.TryGetValue(id, out var s) ? s.Course : null;

    public void AddCourse(CourseFacts course) => _courses[course.Id] = new CourseSlot(course);

    public AssessmentUse Add(in AssessmentPoint a)
    {
        if (!_courses.TryGetValue(a.CourseId, out var slot)) return AssessmentUse.CourseNotImported;
        var timepoint = a.Timepoint switch
        {
            Codes.Baseline => TimepointCode.Baseline,
            Codes.FollowUp => TimepointCode.FollowUp,
            Codes.Interim => TimepointCode.Interim,
            _ => TimepointCode.Other,
        };
        return Add(slot, timepoint, a.Instrument, a.AssessedOn, a.Score, a.Id, a.Id);
    }

    internal enum TimepointCode { Baseline = 0, FollowUp = 1, Interim = 2, Other = 3 }

    /// <summary>The course slot of an id given as characters (no string allocated), for streaming readers.</summary>
    internal CourseSlot? FindSlot(ReadOnlySpan<char> courseId) =>
        _courses.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(courseId, out var slot) ? slot : null;

    /// <summary>
    /// The rules of <see cref="Add(in AssessmentPoint)"/> on an assessment whose texts are character spans:
    /// the id becomes a string (<paramref name="idText"/> or a new one) only when the score becomes the latest.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal AssessmentUse Add(CourseSlot slot, TimepointCode timepoint, ReadOnlySpan<char> instrumentCode, DateOnly assessedOn,
        double score, ReadOnlySpan<char> id, string? idText = null)
    {
        if (timepoint == TimepointCode.Interim) return AssessmentUse.Interim;
        if (!_instrumentsBySpan.TryGetValue(instrumentCode, out var instrument) || !instrument.Fits(slot.Course.Concern))
            return AssessmentUse.Ignored;

        var course = slot.Course;
        if (timepoint == TimepointCode.Baseline)
        {
            if (instrument.Kind == InstrumentKind.Global || assessedOn > course.FirstSessionDate) return AssessmentUse.Ignored;
            var state = slot.For(instrument);
            if (IsLater(assessedOn, id, state.Baseline))
                state.Baseline = new AssessmentPoint(idText ?? new string(id), course.Id, instrument.Code, Codes.Baseline, assessedOn, score);
            return AssessmentUse.BaselineCandidate;
        }
        if (timepoint == TimepointCode.FollowUp)
        {
            if (assessedOn <= course.LastSessionDate)
            {
                var key = (Codes.MonthKey(assessedOn), course.ClinicId);
                _interimFollowUps[key] = _interimFollowUps.GetValueOrDefault(key) + 1;
                return AssessmentUse.FollowUpTreatedAsInterim;
            }
            var state = slot.For(instrument);
            if (IsLater(assessedOn, id, state.FollowUp))
                state.FollowUp = new AssessmentPoint(idText ?? new string(id), course.Id, instrument.Code, Codes.FollowUp, assessedOn, score);
            return AssessmentUse.FollowUpCandidate;
        }
        return AssessmentUse.Ignored;
    }

    /// <summary>
    /// Per course, what data quality counts, read from the same state <see cref="Build"/> turns into outcome rows:
    /// without baseline = no severity outcome with a baseline, unless every outcome is on a global scale;
    /// without follow-up = no outcome with a follow-up.
    /// </summary>
    internal IEnumerable<(CourseFacts Course, bool WithoutBaseline, bool WithoutFollowUp)> DataQualityFlags()
    {
        foreach (var slot in _courses.Values)
        {
            bool anyRow = false, onlyGlobal = true, severityBaseline = false, followUp = false;
            if (slot.States is { } states)
            {
                foreach (var state in states)
                {
                    anyRow = true;
                    if (state.Instrument.Kind != InstrumentKind.Global) onlyGlobal = false;
                    if (state.Instrument.Kind == InstrumentKind.Severity && state.Baseline is not null) severityBaseline = true;
                    if (state.FollowUp is not null) followUp = true;
                }
            }
            yield return (slot.Course, !(anyRow && onlyGlobal) && !severityBaseline, !followUp);
        }
    }

    /// <summary>The course outcomes; <paramref name="features"/> adds the per-course session features when given.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public IReadOnlyList<CourseOutcome> Build(IReadOnlyDictionary<string, CourseSessionFeatures>? features = null)
    {
        var slots = new List<CourseSlot>(_courses.Count);
        var outcomes = 0;
        foreach (var slot in _courses.Values)
        {
            if (slot.States is not { } states) continue;
            slots.Add(slot);
            outcomes += states.Count;
            if (states.Count > 1) states.Sort(static (a, b) => string.CompareOrdinal(a.Instrument.Code, b.Instrument.Code));
        }
        slots.Sort(static (a, b) => string.CompareOrdinal(a.Course.Id, b.Course.Id));
        var result = new List<CourseOutcome>(outcomes);
        foreach (var slot in slots)
        {
            var f = features?.GetValueOrDefault(slot.Course.Id);
            foreach (var state in slot.States!) result.Add(Outcome(slot.Course, state.Instrument, state.Baseline, state.FollowUp, f));
        }
        return result;
    }

    /// <summary>Convenience for one-off use: every course's outcomes from courses and assessments.</summary>
    public static IReadOnlyList<CourseOutcome> Build(
        IEnumerable<CourseFacts> courses, IEnumerable<AssessmentPoint> assessments, IReadOnlyList<Instrument> instruments)
    {
        var builder = new CourseOutcomeBuilder(instruments);
        foreach (var c in courses) builder.AddCourse(c);
        foreach (var a in assessments) builder.Add(a);
        return builder.Build();
    }

    internal static CourseOutcome Outcome(
        CourseFacts c, Instrument instrument, AssessmentPoint? baseline, AssessmentPoint? followUp, CourseSessionFeatures? f)
    {
        double? b = baseline?.Score;
        double? fu = followUp?.Score;
        bool evaluable;
        double? improvement = null, change = null;
        bool? responder = null;
        if (instrument.Kind == InstrumentKind.Global)
        {
            evaluable = fu is not null;
            if (fu is { } g) responder = instrument.IsResponder(null, g);
        }
        else
        {
            evaluable = b is { } bv && bv != 0 && fu is not null;
            if (b is { } b1 && fu is { } f1)
            {
                change = instrument.Change(b1, f1);
                if (evaluable)
                {
                    improvement = instrument.ImprovementPercent(b1, f1);
                    responder = instrument.IsResponder(b1, f1);
                }
            }
        }
        return new CourseOutcome(
            c.Id, c.PatientId, c.ClinicId, c.PractitionerId, c.Concern, c.Protocol, instrument.Code, instrument.Kind,
            c.SessionCount, c.FirstSessionDate, c.LastSessionDate, c.Age, c.Sex, c.FitzpatrickType,
            b, baseline?.AssessedOn, fu, followUp?.AssessedOn, evaluable, improvement, change, responder,
            c.MeanIntervalDays, f?.NeedleDepthMm, f?.Device, f?.Area);
    }

    /// <summary>The contract's order: by date, then by id (ordinal), so ties on a date go to the greater id.</summary>
    internal static bool IsLater(in AssessmentPoint candidate, AssessmentPoint? current) =>
        IsLater(candidate.AssessedOn, candidate.Id, current);

    private static bool IsLater(DateOnly assessedOn, ReadOnlySpan<char> id, AssessmentPoint? current)
    {
        if (current is not { } c) return true;
        var byDate = assessedOn.CompareTo(c.AssessedOn);
        // Span comparison of chars is ordinal, as string.CompareOrdinal.
        return byDate > 0 || (byDate == 0 && id.SequenceCompareTo(c.Id) > 0);
    }

    internal sealed class CourseSlot(CourseFacts course)
    {
        public CourseFacts Course { get; } = course;
        public List<InstrumentState>? States { get; private set; }

        public InstrumentState For(Instrument instrument)
        {
            States ??= new List<InstrumentState>(2);
            foreach (var s in States)
                if (ReferenceEquals(s.Instrument, instrument)) return s;
            var state = new InstrumentState(instrument);
            States.Add(state);
            return state;
        }
    }

    internal sealed class InstrumentState(Instrument instrument)
    {
        public Instrument Instrument { get; } = instrument;
        public AssessmentPoint? Baseline { get; set; }
        public AssessmentPoint? FollowUp { get; set; }
    }
}
