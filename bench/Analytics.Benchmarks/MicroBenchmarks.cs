using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;

namespace Analytics.Benchmarks;

/// <summary>BenchmarkDotNet micro-benchmarks (optional; the end-to-end harness is the main thing).</summary>
public static class MicroBenchmarks
{
    /// <summary>Runs BenchmarkSwitcher; artifacts go to /tmp/analytics-bench/micro unless --artifacts is given.</summary>
    public static void Run(string[] args)
    {
        if (!args.Contains("--artifacts")) args = [.. args, "--artifacts", "/tmp/analytics-bench/micro"];
        BenchmarkSwitcher.FromAssembly(typeof(MicroBenchmarks).Assembly).Run(args);
    }
}

/// <summary>Reading 10,000 sessions rows with the bench's bare splitter: the parse part of the insert floor.</summary>
[MemoryDiagnoser]
public class CsvSplitBenchmark
{
    private string _csv = "";

    [GlobalSetup]
    public void Setup()
    {
        var sb = new System.Text.StringBuilder("session_id,clinic_id,clinic_name,practitioner_id,patient_ref,patient_birth_year,patient_sex,fitzpatrick_type,course_id,concern,area,session_date,device,needle_depth_mm,passes,combination,adverse_events,downtime_days,price,currency\n");
        for (var i = 0; i < 10_000; i++)
        {
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"s{i},c01,\"Clinic, One\",c01-pr01,p{i % 3000},1980,f,3,co{i / 4},acne_scars,face,2026-03-{1 + i % 28:D2},pen,1.5,3,prp;vitamin_c,,2,250.00,EUR\n");
        }
        _csv = sb.ToString();
    }

    [Benchmark]
    public int SplitRecords()
    {
        var records = new CsvRecords(new StringReader(_csv));
        var fields = new List<string>();
        var n = 0;
        while (records.Read(fields)) n += fields.Count;
        return n;
    }
}
