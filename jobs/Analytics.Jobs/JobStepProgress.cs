using Hangfire.Server;
using Microsoft.Extensions.Logging;

namespace Analytics.Jobs;

/// <summary>
/// Progress of a running job: logged, and stored as the job parameter <c>Progress</c> (visible through the
/// monitoring API, <c>GET /api/pipeline/runs/{id}</c> and the CLI). Writes are throttled to one a second.
/// </summary>
public sealed class JobStepProgress(PerformContext? context, ILogger logger, string step, TimeProvider clock) : IStepProgress
{
    public const string Parameter = "Progress";
    private DateTimeOffset _lastWrite = DateTimeOffset.MinValue;

    public string? Last { get; private set; }

    public void Report(string message, double? fraction = null)
    {
        var text = fraction is { } f ? $"{message} ({Math.Clamp(f, 0, 1):P0})" : message;
        Last = text;
        logger.LogInformation("{Step}: {Progress}", step, text);
        var now = clock.GetUtcNow();
        if (context is null || (now - _lastWrite < TimeSpan.FromSeconds(1) && fraction is not (null or >= 1))) return;
        _lastWrite = now;
        context.SetJobParameter(Parameter, new StepProgressRecord(step, text, fraction, now));
    }
}

public sealed record StepProgressRecord(string Step, string Message, double? Fraction, DateTimeOffset At);
