using Analytics.Jobs.Steps;
using System.Net;
using System.Reflection;
using System.Runtime.Loader;
using Analytics.Data;
using Analytics.Jobs;
using Hangfire;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Analytics.Host;

/// <summary>Builds the web host: Hangfire server and dashboard, report library, API, health checks.</summary>
public static class AnalyticsHost
{
    /// <summary>
    /// <paramref name="configure"/> lets a caller (tests, the lead's wiring) add services before the app is built.
    /// <c>--worker</c> on the command line means <c>Host:Role=Worker</c>.
    /// </summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        EnablePluginsBesideTheHost();
        var worker = args.Contains("--worker");
        var builder = WebApplication.CreateBuilder(args.Where(a => a != "--worker").ToArray());
        if (worker) builder.Configuration["Host:Role"] = nameof(HostRole.Worker);

        var configuration = builder.Configuration;
        var host = configuration.GetSection(HostSettings.Section).Get<HostSettings>() ?? new HostSettings();
        var security = configuration.GetSection(SecuritySettings.Section).Get<SecuritySettings>() ?? new SecuritySettings();
        var storage = Extensions.ReadJobStorageOptions(configuration);
        var services = builder.Services;

        services.AddSingleton(host);
        services.AddSingleton(security);
        services.AddSingleton<AccessControl>();
        services.AddAnalyticsDatabase(configuration);
        services.AddAnalyticsJobs(configuration);
        services.AddAnalyticsPipelineSteps(configuration);
        services.AddHangfire(c => c
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseAnalyticsJobStorage(storage));
        if (host.RunsServer)
        {
            services.AddHangfireServer(o =>
            {
                o.WorkerCount = storage.WorkerCount;
                o.SchedulePollingInterval = storage.SchedulePollingInterval;
                o.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
            });
            services.AddHostedService<RecurringScheduleService>();
        }
        services.AddAntiforgery(o => o.Cookie.Name = "analytics-csrf");
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database")
            .AddCheck<JobStorageHealthCheck>("job-storage");
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Loopback stays trusted (the defaults); add the clinic's proxy.
            foreach (var proxy in security.KnownProxies)
            {
                o.KnownProxies.Add(IPAddress.TryParse(proxy, out var ip) ? ip
                    : throw new PipelineConfigurationException($"Security:KnownProxies entry '{proxy}' is not an IP address."));
            }
        });

        configure?.Invoke(builder);
        var app = builder.Build();

        app.UseForwardedHeaders();
        var access = app.Services.GetRequiredService<AccessControl>();
        app.Use((context, next) => access.InvokeAsync(context, _ => next()));
        app.MapHealthChecks("/health", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { ResponseWriter = HealthResponse.WriteAsync });
        if (host.ServesWeb)
        {
            app.UseAntiforgery();
            app.UseHangfireDashboard("/hangfire", new DashboardOptions
            {
                Authorization = [new AccessControlDashboardFilter()],
                DashboardTitle = "Analytics jobs",
                AppPath = "/",
            });
            ReportLibraryEndpoints.Map(app);
        }
        return app;
    }

    /// <summary>Migrates the database when <c>Host:MigrateOnStart</c>; creates the report folder; checks the schedule.</summary>
    public static async Task PrepareAsync(WebApplication app, CancellationToken ct = default)
    {
        var host = app.Services.GetRequiredService<HostSettings>();
        var reports = app.Services.GetRequiredService<IOptions<ReportsOptions>>().Value;
        Directory.CreateDirectory(reports.FullOutputFolder);
        app.Services.GetRequiredService<IOptions<ScheduleOptions>>().Value.ResolveTimeZone();
        if (host.MigrateOnStart)
        {
            var factory = app.Services.GetRequiredService<IDbContextFactory<AnalyticsDbContext>>();
            await using var db = await factory.CreateDbContextAsync(ct);
            await DatabaseSetup.MigrateAsync(db, ct);
        }
    }

    /// <summary>
    /// Lets ASPNETCORE_HOSTINGSTARTUPASSEMBLIES name an assembly that sits beside the host but is not in its deps.json
    /// (e.g. step implementations deployed as a plugin).
    /// </summary>
    private static void EnablePluginsBesideTheHost()
    {
        if (Interlocked.Exchange(ref _pluginsEnabled, 1) == 1) return;
        AssemblyLoadContext.Default.Resolving += (context, name) =>
        {
            var file = Path.Combine(AppContext.BaseDirectory, name.Name + ".dll");
            return File.Exists(file) ? context.LoadFromAssemblyPath(file) : null;
        };
    }

    private static int _pluginsEnabled;

    internal static string Version => typeof(AnalyticsHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "";
}
