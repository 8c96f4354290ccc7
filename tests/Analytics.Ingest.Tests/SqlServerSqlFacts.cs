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

    [Fact]
    public void The_derived_refresh_and_revalidation_queries_parse()
    {
        var statements = new List<string>();
        foreach (var courses in new[] { true, false })
        {
            foreach (var all in new[] { true, false })
            {
                statements.Add(DerivedRefresh.BatchGroupsSql(courses, all, after: false, limit: null));
                statements.Add(DerivedRefresh.BatchGroupsSql(courses, all, after: true, limit: 100_000));
                statements.Add(DerivedRefresh.BatchGroupsSql(courses, all, after: false, limit: 100_000));
            }
            statements.Add(DerivedRefresh.OldGroupsSql(courses, 3));
        }
        statements.Add(DerivedRefresh.DeleteEmptiedCoursesSql(2));
        statements.Add(ImportRun.RevalidateProbeSql);
        statements.Add(ImportRun.RevalidateBatchSql);
        statements.Add(ImportRun.RevalidateOldSql(2));
        foreach (var sql in statements) Assert.Empty(TSqlValidator.Errors(sql));
        Assert.Contains("OFFSET 0 ROWS FETCH NEXT 100000 ROWS ONLY", statements[1]);
    }
}
