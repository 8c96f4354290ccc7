using Analytics.Domain;

namespace Analytics.Modelling.Tests;

/// <summary>
/// Seeded synthetic courses with planted effects on improvement %: prp +8, each session +3,
/// Fitzpatrick V–VI −5, practitioner "pr-star" +10, normal noise SD 10. Some values are missing on
/// purpose (age 10 %, needle depth 20 %, device 15 %, interval when there is one session).
/// </summary>
internal static class SyntheticCourses
{
    public const string StarPractitioner = "pr-star";

    public static List<CourseOutcome> Generate(
        int n, int seed, string concern = "acne_scars", string instrument = "goodman_baron_quant",
        bool pureNoise = false, double noiseSd = 10, string idPrefix = "c")
    {
        var r = new Random(seed);
        var clinics = new[] { "cl-a", "cl-b", "cl-c", "cl-d" };
        var practitioners = clinics.SelectMany(c => Enumerable.Range(1, 3).Select(i => (Clinic: c, Id: $"pr-{c[3..]}{i}"))).ToList();
        practitioners[0] = (clinics[0], StarPractitioner);
        var otherAdjuncts = new[] { "chemical_peel", "growth_factor_serum", "vitamin_c" };
        var list = new List<CourseOutcome>(n);
        for (var i = 0; i < n; i++)
        {
            var (clinic, practitioner) = practitioners[r.Next(practitioners.Count)];
            var adjuncts = new List<string>();
            if (r.NextDouble() < 0.4) adjuncts.Add("prp");
            if (r.NextDouble() < 0.3) adjuncts.Add(otherAdjuncts[r.Next(otherAdjuncts.Length)]);
            var sessions = r.Next(1, 7);
            var fitz = r.Next(1, 7);
            int? age = r.NextDouble() < 0.1 ? null : r.Next(18, 70);
            double? depth = r.NextDouble() < 0.2 ? null : Math.Round(0.5 + r.NextDouble() * 2, 1);
            string? device = r.NextDouble() < 0.15 ? null : Codes.Devices[r.Next(Codes.Devices.Count)];
            var baseline = (double)r.Next(10, 61);
            var noise = Normal(r) * noiseSd;
            var improvement = pureNoise
                ? 30 + noise
                : 20 + (adjuncts.Contains("prp") ? 8 : 0) + 3 * sessions + (fitz >= 5 ? -5 : 0)
                  + (practitioner == StarPractitioner ? 10 : 0) + noise;
            var first = new DateOnly(2024, 1, 1).AddDays(r.Next(0, 365));
            var last = first.AddDays(28 * (sessions - 1));
            var followUpDate = last.AddDays(60);
            var followUp = baseline * (1 - improvement / 100);
            list.Add(new CourseOutcome(
                $"{idPrefix}{i:D5}", $"pt{i:D5}", clinic, practitioner, concern, Codes.Protocol(adjuncts), instrument,
                InstrumentKind.Severity, sessions, first, last, age, r.NextDouble() < 0.7 ? "f" : "m", fitz,
                baseline, first, followUp, followUpDate, true, improvement, baseline - followUp, improvement >= 50,
                sessions > 1 ? 28 : null, depth, device, "face"));
        }
        return list;
    }

    private static double Normal(Random r) =>
        Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    /// <summary>Small, fast settings for tests: 3 folds, 40 trees.</summary>
    public static ModellingOptions FastOptions(int seed = 7) => new()
    {
        Folds = 3,
        Seed = seed,
        Trees = 40,
        Leaves = 8,
        GamIterations = 50,
        GamRowLimit = 1_000,
        PermutationCount = 4,
        PermutationMaxRows = 1_000,
        MinCoursesPerModel = 200,
        FittedAt = new DateTimeOffset(2025, 1, 31, 12, 0, 0, TimeSpan.Zero),
    };
}
