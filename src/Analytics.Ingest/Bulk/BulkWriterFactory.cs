using Analytics.Data;

namespace Analytics.Ingest.Bulk;

public static class BulkWriterFactory
{
    /// <summary>Opens a connection and a transaction on the configured provider.</summary>
    public static async Task<IBulkWriter> OpenAsync(DatabaseOptions options, CancellationToken ct) => options.Provider switch
    {
        DatabaseProvider.Sqlite => await SqliteBulkWriter.OpenAsync(options.EffectiveConnectionString, ct),
        DatabaseProvider.PostgreSql => await PostgresBulkWriter.OpenAsync(options.EffectiveConnectionString, ct),
        DatabaseProvider.SqlServer => await SqlServerBulkWriter.OpenAsync(options.EffectiveConnectionString, ct),
        _ => throw new InvalidOperationException($"Unknown provider {options.Provider}."),
    };
}
