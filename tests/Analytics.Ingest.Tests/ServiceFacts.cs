using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Ingest.Tests;

/// <summary>The CLI-facing services: DI registration, the summary table and the rejects CSV.</summary>
public sealed class ServiceFacts
{
    [Fact]
    public async Task The_rejects_csv_lists_every_rejected_row_with_file_line_id_column_and_reason_code()
    {
        using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var drop = new Drop();
        drop.Write("sessions.csv", Lines(SessionHeader, Session(), Session(("session_id", "S2"), ("passes", "0"))));
        drop.Write("satisfaction.csv", Lines(SatisfactionHeader, Answer(("instrument", "csat"))));
        var s = await Import(db, drop.Folder);

        var path = Path.Combine(drop.Folder, "out", "rejects.csv");
        var written = await new RejectsExporter(db.Options).WriteCsvAsync(path);
        Assert.Equal(2, written);
        Assert.Equal(
            ["file,line,id,column,reason", "satisfaction.csv,2,R1,instrument,unknown_code", "sessions.csv,3,S2,passes,out_of_range"],
            (await File.ReadAllLinesAsync(path)).Order(StringComparer.Ordinal).ToArray()[..3] is var l ? [l[0], l[1], l[2]] : []);

        // By batch, and with the human message as a sixth column.
        await new RejectsExporter(db.Options).WriteCsvAsync(path, batchId: s.BatchId, includeMessage: true);
        var lines = await File.ReadAllLinesAsync(path);
        Assert.Equal("file,line,id,column,reason,message", lines[0]);
        Assert.Contains("outside 1..20", string.Join("\n", lines));
    }

    [Fact]
    public async Task The_summary_table_has_a_line_per_file_with_rejects_by_reason()
    {
        using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var drop = new Drop();
        drop.Write("sessions.csv", Lines(SessionHeader, Session(), Session(("session_id", "S2"), ("passes", "0")), Session(("session_id", "S3"), ("area", "x"))));
        drop.Write("assessments.csv", Lines(AssessmentHeader, Assessment(("course_id", "C-LATER"))));
        var s = await Import(db, drop.Folder);
        var table = s.ToTable().Split('\n');
        Assert.Contains(table, l => l.StartsWith("sessions.csv", StringComparison.Ordinal) && l.Contains("out_of_range 1") && l.Contains("unknown_code 1"));
        Assert.Contains(table, l => l.StartsWith("assessments.csv", StringComparison.Ordinal) && l.Contains("1 awaiting course"));
        Assert.Contains(table, l => l.StartsWith("total", StringComparison.Ordinal));
        var batch = (await All(db, c => c.ImportBatches)).Single();
        Assert.Equal((4, 2, 2, ImportStatus.Succeeded), (batch.RowsRead, batch.RowsApplied, batch.RowsRejected, batch.Status));
    }

    [Fact]
    public async Task AddAnalyticsIngest_registers_the_services_and_binds_the_options()
    {
        using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var drop = new Drop();
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:ConnectionString"] = db.Options.ConnectionString,
            ["Privacy:PatientKey"] = "configured-key",
            ["Sources:DropFolder:Path"] = drop.Folder,
            ["Sources:DropFolder:MinFileAgeSeconds"] = "0",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddAnalyticsIngest(config).BuildServiceProvider();

        Assert.Equal(drop.Folder, services.GetRequiredService<DropFolderOptions>().Path);
        var expected = new PatientPseudonymiser(System.Text.Encoding.UTF8.GetBytes("configured-key")).Pseudonym("PAT-0001");
        Assert.Equal(expected, services.GetRequiredService<PatientPseudonymiser>().Pseudonym("PAT-0001"));
        Assert.NotNull(services.GetRequiredService<RejectsExporter>());
        drop.Write("sessions.csv", Lines(SessionHeader, Session()));
        var pulled = await services.GetRequiredService<DropFolderPuller>().PullAsync(importOptions: new ImportOptions { AsOf = AsOf });
        Assert.Equal(1, Assert.Single(pulled).Applied);
        Assert.Equal(expected, (await All(db, c => c.Sessions)).Single().PatientId);
    }
}
