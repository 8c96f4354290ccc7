using Analytics.Data;
using Analytics.Jobs;
using Analytics.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Jobs.Tests;

/// <summary>A service provider wired like the CLI: database, jobs and the recording steps, on a temp report folder.</summary>
public sealed class PipelineServices : IAsyncDisposable
{
    private PipelineServices(TestDatabase database, string folder, ServiceProvider provider, RecordingSteps steps)
    {
        Database = database;
        OutputFolder = folder;
        Provider = provider;
        Steps = steps;
    }

    public TestDatabase Database { get; }
    public string OutputFolder { get; }
    public ServiceProvider Provider { get; }
    public RecordingSteps Steps { get; }

    public static async Task<PipelineServices> CreateAsync(DatabaseProvider provider = DatabaseProvider.Sqlite,
        Dictionary<string, string?>? settings = null, bool registerSteps = true)
    {
        var database = await TestDatabase.CreateAsync(provider);
        var folder = Directory.CreateTempSubdirectory("analytics-jobs-").FullName;
        var values = new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider.ToString(),
            ["Database:ConnectionString"] = database.Options.ConnectionString,
            ["Reports:OutputFolder"] = folder,
        };
        foreach (var (k, v) in settings ?? []) values[k] = v;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var steps = new RecordingSteps(folder);
        var services = new ServiceCollection().AddLogging();
        services.AddAnalyticsDatabase(configuration);
        services.AddAnalyticsJobs(configuration);
        if (registerSteps)
        {
            services.AddSingleton<IPullStep>(steps).AddSingleton<IComputeStep>(steps)
                .AddSingleton<IRefitStep>(steps).AddSingleton<IReportStep>(steps);
        }
        return new PipelineServices(database, folder, services.BuildServiceProvider(), steps);
    }

    public async ValueTask DisposeAsync()
    {
        await Provider.DisposeAsync();
        Database.Dispose();
        try { Directory.Delete(OutputFolder, true); } catch (IOException) { }
    }
}
