using Analytics.Domain;
using Analytics.Statistics;

namespace Analytics.Outcomes;

/// <summary>
/// protocol_comparison.csv: within each concern and severity instrument, each protocol against micro-needling
/// alone, on evaluable courses (of every month, or of the chosen follow-up month range).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>One row per protocol other than the reference that has at least one evaluable course; n and
/// n_reference are evaluable courses.</item>
/// <item>Suppression: a protocol with fewer than MinCellSize evaluable courses or fewer than MinCellSize distinct
/// patients (the general small-cell rule) is suppressed: every statistic empty, left out of the Welch tests, the
/// Holm family and the adjusted model. When the reference is below either bound, every protocol of that concern
/// and instrument is suppressed.</item>
/// <item>Welch's t-test of improvement % (protocol − reference): difference, 95 % interval, two-sided p; Holm
/// across the non-suppressed protocols of the concern and instrument whose p exists.</item>
/// <item>Adjusted difference: OLS of improvement % with intercept, baseline score, Fitzpatrick type as categories
/// (reference: lowest type present), age, sessions, then the protocol indicators (reference micro-needling), on
/// the reference's and the non-suppressed protocols' courses that have age and Fitzpatrick type. Protocol
/// indicators come last, so when a protocol is confounded with the covariates (its column is a linear
/// combination of earlier ones) its indicator is the aliased one and its adjusted columns stay empty — the
/// data cannot separate it from case mix. A protocol with no complete-case course also gets empty adjusted
/// columns; so do all protocols when the model has no residual degrees of freedom.</item>
/// </list>
/// </remarks>
public static class ProtocolComparisonBuilder
{
    public static IReadOnlyList<ProtocolComparisonRow> Build(
        IEnumerable<CourseOutcome> outcomes, int minCellSize, int? fromMonth = null, int? toMonth = null)
    {
        var families = outcomes
            .Where(o => o.Kind == InstrumentKind.Severity && o.Evaluable && o.ImprovementPct is not null && o.Month is { } m
                        && (fromMonth is not { } f || m >= f) && (toMonth is not { } t || m <= t))
            .GroupBy(o => (o.Concern, o.Instrument));

        var rows = new List<ProtocolComparisonRow>();
        foreach (var family in families)
        {
            rows.AddRange(Family(family.Key.Concern, family.Key.Instrument, [.. family], minCellSize));
        }
        rows.Sort(static (a, b) =>
        {
            var c = KeyOrder.Compare(a.Concern, b.Concern);
            if (c == 0) c = KeyOrder.Compare(a.Instrument, b.Instrument);
            if (c == 0) c = KeyOrder.Compare(a.Protocol, b.Protocol);
            return c;
        });
        return rows;
    }

    internal static IEnumerable<ProtocolComparisonRow> Family(string concern, string instrument, IReadOnlyList<CourseOutcome> courses, int minCellSize)
    {
        const string reference = Codes.MicroneedlingAlone;
        var byProtocol = courses.GroupBy(c => c.Protocol, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        var referenceCourses = byProtocol.GetValueOrDefault(reference) ?? [];
        var referenceOk = Large(referenceCourses, minCellSize);
        var referenceValues = referenceCourses.Select(c => c.ImprovementPct!.Value).ToArray();

        var protocols = byProtocol.Keys.Where(p => p != reference).Order(StringComparer.Ordinal).ToArray();
        if (protocols.Length == 0) return [];

        var tested = protocols.Where(p => referenceOk && Large(byProtocol[p], minCellSize)).ToArray();
        var welch = tested.ToDictionary(p => p, p => WelchTest.Compute(byProtocol[p].Select(c => c.ImprovementPct!.Value).ToArray(), referenceValues), StringComparer.Ordinal);
        var holm = HolmAdjustment.Adjust([.. tested.Select(p => welch[p].PValue)]);
        var pHolm = tested.Select((p, i) => (p, holm[i])).ToDictionary(x => x.p, x => x.Item2, StringComparer.Ordinal);
        var adjusted = tested.Length > 0 ? AdjustedModel(referenceCourses, tested.SelectMany(p => byProtocol[p])) : null;

        var rows = new List<ProtocolComparisonRow>(protocols.Length);
        foreach (var p in protocols)
        {
            var n = byProtocol[p].Length;
            if (!welch.TryGetValue(p, out var w))
            {
                rows.Add(new ProtocolComparisonRow(concern, instrument, p, reference, n, referenceCourses.Length,
                    null, null, null, null, null, null, null, null, null, null, null, null, Suppressed: true));
                continue;
            }
            OlsCoefficient? coefficient = null;
            if (adjusted is not null && adjusted.TryGetCoefficient(DesignMatrixBuilder.IndicatorName(ProtocolVariable, p), out var c)
                && !c.Aliased)
            {
                coefficient = c;
            }
            rows.Add(new ProtocolComparisonRow(concern, instrument, p, reference, n, referenceCourses.Length,
                w.MeanA, w.MeanB, w.Difference, w.CiLow, w.CiHigh, w.PValue, pHolm[p],
                coefficient?.StandardError is null ? null : coefficient.Estimate,
                coefficient?.StandardError, coefficient?.CiLow, coefficient?.CiHigh, coefficient?.PValue, Suppressed: false));
        }
        return rows;
    }

    internal const string ProtocolVariable = "protocol";

    private static bool Large(IReadOnlyCollection<CourseOutcome> courses, int minCellSize)
    {
        if (courses.Count < minCellSize) return false;
        // Stops at the bound: a protocol with tens of thousands of courses needs only its first few patients.
        var patients = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in courses)
        {
            if (patients.Add(c.PatientId) && patients.Count >= minCellSize) return true;
        }
        return false;
    }

    /// <summary>The adjusted model on complete cases, or null when it cannot be fitted (no reference or no other protocol among them).</summary>
    internal static OlsFit? AdjustedModel(IEnumerable<CourseOutcome> referenceCourses, IEnumerable<CourseOutcome> otherCourses)
    {
        var data = referenceCourses.Concat(otherCourses)
            .Where(c => c.Baseline is not null && c.FitzpatrickType is not null && c.Age is not null)
            .ToArray();
        if (!data.Any(c => c.Protocol == Codes.MicroneedlingAlone) || data.All(c => c.Protocol == Codes.MicroneedlingAlone)) return null;
        var design = new DesignMatrixBuilder(data.Length)
            .AddNumeric("baseline", [.. data.Select(c => c.Baseline!.Value)])
            .AddCategorical("fitzpatrick", [.. data.Select(c => c.FitzpatrickType!.Value)])
            .AddNumeric("age", [.. data.Select(c => (double)c.Age!.Value)])
            .AddNumeric("sessions", [.. data.Select(c => (double)c.Sessions)])
            .AddCategorical(ProtocolVariable, [.. data.Select(c => c.Protocol)], Codes.MicroneedlingAlone)
            .Build();
        return OrdinaryLeastSquares.Fit(design, [.. data.Select(c => c.ImprovementPct!.Value)]);
    }
}
