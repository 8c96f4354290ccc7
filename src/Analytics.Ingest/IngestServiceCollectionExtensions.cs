using Analytics.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Analytics.Ingest;

public static class IngestServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="Importer"/>, <see cref="RejectsExporter"/>, <see cref="DropFolderPuller"/>,
    /// <see cref="PatientPseudonymiser"/> and the options <c>Privacy</c> and <c>Sources:DropFolder</c>.
    /// Uses the <see cref="DatabaseOptions"/> of <c>AddAnalyticsDatabase</c> when registered, else reads <c>Database</c>.
    /// </summary>
    public static IServiceCollection AddAnalyticsIngest(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(_ => DatabaseSetup.ReadOptions(configuration));
        var privacy = new PrivacyOptions();
        configuration.GetSection(PrivacyOptions.Section).Bind(privacy);
        services.TryAddSingleton(privacy);
        var drop = new DropFolderOptions();
        configuration.GetSection(DropFolderOptions.Section).Bind(drop);
        services.TryAddSingleton(drop);
        services.TryAddSingleton(sp => PatientPseudonymiser.Create(
            sp.GetRequiredService<PrivacyOptions>(), sp.GetRequiredService<DatabaseOptions>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger<PatientPseudonymiser>() ?? (ILogger)NullLogger.Instance));
        services.TryAddSingleton(sp => new Importer(sp.GetRequiredService<DatabaseOptions>(), sp.GetRequiredService<PatientPseudonymiser>(),
            sp.GetService<ILogger<Importer>>() ?? NullLogger<Importer>.Instance));
        services.TryAddSingleton<RejectsExporter>();
        services.TryAddSingleton(sp => new DropFolderPuller(sp.GetRequiredService<DropFolderOptions>(), sp.GetRequiredService<Importer>(),
            sp.GetService<ILogger<DropFolderPuller>>() ?? NullLogger<DropFolderPuller>.Instance));
        return services;
    }
}
