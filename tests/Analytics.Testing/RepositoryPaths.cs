namespace Analytics.Testing;

/// <summary>Folders of the repository, found from the test's bin folder.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string DataSamples => Path.Combine(Root, "data-samples");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Analytics.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Analytics.sln not found above " + AppContext.BaseDirectory);
    }
}
