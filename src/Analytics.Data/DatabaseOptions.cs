namespace Analytics.Data;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
    PostgreSql,
}

/// <summary>The <c>Database</c> configuration section.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Empty means the embedded default: SQLite file <c>analytics.db</c> in the working folder.</summary>
    public string? ConnectionString { get; set; }

    public string EffectiveConnectionString => Provider switch
    {
        DatabaseProvider.Sqlite when string.IsNullOrWhiteSpace(ConnectionString) => "Data Source=analytics.db",
        _ when string.IsNullOrWhiteSpace(ConnectionString) =>
            throw new InvalidOperationException($"Database:ConnectionString is required for provider {Provider}."),
        _ => ConnectionString!,
    };

    /// <summary>The SQLite file, or null for other providers (used to keep the privacy key beside it).</summary>
    public string? SqliteFilePath
    {
        get
        {
            if (Provider != DatabaseProvider.Sqlite) return null;
            var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(EffectiveConnectionString);
            return builder.DataSource is { Length: > 0 } ds && ds != ":memory:" ? Path.GetFullPath(ds) : null;
        }
    }

    public string MigrationsAssembly => $"Analytics.Data.Migrations.{Provider}";
}
