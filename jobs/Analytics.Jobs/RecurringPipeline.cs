using Hangfire;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Jobs;

/// <summary>The recurring entry points: each starts a recorded run of its steps.</summary>
public sealed class ScheduledRuns(PipelineLauncher launcher, IBackgroundJobClient client, IOptions<ScheduleOptions> schedule, TimeProvider clock)
{
    [AutomaticRetry(Attempts = 3)]
    public Task PullAsync(CancellationToken ct) => Start(PipelineStepKind.Pull, null, "schedule:pull", ct);

    [AutomaticRetry(Attempts = 3)]
    public Task ComputeAsync(CancellationToken ct) => Start(PipelineStepKind.Compute, null, "schedule:compute", ct);

    [AutomaticRetry(Attempts = 3)]
    public Task RefitAsync(CancellationToken ct) => Start(PipelineStepKind.Refit, null, "schedule:refit", ct);

    /// <summary>The month before the day it runs, in the schedule's time zone.</summary>
    [AutomaticRetry(Attempts = 3)]
    public Task MonthlyReportsAsync(CancellationToken ct) => Start(
        PipelineStepKind.MonthlyWorkbooks | PipelineStepKind.ProtocolWorkbook,
        PipelineSteps.PreviousMonth(clock.GetUtcNow(), schedule.Value.ResolveTimeZone()), "schedule:monthly-reports", ct);

    private async Task Start(PipelineStepKind steps, int? month, string trigger, CancellationToken ct) =>
        await launcher.StartAsync(client, new PipelineRequest(steps, month, trigger), ct);
}

/// <summary>
/// Registers the recurring jobs from <see cref="ScheduleOptions"/>. Misfires (slots missed while no server ran):
/// Relaxed everywhere — one catch-up run when a server returns, not one per missed slot. For pull, compute and refit a
/// single run catches up all missed work. For the monthly reports the job builds "the month before today", so Strict
/// would enqueue several identical builds and Ignorable would skip a month: Relaxed builds it once, late.
/// </summary>
public sealed class RecurringSchedule(IRecurringJobManager manager, IOptions<ScheduleOptions> options, ILogger<RecurringSchedule> logger)
{
    public static readonly IReadOnlyList<string> Ids = ["pipeline:pull", "pipeline:compute", "pipeline:refit", "pipeline:monthly-reports"];

    public void Apply()
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            foreach (var id in Ids) manager.RemoveIfExists(id);
            logger.LogInformation("Schedule disabled: recurring jobs removed");
            return;
        }
        var recurring = new RecurringJobOptions { TimeZone = o.ResolveTimeZone(), MisfireHandling = MisfireHandlingMode.Relaxed };
        Add(Ids[0], "Schedule:Pull", o.Pull, () => manager.AddOrUpdate<ScheduledRuns>(Ids[0], j => j.PullAsync(CancellationToken.None), o.Pull, recurring));
        Add(Ids[1], "Schedule:Compute", o.Compute, () => manager.AddOrUpdate<ScheduledRuns>(Ids[1], j => j.ComputeAsync(CancellationToken.None), o.Compute, recurring));
        Add(Ids[2], "Schedule:Refit", o.Refit, () => manager.AddOrUpdate<ScheduledRuns>(Ids[2], j => j.RefitAsync(CancellationToken.None), o.Refit, recurring));
        Add(Ids[3], "Schedule:MonthlyReports", o.MonthlyReports, () => manager.AddOrUpdate<ScheduledRuns>(Ids[3], j => j.MonthlyReportsAsync(CancellationToken.None), o.MonthlyReports, recurring));
        logger.LogInformation("Recurring jobs scheduled in time zone {TimeZone}", recurring.TimeZone.Id);
    }

    private static void Add(string id, string key, string cron, Action add)
    {
        if (string.IsNullOrWhiteSpace(cron)) throw new PipelineConfigurationException($"{key} is empty; give a cron expression such as '0 * * * *'.");
        try
        {
            add();
        }
        catch (ArgumentException ex)
        {
            // Hangfire parses the cron expression (Cronos) and throws ArgumentException for a bad one.
            throw new PipelineConfigurationException($"{key} '{cron}' is not a valid cron expression ({id}): {ex.Message}");
        }
    }
}

/// <summary>Applies the schedule when the host starts.</summary>
public sealed class RecurringScheduleService(RecurringSchedule schedule) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        schedule.Apply();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
