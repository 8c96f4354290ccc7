using Analytics.Domain;
using Analytics.Reports.Workbooks;

namespace Analytics.Reports.Tests;

/// <summary>
/// Small, realistic report tables built in code (the real ones come from Analytics.Outcomes):
/// three clinics over 13 months, three concerns, two to three protocols, network rows, some
/// suppressed cells, full-precision doubles, and imported text that looks like formulas or numbers.
/// </summary>
public static class SampleTables
{
    public const int ReportMonth = 202510;

    /// <summary>Clinic ids straight from source systems: one looks like a number, one like a formula.</summary>
    public static readonly string[] Clinics = ["c01", "00123", "+north"];

    public static readonly IReadOnlyDictionary<string, string> ClinicNames = new Dictionary<string, string>
    {
        ["c01"] = "Rivera Skin & Laser",
        ["00123"] = "=HYPERLINK(\"http://example.invalid\",\"click\")",
        ["+north"] = "@North Clinic",
    };

    /// <summary>Practitioner ids that a spreadsheet would otherwise turn into formulas or numbers.</summary>
    public static readonly string[] Practitioners = ["=1+1", "00123", "-2+3", "@SUM(A1)", "p-anna"];

    private static readonly (string Concern, string[] Instruments, string[] Protocols)[] Concerns =
    [
        ("acne_scars", ["goodman_baron_quant"], ["microneedling", "microneedling+prp", "microneedling+chemical_peel"]),
        ("melasma", ["mmasi"], ["microneedling", "microneedling+tranexamic_acid"]),
        ("hair_loss", ["hair_density", "global_photo_7"], ["microneedling", "microneedling+minoxidil+prp"]),
    ];

    public static ReportContext Context() => new(
        "1.2.3-test",
        new DateTimeOffset(2025, 11, 3, 6, 30, 0, TimeSpan.Zero),
        ClinicNames,
        [
            new RejectCount(ReportMonth, "c01", RejectReasons.OutOfRange, 3),
            new RejectCount(ReportMonth, "c01", RejectReasons.InstrumentConcernMismatch, 1),
            new RejectCount(ReportMonth, "00123", RejectReasons.BadDate, 2),
        ]);

    public static ReportTables Tables(int seed = 7, IReadOnlyList<string>? clinicIds = null)
    {
        var random = new Random(seed);
        var months = Enumerable.Range(-12, 13).Select(d => Codes.AddMonths(ReportMonth, d)).ToList();
        var clinics = (clinicIds ?? Clinics).Append(Codes.All).ToList();
        var outcomes = new List<OutcomeRow>();
        var satisfaction = new List<SatisfactionRow>();
        var safety = new List<SafetyRow>();
        var activity = new List<ActivityRow>();
        var revenue = new List<RevenueRow>();
        var quality = new List<DataQualityRow>();
        foreach (var month in months)
        {
            foreach (var clinic in clinics)
            {
                var scale = clinic == Codes.All ? 3 : 1;
                foreach (var (concern, instruments, protocols) in Concerns)
                {
                    foreach (var instrument in instruments)
                    {
                        var global = InstrumentCatalog.Get(instrument).Kind == InstrumentKind.Global;
                        foreach (var protocol in protocols.Append(Codes.All))
                        {
                            var courses = random.Next(2, 14) * scale * (protocol == Codes.All ? 2 : 1);
                            var evaluable = Math.Max(1, courses - random.Next(0, 3));
                            var patients = Math.Max(1, evaluable - random.Next(0, 2));
                            var suppressed = patients < 5;
                            var mean = 20 + random.NextDouble() * 40;
                            var half = 25.0 / Math.Sqrt(evaluable);
                            var responders = (int)Math.Round(evaluable * (0.3 + random.NextDouble() * 0.4));
                            var rate = (double)responders / evaluable;
                            var (low, high) = Significance.Wilson(responders, evaluable);
                            outcomes.Add(new OutcomeRow(month, clinic, concern, protocol, instrument, courses, evaluable, patients,
                                suppressed || global ? null : mean, suppressed || global ? null : mean - half, suppressed || global ? null : mean + half,
                                responders, suppressed ? null : rate, suppressed ? null : low, suppressed ? null : high, suppressed));
                        }
                    }
                }
                var responses = random.Next(3, 40) * scale;
                var promoters = random.Next(0, responses + 1);
                var detractors = random.Next(0, responses - promoters + 1);
                var npsSuppressed = responses < 5;
                satisfaction.Add(new SatisfactionRow(month, clinic, "nps", responses, responses, npsSuppressed ? null : 8.1 + random.NextDouble(),
                    npsSuppressed ? null : 7.5, npsSuppressed ? null : 8.9, promoters, responses - promoters - detractors, detractors,
                    npsSuppressed ? null : 100.0 * (promoters - detractors) / responses, npsSuppressed));
                satisfaction.Add(new SatisfactionRow(month, clinic, "face_q_satisfaction", responses, responses, 70 + random.NextDouble() * 10,
                    65 + random.NextDouble(), 82 + random.NextDouble(), null, null, null, null, false));
                var totalSessions = 0;
                foreach (var (concern, _, _) in Concerns)
                {
                    var sessions = random.Next(3, 60) * scale;
                    totalSessions += sessions;
                    var withEvent = random.Next(0, Math.Max(1, sessions / 6));
                    var patientsS = Math.Max(1, sessions / 3);
                    var sup = patientsS < 5;
                    var (lo, hi) = Significance.Wilson(withEvent, sessions);
                    safety.Add(new SafetyRow(month, clinic, concern, sessions, patientsS, withEvent, sup ? null : (double)withEvent / sessions,
                        sup ? null : lo, sup ? null : hi, sup ? null : random.NextDouble() * 4, sup));
                }
                var patientsA = totalSessions / 2;
                var newPatients = random.Next(0, patientsA / 2 + 1);
                activity.Add(new ActivityRow(month, clinic, totalSessions, patientsA, newPatients, patientsA - newPatients, random.Next(1, 30) * scale));
                revenue.Add(new RevenueRow(month, clinic, "EUR", totalSessions - 2, Math.Round((decimal)(random.NextDouble() * 30000), 2)));
                if (clinic is "c01" or Codes.All)
                {
                    revenue.Add(new RevenueRow(month, clinic, "GBP", 2, 410.25m));
                }
                quality.Add(new DataQualityRow(month, clinic, random.Next(0, 4), random.Next(0, 9), random.Next(0, 2), random.Next(0, 3), random.Next(0, 2), random.Next(0, 6)));
            }
        }
        var comparison = new List<ProtocolComparisonRow>
        {
            new("acne_scars", "goodman_baron_quant", "microneedling+prp", "microneedling", 64, 80, 51.234567890123, 40.1, 11.134567890123, 4.2, 18.07, 0.0021, 0.0042,
                9.87654321, 3.1, 3.79, 15.96, 0.0019, false),
            new("acne_scars", "goodman_baron_quant", "microneedling+chemical_peel", "microneedling", 31, 80, 44.7, 40.1, 4.6, -3.9, 13.1, 0.29, 0.29,
                2.2, 4.4, -6.5, 10.9, 0.62, false),
            new("acne_scars", "goodman_baron_quant", "microneedling+laser", "microneedling", 3, 80, null, 40.1, null, null, null, null, null,
                null, null, null, null, null, true),
            new("melasma", "mmasi", "microneedling+tranexamic_acid", "microneedling", 45, 52, 48.0, 33.3, 14.7, 6.1, 23.3, 0.0011, 0.0011,
                12.9, 4.0, 5.0, 20.8, 0.0017, false),
            new("hair_loss", "hair_density", "microneedling+minoxidil+prp", "microneedling", 28, 19, 22.5, 18.0, 4.5, -2.0, 11.0, 0.17, 0.17,
                3.0, 3.6, -4.1, 10.1, 0.41, false),
        };
        return new ReportTables(outcomes, satisfaction, safety, activity, revenue, comparison, quality,
            new TableSettings(5, Codes.AddMonths(ReportMonth, -12), ReportMonth, new DateOnly(2024, 9, 2), new DateOnly(2025, 10, 30), InstrumentCatalog.Clinical));
    }

