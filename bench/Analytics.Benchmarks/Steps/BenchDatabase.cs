using Analytics.Data;

namespace Analytics.Benchmarks.Steps;

public static class BenchDatabase
{
    public static DatabaseOptions Options(string sqliteFile) =>
        new() { Provider = DatabaseProvider.Sqlite, ConnectionString = BenchPaths.SqliteConnectionString(sqliteFile) };
}
