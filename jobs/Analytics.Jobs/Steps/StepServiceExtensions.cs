using Analytics.Data;
using Analytics.Ingest;
using Analytics.Modelling;
using Analytics.Outcomes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Analytics.Jobs.Steps;

public static class StepServiceExtensions
{
    /// <summary>
    /// The real pipeline steps: drop-folder pull (ingest), outcome tables, model refit, workbooks — and the
    /// services they use. Registered with TryAdd, so a host that registered its own steps first keeps them.
    /// </summary>
    public static IServiceCollection AddAnalyticsPipelineSteps(this IServiceCollection services, IConfiguration configuration)
    {
        if (!services.Any(s => s.ServiceType == typeof(DatabaseOptions))) services.AddAnalyticsDatabase(configuration);
        services.AddAnalyticsIngest(configuration);
        services.AddAnalyticsOutcomes(configuration);
        var modelling = new ModellingSettings();
        configuration.GetSection(ModellingSettings.Section).Bind(modelling);
        services.TryAddSingleton(modelling);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IModelRegistryStore, DatabaseModelRegistryStore>();
        services.TryAddSingleton<ReportInputs>();
        services.TryAddTransient<IPullStep, DropFolderPullStep>();
        services.TryAddTransient<IComputeStep, OutcomeComputeStep>();
        services.TryAddTransient<IRefitStep, ModelRefitStep>();
        services.TryAddTransient<IReportStep, WorkbookReportStep>();
        return services;
    }
}
