using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Analytics.EndToEnd.Tests;

/// <summary>The built Analytics.Host started as its own process (<c>dotnet Analytics.Host.dll --urls http://127.0.0.1:0</c>).</summary>
public sealed partial class HostProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _output = [];

    private HostProcess(Process process) => _process = process;

    public int Id => _process.Id;
    public string BaseUrl { get; private set; } = "";
    public bool HasExited => _process.HasExited;

    public string Output
    {
        get { lock (_output) return string.Join('\n', _output); }
    }

    public static async Task<HostProcess> StartAsync(IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Analytics.Host.dll");
        var psi = new ProcessStartInfo("dotnet", [dll, "--urls", "http://127.0.0.1:0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        var host = new HostProcess(Process.Start(psi) ?? throw new InvalidOperationException("could not start the host"));
        host._process.OutputDataReceived += (_, e) => host.OnLine(e.Data);
        host._process.ErrorDataReceived += (_, e) => host.OnLine(e.Data);
        host._process.BeginOutputReadLine();
        host._process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            host.BaseUrl = await host._listening.Task.WaitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            host.Dispose();
            throw new TimeoutException($"Host did not start listening:\n{host.Output}");
        }
        return host;
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_output) _output.Add(line);
        if (Listening().Match(line) is { Success: true } m) _listening.TrySetResult(m.Groups[1].Value);
    }

    public void Kill() => _process.Kill(entireProcessTree: true);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();
}
