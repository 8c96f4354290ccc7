using Analytics.Data;
using Analytics.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Jobs.Tests;

public sealed class WorkLeaseFacts
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Theory]
    [MemberData(nameof(Analytics.Testing.Providers.Local), MemberType = typeof(Analytics.Testing.Providers))]
    public async Task Of_many_concurrent_claimants_exactly_one_gets_the_lease(DatabaseProvider provider)
    {
        await using var s = await PipelineServices.CreateAsync(provider);
        var store = s.Provider.GetRequiredService<WorkLeaseStore>();
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => store.TryAcquireAsync("monthly-workbooks:202610", $"run:{i}", $"run:{i}|w{i}", Minute, CancellationToken.None))));

        Assert.Equal(1, outcomes.Count(o => o == LeaseOutcome.Acquired));
        Assert.Equal(7, outcomes.Count(o => o == LeaseOutcome.Busy));
        await using var db = s.Database.CreateContext();
        Assert.Equal(1, await db.WorkLeases.CountAsync());
    }

    [Theory]
    [MemberData(nameof(Analytics.Testing.Providers.Local), MemberType = typeof(Analytics.Testing.Providers))]
    public async Task An_expired_lease_is_taken_over_and_the_old_holder_can_no_longer_renew_or_complete(DatabaseProvider provider)
    {
        await using var s = await PipelineServices.CreateAsync(provider);
        var store = s.Provider.GetRequiredService<WorkLeaseStore>();
        Assert.Equal(LeaseOutcome.Acquired, await store.TryAcquireAsync("k", "run:1", "run:1|dead", TimeSpan.FromMilliseconds(200), default));
        Assert.Equal(LeaseOutcome.Busy, await store.TryAcquireAsync("k", "run:1", "run:1|other", Minute, default));
        await Task.Delay(400);

        Assert.Equal(LeaseOutcome.Acquired, await store.TryAcquireAsync("k", "run:1", "run:1|other", Minute, default));
        Assert.False(await store.RenewAsync("k", "run:1|dead", Minute, default));
        Assert.False(await store.CompleteAsync("k", "run:1|dead", default));
        Assert.True(await store.RenewAsync("k", "run:1|other", Minute, default));
        Assert.True(await store.CompleteAsync("k", "run:1|other", default));

        await using var db = s.Database.CreateContext();
        var lease = await db.WorkLeases.SingleAsync();
        Assert.Equal("run:1|other", lease.Owner);
        Assert.NotNull(lease.CompletedAt);
    }

    [Theory]
    [MemberData(nameof(Analytics.Testing.Providers.Local), MemberType = typeof(Analytics.Testing.Providers))]
    public async Task A_completed_lease_means_done_for_its_run_and_is_free_for_another_run(DatabaseProvider provider)
    {
        await using var s = await PipelineServices.CreateAsync(provider);
        var store = s.Provider.GetRequiredService<WorkLeaseStore>();
        await store.TryAcquireAsync("monthly-workbooks:202610", "run:1", "run:1|a", Minute, default);
        await store.CompleteAsync("monthly-workbooks:202610", "run:1|a", default);

        Assert.Equal(LeaseOutcome.AlreadyCompleted, await store.TryAcquireAsync("monthly-workbooks:202610", "run:1", "run:1|b", Minute, default));
        Assert.Equal(LeaseOutcome.Acquired, await store.TryAcquireAsync("monthly-workbooks:202610", "run:2", "run:2|c", Minute, default));
        Assert.Equal(LeaseOutcome.Busy, await store.TryAcquireAsync("monthly-workbooks:202610", "run:3", "run:3|d", Minute, default));
    }

    [Fact]
    public async Task A_redelivered_step_of_the_same_run_does_nothing()
    {
        await using var s = await PipelineServices.CreateAsync();
        var launcher = s.Provider.GetRequiredService<PipelineLauncher>();
        var run = await s.Provider.GetRequiredService<PipelineRunStore>().CreateAsync(202610, "test", default);
        var jobs = s.Provider.GetRequiredService<PipelineJobs>();

        await jobs.MonthlyWorkbooksAsync(run.Id, 202610, null, default);
        await jobs.MonthlyWorkbooksAsync(run.Id, 202610, null, default); // as if Hangfire delivered it again

        Assert.Single(s.Steps.Calls, c => c == "monthly:202610");
        _ = launcher;
    }
}
