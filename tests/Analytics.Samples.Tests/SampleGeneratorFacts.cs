using System.Security.Cryptography;
using Analytics.Domain;
using Analytics.Samples;

namespace Analytics.Samples.Tests;

public sealed class SampleGeneratorFacts
{
    private static readonly string[] Files =
        [SampleFiles.Sessions, SampleFiles.Assessments, SampleFiles.Satisfaction, SampleFiles.PlantedRejects];

    private static string TempDir() => Path.Combine(Path.GetTempPath(), "samples-facts-" + Guid.NewGuid().ToString("N"));

    private static Dictionary<string, string> Hashes(string dir) =>
        Files.ToDictionary(f => f, f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(dir, f)))));

    private static GeneratorSettings Small(ulong seed) => new()
    {
        Clinics = 2, Months = 6, Seed = seed, SessionsPerClinicPerMonth = 120, BadRowShare = 0.02,
    };

    [Fact]
    public async Task Same_seed_gives_byte_identical_files_and_another_seed_different_ones()
    {
        string a = TempDir(), b = TempDir(), c = TempDir();
        try
        {
            var generator = new SampleGenerator();
            await generator.GenerateAsync(a, Small(11));
            await generator.GenerateAsync(b, Small(11));
            await generator.GenerateAsync(c, Small(12));

            Assert.Equal(Hashes(a), Hashes(b));
            var other = Hashes(c);
            Assert.All(Files, f => Assert.NotEqual(Hashes(a)[f], other[f]));
        }
        finally
        {
            foreach (var d in new[] { a, b, c }) Directory.Delete(d, true);
        }
    }

    [Fact]
    public void Row_counts_scale_with_months_and_volume_and_match_the_summary()
    {
        string a = TempDir(), b = TempDir();
        try
        {
            var generator = new SampleGenerator();
            var oneYear = generator.Generate(a, new GeneratorSettings { Clinics = 1, Months = 12, Seed = 3, SessionsPerClinicPerMonth = 300 });
            var twoYears = generator.Generate(b, new GeneratorSettings { Clinics = 1, Months = 24, Seed = 3, SessionsPerClinicPerMonth = 300 });

            // One clinic has size factor 1: sessions ≈ months × volume, less the ramp-up (no course started before the window).
            Assert.InRange(oneYear.SessionRows, 12 * 300 * 0.8, 12 * 300 * 1.05);
            Assert.InRange(twoYears.SessionRows / (double)oneYear.SessionRows, 1.85, 2.2);
            // Follow-ups and end-of-course surveys come 2–3 months after the last session, so the cut at the
            // window's end costs a fixed amount: the longer window has a little more than twice as many.
            Assert.InRange(twoYears.AssessmentRows / (double)oneYear.AssessmentRows, 2.0, 2.7);
            Assert.InRange(twoYears.SatisfactionRows / (double)oneYear.SatisfactionRows, 2.0, 2.7);

            Assert.Equal(File.ReadLines(Path.Combine(a, SampleFiles.Sessions)).Count() - 1, oneYear.SessionRows);
            Assert.Equal(File.ReadLines(Path.Combine(a, SampleFiles.Assessments)).Count() - 1, oneYear.AssessmentRows);
            Assert.Equal(File.ReadLines(Path.Combine(a, SampleFiles.Satisfaction)).Count() - 1, oneYear.SatisfactionRows);
            Assert.False(File.Exists(Path.Combine(a, SampleFiles.PlantedRejects)));
            Assert.Equal(0, oneYear.PlantedRejects);
        }
        finally
        {
            Directory.Delete(a, true);
            Directory.Delete(b, true);
        }
    }

    [Fact]
    public void As_of_day_is_the_day_after_the_end_month_whatever_today_is()
    {
        var s = new GeneratorSettings { EndMonth = 202602, Months = 3 };
        Assert.Equal(new DateOnly(2025, 12, 1), s.FirstDay);
        Assert.Equal(new DateOnly(2026, 2, 28), s.LastDay);
        Assert.Equal(new DateOnly(2026, 3, 1), s.AsOf);
        Assert.Equal(new DateOnly(2026, 11, 1), new GeneratorSettings().AsOf);
        Assert.Equal("c01-pr01", new GeneratorSettings().SkilledPractitionerId);
    }

    [Fact]
    public async Task Cancellation_stops_generation()
    {
        var dir = TempDir();
        try
        {
            using var cts = new CancellationTokenSource();
            await cts.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                new SampleGenerator().GenerateAsync(dir, new GeneratorSettings { Clinics = 5, Months = 12 }, null, cts.Token));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Progress_is_reported_once_per_clinic()
    {
        var dir = TempDir();
        try
        {
            var reports = new List<GenerationProgress>();
            new SampleGenerator().Generate(dir, new GeneratorSettings { Clinics = 3, Months = 2, SessionsPerClinicPerMonth = 50 },
                new SynchronousProgress(reports.Add));
            Assert.Equal([1, 2, 3], reports.Select(r => r.ClinicsDone));
            Assert.All(reports, r => Assert.Equal(3, r.Clinics));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Missing_column_variant_drops_only_that_column()
    {
        var dir = TempDir();
        try
        {
            new SampleGenerator().Generate(dir, new GeneratorSettings { Clinics = 2, Months = 2, SessionsPerClinicPerMonth = 40 });
            var source = Path.Combine(dir, SampleFiles.Sessions);
            var variant = Path.Combine(dir, "sessions-without-concern.csv");
            SampleGenerator.WriteWithoutColumn(source, "concern", variant);

            var before = CsvTable.Read(dir, SampleFiles.Sessions);
            var after = CsvTable.Read(dir, "sessions-without-concern.csv");
            Assert.Equal(before.Header.Where(h => h != "concern"), after.Header);
            Assert.Equal(before.Rows.Count, after.Rows.Count);
            Assert.Equal(before.Rows.Select(r => r["clinic_name"]), after.Rows.Select(r => r["clinic_name"]));
            Assert.Throws<ArgumentException>(() => SampleGenerator.WriteWithoutColumn(source, "no_such_column", variant));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Settings_out_of_range_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new GeneratorSettings { Clinics = 0 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new GeneratorSettings { EndMonth = 202613 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new GeneratorSettings { BadRowShare = -0.1 }.Validate());
    }

    private sealed class SynchronousProgress(Action<GenerationProgress> report) : IProgress<GenerationProgress>
    {
        public void Report(GenerationProgress value) => report(value);
    }
}
