using Analytics.Ingest.Bulk;

namespace Analytics.Ingest.Tests;

/// <summary>No SQL Server runs here: the SQL Server bulk path's statements are parsed with ScriptDom.</summary>
public sealed class SqlServerSqlFacts
{
    public static TheoryData<string> Tables => new()
    {
        "sessions", "session_adjuncts", "session_adverse_events", "assessments", "satisfaction_responses", "courses", "patients", "clinics", "practitioners",
    };

    private static BulkTable Table(string name) => new[]
    {
        BulkTables.Sessions, BulkTables.SessionAdjuncts, BulkTables.SessionAdverseEvents, BulkTables.Assessments, BulkTables.SatisfactionResponses,
        BulkTables.Courses, BulkTables.Patients, BulkTables.Clinics, BulkTables.Practitioners,
    }.Single(t => t.Name == name);

    [Theory]
    [MemberData(nameof(Tables))]
    public void The_staging_and_MERGE_statements_parse(string table)
    {
        var t = Table(table);
        var sql = SqlServerBulkWriter.StageSql(t, "#stage_" + table) + "\n"
            + SqlServerBulkWriter.MergeSql(t, BulkMode.Upsert, "#stage_" + table) + "\n"
            + SqlServerBulkWriter.MergeSql(t, BulkMode.InsertMissing, "#stage_" + table);
        Assert.Empty(TSqlValidator.Errors(sql));
        Assert.Contains("MERGE", sql);
        Assert.Contains(t.NonKeys.Any() ? "WHEN MATCHED THEN UPDATE" : "WHEN NOT MATCHED", sql);
    }

    [Fact]
    public void The_lock_and_batch_statements_parse()
    {
        Assert.Empty(TSqlValidator.Errors(SqlServerBulkWriter.LockSql + "\n" + SqlServerBulkWriter.InsertBatchSql));
        Assert.NotEmpty(TSqlValidator.Errors("MERGE \"x\" AS target USING")); // the validator does reject broken SQL
    }
}
