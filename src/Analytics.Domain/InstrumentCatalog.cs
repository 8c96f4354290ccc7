namespace Analytics.Domain;

public enum InstrumentKind
{
    /// <summary>Scored at baseline and follow-up; gives improvement % and change.</summary>
    Severity,
    /// <summary>Rates the change itself at follow-up; gives a responder rate only.</summary>
    Global,
}

public enum ResponderRule
{
    /// <summary>change ≥ threshold (scale points).</summary>
    ChangeAtLeast,
    /// <summary>improvement % ≥ threshold.</summary>
    ImprovementPercentAtLeast,
    /// <summary>global score ≤ threshold.</summary>
    ScoreAtMost,
    /// <summary>global score ≥ threshold.</summary>
    ScoreAtLeast,
}

/// <summary>One outcome instrument of the contract's catalog.</summary>
public sealed record Instrument(
    string Code,
    string Name,
    InstrumentKind Kind,
    double Min,
    double Max,
    bool HigherIsBetter,
    ResponderRule Rule,
    double Threshold,
    bool ThresholdIsDefault,
    string Basis,
    IReadOnlyList<string> Concerns)
{
    /// <summary>True when the instrument is for every concern ("any" in the catalog).</summary>
    public bool AnyConcern => Concerns.Count == Codes.Concerns.Count;

    public bool Fits(string concern) => Concerns.Contains(concern, StringComparer.Ordinal);

    public bool InRange(double score) => score >= Min && score <= Max;

    public string RuleText => Rule switch
    {
        ResponderRule.ChangeAtLeast => $"change ≥ {Threshold:0.##}",
        ResponderRule.ImprovementPercentAtLeast => $"improvement ≥ {Threshold:0.##} %",
        ResponderRule.ScoreAtMost => $"score ≤ {Threshold:0.##}",
        ResponderRule.ScoreAtLeast => $"score ≥ {Threshold:0.##}",
        _ => Rule.ToString(),
    };

    /// <summary>Change = baseline − follow-up where lower is better, follow-up − baseline where higher is better.</summary>
    public double Change(double baseline, double followUp) => HigherIsBetter ? followUp - baseline : baseline - followUp;

    /// <summary>Improvement % = change / baseline × 100 (baseline ≠ 0).</summary>
    public double ImprovementPercent(double baseline, double followUp) => Change(baseline, followUp) / baseline * 100.0;

    /// <summary>Whether a course is a responder; baseline is ignored for global scales.</summary>
    public bool IsResponder(double? baseline, double followUp) => Rule switch
    {
        ResponderRule.ChangeAtLeast => baseline is { } b && Change(b, followUp) >= Threshold,
        ResponderRule.ImprovementPercentAtLeast => baseline is { } b && b != 0 && ImprovementPercent(b, followUp) >= Threshold,
        ResponderRule.ScoreAtMost => followUp <= Threshold,
        ResponderRule.ScoreAtLeast => followUp >= Threshold,
        _ => false,
    };

    public Instrument WithThreshold(double threshold) => this with { Threshold = threshold };
}

/// <summary>The outcome instrument catalog of data contract v1.</summary>
public static class InstrumentCatalog
{
    private static readonly string[] AllConcerns = [.. Codes.Concerns];

