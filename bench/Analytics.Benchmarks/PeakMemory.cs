namespace Analytics.Benchmarks;

/// <summary>Peak resident set size of a Linux process, from VmHWM in /proc/&lt;pid&gt;/status.</summary>
public static class PeakMemory
{
    public static double? SelfMb() => ReadMb("/proc/self/status");

    public static double? OfProcessMb(int pid) => ReadMb($"/proc/{pid}/status");

    private static double? ReadMb(string statusFile)
    {
        try
        {
            foreach (var line in File.ReadLines(statusFile))
            {
                if (!line.StartsWith("VmHWM:", StringComparison.Ordinal)) continue;
                var kb = long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
                return kb / 1024.0;
            }
        }
        catch (IOException)
        {
            // The process exited between the check and the read.
        }
        catch (UnauthorizedAccessException)
        {
        }
        return null;
    }
}
