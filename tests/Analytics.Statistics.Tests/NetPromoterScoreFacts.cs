using Xunit;

namespace Analytics.Statistics.Tests;

public class NetPromoterScoreFacts
{
    [Fact]
    public void Counts_categories_and_scores_by_hand_example()
    {
        // Hand count: promoters {10, 9, 9} = 3, passives {8, 7} = 2, detractors {6, 0, 3, 5, 2} = 5;
        // NPS = 100 × (3 − 5) / 10 = −20.
        var result = NetPromoterScore.Compute([10, 9, 9, 8, 7, 6, 0, 3, 5, 2]);

        Assert.Equal(new NpsSummary(10, 3, 2, 5, -20.0), result);
    }

    [Theory]
    [InlineData(9.0, NpsCategory.Promoter)]
    [InlineData(10.0, NpsCategory.Promoter)]
    [InlineData(8.99, NpsCategory.Passive)]
    [InlineData(8.5, NpsCategory.Passive)]
    [InlineData(7.0, NpsCategory.Passive)]
    [InlineData(6.5, NpsCategory.Detractor)]
    [InlineData(0.0, NpsCategory.Detractor)]
    public void Decimal_scores_count_from_the_category_lowest_integer(double score, NpsCategory expected)
    {
        Assert.Equal(expected, NetPromoterScore.Classify(score));
    }

    [Fact]
    public void All_promoters_score_100_and_all_detractors_minus_100()
    {
        Assert.Equal(100.0, NetPromoterScore.Compute([9, 10, 9.5]).Score);
        Assert.Equal(-100.0, NetPromoterScore.Compute([0, 6, 6.9]).Score);
    }

    [Fact]
    public void No_responses_have_no_score()
    {
        Assert.Equal(new NpsSummary(0, 0, 0, 0, null), NetPromoterScore.Compute(ReadOnlySpan<double>.Empty));
    }

    [Fact]
    public void Out_of_range_scores_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NetPromoterScore.Classify(11));
        Assert.Throws<ArgumentOutOfRangeException>(() => NetPromoterScore.Classify(-0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => NetPromoterScore.Classify(double.NaN));
    }

    [Fact]
    public void From_counts_matches_the_scores()
    {
        Assert.Equal(NetPromoterScore.Compute([10, 9, 9, 8, 7, 6, 0, 3, 5, 2]), NetPromoterScore.FromCounts(3, 2, 5));
    }
}
