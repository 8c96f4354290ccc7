using Analytics.Data;

namespace Analytics.Benchmarks.Steps;

public static class BenchDatabase
{
    public static DatabaseOptions Options(string sqliteFile) =>
        new() { Provider = DatabaseProvider.Sqlite, ConnectionString = BenchPaths.SqliteConnectionString(sqliteFile) };
}

/// <summary>The fixed pseudonymisation key of the bench's databases (import and pipeline must use the same one).</summary>
public static class BenchKey
{
    public static readonly byte[] Bytes = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
}
