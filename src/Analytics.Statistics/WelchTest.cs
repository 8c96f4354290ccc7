using MathNet.Numerics.Distributions;

namespace Analytics.Statistics;

/// <summary>
/// Welch's two-sample t-test of mean(a) − mean(b). Means are given whenever the group is
/// non-empty; <see cref="Difference"/> when both are; the remaining statistics need n ≥ 2 in
/// each group and a non-zero pooled standard error (otherwise null).
/// </summary>
public readonly record struct WelchTestResult(
    int NA,
    int NB,
    double? MeanA,
    double? MeanB,
    double? Difference,
    double? StandardError,
    double? DegreesOfFreedom,
    double? TStatistic,
    double? CiLow,
    double? CiHigh,
    double? PValue);

/// <summary>
/// Welch's unequal-variance t-test with Welch–Satterthwaite degrees of freedom, a two-sided
/// p-value and the t-based interval for the difference a − b.
/// </summary>
/// <remarks>
/// When both groups have zero variance (all values identical within each group) the standard
/// error is 0, so t, df, the interval and p are undefined: they are returned as null while the
/// means and the difference are still reported. If only one group has zero variance the test is
/// well defined (df = n − 1 of the other group).
/// </remarks>
public static class WelchTest
{
    public static WelchTestResult Compute(ReadOnlySpan<double> a, ReadOnlySpan<double> b, double confidence = 0.95)
    {
        Guard.Confidence(confidence);
        Guard.Finite(a, nameof(a));
        Guard.Finite(b, nameof(b));
        var (meanA, sdA) = a.Length > 0 ? Descriptive.MeanAndSd(a) : (double.NaN, double.NaN);
        var (meanB, sdB) = b.Length > 0 ? Descriptive.MeanAndSd(b) : (double.NaN, double.NaN);
        return FromSummaries(a.Length, meanA, sdA, b.Length, meanB, sdB, confidence);
    }

    public static WelchTestResult Compute(IReadOnlyList<double> a, IReadOnlyList<double> b, double confidence = 0.95) =>
        Compute(Guard.AsSpan(a), Guard.AsSpan(b), confidence);

    /// <summary>The test from group sizes, means and sample SDs (SD ignored when n &lt; 2; mean ignored when n = 0).</summary>
    public static WelchTestResult FromSummaries(
        int nA, double meanA, double sdA, int nB, double meanB, double sdB, double confidence = 0.95)
    {
        Guard.Confidence(confidence);
        ArgumentOutOfRangeException.ThrowIfNegative(nA);
        ArgumentOutOfRangeException.ThrowIfNegative(nB);
        double? mA = nA > 0 ? meanA : null;
        double? mB = nB > 0 ? meanB : null;
        double? difference = mA - mB;
        var none = new WelchTestResult(nA, nB, mA, mB, difference, null, null, null, null, null, null);
        if (nA < 2 || nB < 2) return none;

        var vA = sdA * sdA / nA;
        var vB = sdB * sdB / nB;
        var se = Math.Sqrt(vA + vB);
        if (!(se > 0)) return none;

        var df = (vA + vB) * (vA + vB) / (vA * vA / (nA - 1) + vB * vB / (nB - 1));
        var diff = meanA - meanB;
        var t = diff / se;
        var halfWidth = MeanInterval.TQuantile(confidence, df) * se;
        // CDF at −|t| keeps precision in the far tail (1 − CDF(|t|) would round to 0).
        var p = Math.Min(1, 2 * StudentT.CDF(0, 1, df, -Math.Abs(t)));
        return new WelchTestResult(nA, nB, mA, mB, diff, se, df, t, diff - halfWidth, diff + halfWidth, p);
    }
}
