using System.ComponentModel;
using Hangfire;
using Hangfire.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Jobs;

/// <summary>
/// The Hangfire jobs of a run. Each takes the run id (and the month), never entities; each step runs under a
/// lease so that a re-delivered job (worker killed, invisibility timeout) does not do the work twice, and the
/// monthly workbooks of one month are never built by two workers at once.
/// </summary>
public sealed class PipelineJobs(
    IServiceProvider services,
    PipelineRunStore runs,
    WorkLeaseStore leases,
    IOptions<PipelineJobOptions> jobOptions,
    IOptions<ReportsOptions> reportOptions,
    TimeProvider clock,
    ILogger<PipelineJobs> logger)
{
    // Bad arguments and configuration fail at once; other failures retry (the steps are idempotent).
    private const int Retries = 3;

    [DisplayName("Run {0}: pull")]
    [AutomaticRetry(Attempts = Retries, ExceptOn = [typeof(PipelineConfigurationException), typeof(ArgumentException)])]
    public Task PullAsync(int runId, PerformContext? context, CancellationToken ct) =>
        RunStepAsync(runId, PipelineStepKind.Pull, null, context,
            (p, t) => Step<IPullStep>().PullAsync(p, t), ct);

    [DisplayName("Run {0}: compute outcomes")]
    [AutomaticRetry(Attempts = Retries, ExceptOn = [typeof(PipelineConfigurationException), typeof(ArgumentException)])]
    public Task ComputeAsync(int runId, PerformContext? context, CancellationToken ct) =>
        RunStepAsync(runId, PipelineStepKind.Compute, null, context,
            (p, t) => Step<IComputeStep>().ComputeAsync(p, t), ct);

    [DisplayName("Run {0}: refit models")]
    [AutomaticRetry(Attempts = Retries, ExceptOn = [typeof(PipelineConfigurationException), typeof(ArgumentException)])]
    public Task RefitAsync(int runId, PerformContext? context, CancellationToken ct) =>
        RunStepAsync(runId, PipelineStepKind.Refit, null, context,
            (p, t) => Step<IRefitStep>().RefitAsync(p, t), ct);

    [DisplayName("Run {0}: monthly workbooks {1}")]
    [AutomaticRetry(Attempts = Retries, ExceptOn = [typeof(PipelineConfigurationException), typeof(ArgumentException)])]
    public Task MonthlyWorkbooksAsync(int runId, int month, PerformContext? context, CancellationToken ct) =>
        RunStepAsync(runId, PipelineStepKind.MonthlyWorkbooks, month, context,
            (p, t) => Step<IReportStep>().MonthlyWorkbooksAsync(PipelineSteps.ValidateMonth(month), p, t), ct);

    [DisplayName("Run {0}: protocol workbook")]
    [AutomaticRetry(Attempts = Retries, ExceptOn = [typeof(PipelineConfigurationException), typeof(ArgumentException)])]
    public Task ProtocolWorkbookAsync(int runId, PerformContext? context, CancellationToken ct) =>
        RunStepAsync(runId, PipelineStepKind.ProtocolWorkbook, null, context,
            (p, t) => Step<IReportStep>().ProtocolWorkbookAsync(p, t), ct);

    [DisplayName("Run {0}: finish")]
    [AutomaticRetry(Attempts = Retries)]
    public async Task FinishAsync(int runId, CancellationToken ct)
    {
        await runs.GetAsync(runId, ct);
        await runs.MarkSucceededAsync(runId, ct);
        logger.LogInformation("Run {RunId} succeeded", runId);
    }

    /// <summary>
    /// The lease key. Monthly workbooks lock the month itself (no two runs build one month at once); other steps
    /// lock their place in the run. The scope (run id) tells a re-delivered job that its work is already done.
    /// </summary>
    public static string LeaseKey(int runId, PipelineStepKind step, int? month) => step == PipelineStepKind.MonthlyWorkbooks
        ? $"monthly-workbooks:{month}"
        : $"run:{runId}:{PipelineSteps.Name(step)}";

    private async Task RunStepAsync(int runId, PipelineStepKind step, int? month, PerformContext? context,
        Func<IStepProgress, CancellationToken, Task<StepResult>> work, CancellationToken ct)
    {
        var name = PipelineSteps.Name(step);
        var options = jobOptions.Value;
        var outputRoot = reportOptions.Value.FullOutputFolder;
        var progress = new JobStepProgress(context, logger, name, clock);
        await runs.GetAsync(runId, ct); // a clear message for a run id that does not exist

        var key = LeaseKey(runId, step, month);
        var scope = $"run:{runId}";
        var owner = WorkLeaseStore.OwnerFor(scope);
        context?.SetJobParameter("LeaseKey", key);
        while (true)
        {
            var outcome = await leases.TryAcquireAsync(key, scope, owner, options.LeaseDuration, ct);
            if (outcome == LeaseOutcome.Acquired) break;
            if (outcome == LeaseOutcome.AlreadyCompleted)
            {
                progress.Report($"{name} already done in run {runId}; nothing to do", 1);
                return;
            }
            progress.Report($"waiting: {key} is held by another worker");
            await Task.Delay(options.LeaseWaitPollInterval, clock, ct);
        }

        await runs.MarkRunningAsync(runId, ct);
        using var leaseLost = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var renewStop = new CancellationTokenSource();
        var renewal = RenewUntilStoppedAsync(key, owner, options, leaseLost, renewStop.Token);
        try
        {
            progress.Report($"{name} started");
            var result = await work(progress, leaseLost.Token);
            leaseLost.Token.ThrowIfCancellationRequested();
            var kind = step switch
            {
                PipelineStepKind.MonthlyWorkbooks => "monthly-workbook",
                PipelineStepKind.ProtocolWorkbook => "protocol-workbook",
                _ => null,
            };
            await runs.RecordStepAsync(runId, name, result, month, kind, outputRoot, ct);
            if (!await leases.CompleteAsync(key, owner, ct))
            {
                throw new InvalidOperationException($"Lease {key} was lost before {name} completed.");
            }
            progress.Report($"{name} done: {result.Summary}", 1);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutdown: Hangfire re-queues the job; give the lease up so the next attempt starts at once.
            await leases.ReleaseAsync(key, owner, CancellationToken.None);
            throw;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Run {RunId}: {Step} failed", runId, name);
            await leases.ReleaseAsync(key, owner, CancellationToken.None);
            await runs.MarkFailedAsync(runId, name, ex.Message, CancellationToken.None);
            throw;
        }
        finally
        {
            await renewStop.CancelAsync();
            await renewal;
        }
    }

    private async Task RenewUntilStoppedAsync(string key, string owner, PipelineJobOptions options, CancellationTokenSource leaseLost, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(options.LeaseRenewInterval, clock, stop);
                if (!await leases.RenewAsync(key, owner, options.LeaseDuration, stop))
                {
                    logger.LogWarning("Lease {Key} lost; cancelling the step", key);
                    await leaseLost.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Step finished.
        }
    }

    private T Step<T>() where T : class => services.GetService<T>() ?? throw new PipelineConfigurationException(
        $"No {typeof(T).Name} is registered. The host must register the pipeline step implementations (see README, 'Jobs').");
}
