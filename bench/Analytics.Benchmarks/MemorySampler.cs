namespace Analytics.Benchmarks;

/// <summary>What the process's memory was made of at the highest resident set size the sampler saw.</summary>
public sealed record MemoryAtPeak(
    double RssMb,
    /// <summary>SQLite's heap then (sqlite3_memory_used) and, of it, its page caches.</summary>
    double? SqliteMb,
    double? PageCacheMb,
    /// <summary>.NET's heap then (GC.GetTotalMemory without a collection: live objects plus garbage not yet collected).</summary>
    double ManagedMb,
    /// <summary>Memory the GC had committed as of its last collection (GCMemoryInfo.TotalCommittedBytes): its share of RSS.</summary>
    double GcCommittedMb,
    /// <summary>The step's phase then (the importer's progress label) and the seconds since sampling began.</summary>
    string? Phase,
    double AtSeconds,
    int Samples);

/// <summary>
/// Samples the process every few milliseconds on its own thread (RSS from /proc/self/statm, SQLite's and .NET's
/// heaps, the step's current phase) and keeps the sample with the highest RSS, so a peak can be split into
/// SQLite's part and the rest and placed in a phase. VmHWM stays the peak of record: a short spike between two
/// samples is missed here.
/// </summary>
public sealed class MemorySampler : IDisposable
{
    private readonly Func<string?> _phase;
    private readonly TimeSpan _interval;
    private readonly Thread _thread;
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private readonly long _pageSize = Environment.SystemPageSize;
    private volatile bool _stop;
    private MemoryAtPeak? _peak;
    private int _samples;

    public MemorySampler(Func<string?> phase, TimeSpan? interval = null)
    {
        _phase = phase;
        _interval = interval ?? TimeSpan.FromMilliseconds(20);
        SQLitePCL.Batteries_V2.Init();
        _thread = new Thread(Run) { IsBackground = true, Name = "memory sampler" };
        _thread.Start();
    }

    /// <summary>Stops sampling (after one last sample) and returns the highest-RSS sample.</summary>
    public MemoryAtPeak? Stop()
    {
        _stop = true;
        _thread.Join();
        return _peak;
    }

    public void Dispose() => Stop();

    private void Run()
    {
        while (true)
        {
            Sample();
            if (_stop) return;
            Thread.Sleep(_interval);
        }
    }

    private void Sample()
    {
        var rss = ResidentMb();
        if (rss is null) return;
        _samples++;
        if (_peak is not null && rss <= _peak.RssMb)
        {
            _peak = _peak with { Samples = _samples };
            return;
        }
        var sqlite = SQLitePCL.raw.sqlite3_memory_used();
        var rc = SQLitePCL.raw.sqlite3_status(SQLitePCL.raw.SQLITE_STATUS_PAGECACHE_OVERFLOW, out var pageCache, out _, 0);
        _peak = new MemoryAtPeak(rss.Value, sqlite / 1048576.0, rc == SQLitePCL.raw.SQLITE_OK ? pageCache / 1048576.0 : null,
            GC.GetTotalMemory(forceFullCollection: false) / 1048576.0, GC.GetGCMemoryInfo().TotalCommittedBytes / 1048576.0,
            _phase(), _clock.Elapsed.TotalSeconds, _samples);
    }

    /// <summary>Resident pages × page size: the second field of /proc/self/statm.</summary>
    private double? ResidentMb()
    {
        try
        {
            var fields = File.ReadAllText("/proc/self/statm").Split(' ');
            return fields.Length > 1 && long.TryParse(fields[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pages)
                ? pages * _pageSize / 1048576.0
                : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
