using Analytics.Domain;
using Hangfire;
using Hangfire.Client;
using Hangfire.Common;
using Hangfire.Server;
using Hangfire.InMemory;
using Hangfire.States;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Analytics.Jobs;

/// <summary>Where a run is: one report per step state change or progress message.</summary>
public sealed record PipelineProgress(PipelineStepKind Step, int StepIndex, int StepCount, string State, string? Message, double? Fraction);

/// <summary>The finished run as recorded in pipeline_runs, plus what each step produced.</summary>
public sealed record PipelineRunResult(int RunId, PipelineStatus Status, int? Month, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt,
    string? Error, IReadOnlyList<ProducedEntry> Produced)
{
    public IReadOnlyList<string> Files => Produced.SelectMany(p => p.Files).ToList();
}

/// <summary>
/// Runs the whole pipeline from the command line through a real Hangfire server on its own in-memory storage:
/// the same jobs, continuations, leases and run record as the web host, then waits for the chain to finish.
/// </summary>
public sealed class InProcessPipeline(IServiceProvider services, PipelineLauncher launcher, PipelineRunStore runs, ILoggerFactory loggers)
{
    private static readonly HashSet<string> Final = [SucceededState.StateName, FailedState.StateName, DeletedState.StateName];

    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    public Task<PipelineRunResult> RunAsync(int? month, IProgress<PipelineProgress>? progress, CancellationToken ct) =>
        RunAsync(PipelineRequest.Full(month, "cli"), progress, ct);

    public async Task<PipelineRunResult> RunAsync(PipelineRequest request, IProgress<PipelineProgress>? progress, CancellationToken ct)
    {
        using var storage = new InMemoryStorage();
        var client = new BackgroundJobClient(storage);
        var started = await launcher.StartAsync(client, request, ct);

        var filters = JobFilterProviders.Providers;
        var activator = new ServiceProviderJobActivator(services.GetRequiredService<IServiceScopeFactory>());
        var serverOptions = new BackgroundJobServerOptions
        {
            ServerName = $"cli-{Environment.ProcessId}",
            WorkerCount = 1, // steps run one after another anyway
            SchedulePollingInterval = PollInterval,
        };
        // The only way to give a plain BackgroundJobServer a DI activator in 1.8 (Hangfire.NetCore uses it too).
#pragma warning disable CS0618
        var server = new BackgroundJobServer(serverOptions, storage, [], filters, activator,
            new BackgroundJobFactory(filters), new BackgroundJobPerformer(filters, activator), new BackgroundJobStateChanger(filters));
#pragma warning restore CS0618
        var logger = loggers.CreateLogger<InProcessPipeline>();
        try
        {
            await WaitAsync(storage, started, progress, ct);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("Run {RunId} cancelled", started.RunId);
            server.SendStop();
            server.Dispose(); // waits for the running step to observe its cancellation token
            await runs.MarkFailedAsync(started.RunId, "run", "cancelled", CancellationToken.None);
            throw;
        }
        server.Dispose();

        var run = await runs.GetAsync(started.RunId, CancellationToken.None);
        return new PipelineRunResult(run.Id, run.Status, run.Month, run.StartedAt, run.FinishedAt, run.Error,
            PipelineRunStore.ReadProduced(run.Produced));
    }

    private async Task WaitAsync(JobStorage storage, StartedRun started, IProgress<PipelineProgress>? progress, CancellationToken ct)
    {
        var monitoring = storage.GetMonitoringApi();
        var seen = new Dictionary<string, string>();
        var count = started.StepJobs.Count;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            using (var connection = storage.GetConnection())
            {
                for (var i = 0; i < count; i++)
                {
                    var (step, jobId) = started.StepJobs[i];
                    var state = connection.GetStateData(jobId)?.Name ?? "Unknown";
                    var text = connection.GetJobParameter(jobId, JobStepProgress.Parameter);
                    var record = text is null ? null : SerializationHelper.Deserialize<StepProgressRecord>(text);
                    var key = $"{state}|{record?.Message}";
                    if (seen.TryGetValue(jobId, out var last) && last == key) continue;
                    seen[jobId] = key;
                    progress?.Report(new PipelineProgress(step, i + 1, count, state, record?.Message, record?.Fraction));
                }
                var finish = connection.GetStateData(started.FinishJobId)?.Name;
                if (finish is not null && Final.Contains(finish)) return;
            }
            // A failed step marks the run Failed; its retry (if any) would only repeat the error in a CLI run.
            var run = await runs.FindAsync(started.RunId, ct);
            if (run?.Status == PipelineStatus.Failed) return;
            if (started.StepJobs.Any(j => monitoring.JobDetails(j.JobId)?.History.FirstOrDefault()?.StateName is { } name && name != SucceededState.StateName && Final.Contains(name))) return;
            await Task.Delay(PollInterval, ct);
        }
    }
}

/// <summary>Creates job instances in a DI scope per job (what Hangfire.AspNetCore does, without the ASP.NET dependency).</summary>
public sealed class ServiceProviderJobActivator(IServiceScopeFactory scopes) : JobActivator
{
    public override JobActivatorScope BeginScope(JobActivatorContext context) => new Scope(scopes.CreateScope());

    private sealed class Scope(IServiceScope scope) : JobActivatorScope
    {
        public override object Resolve(Type type) => ActivatorUtilities.GetServiceOrCreateInstance(scope.ServiceProvider, type);

        public override void DisposeScope() => scope.Dispose();
    }
}
