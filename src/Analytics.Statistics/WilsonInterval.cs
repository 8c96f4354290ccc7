using MathNet.Numerics.Distributions;

namespace Analytics.Statistics;

/// <summary>A proportion k/n with its Wilson score interval; every statistic is null when n = 0.</summary>
public readonly record struct ProportionEstimate(int Successes, int Trials, double? Proportion, double? CiLow, double? CiHigh);

/// <summary>
/// Wilson score interval (Wilson 1927), the contract's interval for proportions. Unlike the Wald
/// interval it stays inside [0, 1] and is not degenerate at k = 0 or k = n: the lower bound is
/// exactly 0 when k = 0 and the upper bound exactly 1 when k = n.
/// </summary>
public static class WilsonInterval
{
    public static ProportionEstimate Compute(int successes, int trials, double confidence = 0.95)
    {
        Guard.Confidence(confidence);
        ArgumentOutOfRangeException.ThrowIfNegative(trials);
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(successes, trials);
        if (trials == 0) return new ProportionEstimate(successes, 0, null, null, null);

        double n = trials;
        var p = successes / n;
        var z = Normal.InvCDF(0, 1, 1 - (1 - confidence) / 2);
        var z2 = z * z;
        var denominator = 1 + z2 / n;
        var centre = (p + z2 / (2 * n)) / denominator;
        var halfWidth = z / denominator * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        // At k = 0 and k = n the bound is exactly 0 or 1 in exact arithmetic; pin it against rounding.
        var low = successes == 0 ? 0 : Math.Clamp(centre - halfWidth, 0, 1);
        var high = successes == trials ? 1 : Math.Clamp(centre + halfWidth, 0, 1);
        return new ProportionEstimate(successes, trials, p, low, high);
    }
}
