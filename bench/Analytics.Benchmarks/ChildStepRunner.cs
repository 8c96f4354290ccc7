using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Analytics.Benchmarks;

/// <summary>
/// Runs one step in a child process (this same executable with <c>--step NAME</c>), so each step's peak memory is its
/// own. Peak RSS is read twice: by the child from its /proc/self/status VmHWM just before it exits, and from outside
/// with <c>/usr/bin/time -f '%e %M'</c> when that is installed; the report shows the child's own reading.
/// </summary>
public sealed class ChildStepRunner(string benchRoot)
{
    private const string TimeTool = "/usr/bin/time";

    public StepReport Run(string step, BenchScale scale, TimeSpan timeout)
    {
        var resultFile = Path.Combine(Path.GetTempPath(), $"analytics-bench-{Environment.ProcessId}-{step}-{scale.Name}.json");
        var timeFile = resultFile + ".time";
        File.Delete(resultFile);
        File.Delete(timeFile);

        var (exe, prefix) = SelfCommand();
        var args = new List<string>(prefix) { "--step", step, "--scale", scale.Name, "--root", benchRoot, "--result", resultFile };
        var psi = new ProcessStartInfo { UseShellExecute = false };
        if (File.Exists(TimeTool))
        {
            psi.FileName = TimeTool;
            foreach (var a in new[] { "-f", "%e %M %U %S", "-o", timeFile, exe }) psi.ArgumentList.Add(a);
        }
        else
        {
            psi.FileName = exe;
        }
        foreach (var a in args) psi.ArgumentList.Add(a);

        Console.WriteLine($"  [{scale.Name}] {step} …");
        var loadBefore = LoadAverage();
        var sw = Stopwatch.StartNew();
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {exe}.");
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        sw.Stop();

        StepReport report;
        if (File.Exists(resultFile))
        {
            report = JsonSerializer.Deserialize<StepReport>(File.ReadAllText(resultFile), StepReport.Json)
                ?? new StepReport { Step = step, Error = "empty result file" };
        }
        else
        {
            report = new StepReport
            {
                Step = step,
                Error = sw.Elapsed >= timeout ? $"timed out after {timeout.TotalMinutes:0} min" : $"child exited with code {process.ExitCode} and no result",
            };
        }
        report.ProcessSeconds = sw.Elapsed.TotalSeconds;
        report.LoadBefore = loadBefore;
        report.LoadAfter = LoadAverage();
        if (File.Exists(timeFile) && ParseTime(File.ReadAllLines(timeFile)) is { } measured)
        {
            report.ProcessSeconds = measured.Seconds;
            report.ProcessPeakMb = measured.PeakMb;
            report.ProcessCpuSeconds = measured.CpuSeconds;
        }
        File.Delete(resultFile);
        File.Delete(timeFile);

        var status = report.Ok ? $"{report.Seconds:0.00} s, peak {report.PeakMb:0} MB" : $"not measured: {report.Error}";
        Console.WriteLine($"  [{scale.Name}] {step}: {status}");
        return report;
    }

    /// <summary>How to start this executable again: the apphost, or <c>dotnet Analytics.Benchmarks.dll</c>.</summary>
    private static (string Exe, string[] Prefix)  SelfCommand()
    {
        var processPath = Environment.ProcessPath ?? throw new InvalidOperationException("No process path.");
        if (Path.GetFileNameWithoutExtension(processPath) == "dotnet")
        {
            return (processPath, [typeof(ChildStepRunner).Assembly.Location]);
        }
        return (processPath, []);
    }

    /// <summary>The last line of /usr/bin/time's output: "%e %M %U %S" = elapsed s, peak RSS KB, user s, system s.</summary>
    private static (double Seconds, double PeakMb, double CpuSeconds)? ParseTime(string[] lines)
    {
        for (var i = lines.Length - 1; i >= 0; i--)
        {
            var parts = lines[i].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var n = new double[parts.Length];
            if (parts.Length == 4 && parts.Select((p, j) => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out n[j])).All(ok => ok))
            {
                return (n[0], n[1] / 1024.0, n[2] + n[3]);
            }
        }
        return null;
    }

    public static double? LoadAverage()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.Parse(first, CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
