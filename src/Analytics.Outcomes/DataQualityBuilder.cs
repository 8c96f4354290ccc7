using Analytics.Domain;

namespace Analytics.Outcomes;

/// <summary>
/// Data-quality notes per month and clinic (plus network rows <c>ALL</c>); only months and clinics with
/// something to note get a row.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>courses_without_baseline / courses_without_follow_up: courses counted once, in the month of their last
/// session at their clinic: no usable baseline (on or before the first session) on any severity scale — courses
/// assessed only on global scales are not counted, they need none — / no follow-up after the last session on any
/// instrument (this includes courses still waiting for their follow-up).</item>
/// <item>follow_ups_treated_as_interim: follow_up scores dated on or before the course's last session, by the
/// score's month and the course's clinic.</item>
/// <item>answers_without_clinic: survey answers linked to no clinic, by answer month, clinic <c>unknown</c>.</item>
/// <item>assessments_awaiting_course: assessments naming a course not imported (any timepoint), by the
/// assessment's month, clinic <c>unknown</c>.</item>
/// <item>rejected_rows: by the row's own month (else the month of its import's as-of day) and its clinic
/// (else <c>unknown</c>).</item>
/// </list>
/// </remarks>
internal sealed class DataQualityBuilder(int? fromMonth, int? toMonth)
{
    private readonly Dictionary<(int Month, string Clinic), int[]> _cells = [];

    public const int WithoutBaseline = 0, WithoutFollowUp = 1, InterimFollowUps = 2, AnswersWithoutClinic = 3, AwaitingCourse = 4, Rejected = 5;

    public void Count(int month, string clinicId, int column, int count = 1)
    {
        if (count == 0 || (fromMonth is { } f && month < f) || (toMonth is { } t && month > t)) return;
        Bump((month, clinicId));
        Bump((month, Codes.All));

        void Bump((int, string) key)
        {
            if (!_cells.TryGetValue(key, out var c)) _cells.Add(key, c = new int[6]);
            c[column] += count;
        }
    }

    /// <summary>Counts courses without baseline / follow-up from the course outcomes of every course.</summary>
    public void CountCourses(CourseOutcomeBuilder courses)
    {
        foreach (var (c, withoutBaseline, withoutFollowUp) in courses.DataQualityFlags())
        {
            if (!withoutBaseline && !withoutFollowUp) continue;
            var month = Codes.MonthKey(c.LastSessionDate);
            if (withoutBaseline) Count(month, c.ClinicId, WithoutBaseline);
            if (withoutFollowUp) Count(month, c.ClinicId, WithoutFollowUp);
        }
    }

    public IReadOnlyList<DataQualityRow> Build()
    {
        var rows = _cells.Select(kv => new DataQualityRow(kv.Key.Month, kv.Key.Clinic,
            kv.Value[WithoutBaseline], kv.Value[WithoutFollowUp], kv.Value[InterimFollowUps], kv.Value[AnswersWithoutClinic],
            kv.Value[AwaitingCourse], kv.Value[Rejected])).ToList();
        rows.Sort(static (a, b) =>
        {
            var c = a.Month.CompareTo(b.Month);
            return c != 0 ? c : KeyOrder.Compare(a.ClinicId, b.ClinicId);
        });
        return rows;
    }
}
