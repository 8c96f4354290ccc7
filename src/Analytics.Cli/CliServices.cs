using Analytics.Data;
using Analytics.Jobs;
using Analytics.Jobs.Steps;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Analytics.Cli;

/// <summary>The same services the web host uses, for one CLI invocation.</summary>
public static class CliServices
{
    public static ServiceProvider Build(IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddLogging(b => b
            .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; })
            .SetMinimumLevel(LogLevel.Warning));
        services.AddAnalyticsDatabase(configuration);
        services.AddAnalyticsJobs(configuration);
        services.AddAnalyticsPipelineSteps(configuration);
        return services.BuildServiceProvider();
    }

    /// <summary>Creates or upgrades the schema first, so every verb works on a fresh folder.</summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken ct)
    {
        await using var db = DatabaseSetup.CreateContext(services.GetRequiredService<DatabaseOptions>());
        await DatabaseSetup.MigrateAsync(db, ct);
    }
}
