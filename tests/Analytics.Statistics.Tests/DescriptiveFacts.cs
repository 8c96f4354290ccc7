using Xunit;

namespace Analytics.Statistics.Tests;

public class DescriptiveFacts
{
    [Fact]
    public void Summarizes_by_hand_example()
    {
        // {2, 4, 4, 4, 5, 5, 7, 9}: mean 5, Σ(x − 5)² = 32, sample SD = √(32 / 7).
        var result = Descriptive.Summarize([2.0, 4, 4, 4, 5, 5, 7, 9]);

        Assert.Equal(8, result.N);
        Assert.Equal(5.0, result.Mean);
        Assert.Equal(Math.Sqrt(32.0 / 7), result.StandardDeviation!.Value, 14);
        Assert.Equal(2.0, result.Min);
        Assert.Equal(9.0, result.Max);
    }

    [Fact]
    public void Empty_and_single_values()
    {
        Assert.Equal(new DescriptiveSummary(0, null, null, null, null), Descriptive.Summarize(ReadOnlySpan<double>.Empty));
        Assert.Equal(new DescriptiveSummary(1, 3.0, null, 3.0, 3.0), Descriptive.Summarize([3.0]));
    }

    [Fact]
    public void Median_of_odd_even_and_empty()
    {
        Assert.Equal(4.0, Descriptive.Median([9.0, 1, 4]));
        Assert.Equal(4.5, Descriptive.Median([9.0, 1, 4, 5]));
        Assert.Null(Descriptive.Median(ReadOnlySpan<double>.Empty));
    }

    [Fact]
    public void Median_does_not_reorder_the_input()
    {
        double[] values = [9, 1, 4];
        _ = Descriptive.Median(values);

        Assert.Equal([9.0, 1, 4], values);
    }
}
