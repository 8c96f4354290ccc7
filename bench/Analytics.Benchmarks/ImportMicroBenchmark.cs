using Analytics.Benchmarks.Steps;
using Analytics.Data;
using Analytics.Ingest;
using Analytics.Samples;
using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Analytics.Benchmarks;

/// <summary>
/// 10,000 generated sessions rows: the importer's CSV reader alone, and a whole import of them (parse, validate,
/// pseudonymise, upsert, refresh courses) into a freshly migrated SQLite file.
/// </summary>
[MemoryDiagnoser]
public class ImportMicroBenchmark
{
    private string _dir = "";
    private string _sessions = "";
    private string _db = "";

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), $"analytics-micro-{Environment.ProcessId}");
        var generated = Path.Combine(_dir, "generated");
        new SampleGenerator().Generate(generated, new GeneratorSettings { Clinics = 1, Months = 18 });
        var input = Path.Combine(_dir, "input");
        Directory.CreateDirectory(input);
        _sessions = Path.Combine(input, SampleFiles.Sessions);
        File.WriteAllLines(_sessions, File.ReadLines(Path.Combine(generated, SampleFiles.Sessions)).Take(10_001));
        _db = Path.Combine(_dir, "micro.db");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [IterationSetup(Target = nameof(ImportTenThousandSessions))]
    public void FreshDatabase()
    {
        SqliteConnection.ClearAllPools();
        BenchPaths.DeleteDatabase(_db);
        using var db = DatabaseSetup.CreateContext(BenchDatabase.Options(_db));
        DatabaseSetup.MigrateAsync(db).GetAwaiter().GetResult();
    }

    [Benchmark]
    public long ReadTenThousandSessions()
    {
        var source = new CsvTabularSource(_sessions, InputKind.Sessions);
        _ = source.ReadHeader();
        long n = 0;
        foreach (var row in source.ReadRows()) n += row.Fields.Length;
        return n;
    }

    [Benchmark]
    public int ImportTenThousandSessions()
    {
        var importer = new Importer(BenchDatabase.Options(_db), new PatientPseudonymiser(BenchKey.Bytes), NullLogger<Importer>.Instance);
        var summary = importer.ImportAsync(_sessions, new ImportOptions { AsOf = new DateOnly(2026, 11, 1) }).GetAwaiter().GetResult();
        return summary.Applied;
    }
}
