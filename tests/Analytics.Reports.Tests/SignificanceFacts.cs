using Analytics.Reports.Workbooks;

namespace Analytics.Reports.Tests;

public sealed class SignificanceFacts
{
    // Expected values from statsmodels 0.13.5 (Debian python3-statsmodels, /usr/bin/python3):
    //   proportion_confint(29, 78, method='wilson') -> (0.27293561722602966, 0.48268946218735365)
    //   proportion_confint(0, 10, method='wilson')  -> (0.0, 0.27753279986288926)
    //   proportions_ztest([29, 50], [78, 80])       -> (-3.182484112796972, 0.0014601752638453143)
    [Theory]
    [InlineData(29, 78, 0.27293561722602966, 0.48268946218735365)]
    [InlineData(0, 10, 0.0, 0.27753279986288926)]
    [InlineData(10, 10, 0.7224672001371106, 1.0)]
    public void Wilson_interval_matches_statsmodels(int successes, int n, double low, double high)
    {
        var (l, h) = Significance.Wilson(successes, n);
        Assert.Equal(low, l, 12);
        Assert.Equal(high, h, 12);
    }

    [Fact]
    public void Two_proportion_z_test_matches_statsmodels()
    {
        var test = Significance.TwoProportions(29, 78, 50, 80)!;
        Assert.Equal(-3.182484112796972, test.Z, 12);
        Assert.Equal(0.0014601752638453143, test.PValue, 6);
        Assert.True(test.Significant);
    }

    // scipy.stats.norm.sf: 2*sf(1.2345) = 0.21701664672534038, 2*sf(2.5) = 0.012419330651552265.
    [Theory]
    [InlineData(1.2345, 0.21701664672534038)]
    [InlineData(-2.5, 0.012419330651552265)]
    public void Two_sided_normal_p_value_matches_scipy(double z, double p) => Assert.Equal(p, Significance.TwoSidedP(z), 6);

    [Fact]
    public void Intervals_apart_only_when_they_do_not_overlap()
    {
        Assert.True(Significance.IntervalsApart(1, 2, 2.5, 3));
        Assert.False(Significance.IntervalsApart(1, 2, 1.5, 3));
        Assert.False(Significance.IntervalsApart(null, 2, 2.5, 3));
    }
}
