using System.Security.Cryptography;
using Analytics.Samples;

namespace Analytics.Samples.Tests;

public sealed class CommittedSamplesFacts
{
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Analytics.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException("Analytics.sln not found above the test binaries.");
    }

    [Fact]
    public void The_committed_samples_are_what_their_settings_generate()
    {
        var committed = Path.Combine(RepositoryRoot(), "data-samples");
        var fresh = Path.Combine(Path.GetTempPath(), "samples-committed-" + Guid.NewGuid().ToString("N"));
        try
        {
            new SampleGenerator().Generate(fresh, GeneratorSettings.CommittedSamples);
            foreach (var file in new[] { SampleFiles.Sessions, SampleFiles.Assessments, SampleFiles.Satisfaction, SampleFiles.PlantedRejects })
            {
                var expected = SHA256.HashData(File.ReadAllBytes(Path.Combine(committed, file)));
                var actual = SHA256.HashData(File.ReadAllBytes(Path.Combine(fresh, file)));
                Assert.True(expected.AsSpan().SequenceEqual(actual), $"{file} differs from a fresh generation: regenerate data-samples (see its README).");
            }
        }
        finally
        {
            Directory.Delete(fresh, true);
        }
    }
}
