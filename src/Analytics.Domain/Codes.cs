namespace Analytics.Domain;

/// <summary>The code lists of data contract v1. Codes are lower-case and compared ordinally.</summary>
public static class Codes
{
    public static readonly IReadOnlyList<string> Concerns =
    [
        "acne_scars", "surgical_scars", "stretch_marks", "wrinkles", "hyperpigmentation",
        "melasma", "texture_pores", "hair_loss", "rejuvenation",
    ];

    public static readonly IReadOnlyList<string> Areas = ["face", "neck", "chest", "scalp", "body", "hands"];

    public static readonly IReadOnlyList<string> Devices = ["pen", "roller", "stamp", "rf_microneedling"];

    public static readonly IReadOnlyList<string> Sexes = ["f", "m", "x", "unknown"];

    public static readonly IReadOnlyList<string> Adjuncts =
    [
        "prp", "chemical_peel", "laser", "growth_factor_serum", "hyaluronic_serum", "vitamin_c",
        "minoxidil", "tranexamic_acid", "exosomes", "radiofrequency",
    ];

    public static readonly IReadOnlyList<string> AdverseEvents =
    [
        "prolonged_erythema", "pih", "infection", "herpes_reactivation", "tram_track",
        "contact_dermatitis", "acneiform_eruption", "granuloma",
    ];

    public static readonly IReadOnlyList<string> Timepoints = ["baseline", "interim", "follow_up"];

    public const string Baseline = "baseline";
    public const string Interim = "interim";
    public const string FollowUp = "follow_up";

    /// <summary>The reference protocol of every comparison: micro-needling with no adjunct.</summary>
    public const string MicroneedlingAlone = "microneedling";

    /// <summary>The clinic id of network rows and the protocol of concern totals in exports.</summary>
    public const string All = "ALL";

    /// <summary>The clinic of a survey answer that cannot be linked to any clinic.</summary>
    public const string UnknownClinic = "unknown";

    public static bool IsConcern(string code) => Concerns.Contains(code, StringComparer.Ordinal);

    /// <summary>
    /// Protocol of a course: <c>microneedling</c> followed by the sorted, de-duplicated adjuncts
    /// of all its sessions, joined with <c>+</c>.
    /// </summary>
    public static string Protocol(IEnumerable<string> adjuncts)
    {
        var sorted = adjuncts.Where(a => a.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return string.Join('+', sorted.Prepend(MicroneedlingAlone));
    }

    /// <summary>Month key yyyymm (e.g. 202405) used for grouping on every provider.</summary>
    public static int MonthKey(DateOnly date) => date.Year * 100 + date.Month;

    public static string MonthText(int monthKey) => $"{monthKey / 100:D4}-{monthKey % 100:D2}";

    public static int ParseMonth(string text)
    {
        if (text.Length == 7 && text[4] == '-'
            && int.TryParse(text.AsSpan(0, 4), out var y) && int.TryParse(text.AsSpan(5, 2), out var m)
            && y is >= 1900 and <= 9999 && m is >= 1 and <= 12)
        {
            return y * 100 + m;
        }
        throw new FormatException($"'{text}' is not a month of the form YYYY-MM.");
    }

    public static int AddMonths(int monthKey, int months)
    {
        var index = monthKey / 100 * 12 + (monthKey % 100 - 1) + months;
        return index / 12 * 100 + index % 12 + 1;
    }
}
