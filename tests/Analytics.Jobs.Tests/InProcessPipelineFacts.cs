using Analytics.Domain;
using Analytics.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Jobs.Tests;

public sealed class InProcessPipelineFacts
{
    [Theory]
    [MemberData(nameof(Analytics.Testing.Providers.Local), MemberType = typeof(Analytics.Testing.Providers))]
    public async Task Runs_every_step_once_in_order_through_Hangfire_and_records_the_run(Analytics.Data.DatabaseProvider provider)
    {
        await using var s = await PipelineServices.CreateAsync(provider);
        var reports = new List<PipelineProgress>();
        var progress = new SynchronousProgress<PipelineProgress>(reports.Add);

        var result = await s.Provider.GetRequiredService<InProcessPipeline>().RunAsync(202610, progress, CancellationToken.None);

        Assert.Equal(PipelineStatus.Succeeded, result.Status);
        Assert.Null(result.Error);
        Assert.Equal(202610, result.Month);
        Assert.NotNull(result.FinishedAt);
        Assert.Equal(["pull", "compute", "refit", "monthly:202610", "protocol"], s.Steps.Calls.ToArray());
        Assert.Equal(["pull", "compute", "refit", "monthly-workbooks", "protocol-workbook"], result.Produced.Select(p => p.Step));
        Assert.All(result.Files, f => Assert.True(File.Exists(f), f));
        Assert.Contains(Path.Combine(s.OutputFolder, "202610", "network.xlsx"), result.Files);

        // Progress came from the jobs themselves (job parameters), for every step, and each step reached Succeeded.
        foreach (var step in PipelineSteps.Order)
        {
            Assert.Contains(reports, r => r.Step == step && r.State == "Succeeded");
            Assert.Contains(reports, r => r.Step == step && r.Message is not null);
        }

        await using var db = s.Database.CreateContext();
        var artifacts = await db.ReportArtifacts.OrderBy(a => a.RelativePath).ToListAsync();
        Assert.Equal(["202610/clinic-a.xlsx", "202610/network.xlsx", "protocol-comparison.xlsx"], artifacts.Select(a => a.RelativePath));
        Assert.Equal("clinic-a", artifacts[0].ClinicId);
        Assert.Null(artifacts[1].ClinicId);
        Assert.All(artifacts, a => Assert.Equal(result.RunId, a.PipelineRunId));
        Assert.Equal(new FileInfo(Path.Combine(s.OutputFolder, "202610", "network.xlsx")).Length, artifacts[1].SizeBytes);
        var run = await db.PipelineRuns.SingleAsync();
        Assert.Equal("cli", run.Trigger);
    }

    [Fact]
    public async Task A_second_run_of_the_same_month_rebuilds_without_duplicating_artifacts()
    {
        await using var s = await PipelineServices.CreateAsync();
        var pipeline = s.Provider.GetRequiredService<InProcessPipeline>();
        var first = await pipeline.RunAsync(202609, null, CancellationToken.None);
        var second = await pipeline.RunAsync(202609, null, CancellationToken.None);

        Assert.Equal(PipelineStatus.Succeeded, second.Status);
        Assert.NotEqual(first.RunId, second.RunId);
        Assert.Equal(2, s.Steps.Calls.Count(c => c == "monthly:202609"));
        await using var db = s.Database.CreateContext();
        Assert.Equal(3, await db.ReportArtifacts.CountAsync());
        Assert.All(await db.ReportArtifacts.ToListAsync(), a => Assert.Equal(second.RunId, a.PipelineRunId));
        Assert.Equal(2, await db.PipelineRuns.CountAsync(r => r.Status == PipelineStatus.Succeeded));
    }

    [Fact]
    public async Task A_failing_step_fails_the_run_with_its_message_and_stops_the_chain()
    {
        await using var s = await PipelineServices.CreateAsync();
        s.Steps.FailOn = call => call == "compute" ? new InvalidDataException("outcome table broken") : null;

        var result = await s.Provider.GetRequiredService<InProcessPipeline>().RunAsync(202610, null, CancellationToken.None);

        Assert.Equal(PipelineStatus.Failed, result.Status);
        Assert.Equal("compute: outcome table broken", result.Error);
        Assert.DoesNotContain(s.Steps.Calls, c => c is "refit" or "protocol" || c.StartsWith("monthly", StringComparison.Ordinal));
        Assert.Equal(["pull"], result.Produced.Select(p => p.Step));
    }

    [Fact]
    public async Task Missing_step_implementations_fail_with_a_clear_message()
    {
        await using var s = await PipelineServices.CreateAsync(registerSteps: false);
        var result = await s.Provider.GetRequiredService<InProcessPipeline>().RunAsync(202610, null, CancellationToken.None);
        Assert.Equal(PipelineStatus.Failed, result.Status);
        Assert.StartsWith("pull: No IPullStep is registered", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_month_is_refused_before_anything_runs()
    {
        await using var s = await PipelineServices.CreateAsync();
        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            s.Provider.GetRequiredService<InProcessPipeline>().RunAsync(202613, null, CancellationToken.None));
        Assert.Contains("yyyymm", ex.Message, StringComparison.Ordinal);
        Assert.Empty(s.Steps.Calls);
    }

    [Fact]
    public async Task A_bad_month_reaching_the_job_fails_the_run_without_retrying()
    {
        await using var s = await PipelineServices.CreateAsync();
        var run = await s.Provider.GetRequiredService<PipelineRunStore>().CreateAsync(null, "test", default);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            s.Provider.GetRequiredService<PipelineJobs>().MonthlyWorkbooksAsync(run.Id, 202600, null, default));
        var record = await s.Provider.GetRequiredService<PipelineRunStore>().GetAsync(run.Id, default);
        Assert.Equal(PipelineStatus.Failed, record.Status);
        Assert.StartsWith("monthly-workbooks: Month must be yyyymm", record.Error, StringComparison.Ordinal);
        Assert.Empty(s.Steps.Calls);
    }

    [Fact]
    public async Task Cancelling_stops_the_run_and_marks_it_failed()
    {
        await using var s = await PipelineServices.CreateAsync();
        using var cts = new CancellationTokenSource();
        var gate = new TaskCompletionSource();
        s.Steps.FailOn = call =>
        {
            if (call == "refit") { cts.Cancel(); gate.Task.Wait(TimeSpan.FromSeconds(1)); }
            return null;
        };
        var pipeline = s.Provider.GetRequiredService<InProcessPipeline>();
        var run = pipeline.RunAsync(202610, null, cts.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => { try { await run; } finally { gate.TrySetResult(); } });
        await using var db = s.Database.CreateContext();
        var record = await db.PipelineRuns.SingleAsync();
        Assert.Equal(PipelineStatus.Failed, record.Status);
        Assert.Contains("cancelled", record.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("protocol", s.Steps.Calls);
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) { lock (this) report(value); }
    }
}
