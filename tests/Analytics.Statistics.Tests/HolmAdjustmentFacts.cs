using Xunit;

namespace Analytics.Statistics.Tests;

public class HolmAdjustmentFacts
{
    // Reference/reference_values.py (run with /usr/bin/python3) prints every expected value in this class.
    // Expected values: /usr/bin/python3, statsmodels.stats.multitest.multipletests(p, method='holm')[1].

    [Fact]
    public void Matches_statsmodels_and_keeps_input_order()
    {
        var adjusted = HolmAdjustment.Adjust([0.01, 0.04, 0.03, 0.005]);

        AssertClose([0.03, 0.06, 0.06, 0.02], adjusted);
    }

    [Fact]
    public void Tied_p_values_get_the_same_adjusted_value()
    {
        var adjusted = HolmAdjustment.Adjust([0.02, 0.02, 0.5, 0.001, 0.02]);

        AssertClose([0.08, 0.08, 0.5, 0.005, 0.08], adjusted);
    }

    [Fact]
    public void Adjusted_values_are_capped_at_one()
    {
        var adjusted = HolmAdjustment.Adjust([0.3, 0.6, 0.9]);

        AssertClose([0.8999999999999999, 1.0, 1.0], adjusted);
    }

    [Fact]
    public void Nulls_pass_through_and_are_not_counted_in_the_family()
    {
        // The family is {0.04, 0.01, 0.03}: multipletests([0.04, 0.01, 0.03], method='holm') = [0.06, 0.03, 0.06].
        var adjusted = HolmAdjustment.Adjust([0.04, null, 0.01, null, 0.03]);

        Assert.Null(adjusted[1]);
        Assert.Null(adjusted[3]);
        AssertClose([0.06, 0.03, 0.06], [adjusted[0], adjusted[2], adjusted[4]]);
    }

    [Fact]
    public void Single_and_empty_families()
    {
        Assert.Equal([0.2], HolmAdjustment.Adjust([0.2]));
        Assert.Equal([null, null], HolmAdjustment.Adjust([null, null]));
        Assert.Empty(HolmAdjustment.Adjust([]));
    }

    [Fact]
    public void Adjusted_values_are_monotone_in_the_raw_values()
    {
        double?[] raw = [0.2, 0.001, 0.04, 0.04, 0.7, 0.011, 0.3];
        var adjusted = HolmAdjustment.Adjust(raw);

        for (var i = 0; i < raw.Length; i++)
        for (var j = 0; j < raw.Length; j++)
            if (raw[i] <= raw[j]) Assert.True(adjusted[i] <= adjusted[j]);
        for (var i = 0; i < raw.Length; i++) Assert.True(adjusted[i] >= raw[i]);
    }

    [Fact]
    public void Rejects_values_outside_zero_one()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => HolmAdjustment.Adjust([0.5, 1.5]));
        Assert.Throws<ArgumentOutOfRangeException>(() => HolmAdjustment.Adjust([double.NaN]));
    }

    private static void AssertClose(double[] expected, IReadOnlyList<double?> actual)
    {
        Assert.Equal(expected.Length, actual.Count);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i]!.Value, 14);
    }
}