    public static readonly IReadOnlyList<Instrument> Clinical =
    [
        new("goodman_baron_qual", "Goodman & Baron qualitative acne scar grade", InstrumentKind.Severity, 1, 4, false,
            ResponderRule.ChangeAtLeast, 1, false, "Goodman & Baron 2006", ["acne_scars"]),
        new("goodman_baron_quant", "Goodman & Baron quantitative acne scar score", InstrumentKind.Severity, 0, 84, false,
            ResponderRule.ImprovementPercentAtLeast, 50, false, "responder cut-off used in meta-analyses", ["acne_scars"]),
        new("posas_observer", "POSAS observer scale", InstrumentKind.Severity, 6, 60, false,
            ResponderRule.ImprovementPercentAtLeast, 30, true, "default (no published MCID)", ["surgical_scars", "stretch_marks"]),
        new("vss", "Vancouver Scar Scale", InstrumentKind.Severity, 0, 13, false,
            ResponderRule.ChangeAtLeast, 2, true, "default (no published MCID)", ["surgical_scars"]),
        new("wsrs", "Wrinkle Severity Rating Scale", InstrumentKind.Severity, 1, 5, false,
            ResponderRule.ChangeAtLeast, 1, false, "usual rule in wrinkle trials", ["wrinkles", "rejuvenation"]),
        new("mmasi", "modified Melasma Area and Severity Index", InstrumentKind.Severity, 0, 24, false,
            ResponderRule.ImprovementPercentAtLeast, 50, false, "responder cut-off used in melasma trials", ["melasma", "hyperpigmentation"]),
        new("masi", "Melasma Area and Severity Index", InstrumentKind.Severity, 0, 48, false,
            ResponderRule.ImprovementPercentAtLeast, 50, false, "responder cut-off used in melasma trials", ["melasma", "hyperpigmentation"]),
        new("pore_iga", "Pore investigator global assessment", InstrumentKind.Severity, 0, 4, false,
            ResponderRule.ChangeAtLeast, 1, true, "default (no published MCID)", ["texture_pores"]),
        new("hair_density", "Hair density (hairs/cm²)", InstrumentKind.Severity, 0, 500, true,
            ResponderRule.ImprovementPercentAtLeast, 20, true, "default (no published MCID)", ["hair_loss"]),
        new("gais_investigator", "Global Aesthetic Improvement Scale (investigator)", InstrumentKind.Global, 1, 5, false,
            ResponderRule.ScoreAtMost, 2, false, "much or very much improved", AllConcerns),
        new("global_photo_7", "7-point global photographic assessment", InstrumentKind.Global, -3, 3, true,
            ResponderRule.ScoreAtLeast, 2, false, "Dhurat 2013 responder band", AllConcerns),
    ];

    /// <summary>Satisfaction instruments (satisfaction.csv), with their ranges.</summary>
    public static readonly IReadOnlyList<SatisfactionInstrument> Satisfaction =
    [
        new("nps", "Net Promoter Score question", 0, 10, true),
        new("face_q_satisfaction", "FACE-Q satisfaction (Rasch 0–100)", 0, 100, true),
        new("likert5", "Satisfaction, 5-point Likert (5 = very satisfied)", 1, 5, true),
        new("gais_patient", "Global Aesthetic Improvement Scale (patient; 1 = very much improved)", 1, 5, false),
    ];

    private static readonly Dictionary<string, Instrument> ByCode = Clinical.ToDictionary(i => i.Code, StringComparer.Ordinal);
    private static readonly Dictionary<string, SatisfactionInstrument> SatisfactionByCode =
        Satisfaction.ToDictionary(i => i.Code, StringComparer.Ordinal);

    public static Instrument? Find(string code) => ByCode.GetValueOrDefault(code);

    public static Instrument Get(string code) =>
        Find(code) ?? throw new KeyNotFoundException($"Unknown outcome instrument '{code}'.");

    public static SatisfactionInstrument? FindSatisfaction(string code) => SatisfactionByCode.GetValueOrDefault(code);

    /// <summary>The catalog with responder thresholds overridden by configuration (code → threshold).</summary>
    public static IReadOnlyList<Instrument> WithThresholds(IReadOnlyDictionary<string, double>? overrides) =>
        overrides is null || overrides.Count == 0
            ? Clinical
            : [.. Clinical.Select(i => overrides.TryGetValue(i.Code, out var t) ? i.WithThreshold(t) : i)];
}

public sealed record SatisfactionInstrument(string Code, string Name, double Min, double Max, bool HigherIsBetter)
{
    public bool InRange(double score) => score >= Min && score <= Max;
}
