using Analytics.Domain;
using MathNet.Numerics.Distributions;

namespace Analytics.Modelling;

/// <summary>
/// Observed versus expected improvement per clinic and per practitioner. Expected values are
/// out-of-fold predictions, so a unit's own courses never trained the model that judges them.
/// O − E gets a 95 % Student-t interval of the per-course differences (n − 1 df); the O/E ratio is
/// given only when the expected mean is positive. Units below the minimum volume keep their course
/// count and have their statistics left empty (Shown = false).
/// </summary>
public static class ObservedExpected
{
    public const string ClinicLevel = "clinic";
    public const string PractitionerLevel = "practitioner";

    public static IReadOnlyList<ObservedExpectedRow> Compute(
        string concern, string instrument, IReadOnlyList<CourseOutcome> courses, IReadOnlyList<double> expected, int minVolume)
    {
        var pairs = courses.Select((c, i) => (Course: c, Observed: c.ImprovementPct!.Value, Expected: expected[i])).ToList();
        var rows = new List<ObservedExpectedRow>();
        foreach (var g in pairs.GroupBy(p => p.Course.ClinicId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            rows.Add(Row(concern, instrument, ClinicLevel, g.Key, g.Key, [.. g], minVolume));
        foreach (var g in pairs.Where(p => p.Course.PractitionerId is not null)
                     .GroupBy(p => p.Course.PractitionerId!, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var clinics = g.Select(p => p.Course.ClinicId).Distinct(StringComparer.Ordinal).ToList();
            rows.Add(Row(concern, instrument, PractitionerLevel, g.Key, clinics.Count == 1 ? clinics[0] : null, [.. g], minVolume));
        }
        return rows;
    }

    private static ObservedExpectedRow Row(
        string concern, string instrument, string level, string id, string? clinicId,
        List<(CourseOutcome Course, double Observed, double Expected)> g, int minVolume)
    {
        var n = g.Count;
        if (n < minVolume || n < 2)
            return new ObservedExpectedRow(concern, instrument, level, id, clinicId, n, null, null, null, null, null, null, false);
        var o = g.Average(p => p.Observed);
        var e = g.Average(p => p.Expected);
        var d = g.Select(p => p.Observed - p.Expected).ToArray();
        var (low, high) = MeanInterval(d);
        return new ObservedExpectedRow(concern, instrument, level, id, clinicId, n, o, e, o - e, low, high, e > 0 ? o / e : null, true);
    }

    /// <summary>95 % Student-t interval of a mean (n ≥ 2).</summary>
    public static (double Low, double High) MeanInterval(IReadOnlyList<double> values)
    {
        var n = values.Count;
        var mean = values.Average();
        var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (n - 1));
        var half = StudentT.InvCDF(0, 1, n - 1, 0.975) * sd / Math.Sqrt(n);
        return (mean - half, mean + half);
    }
}
