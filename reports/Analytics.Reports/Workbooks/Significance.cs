namespace Analytics.Reports.Workbooks;

/// <summary>
/// The tests behind the Summary sheet's "moved significantly" lines. Rates (responders,
/// adverse events) use the pooled two-proportion z-test; NPS uses a z-test with the NPS
/// variance from the promoter and detractor shares; means use non-overlap of their 95 %
/// intervals (conservative: overlap does not prove "no change").
/// </summary>
public static class Significance
{
    /// <summary>z of the standard normal's 97.5th percentile.</summary>
    public const double Z975 = 1.959963984540054;

    public sealed record Test(double Z, double PValue)
    {
        public bool Significant => PValue < 0.05;
    }

    public static (double Low, double High) Wilson(int successes, int n)
    {
        if (n <= 0)
        {
            return (double.NaN, double.NaN);
        }
        var p = (double)successes / n;
        var z2 = Z975 * Z975;
        var denominator = 1 + z2 / n;
        var centre = (p + z2 / (2 * n)) / denominator;
        var half = Z975 * Math.Sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denominator;
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>Pooled two-proportion z-test of x1/n1 against x2/n2; null when undefined.</summary>
    public static Test? TwoProportions(int x1, int n1, int x2, int n2)
    {
        if (n1 <= 0 || n2 <= 0)
        {
            return null;
        }
        var pooled = (double)(x1 + x2) / (n1 + n2);
        var se = Math.Sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
        if (se == 0)
        {
            return null;
        }
        var z = ((double)x1 / n1 - (double)x2 / n2) / se;
        return new Test(z, TwoSidedP(z));
    }

    /// <summary>z-test of two NPS values from their promoter and detractor counts.</summary>
    public static Test? Nps(int promoters1, int detractors1, int n1, int promoters2, int detractors2, int n2)
    {
        if (n1 <= 0 || n2 <= 0)
        {
            return null;
        }
        static (double Nps, double Variance) Of(int p, int d, int n)
        {
            var pp = (double)p / n;
            var pd = (double)d / n;
            return (100 * (pp - pd), 100.0 * 100.0 * (pp + pd - (pp - pd) * (pp - pd)) / n);
        }
        var (a, va) = Of(promoters1, detractors1, n1);
        var (b, vb) = Of(promoters2, detractors2, n2);
        if (va + vb <= 0)
        {
            return null;
        }
        var z = (a - b) / Math.Sqrt(va + vb);
        return new Test(z, TwoSidedP(z));
    }

    public static bool IntervalsApart(double? low1, double? high1, double? low2, double? high2) =>
        low1 is { } l1 && high1 is { } h1 && low2 is { } l2 && high2 is { } h2 && (h1 < l2 || h2 < l1);

    public static double TwoSidedP(double z) => Math.Min(1, Erfc(Math.Abs(z) / Math.Sqrt(2)));

    /// <summary>Complementary error function (Numerical Recipes' erfcc, relative error &lt; 1.2e-7).</summary>
    public static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1 / (1 + 0.5 * z);
        var r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
            + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
