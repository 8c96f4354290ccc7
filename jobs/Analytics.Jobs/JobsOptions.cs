namespace Analytics.Jobs;

/// <summary>A configuration value the jobs cannot work with; jobs fail with it at once instead of retrying.</summary>
public sealed class PipelineConfigurationException(string message) : Exception(message);

/// <summary>The <c>Schedule</c> section: cron expressions (5 fields) in one IANA time zone.</summary>
public sealed class ScheduleOptions
{
    public const string Section = "Schedule";

    /// <summary>IANA id such as <c>Europe/Berlin</c>; cron slots are read in this zone.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>False: no recurring jobs are registered (existing ones are removed).</summary>
    public bool Enabled { get; set; } = true;

    public string Pull { get; set; } = "0 * * * *";            // hourly, on the hour
    public string Compute { get; set; } = "30 2 * * *";        // nightly 02:30
    public string Refit { get; set; } = "0 4 * * 0";           // Sundays 04:00
    public string MonthlyReports { get; set; } = "0 6 1 * *";  // the 1st, 06:00, for the month before

    public TimeZoneInfo ResolveTimeZone()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(string.IsNullOrWhiteSpace(TimeZone) ? "UTC" : TimeZone);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new PipelineConfigurationException(
                $"Schedule:TimeZone '{TimeZone}' is not a known IANA time zone id (e.g. 'UTC', 'Europe/Berlin').");
        }
    }
}

public enum JobStorageProvider
{
    InMemory,
    SqlServer,
    PostgreSql,
}

/// <summary>The <c>JobStorage</c> section: where Hangfire keeps jobs, and how fast workers poll.</summary>
public sealed class JobStorageOptions
{
    public const string Section = "JobStorage";

    public JobStorageProvider Provider { get; set; } = JobStorageProvider.InMemory;

    public string? ConnectionString { get; set; }

    /// <summary>Create/upgrade the Hangfire schema on start. Turn off on all but one node when several start at once.</summary>
    public bool PrepareSchema { get; set; } = true;

    public string Schema { get; set; } = "hangfire";

    public TimeSpan SchedulePollingInterval { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>PostgreSQL: how long a fetched job stays invisible before another worker may take it (sliding while the worker lives).</summary>
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    public int WorkerCount { get; set; } = Math.Min(Environment.ProcessorCount * 2, 8);

    public string EffectiveConnectionString => Provider == JobStorageProvider.InMemory
        ? string.Empty
        : string.IsNullOrWhiteSpace(ConnectionString)
            ? throw new PipelineConfigurationException($"JobStorage:ConnectionString is required for JobStorage:Provider {Provider}.")
            : ConnectionString!;
}

/// <summary>The <c>Reports</c> section shared with the report writers.</summary>
public sealed class ReportsOptions
{
    public const string Section = "Reports";

    /// <summary>Workbooks go below it; the compute step caches CSV exports in <c>exports/</c> under it.</summary>
    public string OutputFolder { get; set; } = "reports/out";

    public string FullOutputFolder => string.IsNullOrWhiteSpace(OutputFolder)
        ? throw new PipelineConfigurationException("Reports:OutputFolder is empty.")
        : Path.GetFullPath(OutputFolder);
}

/// <summary>The <c>Jobs</c> section: leases and retries.</summary>
public sealed class PipelineJobOptions
{
    public const string Section = "Jobs";

    /// <summary>A lease not renewed for this long is taken over (its holder is presumed dead).</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often a holder renews its lease; well under <see cref="LeaseDuration"/>.</summary>
    public TimeSpan LeaseRenewInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How often a waiting job checks a lease held by someone else.</summary>
    public TimeSpan LeaseWaitPollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
