namespace Analytics.Samples;

/// <summary>A protocol choice: the adjuncts added to micro-needling and how often clinics choose it.</summary>
internal sealed record ProtocolChoice(string[] Adjuncts, double Weight)
{
    public string Combination { get; } = string.Join(';', Adjuncts);
}

/// <summary>How one concern is treated and measured in the generated network.</summary>
internal sealed record ConcernProfile(
    string Concern,
    double Weight,
    // Improvement % of micro-needling alone, 3 sessions, mid severity, age 40, Fitzpatrick I–IV.
    double BaseImprovement,
    (string Area, double Weight)[] Areas,
    int AgeMin,
    int AgeMax,
    double FemaleShare,
    ProtocolChoice[] Protocols,
    double DepthMin,
    double DepthMax,
    // pen, roller, stamp, rf_microneedling (the order of Codes.Devices).
    double[] DeviceWeights,
    string Primary,
    string? Secondary,
    double SecondaryShare,
    double GaisShare,
    double Photo7Share)
{
    public double[] AreaWeights { get; } = [.. Areas.Select(a => a.Weight)];
    public double[] ProtocolWeights { get; } = [.. Protocols.Select(p => p.Weight)];

    private static ProtocolChoice P(double weight, params string[] adjuncts) => new(adjuncts, weight);

    private static readonly double[] ScarDevices = [0.5, 0.1, 0.1, 0.3];
    private static readonly double[] HairDevices = [0.5, 0.2, 0.3, 0.0];
    private static readonly double[] SkinDevices = [0.65, 0.15, 0.1, 0.1];

    public static readonly ConcernProfile[] All =
    [
        new("acne_scars", 25, 30, [("face", 88), ("chest", 6), ("body", 6)], 18, 42, 0.6,
            [P(40), P(35, "prp"), P(10, "chemical_peel"), P(10, "growth_factor_serum"), P(5, "chemical_peel", "prp")],
            1.5, 2.5, ScarDevices, "goodman_baron_quant", "goodman_baron_qual", 0.7, 0.5, 0.1),
        new("surgical_scars", 6, 28, [("face", 30), ("body", 55), ("neck", 15)], 20, 70, 0.6,
            [P(45), P(30, "prp"), P(15, "radiofrequency"), P(10, "laser")],
            1.5, 2.5, ScarDevices, "posas_observer", "vss", 0.7, 0.5, 0.1),
        new("stretch_marks", 7, 22, [("body", 90), ("chest", 10)], 18, 45, 0.88,
            [P(45), P(25, "prp"), P(15, "radiofrequency"), P(15, "laser")],
            2.0, 3.0, ScarDevices, "posas_observer", null, 0, 0.5, 0.1),
        new("wrinkles", 12, 25, [("face", 70), ("neck", 20), ("hands", 10)], 35, 72, 0.82,
            [P(40), P(25, "prp"), P(15, "growth_factor_serum"), P(10, "hyaluronic_serum"), P(10, "radiofrequency")],
            0.5, 1.5, SkinDevices, "wsrs", null, 0, 0.6, 0.1),
        new("hyperpigmentation", 6, 32, [("face", 75), ("hands", 15), ("chest", 10)], 25, 62, 0.8,
            [P(40), P(25, "tranexamic_acid"), P(20, "vitamin_c"), P(15, "chemical_peel")],
            0.25, 1.0, SkinDevices, "mmasi", "masi", 0.4, 0.4, 0.1),
        new("melasma", 10, 30, [("face", 100)], 25, 55, 0.9,
            [P(35), P(45, "tranexamic_acid"), P(20, "vitamin_c")],
            0.25, 1.0, SkinDevices, "mmasi", "masi", 0.6, 0.4, 0.1),
        new("texture_pores", 10, 30, [("face", 100)], 20, 50, 0.7,
            [P(40), P(25, "chemical_peel"), P(15, "hyaluronic_serum"), P(10, "exosomes"), P(10, "vitamin_c")],
            0.75, 1.5, SkinDevices, "pore_iga", null, 0, 0.5, 0.1),
        new("hair_loss", 12, 8, [("scalp", 100)], 25, 60, 0.45,
            [P(30), P(40, "minoxidil"), P(20, "prp"), P(10, "exosomes")],
            0.5, 1.5, HairDevices, "hair_density", null, 0, 0.3, 0.7),
        new("rejuvenation", 12, 22, [("face", 60), ("neck", 20), ("chest", 10), ("hands", 10)], 30, 65, 0.85,
            [P(35), P(20, "prp"), P(20, "hyaluronic_serum"), P(15, "growth_factor_serum"), P(10, "vitamin_c")],
            0.5, 1.5, SkinDevices, "wsrs", null, 0, 0.6, 0.1),
    ];

    public static readonly double[] Weights = [.. All.Select(p => p.Weight)];

    /// <summary>
    /// Additive effect of one adjunct on improvement % for a concern. The three planted
    /// effects come from the settings; the others are small fixed effects.
    /// </summary>
    public static double AdjunctEffect(string concern, string adjunct, GeneratorSettings s) => (concern, adjunct) switch
    {
        ("acne_scars", "prp") => s.PrpAcneScarEffect,
        ("hair_loss", "minoxidil") => s.MinoxidilHairLossEffect,
        ("melasma", "tranexamic_acid") => s.TranexamicAcidMelasmaEffect,
        ("hyperpigmentation", "tranexamic_acid") => 6,
        ("hair_loss", "prp") => 10,
        ("hair_loss", "exosomes") => 8,
        (_, "prp") => 4,
        (_, "exosomes") => 3,
        (_, "laser") => 4,
        (_, "radiofrequency") => 4,
        (_, "chemical_peel") => 3,
        (_, "growth_factor_serum") => 2,
        (_, "vitamin_c") => 2,
        (_, "hyaluronic_serum") => 1,
        _ => 0,
    };
}
