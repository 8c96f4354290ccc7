using System.Diagnostics;
using System.Text.Json;
using Analytics.Reports.Exports;
using Analytics.Reports.Workbooks;

namespace Analytics.Reports.Tests;

/// <summary>Writes every workbook type and the CSV exports of the sample tables once, into a temp folder.</summary>
public sealed class WorkbookFixture : IDisposable
{
    public WorkbookFixture()
    {
        Root = Directory.CreateTempSubdirectory("reports-facts-").FullName;
        Tables = SampleTables.Tables();
        Models = SampleTables.Models();
        Context = SampleTables.Context();
        MonthlyPaths = new MonthlyClinicReport(Tables, Models, Context).WriteMonth(Root, SampleTables.ReportMonth);
        NetworkPath = new NetworkReport(Tables, Context).Write(Root, SampleTables.ReportMonth);
        ProtocolsPath = new ProtocolComparisonReport(Tables, Models, Context).Write(Root);
        ExportFolder = Path.Combine(Root, "exports");
        TableExportWriter.WriteAllAsync(Tables, ExportFolder, ExportFormat.Csv).GetAwaiter().GetResult();
        TableExportWriter.WriteModelsAsync(Models, ExportFolder, ExportFormat.Csv).GetAwaiter().GetResult();
    }

    public string Root { get; }
    public Analytics.Domain.ReportTables Tables { get; }
    public Analytics.Domain.ModelReport Models { get; }
    public ReportContext Context { get; }
    public IReadOnlyList<string> MonthlyPaths { get; }
    public string NetworkPath { get; }
    public string ProtocolsPath { get; }
    public string ExportFolder { get; }

    public string MonthlyPath(string clinicId) => ReportPaths.Monthly(Root, SampleTables.ReportMonth, clinicId);

    private readonly Dictionary<string, JsonElement> _openpyxl = [];

    /// <summary>The workbook as openpyxl reads it (see read_workbook.py), cached per path.</summary>
    public JsonElement ReadWithOpenpyxl(string path)
    {
        lock (_openpyxl)
        {
            if (_openpyxl.TryGetValue(path, out var cached))
            {
                return cached;
            }
            var script = Path.Combine(AppContext.BaseDirectory, "read_workbook.py");
            var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(script);
            start.ArgumentList.Add(path);
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"openpyxl failed (apt-get install -y python3-openpyxl): {error}");
            var element = JsonDocument.Parse(output).RootElement.Clone();
            _openpyxl[path] = element;
            return element;
        }
    }

    /// <summary>A CSV export parsed as RFC 4180 into header + rows (the test's own reader).</summary>
    public (string[] Header, List<string[]> Rows) ReadCsv(string name) => Csv.Parse(File.ReadAllText(Path.Combine(ExportFolder, name + ".csv")));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class WorkbookCollection : ICollectionFixture<WorkbookFixture>
{
    public const string Name = "workbooks";
}

/// <summary>A small RFC 4180 reader, independent of the writer under test.</summary>
public static class Csv
{
    public static (string[] Header, List<string[]> Rows) Parse(string text)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (ch == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(ch);
                }
            }
            else if (ch == '"')
            {
                quoted = true;
            }
            else if (ch == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (ch == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                fields.Add(field.ToString());
                field.Clear();
                records.Add([.. fields]);
                fields.Clear();
                i++;
            }
            else
            {
                field.Append(ch);
            }
        }
        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add([.. fields]);
        }
        return (records[0], records.Skip(1).ToList());
    }
}
