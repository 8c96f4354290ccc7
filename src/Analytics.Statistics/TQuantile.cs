using System.Collections.Concurrent;
using MathNet.Numerics.Distributions;

namespace Analytics.Statistics;

/// <summary>Two-sided Student-t critical values t(1 − α/2, df), cached for whole-number df.</summary>
internal static class TQuantile
{
    // Intervals run per cell (~100k cells) with few distinct n, and MathNet's InvCDF is a root search (~10 µs).
    private static readonly ConcurrentDictionary<(double Confidence, int Df), double> Cache = new();

    public static double TwoSided(double confidence, double degreesOfFreedom)
    {
        if (degreesOfFreedom == Math.Floor(degreesOfFreedom) && degreesOfFreedom <= int.MaxValue)
            return Cache.GetOrAdd((confidence, (int)degreesOfFreedom), static key => Solve(key.Confidence, key.Df));
        return Solve(confidence, degreesOfFreedom);
    }

    private static double Solve(double confidence, double df)
    {
        var tail = (1 - confidence) / 2;
        var q = StudentT.InvCDF(0, 1, df, 1 - tail);
        // MathNet's Brent search stops ~1e-11 (relative) short; Newton steps on the accurate lower-tail CDF
        // (CDF(−q) = tail, derivative −pdf(q)) bring it to rounding level.
        for (var i = 0; i < 2; i++)
        {
            var density = StudentT.PDF(0, 1, df, q);
            if (!(density > 0)) break;
            q += (StudentT.CDF(0, 1, df, -q) - tail) / density;
        }
        return q;
    }
}
