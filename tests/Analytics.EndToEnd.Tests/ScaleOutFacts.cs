using System.Net.Http.Json;
using Analytics.Data;
using Analytics.Domain;
using Analytics.Jobs;
using Analytics.Testing;
using Microsoft.EntityFrameworkCore;

namespace Analytics.EndToEnd.Tests;

/// <summary>Two host processes on one PostgreSQL database (application tables and Hangfire.PostgreSql storage).</summary>
public sealed class ScaleOutFacts
{
    private const int SlowMonth = 202610;

    [Fact]
    public async Task Two_hosts_share_the_work_never_build_a_month_twice_at_once_and_one_finishes_what_a_killed_one_started()
    {
        var connectionString = PostgresCluster.Shared.CreateDatabase("scaleout");
        var folder = Directory.CreateTempSubdirectory("analytics-scaleout-").FullName;
        var reports = Path.Combine(folder, "reports");
        // Application schema and Hangfire schema installed once, from here, before the hosts start.
        await using (var db = DatabaseSetup.CreateContext(new DatabaseOptions { Provider = DatabaseProvider.PostgreSql, ConnectionString = connectionString }))
        {
            await DatabaseSetup.MigrateAsync(db);
        }
        SilentHangfireLogProvider.Install(); // an earlier in-process host's logger factory may be disposed
        Extensions.InstallPostgreSqlSchema(connectionString);

        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_HOSTINGSTARTUPASSEMBLIES"] = "Analytics.EndToEnd.Tests",
            ["Database__Provider"] = "PostgreSql",
            ["Database__ConnectionString"] = connectionString,
            ["JobStorage__Provider"] = "PostgreSql",
            ["JobStorage__ConnectionString"] = connectionString,
            ["JobStorage__PrepareSchema"] = "false",
            ["JobStorage__InvisibilityTimeout"] = "00:00:05",
            ["JobStorage__QueuePollInterval"] = "00:00:00.2",
            ["JobStorage__SchedulePollingInterval"] = "00:00:01",
            ["JobStorage__WorkerCount"] = "2",
            ["Jobs__LeaseDuration"] = "00:00:04",
            ["Jobs__LeaseRenewInterval"] = "00:00:01",
            ["Jobs__LeaseWaitPollInterval"] = "00:00:00.25",
            ["Host__MigrateOnStart"] = "false",
            ["Schedule__Enabled"] = "false",
            ["Reports__OutputFolder"] = reports,
            ["TestSteps__SlowMonth"] = SlowMonth.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["TestSteps__SlowMilliseconds"] = "8000",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
        };
        var startA = HostProcess.StartAsync(environment, TimeSpan.FromSeconds(40));
        var startB = HostProcess.StartAsync(environment, TimeSpan.FromSeconds(40));
        using var a = await startA;
        using var b = await startB;
        using var clientA = new HttpClient { BaseAddress = new Uri(a.BaseUrl) };
        using var clientB = new HttpClient { BaseAddress = new Uri(b.BaseUrl) };
        try
        {
            // 1. Two runs of the same month, started on both hosts at once: each step runs once per run,
            //    and the month's workbooks are never built by two workers at the same time.
            var runs = await Task.WhenAll(Start(clientA, 202609), Start(clientB, 202609));
            foreach (var run in runs) Assert.Equal("Succeeded", await WaitForRunAsync(clientA, run.RunId, TimeSpan.FromSeconds(40)));
            var markers = FileSteps.ReadMarkers(reports);
            foreach (var call in new[] { "pull", "compute", "refit", "protocol", "monthly-202609" })
            {
                Assert.Equal(2, markers.Count(m => m.Call == call && m.DoneTicks is not null));
                Assert.Equal(2, markers.Count(m => m.Call == call));
            }
            var monthly = markers.Where(m => m.Call == "monthly-202609").OrderBy(m => m.StartTicks).ToList();
            Assert.True(monthly[0].DoneTicks <= monthly[1].StartTicks, "two builds of 202609 overlapped");

            // 2. A slow month: kill the host that is building it; the other one takes the job over and finishes the run.
            var slow = await Start(clientA, SlowMonth);
            var building = await WaitForAsync(() => FileSteps.ReadMarkers(reports).FirstOrDefault(m => m.Call == $"monthly-{SlowMonth}"), TimeSpan.FromSeconds(30));
            var (victim, survivor, survivorClient) = building.ProcessId == a.Id ? (a, b, clientB) : (b, a, clientA);
            victim.Kill();

            Assert.Equal("Succeeded", await WaitForRunAsync(survivorClient, slow.RunId, TimeSpan.FromSeconds(60)));
            markers = FileSteps.ReadMarkers(reports);
            var builds = markers.Where(m => m.Call == $"monthly-{SlowMonth}").ToList();
            Assert.Equal(2, builds.Count);                                                  // started by the victim, then the survivor
            Assert.Equal([victim.Id, survivor.Id], builds.Select(m => m.ProcessId));
            Assert.Single(builds, m => m.DoneTicks is not null);                            // completed once
            Assert.Equal(survivor.Id, builds.Single(m => m.DoneTicks is not null).ProcessId);
            foreach (var call in new[] { "pull", "compute", "refit", "protocol" })
            {
                Assert.Equal(3, markers.Count(m => m.Call == call && m.DoneTicks is not null)); // once in each of the 3 runs
            }

            // Nothing half-written: the workbooks are complete, no temp files remain, one artifact row per file.
            Assert.Empty(Directory.GetFiles(reports, "*.partial", SearchOption.AllDirectories));
            foreach (var name in new[] { "clinic-north", "clinic-south", "network" })
            {
                var text = await File.ReadAllTextAsync(Path.Combine(reports, SlowMonth.ToString(System.Globalization.CultureInfo.InvariantCulture), name + ".xlsx"));
                Assert.EndsWith("complete\n", text, StringComparison.Ordinal);
            }
            await using var check = DatabaseSetup.CreateContext(new DatabaseOptions { Provider = DatabaseProvider.PostgreSql, ConnectionString = connectionString });
            var artifacts = await check.ReportArtifacts.Where(x => x.Month == SlowMonth).ToListAsync();
            Assert.Equal(3, artifacts.Count);
            Assert.All(artifacts, x => Assert.Equal(slow.RunId, x.PipelineRunId));
            var lease = await check.WorkLeases.SingleAsync(l => l.Key == $"monthly-workbooks:{SlowMonth}");
            Assert.NotNull(lease.CompletedAt);
            Assert.Contains($":{survivor.Id}:", lease.Owner, StringComparison.Ordinal);
            Assert.Equal(3, await check.PipelineRuns.CountAsync(r => r.Status == PipelineStatus.Succeeded));
        }
        catch
        {
            Console.WriteLine("--- host A ---\n" + a.Output + "\n--- host B ---\n" + b.Output);
            throw;
        }
        finally
        {
            try { Directory.Delete(folder, true); } catch (IOException) { }
        }
    }

    private sealed record Started(int RunId, int Month, List<string> JobIds);

    private sealed record RunDto(int Id, string Status, string? Error);

    private static async Task<Started> Start(HttpClient client, int month)
    {
        var response = await client.PostAsJsonAsync("/api/pipeline/run", new { month });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<Started>())!;
    }

    private static async Task<string?> WaitForRunAsync(HttpClient client, int runId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        RunDto? run = null;
        while (DateTime.UtcNow < deadline)
        {
            run = await client.GetFromJsonAsync<RunDto>($"/api/pipeline/runs/{runId}");
            if (run?.Status == "Succeeded") return run.Status;
            await Task.Delay(250);
        }
        return $"{run?.Status}: {run?.Error}";
    }

    private static async Task<T> WaitForAsync<T>(Func<T?> probe, TimeSpan timeout) where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (probe() is { } value) return value;
            await Task.Delay(100);
        }
        throw new TimeoutException("condition not met");
    }
}
