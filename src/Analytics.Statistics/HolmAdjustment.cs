namespace Analytics.Statistics;

/// <summary>
/// Holm's step-down adjustment (Holm 1979) for a family of p-values, controlling the
/// family-wise error rate.
/// </summary>
/// <remarks>
/// Sorted ascending, p₍ᵢ₎ becomes max over j ≤ i of min(1, (m − j + 1) p₍ⱼ₎): monotone in the
/// raw p-values, capped at 1, and equal for tied raw p-values. The result is in input order.
/// A null p-value (a suppressed or untestable comparison) is not part of the family: it stays
/// null and does not count in m.
/// </remarks>
public static class HolmAdjustment
{
    public static double?[] Adjust(IReadOnlyList<double?> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        var adjusted = new double?[pValues.Count];
        var present = new List<int>(pValues.Count);
        for (var i = 0; i < pValues.Count; i++)
        {
            if (pValues[i] is not { } p) continue;
            if (!(p >= 0 && p <= 1))
                throw new ArgumentOutOfRangeException(nameof(pValues), p, $"p-value at index {i} is not in [0, 1].");
            present.Add(i);
        }

        // Sort by p, ties by input position, so the result does not depend on the sort's stability.
        present.Sort((x, y) =>
        {
            var c = pValues[x]!.Value.CompareTo(pValues[y]!.Value);
            return c != 0 ? c : x.CompareTo(y);
        });

        var m = present.Count;
        var running = 0.0;
        for (var rank = 0; rank < m; rank++)
        {
            var index = present[rank];
            running = Math.Max(running, Math.Min(1, (m - rank) * pValues[index]!.Value));
            adjusted[index] = running;
        }
        return adjusted;
    }
}
