using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.SqlServer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Analytics.Jobs;

public static class Extensions
{
    /// <summary>
    /// Options (Schedule, JobStorage, Reports, Jobs), the job classes, the lease and run stores, the launcher, the schedule
    /// and <see cref="InProcessPipeline"/>. The caller also calls <c>AddAnalyticsDatabase</c> and registers the steps
    /// (<see cref="IPullStep"/>, <see cref="IComputeStep"/>, <see cref="IRefitStep"/>, <see cref="IReportStep"/>).
    /// Does not start a Hangfire server: the web host adds one with <c>AddHangfireServer</c>.
    /// </summary>
    public static IServiceCollection AddAnalyticsJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ScheduleOptions>().Bind(configuration.GetSection(ScheduleOptions.Section));
        services.AddOptions<JobStorageOptions>().Bind(configuration.GetSection(JobStorageOptions.Section));
        services.AddOptions<ReportsOptions>().Bind(configuration.GetSection(ReportsOptions.Section));
        services.AddOptions<PipelineJobOptions>().Bind(configuration.GetSection(PipelineJobOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<WorkLeaseStore>();
        services.TryAddSingleton<PipelineRunStore>();
        services.TryAddSingleton<PipelineLauncher>();
        services.TryAddSingleton<RecurringSchedule>();
        services.TryAddTransient<PipelineJobs>();
        services.TryAddTransient<ScheduledRuns>();
        services.TryAddTransient<InProcessPipeline>();
        return services;
    }

    public static JobStorageOptions ReadJobStorageOptions(IConfiguration configuration)
    {
        var options = new JobStorageOptions();
        configuration.GetSection(JobStorageOptions.Section).Bind(options);
        return options;
    }

    /// <summary>The configured job storage (InMemory, SqlServer or PostgreSql), with short polling intervals.</summary>
    public static IGlobalConfiguration UseAnalyticsJobStorage(this IGlobalConfiguration configuration, JobStorageOptions options)
    {
        var cs = options.EffectiveConnectionString;
        return options.Provider switch
        {
            JobStorageProvider.InMemory => configuration.UseInMemoryStorage(new InMemoryStorageOptions()),
            JobStorageProvider.SqlServer => configuration.UseSqlServerStorage(cs, new SqlServerStorageOptions
            {
                PrepareSchemaIfNecessary = options.PrepareSchema,
                SchemaName = options.Schema,
                QueuePollInterval = options.QueuePollInterval,
                SlidingInvisibilityTimeout = options.InvisibilityTimeout,
            }),
            JobStorageProvider.PostgreSql => configuration.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(cs), PostgreSqlOptions(options)),
            _ => throw new PipelineConfigurationException($"Unknown JobStorage:Provider '{options.Provider}' (InMemory, SqlServer or PostgreSql)."),
        };
    }

    public static PostgreSqlStorageOptions PostgreSqlOptions(JobStorageOptions options) => new()
    {
        PrepareSchemaIfNecessary = options.PrepareSchema,
        SchemaName = options.Schema,
        QueuePollInterval = options.QueuePollInterval,
        InvisibilityTimeout = options.InvisibilityTimeout,
        UseSlidingInvisibilityTimeout = true,
        EnableLongPolling = true,
    };

    /// <summary>Installs the Hangfire.PostgreSql schema once (before several servers start with PrepareSchema=false).</summary>
    public static void InstallPostgreSqlSchema(string connectionString, string schema = "hangfire")
    {
        using var connection = new Npgsql.NpgsqlConnection(connectionString);
        connection.Open();
        PostgreSqlObjectsInstaller.Install(connection, schema);
    }
}
