using MathNet.Numerics.Distributions;

namespace Analytics.Statistics;

/// <summary>A sample mean with its Student-t confidence interval.</summary>
/// <param name="N">Number of values.</param>
/// <param name="Mean">Null when N = 0.</param>
/// <param name="StandardDeviation">Sample SD (n − 1 denominator); null when N &lt; 2.</param>
/// <param name="CiLow">Lower bound; null when N &lt; 2.</param>
/// <param name="CiHigh">Upper bound; null when N &lt; 2.</param>
public readonly record struct MeanEstimate(int N, double? Mean, double? StandardDeviation, double? CiLow, double? CiHigh)
{
    /// <summary>SD / √N; null when N &lt; 2.</summary>
    public double? StandardError => StandardDeviation is { } sd ? sd / Math.Sqrt(N) : null;
}

/// <summary>
/// Mean ± t(1 − α/2, n − 1) × SD/√n, the contract's interval for means. Needs n ≥ 2; with
/// identical values (SD = 0) the interval collapses to [mean, mean].
/// </summary>
public static class MeanInterval
{
    public static MeanEstimate Compute(ReadOnlySpan<double> values, double confidence = 0.95)
    {
        Guard.Confidence(confidence);
        Guard.Finite(values, nameof(values));
        var n = values.Length;
        if (n == 0) return new MeanEstimate(0, null, null, null, null);
        var (mean, sd) = Descriptive.MeanAndSd(values);
        return FromSummary(n, mean, n >= 2 ? sd : null, confidence);
    }

    public static MeanEstimate Compute(IReadOnlyList<double> values, double confidence = 0.95) =>
        Compute(Guard.AsSpan(values), confidence);

    /// <summary>The interval from already-known n, mean and SD (e.g. from a streaming accumulator).</summary>
    public static MeanEstimate FromSummary(int n, double mean, double? standardDeviation, double confidence = 0.95)
    {
        Guard.Confidence(confidence);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (n == 0) return new MeanEstimate(0, null, null, null, null);
        if (n < 2 || standardDeviation is not { } sd) return new MeanEstimate(n, mean, null, null, null);
        ArgumentOutOfRangeException.ThrowIfNegative(sd, nameof(standardDeviation));
        var halfWidth = TQuantile(confidence, n - 1) * sd / Math.Sqrt(n);
        return new MeanEstimate(n, mean, sd, mean - halfWidth, mean + halfWidth);
    }

    /// <summary>The two-sided critical value t(1 − α/2, df).</summary>
    internal static double TQuantile(double confidence, double degreesOfFreedom) =>
        StudentT.InvCDF(0, 1, degreesOfFreedom, 1 - (1 - confidence) / 2);
}
