using Analytics.Domain;
using Analytics.Reports.Workbooks;

namespace Analytics.Reports.Tests;

public sealed class ProtocolVerdictFacts
{
    private static ProtocolComparisonRow Row(double? difference, double? low, double? high, double? pHolm, bool suppressed = false,
        double? adjusted = null, double? adjustedLow = null, double? adjustedHigh = null) =>
        new("acne_scars", "goodman_baron_quant", "microneedling+prp", "microneedling", 40, 50, 50, 40, difference, low, high, pHolm, pHolm,
            adjusted, adjusted is null ? null : 2, adjustedLow, adjustedHigh, adjusted is null ? null : 0.01, suppressed);

    [Fact]
    public void A_suppressed_protocol_is_not_compared() =>
        Assert.StartsWith("Not compared: fewer than 5 evaluable courses", ProtocolComparisonReport.Verdict(Row(null, null, null, null, true), 5), StringComparison.Ordinal);

    [Fact]
    public void Significant_after_holm_says_so_with_the_interval() =>
        Assert.StartsWith("Significantly better than micro-needling alone after Holm correction: difference 10.0 points (95 % CI 4.0 to 16.0), p (Holm) 0.004.",
            ProtocolComparisonReport.Verdict(Row(10, 4, 16, 0.004), 5), StringComparison.Ordinal);

    [Fact]
    public void An_interval_crossing_zero_is_no_detectable_difference_and_the_adjusted_estimate_is_described()
    {
        var text = ProtocolComparisonReport.Verdict(Row(3, -2, 8, 0.24, adjusted: 2, adjustedLow: -3, adjustedHigh: 7), 5);
        Assert.StartsWith("No detectable difference: the 95 % CI of the difference (-2.0 to 8.0) includes 0", text, StringComparison.Ordinal);
        Assert.Contains("not distinguishable from 0", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Unadjusted_interval_excluding_zero_but_holm_not_significant_is_not_called_significant() =>
        Assert.StartsWith("Not significant after Holm correction (p (Holm) 0.080)",
            ProtocolComparisonReport.Verdict(Row(6, 0.5, 11.5, 0.08), 5), StringComparison.Ordinal);
}
