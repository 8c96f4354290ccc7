using Xunit;

namespace Analytics.Statistics.Tests;

public class WilsonIntervalFacts
{
    // Reference/reference_values.py (run with /usr/bin/python3) prints every expected value in this class.
    // /usr/bin/python3: statsmodels.stats.proportion.proportion_confint(k, n, alpha=0.05, method='wilson')
    [Theory]
    [InlineData(7, 20, 0.18119182410108203, 0.5671457233147638)]
    [InlineData(45, 50, 0.7863976856252034, 0.9565242350681095)]
    [InlineData(0, 10, 0.0, 0.27753279986288926)]
    [InlineData(10, 10, 0.7224672001371106, 1.0)]
    [InlineData(1, 1, 0.2065493143772374, 1.0)]
    [InlineData(0, 1, 0.0, 0.7934506856227627)]
    public void Matches_statsmodels_wilson(int k, int n, double low, double high)
    {
        var result = WilsonInterval.Compute(k, n);

        Assert.Equal((double)k / n, result.Proportion);
        Assert.Equal(low, result.CiLow!.Value, 10);
        Assert.Equal(high, result.CiHigh!.Value, 10);
    }

    [Fact]
    public void No_responders_has_a_lower_bound_of_exactly_zero()
    {
        var result = WilsonInterval.Compute(0, 37);

        Assert.Equal(0.0, result.CiLow);
        Assert.True(result.CiHigh > 0);
    }

    [Fact]
    public void All_responders_has_an_upper_bound_of_exactly_one()
    {
        var result = WilsonInterval.Compute(37, 37);

        Assert.Equal(1.0, result.CiHigh);
        Assert.True(result.CiLow < 1);
    }

    [Fact]
    public void Bounds_stay_in_the_unit_interval()
    {
        for (var n = 1; n <= 60; n++)
        for (var k = 0; k <= n; k++)
        {
            var r = WilsonInterval.Compute(k, n);
            Assert.InRange(r.CiLow!.Value, 0, r.Proportion!.Value);
            Assert.InRange(r.CiHigh!.Value, r.Proportion!.Value, 1);
        }
    }

    [Fact]
    public void Zero_trials_have_no_statistics()
    {
        Assert.Equal(new ProportionEstimate(0, 0, null, null, null), WilsonInterval.Compute(0, 0));
    }

    [Fact]
    public void Rejects_impossible_counts()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WilsonInterval.Compute(3, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => WilsonInterval.Compute(-1, 2));
    }
}
