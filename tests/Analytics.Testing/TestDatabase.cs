using Analytics.Data;

namespace Analytics.Testing;

/// <summary>A migrated database on a real provider, deleted (SQLite) or left to the throwaway cluster (PostgreSQL).</summary>
public sealed class TestDatabase : IDisposable
{
    private readonly string? _sqliteFile;

    private TestDatabase(DatabaseOptions options, string? sqliteFile)
    {
        Options = options;
        _sqliteFile = sqliteFile;
    }

    public DatabaseOptions Options { get; }

    public DatabaseProvider Provider => Options.Provider;

    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider, bool migrate = true)
    {
        TestDatabase db;
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                var file = Path.Combine(Path.GetTempPath(), $"analytics-test-{Guid.NewGuid():N}.db");
                db = new TestDatabase(new DatabaseOptions { Provider = provider, ConnectionString = $"Data Source={file}" }, file);
                break;
            case DatabaseProvider.PostgreSql:
                db = new TestDatabase(new DatabaseOptions { Provider = provider, ConnectionString = PostgresCluster.Shared.CreateDatabase() }, null);
                break;
            default:
                var cs = Environment.GetEnvironmentVariable(SqlServerFactAttribute.Variable)
                    ?? throw new InvalidOperationException($"{SqlServerFactAttribute.Variable} is not set.");
                db = new TestDatabase(new DatabaseOptions { Provider = provider, ConnectionString = cs }, null);
                break;
        }
        if (migrate)
        {
            await using var ctx = db.CreateContext();
            await DatabaseSetup.MigrateAsync(ctx);
        }
        return db;
    }

    public AnalyticsDbContext CreateContext() => DatabaseSetup.CreateContext(Options);

    public void Dispose()
    {
        if (_sqliteFile is null) return;
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var f in new[] { _sqliteFile, _sqliteFile + "-wal", _sqliteFile + "-shm" })
        {
            try { File.Delete(f); } catch (IOException) { }
        }
    }
}

/// <summary>The two providers that really run here; SQL Server runs only when a connection string is given.</summary>
public static class Providers
{
    public static TheoryData<DatabaseProvider> Local => new() { DatabaseProvider.Sqlite, DatabaseProvider.PostgreSql };
}
