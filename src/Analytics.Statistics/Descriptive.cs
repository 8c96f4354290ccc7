using System.Buffers;

namespace Analytics.Statistics;

/// <summary>Count, mean, sample standard deviation (n − 1 denominator), minimum and maximum.</summary>
/// <remarks>Mean and extremes are null when N = 0; the standard deviation is null when N &lt; 2.</remarks>
public readonly record struct DescriptiveSummary(int N, double? Mean, double? StandardDeviation, double? Min, double? Max);

/// <summary>Small descriptive statistics over finite values, without allocating.</summary>
public static class Descriptive
{
    public static DescriptiveSummary Summarize(ReadOnlySpan<double> values)
    {
        Guard.Finite(values, nameof(values));
        var n = values.Length;
        if (n == 0) return new DescriptiveSummary(0, null, null, null, null);

        var (mean, sd) = MeanAndSd(values);
        double min = values[0], max = values[0];
        foreach (var v in values)
        {
            if (v < min) min = v;
            if (v > max) max = v;
        }
        return new DescriptiveSummary(n, mean, n >= 2 ? sd : null, min, max);
    }

    public static DescriptiveSummary Summarize(IReadOnlyList<double> values) => Summarize(Guard.AsSpan(values));

    /// <summary>Median (mean of the two middle values for an even count); null when empty.</summary>
    public static double? Median(ReadOnlySpan<double> values)
    {
        Guard.Finite(values, nameof(values));
        var n = values.Length;
        if (n == 0) return null;
        var rented = ArrayPool<double>.Shared.Rent(n);
        try
        {
            var copy = rented.AsSpan(0, n);
            values.CopyTo(copy);
            copy.Sort();
            return n % 2 == 1 ? copy[n / 2] : (copy[n / 2 - 1] + copy[n / 2]) / 2;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    public static double? Median(IReadOnlyList<double> values) => Median(Guard.AsSpan(values));

    /// <summary>Two-pass mean and sample SD (the second pass keeps the variance accurate for large, close values).</summary>
    internal static (double Mean, double Sd) MeanAndSd(ReadOnlySpan<double> values)
    {
        var n = values.Length;
        var sum = 0.0;
        foreach (var v in values) sum += v;
        var mean = sum / n;
        if (n < 2) return (mean, double.NaN);
        double ss = 0, correction = 0;
        foreach (var v in values)
        {
            var d = v - mean;
            ss += d * d;
            correction += d;
        }
        // Corrected two-pass algorithm (Chan, Golub & LeVeque): removes the rounding left in the mean.
        var variance = (ss - correction * correction / n) / (n - 1);
        return (mean, Math.Sqrt(Math.Max(variance, 0)));
    }
}
