using Xunit;

namespace Analytics.Statistics.Tests;

public class WelchTestFacts
{
    // Reference/reference_values.py (run with /usr/bin/python3) prints every expected value in this class.
    private static readonly double[] Protocol = [34.0, 41.5, 28.0, 52.0, 45.5, 39.0, 47.25, 30.5];
    private static readonly double[] Reference = [25.0, 31.0, 22.5, 36.0, 28.0, 19.5];

    [Fact]
    public void Matches_scipy_ttest_ind_unequal_variances()
    {
        // /usr/bin/python3: scipy.stats.ttest_ind(Protocol, Reference, equal_var=False) for t and p;
        // df by Welch–Satterthwaite and the interval as d ∓ t(0.975, df) × se, in mpmath (40 digits) because
        // Debian's scipy 1.10.1 t.ppf is off by ~1e-9 relative.
        var result = WelchTest.Compute(Protocol, Reference);

        Assert.Equal(8, result.NA);
        Assert.Equal(6, result.NB);
        Assert.Equal(12.71875, result.Difference!.Value, 12);
        Assert.Equal(3.856533620040152, result.StandardError!.Value, 12);
        Assert.Equal(11.986396080936295, result.DegreesOfFreedom!.Value, 10);
        Assert.Equal(3.297974619982071, result.TStatistic!.Value, 10);
        Assert.Equal(0.006373568204050797, result.PValue!.Value, 10);
        Assert.Equal(4.315027254329946, result.CiLow!.Value, 10);
        Assert.Equal(21.122472745670056, result.CiHigh!.Value, 10);
    }

    [Fact]
    public void Difference_is_a_minus_b()
    {
        var forward = WelchTest.Compute(Protocol, Reference);
        var backward = WelchTest.Compute(Reference, Protocol);

        Assert.Equal(-forward.Difference!.Value, backward.Difference!.Value, 12);
        Assert.Equal(-forward.CiHigh!.Value, backward.CiLow!.Value, 10);
        Assert.Equal(forward.PValue!.Value, backward.PValue!.Value, 14);
    }

    [Fact]
    public void Two_values_per_group_is_enough()
    {
        // scipy.stats.ttest_ind([1, 3], [2, 7], equal_var=False)
        var result = WelchTest.Compute([1.0, 3.0], [2.0, 7.0]);

        Assert.Equal(-0.9284766908852594, result.TStatistic!.Value, 10);
        Assert.Equal(0.4918852684498144, result.PValue!.Value, 10);
    }

    [Fact]
    public void One_group_with_zero_variance_is_still_tested()
    {
        // scipy.stats.ttest_ind([10, 10, 10], [4, 7, 9, 12], equal_var=False); df = n_b − 1 = 3.
        var result = WelchTest.Compute([10.0, 10.0, 10.0], [4.0, 7.0, 9.0, 12.0]);

        Assert.Equal(3.0, result.DegreesOfFreedom!.Value, 10);
        Assert.Equal(1.1881770515720091, result.TStatistic!.Value, 10);
        Assert.Equal(0.3202553698063422, result.PValue!.Value, 10);
    }

    [Fact]
    public void Both_groups_with_zero_variance_report_the_difference_but_no_test()
    {
        var result = WelchTest.Compute([5.0, 5.0, 5.0], [2.0, 2.0]);

        Assert.Equal(new WelchTestResult(3, 2, 5.0, 2.0, 3.0, null, null, null, null, null, null), result);
    }

    [Fact]
    public void A_group_of_one_has_a_mean_but_no_test()
    {
        var result = WelchTest.Compute([5.0], [2.0, 4.0, 6.0]);

        Assert.Equal(new WelchTestResult(1, 3, 5.0, 4.0, 1.0, null, null, null, null, null, null), result);
    }

    [Fact]
    public void An_empty_group_has_no_mean_and_no_difference()
    {
        var result = WelchTest.Compute(ReadOnlySpan<double>.Empty, [2.0, 4.0]);

        Assert.Equal(new WelchTestResult(0, 2, null, 3.0, null, null, null, null, null, null, null), result);
    }

    [Fact]
    public void Far_tail_p_value_keeps_its_precision()
    {
        // scipy.stats.ttest_ind(A3, B3, equal_var=False) with A3 = 100 + 0.1 i, B3 = 0.1 i, i = 0..29:
        // t = 439.94134506405976, p = 6.873187101562717e-104 (1 − CDF would round to 0).
        var a = Enumerable.Range(0, 30).Select(i => 100 + i * 0.1).ToArray();
        var b = Enumerable.Range(0, 30).Select(i => i * 0.1).ToArray();

        var result = WelchTest.Compute(a, b);

        Assert.Equal(439.94134506405976, result.TStatistic!.Value, 8);
        Assert.Equal(6.873187101562717e-104, result.PValue!.Value, 1e-110);
        Assert.True(Math.Abs(result.PValue!.Value / 6.873187101562717e-104 - 1) < 1e-6);
    }
}
