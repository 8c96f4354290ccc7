using Analytics.Domain;

namespace Analytics.Samples.Tests;

public sealed record CourseImprovement(
    string CourseId, string ClinicId, string Concern, string Protocol, string Practitioner, int Sessions, int? Fitzpatrick,
    double Baseline, double FollowUp, double ImprovementPct);

/// <summary>Improvement % per evaluable course, computed from the raw files by the contract's definitions.</summary>
public static class CourseImprovements
{
    public static List<CourseImprovement> For(GeneratedSet set, string instrumentCode)
    {
        var instrument = InstrumentCatalog.Get(instrumentCode);
        var courses = set.Sessions.Rows.GroupBy(r => r["course_id"]).ToDictionary(g => g.Key, g =>
        {
            var ordered = g.OrderBy(r => r["session_date"], StringComparer.Ordinal).ThenBy(r => r["session_id"], StringComparer.Ordinal).ToList();
            var practitioner = ordered.GroupBy(r => r["practitioner_id"]).OrderByDescending(p => p.Count()).First().Key;
            var fitz = ordered.Select(r => r["fitzpatrick_type"]).FirstOrDefault(f => f.Length > 0);
            return (First: ordered[0], Last: ordered[^1], Count: ordered.Count, Practitioner: practitioner,
                Fitz: fitz is null ? (int?)null : int.Parse(fitz),
                Protocol: Codes.Protocol(ordered.SelectMany(r => r["combination"].Split(';', StringSplitOptions.RemoveEmptyEntries))));
        });

        var result = new List<CourseImprovement>();
        foreach (var g in set.Assessments.Rows.Where(r => r["instrument"] == instrumentCode).GroupBy(r => r["course_id"]))
        {
            if (!courses.TryGetValue(g.Key, out var c)) continue;
            var firstDate = c.First["session_date"];
            var lastDate = c.Last["session_date"];
            var baseline = g.Where(r => r["timepoint"] == Codes.Baseline && string.CompareOrdinal(r["assessed_on"], firstDate) <= 0)
                .OrderBy(r => r["assessed_on"], StringComparer.Ordinal).ThenBy(r => r["assessment_id"], StringComparer.Ordinal).LastOrDefault();
            var followUp = g.Where(r => r["timepoint"] == Codes.FollowUp && string.CompareOrdinal(r["assessed_on"], lastDate) > 0)
                .OrderBy(r => r["assessed_on"], StringComparer.Ordinal).ThenBy(r => r["assessment_id"], StringComparer.Ordinal).LastOrDefault();
            if (baseline is null || followUp is null) continue;
            var b = double.Parse(baseline["score"], System.Globalization.CultureInfo.InvariantCulture);
            var f = double.Parse(followUp["score"], System.Globalization.CultureInfo.InvariantCulture);
            if (b == 0) continue;
            result.Add(new CourseImprovement(g.Key, c.First["clinic_id"], c.First["concern"], c.Protocol, c.Practitioner, c.Count, c.Fitz,
                b, f, instrument.ImprovementPercent(b, f)));
        }
        return result;
    }
}
