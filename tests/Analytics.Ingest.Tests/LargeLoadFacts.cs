using Analytics.Samples;
using Microsoft.Data.Sqlite;

namespace Analytics.Ingest.Tests;

/// <summary>
/// SQLite large loads drop the secondary indexes and rebuild them after the writes. The threshold is lowered
/// here so the committed-sample set takes that path: the data must come out exactly as on the ordinary path,
/// with every index back as the migration made it.
/// </summary>
public sealed class LargeLoadFacts
{
    private static readonly ImportOptions Ordinary = new() { AsOf = new DateOnly(2026, 11, 30) };
    private static readonly ImportOptions Large = new() { AsOf = new DateOnly(2026, 11, 30), LargeLoadRows = 1 };

    [Fact]
    public async Task A_large_load_stores_the_same_rows_and_rebuilds_every_index()
    {
        using var drop = new Drop();
        new SampleGenerator().Generate(drop.Folder, GeneratorSettings.CommittedSamples);
        using var ordinaryDb = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var largeDb = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var indexesAsMigrated = await Indexes(largeDb);

        var ordinary = await Importer(ordinaryDb).ImportAsync(drop.Folder, Ordinary);
        var large = await Importer(largeDb).ImportAsync(drop.Folder, Large);

        Assert.DoesNotContain(ordinary.Phases.Keys, k => k.EndsWith("rebuild indexes", StringComparison.Ordinal));
        Assert.Contains("sessions: rebuild indexes", large.Phases.Keys);
        Assert.Contains("assessments: rebuild indexes", large.Phases.Keys);
        Assert.Contains("satisfaction_responses: rebuild indexes", large.Phases.Keys);
        Assert.True(large.Applied > 3000, $"applied {large.Applied}");
        Assert.True(large.Rejected > 0, "the committed samples carry bad rows");
        Assert.Equal((ordinary.RowsRead, ordinary.Applied, ordinary.Unchanged, ordinary.Updated, ordinary.Rejected),
            (large.RowsRead, large.Applied, large.Unchanged, large.Updated, large.Rejected));
        Assert.Equal(ordinary.Rejects.Select(r => (r.File, r.Line, r.ReasonCode)), large.Rejects.Select(r => (r.File, r.Line, r.ReasonCode)));
        Assert.Equal(await ReadingFacts.Dump(ordinaryDb), await ReadingFacts.Dump(largeDb));
        Assert.Equal(indexesAsMigrated, await Indexes(largeDb));

        // The same files again: nothing to write, so the indexes stay.
        var again = await Importer(largeDb).ImportAsync(drop.Folder, Large);
        Assert.Equal((0, 0), (again.Applied, again.Updated));
        Assert.DoesNotContain(again.Phases.Keys, k => k.EndsWith("rebuild indexes", StringComparison.Ordinal));
        Assert.Equal(indexesAsMigrated, await Indexes(largeDb));
    }

    private static async Task<List<string>> Indexes(TestDatabase db)
    {
        await using var connection = new SqliteConnection(db.Options.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT name || ' ' || tbl_name || ' ' || coalesce(sql, '') FROM sqlite_master WHERE type = 'index' ORDER BY name";
        var result = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) result.Add(r.GetString(0));
        Assert.Contains(result, i => i.StartsWith("IX_sessions_PatientId_SessionDate ", StringComparison.Ordinal));
        return result;
    }
}
