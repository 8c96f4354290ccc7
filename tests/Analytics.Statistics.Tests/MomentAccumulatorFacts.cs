using Xunit;

namespace Analytics.Statistics.Tests;

public class MomentAccumulatorFacts
{
    [Fact]
    public void Streams_the_same_estimate_as_the_span_version()
    {
        double[] values = [12.5, 30.0, 18.25, 41.0, 22.0, 27.5, 35.75];
        var accumulator = new MomentAccumulator();
        foreach (var v in values) accumulator.Add(v);

        var streamed = accumulator.ToMeanEstimate();
        var direct = MeanInterval.Compute(values);

        Assert.Equal(7, accumulator.Count);
        Assert.Equal(direct.Mean!.Value, streamed.Mean!.Value, 12);
        Assert.Equal(direct.StandardDeviation!.Value, streamed.StandardDeviation!.Value, 12);
        Assert.Equal(direct.CiLow!.Value, streamed.CiLow!.Value, 11);
        Assert.Equal(direct.CiHigh!.Value, streamed.CiHigh!.Value, 11);
    }

    [Fact]
    public void Empty_and_single_value()
    {
        var accumulator = new MomentAccumulator();
        Assert.Equal(new MeanEstimate(0, null, null, null, null), accumulator.ToMeanEstimate());

        accumulator.Add(4);
        Assert.Equal(new MeanEstimate(1, 4.0, null, null, null), accumulator.ToMeanEstimate());
    }

    [Fact]
    public void Large_close_values_keep_their_variance()
    {
        // Var of {1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16} = 30 (hand computed).
        var accumulator = new MomentAccumulator();
        foreach (var v in new[] { 1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16 }) accumulator.Add(v);

        Assert.Equal(Math.Sqrt(30), accumulator.StandardDeviation!.Value, 9);
    }
}
