namespace Analytics.Statistics;

public enum NpsCategory
{
    Detractor,
    Passive,
    Promoter,
}

/// <summary>Counts of each NPS category and the score; <see cref="Score"/> is null when there are no responses.</summary>
public readonly record struct NpsSummary(int Responses, int Promoters, int Passives, int Detractors, double? Score);

/// <summary>
/// Net Promoter Score = 100 × (promoters − detractors) / responses, on the 0–10 scale.
/// </summary>
/// <remarks>
/// Scores may be decimals, so the categories are half-open ranges that extend the integer
/// definition (promoters 9–10, passives 7–8, detractors 0–6) without gaps:
/// promoter when score ≥ 9, passive when 7 ≤ score &lt; 9, detractor when score &lt; 7.
/// So 8.5 is a passive and 6.5 a detractor: a respondent counts as a promoter (or passive)
/// only on reaching the category's lowest integer score.
/// </remarks>
public static class NetPromoterScore
{
    public const double PromoterFrom = 9;
    public const double PassiveFrom = 7;

    /// <exception cref="ArgumentOutOfRangeException">The score is outside 0..10 or not a number.</exception>
    public static NpsCategory Classify(double score)
    {
        if (!(score >= 0 && score <= 10))
            throw new ArgumentOutOfRangeException(nameof(score), score, "NPS scores lie in 0..10.");
        return score >= PromoterFrom ? NpsCategory.Promoter
            : score >= PassiveFrom ? NpsCategory.Passive
            : NpsCategory.Detractor;
    }

    public static NpsSummary Compute(ReadOnlySpan<double> scores)
    {
        int promoters = 0, passives = 0, detractors = 0;
        foreach (var s in scores)
        {
            switch (Classify(s))
            {
                case NpsCategory.Promoter: promoters++; break;
                case NpsCategory.Passive: passives++; break;
                default: detractors++; break;
            }
        }
        return FromCounts(promoters, passives, detractors);
    }

    public static NpsSummary Compute(IReadOnlyList<double> scores) => Compute(Guard.AsSpan(scores));

    public static NpsSummary FromCounts(int promoters, int passives, int detractors)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(promoters);
        ArgumentOutOfRangeException.ThrowIfNegative(passives);
        ArgumentOutOfRangeException.ThrowIfNegative(detractors);
        var n = promoters + passives + detractors;
        double? score = n == 0 ? null : 100.0 * (promoters - detractors) / n;
        return new NpsSummary(n, promoters, passives, detractors, score);
    }
}
