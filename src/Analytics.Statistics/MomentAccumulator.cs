namespace Analytics.Statistics;

/// <summary>
/// Streaming count, mean and sample variance (Welford's update), for aggregating cells in one pass
/// without keeping their values. A mutable struct: keep it in a field or array slot and call
/// <see cref="Add"/> on that, not on a copy.
/// </summary>
public struct MomentAccumulator
{
    private double _mean;
    private double _sumSquares; // Σ(x − mean)², updated incrementally

    public int Count { get; private set; }

    /// <summary>Null when empty.</summary>
    public readonly double? Mean => Count > 0 ? _mean : null;

    /// <summary>Sample SD (n − 1 denominator); null when Count &lt; 2.</summary>
    public readonly double? StandardDeviation => Count > 1 ? Math.Sqrt(Math.Max(_sumSquares, 0) / (Count - 1)) : null;

    public void Add(double value)
    {
        if (!double.IsFinite(value)) throw new ArgumentException("Values must be finite numbers.", nameof(value));
        Count++;
        var delta = value - _mean;
        _mean += delta / Count;
        _sumSquares += delta * (value - _mean);
    }

    /// <summary>The Student-t interval of the mean, as <see cref="MeanInterval.Compute(ReadOnlySpan{double}, double)"/>.</summary>
    public readonly MeanEstimate ToMeanEstimate(double confidence = 0.95) =>
        Count == 0 ? MeanInterval.FromSummary(0, 0, null, confidence) : MeanInterval.FromSummary(Count, _mean, StandardDeviation, confidence);
}
