using Analytics.Jobs;
using Hangfire;
using Hangfire.InMemory;
using Hangfire.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Analytics.Jobs.Tests;

public sealed class ScheduleFacts
{
    [Fact]
    public void Recurring_jobs_use_the_configured_crons_and_time_zone_with_relaxed_misfires()
    {
        using var storage = new InMemoryStorage();
        var options = new ScheduleOptions { TimeZone = "Europe/Berlin", Pull = "15 * * * *", MonthlyReports = "0 7 1 * *" };
        new RecurringSchedule(new RecurringJobManager(storage), Options.Create(options), NullLogger<RecurringSchedule>.Instance).Apply();

        using var connection = storage.GetConnection();
        var jobs = connection.GetRecurringJobs().ToDictionary(j => j.Id);
        Assert.Equal(RecurringSchedule.Ids.Order(), jobs.Keys.Order());
        Assert.Equal("15 * * * *", jobs["pipeline:pull"].Cron);
        Assert.Equal("30 2 * * *", jobs["pipeline:compute"].Cron);
        Assert.Equal("0 4 * * 0", jobs["pipeline:refit"].Cron);
        Assert.Equal("0 7 1 * *", jobs["pipeline:monthly-reports"].Cron);
        Assert.All(jobs.Values, j => Assert.Equal("Europe/Berlin", j.TimeZoneId));
        // The DTO has no misfire mode: read the recurring job's hash ("Misfire" holds the enum's number; absent = Relaxed, the default).
        // A control job with Strict shows the field is really written and read this way.
        new RecurringJobManager(storage).AddOrUpdate("control", () => Console.WriteLine(), "0 * * * *",
            new RecurringJobOptions { MisfireHandling = MisfireHandlingMode.Strict });
        Assert.Equal(MisfireHandlingMode.Strict, Misfire(connection, "control"));
        foreach (var id in RecurringSchedule.Ids) Assert.Equal(MisfireHandlingMode.Relaxed, Misfire(connection, id));
        // 07:00 on the 1st in Berlin is 06:00 UTC in winter.
        var next = jobs["pipeline:monthly-reports"].NextExecution!.Value;
        Assert.Equal(1, next.Day);
        Assert.Equal(7, TimeZoneInfo.ConvertTimeBySystemTimeZoneId(next, "Europe/Berlin").Hour);
    }

    private static MisfireHandlingMode Misfire(IStorageConnection connection, string id)
    {
        var hash = connection.GetAllEntriesFromHash($"recurring-job:{id}") ?? [];
        return hash.TryGetValue("Misfire", out var m) ? Enum.Parse<MisfireHandlingMode>(m) : MisfireHandlingMode.Relaxed;
    }

    [Fact]
    public void A_disabled_schedule_removes_the_recurring_jobs()
    {
        using var storage = new InMemoryStorage();
        var manager = new RecurringJobManager(storage);
        new RecurringSchedule(manager, Options.Create(new ScheduleOptions()), NullLogger<RecurringSchedule>.Instance).Apply();
        new RecurringSchedule(manager, Options.Create(new ScheduleOptions { Enabled = false }), NullLogger<RecurringSchedule>.Instance).Apply();
        using var connection = storage.GetConnection();
        Assert.Empty(connection.GetRecurringJobs());
    }

    [Theory]
    [InlineData("Mars/Olympus", "Schedule:TimeZone 'Mars/Olympus'")]
    public void A_bad_time_zone_fails_with_the_key_in_the_message(string zone, string expected)
    {
        using var storage = new InMemoryStorage();
        var ex = Assert.Throws<PipelineConfigurationException>(() =>
            new RecurringSchedule(new RecurringJobManager(storage), Options.Create(new ScheduleOptions { TimeZone = zone }), NullLogger<RecurringSchedule>.Instance).Apply());
        Assert.StartsWith(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_cron_fails_with_the_key_in_the_message()
    {
        using var storage = new InMemoryStorage();
        var ex = Assert.Throws<PipelineConfigurationException>(() =>
            new RecurringSchedule(new RecurringJobManager(storage), Options.Create(new ScheduleOptions { Refit = "every sunday" }), NullLogger<RecurringSchedule>.Instance).Apply());
        Assert.StartsWith("Schedule:Refit 'every sunday'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    // 1 Nov 2026 00:30 in Auckland (UTC+13) is still 31 Oct in UTC: the month before differs by zone.
    [InlineData("2026-10-31T11:30:00Z", "Pacific/Auckland", 202610)]
    [InlineData("2026-10-31T11:30:00Z", "UTC", 202609)]
    [InlineData("2026-01-01T06:00:00Z", "UTC", 202512)]
    public void The_month_before_is_taken_in_the_schedule_time_zone(string now, string zone, int expected) =>
        Assert.Equal(expected, PipelineSteps.PreviousMonth(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture), TimeZoneInfo.FindSystemTimeZoneById(zone)));

    [Theory]
    [InlineData(202600)]
    [InlineData(202613)]
    [InlineData(2026)]
    public void Months_outside_yyyymm_are_refused(int month) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PipelineSteps.ValidateMonth(month));
}
