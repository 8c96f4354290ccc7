using Hangfire.Logging;

// Hangfire keeps process-wide state (log provider, JobStorage.Current) that each in-process host overwrites:
// hosts in this assembly run one at a time, and a stopped host's logger factory is unhooked (see TestApp).
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Analytics.EndToEnd.Tests;

/// <summary>Drops Hangfire's log messages; set when a host's logger factory is disposed so nothing asks it for loggers.</summary>
public sealed class SilentHangfireLogProvider : ILogProvider
{
    public static void Install() => LogProvider.SetCurrentLogProvider(new SilentHangfireLogProvider());

    public ILog GetLogger(string name) => new Silent();

    private sealed class Silent : ILog
    {
        public bool Log(LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
