using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Analytics.Benchmarks;

/// <summary>One timed part inside a step (the stopwatch breakdown that says where the time goes).</summary>
public sealed record Timing(string Label, double Seconds, long? Rows = null);

/// <summary>
/// What a step reports from its child process: the timed work (<see cref="Seconds"/>, excluding process start,
/// JIT warm-up and untimed set-up), the rows it handled, a breakdown, and its own peak RSS.
/// </summary>
public sealed class StepReport
{
    public required string Step { get; init; }
    public double Seconds { get; set; }
    public long Rows { get; set; }
    /// <summary>What <see cref="Rows"/> counts (e.g. "rows", "courses", "cells").</summary>
    public string RowsLabel { get; set; } = "rows";
    public List<Timing> Breakdown { get; init; } = [];
    public List<string> Notes { get; init; } = [];
    /// <summary>Extra numbers a target needs (e.g. the sessions file's seconds).</summary>
    public Dictionary<string, double> Values { get; init; } = [];
    public double? PeakMb { get; set; }
    /// <summary>SQLite's own peak heap in the child (sqlite3_memory_highwater) and, of it, the page caches' peak.</summary>
    public double? SqliteHeapPeakMb { get; set; }
    public double? SqlitePageCachePeakMb { get; set; }
    /// <summary>The sampled moment of highest RSS (steps that sample: import, import-floor): SQLite's and .NET's parts, the phase.</summary>
    public MemoryAtPeak? AtPeak { get; set; }
    /// <summary>Why the step did not run (a product piece not there yet, a failure).</summary>
    public string? Error { get; set; }

    /// <summary>Process wall time and peak RSS as seen from outside (/usr/bin/time), filled in by the parent.</summary>
    public double? ProcessSeconds { get; set; }
    public double? ProcessPeakMb { get; set; }
    /// <summary>User + system CPU seconds of the child (/usr/bin/time): less sensitive than wall time to other load.</summary>
    public double? ProcessCpuSeconds { get; set; }
    /// <summary>1-minute load average before and after the step (other processes on the machine skew wall times).</summary>
    public double? LoadBefore { get; set; }
    public double? LoadAfter { get; set; }

    [JsonIgnore]
    public bool Ok => Error is null;

    /// <summary>Times <paramref name="work"/> and adds it to the breakdown.</summary>
    public async Task<T> TimeAsync<T>(string label, Func<Task<T>> work, Func<T, long?>? rows = null)
    {
        var sw = Stopwatch.StartNew();
        var result = await work();
        sw.Stop();
        Breakdown.Add(new Timing(label, sw.Elapsed.TotalSeconds, rows?.Invoke(result)));
        return result;
    }

    public async Task TimeAsync(string label, Func<Task> work, long? rows = null)
    {
        var sw = Stopwatch.StartNew();
        await work();
        sw.Stop();
        Breakdown.Add(new Timing(label, sw.Elapsed.TotalSeconds, rows));
    }

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Readable ×, →, – in the results file (it is never embedded in HTML).
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
