using Xunit;

namespace Analytics.Statistics.Tests;

public class MeanIntervalFacts
{
    // Reference/reference_values.py (run with /usr/bin/python3) prints every expected value in this class.
    private static readonly double[] Improvements = [12.5, 30.0, 18.25, 41.0, 22.0, 27.5, 35.75];

    [Fact]
    public void Matches_scipy_t_interval_with_n_minus_1_df()
    {
        // /usr/bin/python3: mean and a.std(ddof=1) from numpy; bounds = mean ∓ t × sd/√n with the t quantile solved
        // with mpmath (40 digits) from the regularized incomplete beta. Debian's scipy 1.10.1 t.ppf is off by ~1e-9
        // relative (t.ppf(0.975, 6) = 2.4469118487916806, exact 2.4469118511449692), so its t.interval is not used.
        var result = MeanInterval.Compute(Improvements);

        Assert.Equal(7, result.N);
        Assert.Equal(26.714285714285715, result.Mean!.Value, 12);
        Assert.Equal(9.941944573611437, result.StandardDeviation!.Value, 12);
        Assert.Equal(17.51952054536756, result.CiLow!.Value, 11);
        Assert.Equal(35.90905088320387, result.CiHigh!.Value, 11);
        Assert.Equal(9.941944573611437 / Math.Sqrt(7), result.StandardError!.Value, 12);
    }

    [Fact]
    public void Honours_the_confidence_level()
    {
        // mean ∓ t(0.95, 6) × sd/√n, t quantile from mpmath as above.
        var result = MeanInterval.Compute(Improvements, confidence: 0.90);

        Assert.Equal(19.41239359592016, result.CiLow!.Value, 11);
        Assert.Equal(34.016177832651266, result.CiHigh!.Value, 11);
    }

    [Fact]
    public void Two_values_use_one_degree_of_freedom()
    {
        // sem([3, 5]) = 1, t(0.975, 1) = tan(0.475π) = 12.706204736174694 (mpmath), so 4 ∓ 12.706204736174694.
        var result = MeanInterval.Compute([3.0, 5.0]);

        Assert.Equal(4.0, result.Mean);
        Assert.Equal(-8.706204736174694, result.CiLow!.Value, 11);
        Assert.Equal(16.706204736174694, result.CiHigh!.Value, 11);
    }

    [Fact]
    public void One_value_has_a_mean_but_no_sd_or_interval()
    {
        var result = MeanInterval.Compute([42.0]);

        Assert.Equal(new MeanEstimate(1, 42.0, null, null, null), result);
        Assert.Null(result.StandardError);
    }

    [Fact]
    public void No_values_have_no_mean()
    {
        Assert.Equal(new MeanEstimate(0, null, null, null, null), MeanInterval.Compute(ReadOnlySpan<double>.Empty));
    }

    [Fact]
    public void Identical_values_give_a_zero_width_interval()
    {
        var result = MeanInterval.Compute([7.5, 7.5, 7.5, 7.5]);

        Assert.Equal(0.0, result.StandardDeviation);
        Assert.Equal(7.5, result.CiLow);
        Assert.Equal(7.5, result.CiHigh);
    }

    [Fact]
    public void Sd_stays_accurate_for_large_close_values()
    {
        // Var of {1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16} = var of {4, 7, 13, 16} = 30 (hand computed).
        var result = MeanInterval.Compute([1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16]);

        Assert.Equal(Math.Sqrt(30), result.StandardDeviation!.Value, 9);
    }

    [Fact]
    public void List_and_span_inputs_agree()
    {
        IReadOnlyList<double> list = Improvements.ToList();
        IReadOnlyList<double> readOnly = Improvements.AsReadOnly();

        Assert.Equal(MeanInterval.Compute(Improvements), MeanInterval.Compute(list));
        Assert.Equal(MeanInterval.Compute(Improvements), MeanInterval.Compute(readOnly));
    }

    [Fact]
    public void Rejects_missing_values_and_bad_confidence()
    {
        Assert.Throws<ArgumentException>(() => MeanInterval.Compute([1.0, double.NaN]));
        Assert.Throws<ArgumentOutOfRangeException>(() => MeanInterval.Compute([1.0, 2.0], confidence: 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => MeanInterval.Compute([1.0, 2.0], confidence: 95));
    }

    [Fact]
    public void From_summary_matches_the_values()
    {
        var fromValues = MeanInterval.Compute(Improvements);
        var fromSummary = MeanInterval.FromSummary(7, fromValues.Mean!.Value, fromValues.StandardDeviation);

        Assert.Equal(fromValues, fromSummary);
    }

    // t(0.975, n − 1) solved with mpmath (40 digits) from the regularized incomplete beta function.
    [Theory]
    [InlineData(2, 12.706204736174694)]
    [InlineData(3, 4.302652729749462)]
    [InlineData(5, 2.7764451051977934)]
    [InlineData(30, 2.045229642132704)]
    [InlineData(200, 1.9719565442517535)]
    [InlineData(10000, 1.9602012636213573)]
    public void Critical_values_match_mpmath(int n, double t)
    {
        // With mean 0 and SD = √n the upper bound is the critical value itself.
        var result = MeanInterval.FromSummary(n, 0, Math.Sqrt(n));

        // MathNet's incomplete beta limits very large df to ~1e-12 relative; smaller df agree to ~1e-13.
        Assert.Equal(t, result.CiHigh!.Value, t * (n > 1000 ? 1e-11 : 1e-13));
    }

    [Fact]
    public void Other_confidence_levels_use_their_own_critical_value()
    {
        // t(0.995, 9) = 3.249835541592126 and t(0.975, 9) = 2.262157162798205 (mpmath); cached separately.
        Assert.Equal(3.249835541592126, MeanInterval.FromSummary(10, 0, Math.Sqrt(10), 0.99).CiHigh!.Value, 1e-12);
        Assert.Equal(2.262157162798205, MeanInterval.FromSummary(10, 0, Math.Sqrt(10)).CiHigh!.Value, 1e-12);
    }
}
