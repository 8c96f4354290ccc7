using Analytics.Domain;

namespace Analytics.Reports.Workbooks;

/// <summary>
/// The headline numbers of one clinic (or <c>ALL</c>) and month, derived from its export rows.
/// Counts come straight from activity; rates pool the counts of the concern-total rows
/// (<c>protocol = ALL</c>) and are "not enough data" when every contributing row is suppressed.
/// </summary>
public sealed record MonthKpis(
    int Month,
    int Sessions,
    int Patients,
    int NewPatients,
    int ReturningPatients,
    int CoursesStarted,
    int CoursesFinished,
    int Evaluable,
    int Responders,
    double? ResponderRate,
    double? ResponderCiLow,
    double? ResponderCiHigh,
    double? MeanImprovementPct,
    int NpsResponses,
    int Promoters,
    int Detractors,
    double? Nps,
    int SafetySessions,
    int AdverseEventSessions,
    double? AdverseEventRate,
    double? AdverseEventCiLow,
    double? AdverseEventCiHigh,
    IReadOnlyDictionary<string, decimal> Revenue)
{
    public static MonthKpis Of(ReportIndex index, int month, string clinic)
    {
        var activity = index.Activity(month, clinic);
        var totals = index.Outcomes(month, clinic).Where(r => r.Protocol == Codes.All).ToList();

        // A course has one row per instrument: count it once per concern, on its most used instrument.
        var finished = totals.GroupBy(r => r.Concern, StringComparer.Ordinal).Sum(g => g.Max(r => r.Courses));
        var evaluable = totals.Sum(r => r.EvaluableCourses);
        var responders = totals.Sum(r => r.Responders);
        var responderShown = totals.Count > 0 && totals.Any(r => !r.Suppressed) && evaluable > 0;
        var (rLow, rHigh) = responderShown ? Significance.Wilson(responders, evaluable) : (double.NaN, double.NaN);
        double? rate = responderShown ? (double)responders / evaluable : null;
        if (totals.Count == 1 && !totals[0].Suppressed)
        {
            // One concern and instrument: show that export row's own values, not a recomputation.
            (rate, rLow, rHigh) = (totals[0].ResponderRate, totals[0].ResponderCiLow ?? double.NaN, totals[0].ResponderCiHigh ?? double.NaN);
        }

        var shownMeans = totals.Where(r => !r.Suppressed && r.MeanImprovementPct is not null && r.EvaluableCourses > 0).ToList();
        double? meanImprovement = shownMeans.Count == 0 ? null
            : shownMeans.Sum(r => r.MeanImprovementPct!.Value * r.EvaluableCourses) / shownMeans.Sum(r => r.EvaluableCourses);

        var nps = index.Satisfaction(month, clinic).FirstOrDefault(r => r.Instrument == "nps");

        var safety = index.Safety(month, clinic);
        var safetyTotal = safety.FirstOrDefault(r => r.Concern == Codes.All);
        var safetyRows = safetyTotal is null ? safety : [safetyTotal];
        var safetySessions = safetyRows.Sum(r => r.Sessions);
        var aeSessions = safetyRows.Sum(r => r.SessionsWithAdverseEvent);
        var aeShown = safetyRows.Any(r => !r.Suppressed) && safetySessions > 0;
        double? aeRate = null, aeLow = null, aeHigh = null;
        if (safetyTotal is not null)
        {
            (aeRate, aeLow, aeHigh) = (safetyTotal.AdverseEventRate, safetyTotal.CiLow, safetyTotal.CiHigh);
        }
        else if (aeShown)
        {
            var (lo, hi) = Significance.Wilson(aeSessions, safetySessions);
            (aeRate, aeLow, aeHigh) = ((double)aeSessions / safetySessions, lo, hi);
        }

        var revenue = index.Revenue(month, clinic)
            .GroupBy(r => r.Currency, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(r => r.Revenue), StringComparer.Ordinal);

        return new MonthKpis(
            month,
            activity?.Sessions ?? 0,
            activity?.Patients ?? 0,
            activity?.NewPatients ?? 0,
            activity?.ReturningPatients ?? 0,
            activity?.CoursesStarted ?? 0,
            finished,
            evaluable,
            responders,
            rate,
            responderShown && double.IsFinite(rLow) ? rLow : null,
            responderShown && double.IsFinite(rHigh) ? rHigh : null,
            meanImprovement,
            nps?.Responses ?? 0,
            nps?.Promoters ?? 0,
            nps?.Detractors ?? 0,
            nps is { Suppressed: false } ? nps.Nps : null,
            safetySessions,
            aeSessions,
            aeRate,
            aeLow,
            aeHigh,
            revenue);
    }
}
