using System.Diagnostics;

namespace Analytics.Benchmarks;

/// <summary>
/// Turns a step's progress messages into a stopwatch breakdown: each change of (part, phase) closes the previous
/// segment. Implements IProgress directly (not Progress&lt;T&gt;) so the time is taken on the reporting thread.
/// </summary>
public sealed class PhaseClock
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<Timing> _segments = [];
    private readonly Lock _gate = new();
    private string? _current;
    private double _start;
    private long? _rows;

    public void Mark(string label, long? rows = null)
    {
        lock (_gate)
        {
            if (label == _current)
            {
                _rows = rows ?? _rows;
                return;
            }
            Close();
            _current = label;
            _start = _clock.Elapsed.TotalSeconds;
            _rows = rows;
        }
    }

    /// <summary>The segment running now (read by the memory sampler's thread).</summary>
    public string? Current
    {
        get
        {
            lock (_gate) return _current;
        }
    }

    /// <summary>Seconds since the clock started.</summary>
    public double Elapsed => _clock.Elapsed.TotalSeconds;

    public IReadOnlyList<Timing> Finish(string? lastLabel = null)
    {
        lock (_gate)
        {
            if (lastLabel is not null) Mark(lastLabel);
            Close();
            _current = null;
            return [.. _segments];
        }
    }

    private void Close()
    {
        if (_current is null) return;
        _segments.Add(new Timing(_current, _clock.Elapsed.TotalSeconds - _start, _rows));
    }
}
