namespace Analytics.Testing;

/// <summary>
/// A live SQL Server test: runs only when <c>ANALYTICS_TEST_SQLSERVER</c> holds a connection string.
/// Otherwise it is reported as skipped, with that reason — it did not run, and nothing claims it did.
/// </summary>
public sealed class SqlServerFactAttribute : FactAttribute
{
    public const string Variable = "ANALYTICS_TEST_SQLSERVER";

    public SqlServerFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable)))
        {
            Skip = $"not run: no SQL Server here ({Variable} is not set)";
        }
    }
}
