using System.IO.Compression;
using System.Text;
using Analytics.Cli;
using Analytics.Data;
using Analytics.Domain;
using Analytics.Ingest;
using Analytics.Jobs;
using Analytics.Outcomes;
using Analytics.Reports.Exports;
using Analytics.Samples;
using Analytics.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.EndToEnd.Tests;

/// <summary>The committed samples through the real import, tables, models and workbooks.</summary>
public sealed class CommittedSamplesFacts : IDisposable
{
    private const string RawRefMarker = "RAWPATIENTREF";
    private static readonly DateOnly AsOf = new(2026, 11, 1); // the samples' as-of day (data-samples/README.md)
    private readonly string _work = Directory.CreateTempSubdirectory("analytics-samples-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_work, true); } catch (IOException) { }
    }

    private ServiceProvider Services(TestDatabase db, string name) => CliServices.Build(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Database:Provider"] = db.Provider.ToString(),
        ["Database:ConnectionString"] = db.Options.ConnectionString,
        ["Privacy:PatientKey"] = "c2FtcGxlcy1lbmQtdG8tZW5kLXRlc3Qta2V5", // fixed: both providers get the same pseudonyms
        ["Reports:OutputFolder"] = Path.Combine(_work, name, "reports"),
        ["Modelling:ModelFolder"] = Path.Combine(_work, name, "models"),
        ["Sources:DropFolder:Path"] = Path.Combine(_work, name, "drop"),
        ["Sources:DropFolder:MinFileAgeSeconds"] = "0",
    }).Build());

    [Fact]
    public async Task Importing_the_samples_rejects_exactly_the_planted_rows_and_a_second_import_changes_nothing()
    {
        using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var services = Services(db, "import");
        var importer = services.GetRequiredService<Importer>();

        var first = await importer.ImportAsync(RepositoryPaths.DataSamples, new ImportOptions { AsOf = AsOf });

        var planted = File.ReadAllLines(Path.Combine(RepositoryPaths.DataSamples, "planted-rejects.csv")).Skip(1)
            .Select(l => l.Split(',')).Select(f => (File: f[0], Line: int.Parse(f[1]), Id: f[2], Column: f[3], Reason: f[4]))
            .OrderBy(x => x.File, StringComparer.Ordinal).ThenBy(x => x.Line).ToList();
        var rejected = first.Rejects
            .Select(r => (File: Path.GetFileName(r.File), r.Line, Id: r.RecordId ?? "", Column: r.Column ?? "", Reason: r.ReasonCode))
            .OrderBy(x => x.File, StringComparer.Ordinal).ThenBy(x => x.Line).ToList();
        Assert.Equal(planted, rejected);
        Assert.Equal(first.RowsRead - planted.Count, first.Applied);

        var second = await importer.ImportAsync(RepositoryPaths.DataSamples, new ImportOptions { AsOf = AsOf });
        Assert.Equal(0, second.Applied);
        Assert.Equal(0, second.Updated);
        Assert.Equal(first.Applied, second.Unchanged);
    }

    [Fact]
    public async Task Importing_the_same_files_again_gives_the_same_tables()
    {
        using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var services = Services(db, "again");
        var importer = services.GetRequiredService<Importer>();
        var outcomes = services.GetRequiredService<OutcomeService>();

        await importer.ImportAsync(RepositoryPaths.DataSamples, new ImportOptions { AsOf = AsOf });
        var first = await outcomes.ComputeAsync();
        await importer.ImportAsync(RepositoryPaths.DataSamples, new ImportOptions { AsOf = AsOf });
        var second = await outcomes.ComputeAsync();

        Assert.Equal(first.Outcomes, second.Outcomes);
        Assert.Equal(first.Satisfaction, second.Satisfaction);
        Assert.Equal(first.Safety, second.Safety);
        Assert.Equal(first.Activity, second.Activity);
        Assert.Equal(first.Revenue, second.Revenue);
        Assert.Equal(first.ProtocolComparison, second.ProtocolComparison);
        // The planted bad rows are rejected again by the second batch; the data-quality notes count each once.
        Assert.Equal(first.DataQuality, second.DataQuality);
        Assert.Equal(75, first.DataQuality.Where(d => d.ClinicId != Codes.All).Sum(d => d.RejectedRows));
    }

    [Fact]
    public async Task Exports_are_identical_on_sqlite_and_postgresql()
    {
        var csv = new Dictionary<DatabaseProvider, Dictionary<string, string>>();
        foreach (var provider in new[] { DatabaseProvider.Sqlite, DatabaseProvider.PostgreSql })
        {
            using var db = await TestDatabase.CreateAsync(provider);
            await using var services = Services(db, provider.ToString());
            await services.GetRequiredService<Importer>().ImportAsync(RepositoryPaths.DataSamples, new ImportOptions { AsOf = AsOf });
            var tables = await services.GetRequiredService<OutcomeService>().ComputeAsync();
            var dir = Path.Combine(_work, provider + "-exports");
            var files = await TableExportWriter.WriteAllAsync(tables, dir, ExportFormat.Csv);
            csv[provider] = files.ToDictionary(f => Path.GetFileName(f), f => File.ReadAllText(f));
            Assert.True(tables.Outcomes.Count > 100, "the samples give a real outcomes table");
            Assert.Contains(tables.ProtocolComparison, r => !r.Suppressed && r.PValue is not null);
        }
        Assert.Equal(
            ["activity.csv", "outcomes.csv", "protocol_comparison.csv", "revenue.csv", "safety.csv", "satisfaction.csv"],
            csv[DatabaseProvider.Sqlite].Keys.Order(StringComparer.Ordinal));
        foreach (var (name, text) in csv[DatabaseProvider.Sqlite])
        {
            Assert.True(text == csv[DatabaseProvider.PostgreSql][name], $"{name} differs between SQLite and PostgreSQL");
        }
    }

    [Fact]
    public async Task The_main_job_builds_the_workbooks_through_hangfire_and_no_patient_ref_leaks()
    {
        using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var services = Services(db, "run");
        // Distinctive patient refs, so that finding one anywhere in the outputs is a real leak, not a chance match.
        var drop = Path.Combine(_work, "run", "drop");
        Directory.CreateDirectory(drop);
        foreach (var f in new[] { "sessions.csv", "assessments.csv", "satisfaction.csv" })
        {
            var lines = File.ReadAllLines(Path.Combine(RepositoryPaths.DataSamples, f));
            var header = CsvRowWriter.SplitLine(lines[0]);
            var column = header.IndexOf("patient_ref");
            using var writer = new CsvRowWriter(Path.Combine(drop, f), header);
            foreach (var line in lines.Skip(1))
            {
                var fields = CsvRowWriter.SplitLine(line);
                if (fields[column].Length > 0) fields[column] = RawRefMarker + fields[column];
                writer.WriteRow(fields);
            }
        }

        var result = await services.GetRequiredService<InProcessPipeline>().RunAsync(202610, null, CancellationToken.None);

        Assert.Equal(PipelineStatus.Succeeded, result.Status);
        Assert.Equal(["pull", "compute", "refit", "monthly-workbooks", "protocol-workbook"], result.Produced.Select(p => p.Step));
        var reports = Path.Combine(_work, "run", "reports");
        foreach (var expected in new[] { "2026-10/ALL.xlsx", "2026-10/network.xlsx", "2026-10/c01.xlsx", "protocols.xlsx", "exports/outcomes.csv", "exports/models.csv" })
        {
            Assert.True(File.Exists(Path.Combine(reports, expected)), expected + " was not written");
        }
        await using (var ctx = db.CreateContext())
        {
            Assert.Equal(5, await ctx.ReportArtifacts.CountAsync(a => a.Month == 202610));
            Assert.True(await ctx.ModelFits.AnyAsync(f => f.Promoted));
        }

        // No raw patient_ref in the database, the exports, the model files or the workbooks.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var texts = new List<(string Name, string Text)>();
        var dbFile = db.Options.SqliteFilePath!;
        foreach (var f in new[] { dbFile, dbFile + "-wal" }.Where(File.Exists)) texts.Add((f, Encoding.Latin1.GetString(File.ReadAllBytes(f))));
        foreach (var f in Directory.GetFiles(reports, "*", SearchOption.AllDirectories))
        {
            if (f.EndsWith(".xlsx", StringComparison.Ordinal))
            {
                using var zip = ZipFile.OpenRead(f);
                foreach (var entry in zip.Entries)
                {
                    using var reader = new StreamReader(entry.Open());
                    texts.Add((f + "!" + entry.FullName, reader.ReadToEnd()));
                }
            }
            else
            {
                texts.Add((f, File.ReadAllText(f)));
            }
        }
        Assert.Contains(texts, t => t.Name.EndsWith("ALL.xlsx!xl/worksheets/sheet1.xml", StringComparison.Ordinal));
        foreach (var (name, text) in texts)
        {
            Assert.False(text.Contains(RawRefMarker, StringComparison.Ordinal), $"a raw patient ref is in {name}");
        }
    }
}
