using Hangfire;
using Microsoft.Extensions.Options;

namespace Analytics.Jobs;

/// <summary>What to run.</summary>
public sealed record PipelineRequest(PipelineStepKind Steps, int? Month, string Trigger)
{
    public static PipelineRequest Full(int? month, string trigger) => new(PipelineStepKind.All, month, trigger);
}

/// <summary>A run that was started: its pipeline_runs id and the Hangfire job ids of its chain, in order.</summary>
public sealed record StartedRun(int RunId, int Month, IReadOnlyList<(PipelineStepKind Step, string JobId)> StepJobs, string FinishJobId);

/// <summary>Records a run in pipeline_runs and enqueues its chain: pull → compute → refit → monthly → protocol → finish.</summary>
public sealed class PipelineLauncher(PipelineRunStore runs, IOptions<ScheduleOptions> schedule, TimeProvider clock)
{
    public async Task<StartedRun> StartAsync(IBackgroundJobClient client, PipelineRequest request, CancellationToken ct)
    {
        if (request.Steps == PipelineStepKind.None) throw new ArgumentException("A run needs at least one step.", nameof(request));
        var month = request.Month is { } m
            ? PipelineSteps.ValidateMonth(m)
            : PipelineSteps.PreviousMonth(clock.GetUtcNow(), schedule.Value.ResolveTimeZone());
        var run = await runs.CreateAsync(month, request.Trigger, ct);
        var runId = run.Id;

        var jobs = new List<(PipelineStepKind, string)>();
        string? previous = null;
        foreach (var step in PipelineSteps.Order.Where(s => request.Steps.HasFlag(s)))
        {
            System.Linq.Expressions.Expression<Func<PipelineJobs, Task>> call = step switch
            {
                PipelineStepKind.Pull => j => j.PullAsync(runId, null, CancellationToken.None),
                PipelineStepKind.Compute => j => j.ComputeAsync(runId, null, CancellationToken.None),
                PipelineStepKind.Refit => j => j.RefitAsync(runId, null, CancellationToken.None),
                PipelineStepKind.MonthlyWorkbooks => j => j.MonthlyWorkbooksAsync(runId, month, null, CancellationToken.None),
                _ => j => j.ProtocolWorkbookAsync(runId, null, CancellationToken.None),
            };
            previous = previous is null ? client.Enqueue(call) : client.ContinueJobWith(previous, call);
            jobs.Add((step, previous));
        }
        var finish = client.ContinueJobWith<PipelineJobs>(previous!, j => j.FinishAsync(runId, CancellationToken.None));
        return new StartedRun(runId, month, jobs, finish);
    }
}