    public static ModelReport Models()
    {
        var metrics = new List<ModelMetricsRow>();
        var importances = new List<FeatureImportanceRow>();
        var observed = new List<ObservedExpectedRow>();
        var whatIf = new List<WhatIfRow>();
        string[] features = ["baseline", "protocol", "sessions", "fitzpatrick_type", "age", "needle_depth_mm"];
        foreach (var (concern, instrument) in new[] { ("acne_scars", "goodman_baron_quant"), ("melasma", "mmasi"), ("hair_loss", "hair_density") })
        {
            metrics.Add(new(concern, instrument, "FastTree", 5, 175, 0.3123456789, 14.2, 11.1, 17.3, true));
            metrics.Add(new(concern, instrument, "Sdca", 5, 175, 0.21, 15.6, 12.0, 17.3, false));
            metrics.Add(new(concern, instrument, "mean", 5, 175, 0.0, 17.3, 14.0, 17.3, false));
            for (var i = 0; i < features.Length; i++)
            {
                importances.Add(new(concern, instrument, "FastTree", features[i], 0.12 / (i + 1), 0.01 / (i + 1), i + 1));
            }
            foreach (var clinic in Clinics)
            {
                observed.Add(new(concern, instrument, "clinic", clinic, clinic, 60, 45.5, 42.25, 3.25, -1.5, 8.0, 1.0769230769230769, true));
            }
            for (var p = 0; p < Practitioners.Length; p++)
            {
                var shown = p != 4;
                observed.Add(new(concern, instrument, "practitioner", Practitioners[p], "c01", shown ? 25 + p : 4, 40.0 + p * 3.3333333333333335,
                    41.2, p * 3.3333333333333335 - 1.2, p * 3.3333333333333335 - 7.0, p * 3.3333333333333335 + 4.6, (40.0 + p * 3.3333333333333335) / 41.2, shown));
            }
            foreach (var protocol in new[] { "microneedling", "microneedling+prp" })
            {
                whatIf.Add(new(concern, instrument, "typical: baseline 30, Fitzpatrick III, 35 years, 4 sessions", protocol, 30, 3, 35, 4,
                    protocol == "microneedling" ? 38.5 : 46.123456789, 175));
            }
        }
        return new ModelReport(metrics, importances, observed, whatIf);
    }
}
