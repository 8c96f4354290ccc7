using Analytics.Samples;

namespace Analytics.Samples.Tests;

/// <summary>A generated CSV read back: header plus rows with their physical line numbers.</summary>
public sealed class CsvTable
{
    public required string File { get; init; }
    public required IReadOnlyList<string> Header { get; init; }
    public required IReadOnlyList<CsvRecord> Rows { get; init; }

    public static CsvTable Read(string dir, string file)
    {
        var lines = System.IO.File.ReadAllLines(Path.Combine(dir, file));
        var header = CsvRowWriter.SplitLine(lines[0]);
        var rows = new List<CsvRecord>(lines.Length - 1);
        for (var i = 1; i < lines.Length; i++)
        {
            rows.Add(new CsvRecord(i + 1, header, CsvRowWriter.SplitLine(lines[i])));
        }
        return new CsvTable { File = file, Header = header, Rows = rows };
    }
}

public sealed class CsvRecord(int line, IReadOnlyList<string> header, IReadOnlyList<string> fields)
{
    public int Line { get; } = line;
    public IReadOnlyList<string> Fields { get; } = fields;
    public string this[string column] => Fields[IndexOf(column)];
    public string Content => string.Join('\u001f', Fields);

    private int IndexOf(string column)
    {
        for (var i = 0; i < header.Count; i++) if (header[i] == column) return i;
        throw new KeyNotFoundException(column);
    }
}

/// <summary>Generates a set once per test class into a temporary folder.</summary>
public abstract class GeneratedSet : IDisposable
{
    protected GeneratedSet(GeneratorSettings settings)
    {
        Settings = settings;
        Dir = Path.Combine(Path.GetTempPath(), "samples-tests-" + Guid.NewGuid().ToString("N"));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Summary = new SampleGenerator().Generate(Dir, settings);
        Elapsed = watch.Elapsed;
        Sessions = CsvTable.Read(Dir, SampleFiles.Sessions);
        Assessments = CsvTable.Read(Dir, SampleFiles.Assessments);
        Satisfaction = CsvTable.Read(Dir, SampleFiles.Satisfaction);
    }

    public GeneratorSettings Settings { get; }
    public string Dir { get; }
    public GenerationSummary Summary { get; }
    public TimeSpan Elapsed { get; }
    public CsvTable Sessions { get; }
    public CsvTable Assessments { get; }
    public CsvTable Satisfaction { get; }

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
        GC.SuppressFinalize(this);
    }
}

/// <summary>Small set with bad rows: 2 clinics × 8 months, 150 sessions per clinic-month, 3 % bad rows.</summary>
public sealed class SmallSetWithBadRows() : GeneratedSet(new GeneratorSettings
{
    Clinics = 2, Months = 8, Seed = 7, SessionsPerClinicPerMonth = 150, BadRowShare = 0.03,
});

/// <summary>Mid-size clean set: 10 clinics × 12 months at the default volume (~65,000 sessions).</summary>
public sealed class MidSizeSet() : GeneratedSet(new GeneratorSettings { Clinics = 10, Months = 12, Seed = 2024 });
