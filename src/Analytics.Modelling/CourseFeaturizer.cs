using System.Globalization;
using System.Text.Json.Serialization;
using Analytics.Domain;

namespace Analytics.Modelling;

/// <summary>One slot of the feature vector and the feature it belongs to (one-hot slots share a feature).</summary>
public sealed record FeatureSlot(string Name, string Feature);

/// <summary>
/// Turns a course into the model's feature vector. Every nullable input gets a value slot plus an
/// explicit missing indicator (numbers are filled with the training median, categories get a
/// "missing" slot), so a missing value is never dropped and never silently imputed.
/// The fitted state (fill values, category lists) is serialised with each model fit.
/// </summary>
public sealed record CourseFeaturizer(
    IReadOnlyList<string> Concerns,
    IReadOnlyList<string> Instruments,
    double BaselineFill,
    double AgeFill,
    double MeanIntervalFill,
    double NeedleDepthFill,
    int ModalFitzpatrick,
    string ModalSex,
    string ModalDevice,
    string ModalArea)
{
    public const string BaselineFeature = "baseline";
    public const string FitzpatrickFeature = "fitzpatrick_type";
    public const string AgeFeature = "age";
    public const string SexFeature = "sex";
    public const string SessionsFeature = "sessions";
    public const string MeanIntervalFeature = "mean_interval_days";
    public const string NeedleDepthFeature = "needle_depth_mm";
    public const string DeviceFeature = "device";
    public const string AreaFeature = "area";
    public const string ConcernFeature = "concern";
    public const string InstrumentFeature = "instrument";

    public static string AdjunctFeature(string adjunct) => "adjunct:" + adjunct;

    /// <summary>True for the pooled model, which also takes concern and instrument as features.</summary>
    [JsonIgnore]
    public bool Pooled => Concerns.Count > 0;

    private IReadOnlyList<FeatureSlot>? _slots;

    [JsonIgnore]
    public IReadOnlyList<FeatureSlot> Slots => _slots ??= BuildSlots();

    /// <summary>Feature names in slot order, without repeats.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> Features => [.. Slots.Select(s => s.Feature).Distinct(StringComparer.Ordinal)];

    /// <summary>Features that can be missing (and so have a fill count).</summary>
    public static readonly IReadOnlyList<string> NullableFeatures =
        [BaselineFeature, FitzpatrickFeature, AgeFeature, SexFeature, MeanIntervalFeature, NeedleDepthFeature, DeviceFeature, AreaFeature];

    /// <summary>Fits fill values and category lists on training courses.</summary>
    public static CourseFeaturizer Fit(IReadOnlyList<CourseOutcome> courses, bool pooled)
    {
        return new CourseFeaturizer(
            pooled ? [.. courses.Select(c => c.Concern).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)] : [],
            pooled ? [.. courses.Select(c => c.Instrument).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)] : [],
            Median(courses.Select(c => c.Baseline)),
            Median(courses.Select(c => c.Age is { } a ? (double?)a : null)),
            Median(courses.Select(c => c.MeanIntervalDays)),
            Median(courses.Select(c => c.NeedleDepthMm)),
            int.Parse(Mode(courses.Select(c => c.FitzpatrickType is { } f and >= 1 and <= 6 ? Fitzpatrick[f - 1] : null), "3"), CultureInfo.InvariantCulture),
            Mode(courses.Select(c => Known(c.Sex, Codes.Sexes)), "f"),
            Mode(courses.Select(c => Known(c.Device, Codes.Devices)), Codes.Devices[0]),
            Mode(courses.Select(c => Known(c.Area, Codes.Areas)), Codes.Areas[0]));
    }

    /// <summary>Number of courses whose value of each nullable feature was missing (and filled).</summary>
    public static IReadOnlyDictionary<string, int> CountMissing(IEnumerable<CourseOutcome> courses)
    {
        var counts = NullableFeatures.ToDictionary(f => f, _ => 0, StringComparer.Ordinal);
        foreach (var c in courses)
        {
            if (c.Baseline is null) counts[BaselineFeature]++;
            if (c.FitzpatrickType is not (>= 1 and <= 6)) counts[FitzpatrickFeature]++;
            if (c.Age is null) counts[AgeFeature]++;
            if (Known(c.Sex, Codes.Sexes) is null) counts[SexFeature]++;
            if (c.MeanIntervalDays is null) counts[MeanIntervalFeature]++;
            if (c.NeedleDepthMm is null) counts[NeedleDepthFeature]++;
            if (Known(c.Device, Codes.Devices) is null) counts[DeviceFeature]++;
            if (Known(c.Area, Codes.Areas) is null) counts[AreaFeature]++;
        }
        return counts;
    }

    public float[] Featurize(CourseOutcome c)
    {
        var v = new List<float>(Slots.Count);
        var adjuncts = c.Adjuncts.ToHashSet(StringComparer.Ordinal);
        foreach (var a in Codes.Adjuncts) v.Add(adjuncts.Contains(a) ? 1 : 0);
        if (Pooled)
        {
            OneHot(v, c.Concern, Concerns, withMissing: false);
            OneHot(v, c.Instrument, Instruments, withMissing: false);
        }
        Number(v, c.Baseline, BaselineFill);
        OneHot(v, c.FitzpatrickType is { } f and >= 1 and <= 6 ? Fitzpatrick[f - 1] : null, Fitzpatrick, withMissing: true);
        Number(v, c.Age, AgeFill);
        OneHot(v, Known(c.Sex, Codes.Sexes), Codes.Sexes, withMissing: true);
        v.Add(c.Sessions);
        Number(v, c.MeanIntervalDays, MeanIntervalFill);
        Number(v, c.NeedleDepthMm, NeedleDepthFill);
        OneHot(v, Known(c.Device, Codes.Devices), Codes.Devices, withMissing: true);
        OneHot(v, Known(c.Area, Codes.Areas), Codes.Areas, withMissing: true);
        return [.. v];
    }

    /// <summary>A what-if course: unstated values take the training median or most common value (not "missing").</summary>
    public float[] Featurize(WhatIfProfile p, string protocol)
    {
        var course = new CourseOutcome(
            "what-if", "what-if", "what-if", null, p.Concern, protocol, p.Instrument, InstrumentKind.Severity,
            p.Sessions, default, default, p.Age ?? (int)Math.Round(AgeFill), Known(p.Sex, Codes.Sexes) ?? ModalSex,
            p.FitzpatrickType ?? ModalFitzpatrick, p.Baseline, null, null, null, true, null, null, null,
            p.MeanIntervalDays ?? MeanIntervalFill, p.NeedleDepthMm ?? NeedleDepthFill,
            Known(p.Device, Codes.Devices) ?? ModalDevice, Known(p.Area, Codes.Areas) ?? ModalArea);
        return Featurize(course);
    }

    private static readonly IReadOnlyList<string> Fitzpatrick = ["1", "2", "3", "4", "5", "6"];

    private List<FeatureSlot> BuildSlots()
    {
        var s = new List<FeatureSlot>();
        foreach (var a in Codes.Adjuncts) s.Add(new(AdjunctFeature(a), AdjunctFeature(a)));
        if (Pooled)
        {
            foreach (var c in Concerns) s.Add(new($"concern={c}", ConcernFeature));
            foreach (var i in Instruments) s.Add(new($"instrument={i}", InstrumentFeature));
        }
        NumberSlots(s, BaselineFeature);
        OneHotSlots(s, FitzpatrickFeature, Fitzpatrick);
        NumberSlots(s, AgeFeature);
        OneHotSlots(s, SexFeature, Codes.Sexes);
        s.Add(new(SessionsFeature, SessionsFeature));
        NumberSlots(s, MeanIntervalFeature);
        NumberSlots(s, NeedleDepthFeature);
        OneHotSlots(s, DeviceFeature, Codes.Devices);
        OneHotSlots(s, AreaFeature, Codes.Areas);
        return s;
    }

    private static void NumberSlots(List<FeatureSlot> s, string feature)
    {
        s.Add(new(feature, feature));
        s.Add(new(feature + "_missing", feature));
    }

    private static void OneHotSlots(List<FeatureSlot> s, string feature, IReadOnlyList<string> levels)
    {
        foreach (var l in levels) s.Add(new($"{feature}={l}", feature));
        s.Add(new(feature + "_missing", feature));
    }

    private static void Number(List<float> v, double? value, double fill)
    {
        v.Add((float)(value ?? fill));
        v.Add(value is null ? 1 : 0);
    }

    private static void OneHot(List<float> v, string? value, IReadOnlyList<string> levels, bool withMissing)
    {
        var hit = false;
        foreach (var l in levels)
        {
            var on = string.Equals(value, l, StringComparison.Ordinal);
            hit |= on;
            v.Add(on ? 1 : 0);
        }
        if (withMissing) v.Add(hit ? 0 : 1);
    }

    private static string? Known(string? value, IReadOnlyList<string> codes) =>
        value is not null && codes.Contains(value, StringComparer.Ordinal) ? value : null;

    private static double Median(IEnumerable<double?> values)
    {
        var sorted = values.Where(v => v is { } x && double.IsFinite(x)).Select(v => v!.Value).Order().ToArray();
        if (sorted.Length == 0) return 0;
        var m = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }

    private static string Mode(IEnumerable<string?> values, string fallback) =>
        values.Where(v => v is not null)
            .GroupBy(v => v!, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Key).FirstOrDefault() ?? fallback;
}
