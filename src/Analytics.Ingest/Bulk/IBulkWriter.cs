using System.Data.Common;
using Analytics.Domain;

namespace Analytics.Ingest.Bulk;

public enum BulkMode
{
    /// <summary>Insert new keys, overwrite every non-key column of existing ones.</summary>
    Upsert,
    /// <summary>Insert new keys, leave existing ones alone.</summary>
    InsertMissing,
    /// <summary>Append (tables with a generated id).</summary>
    Append,
}

/// <summary>
/// Writes rows in bulk inside one open transaction, without EF change tracking. One implementation per
/// provider: SQLite prepared statements, PostgreSQL binary COPY + merge, SQL Server SqlBulkCopy + MERGE.
/// </summary>
public interface IBulkWriter : IAsyncDisposable
{
    DbConnection Connection { get; }

    DbTransaction Transaction { get; }

    Task WriteAsync(BulkTable table, BulkMode mode, IReadOnlyList<object?[]> rows, CancellationToken ct);

    /// <summary>Deletes the rows whose single-column key is one of <paramref name="keys"/>.</summary>
    Task DeleteAsync(string table, string keyColumn, IReadOnlyCollection<string> keys, CancellationToken ct);

    Task<int> InsertBatchAsync(ImportBatch batch, CancellationToken ct);

    Task CommitAsync(CancellationToken ct);
}

/// <summary>Shared ADO.NET helpers over the writer's connection and transaction.</summary>
public static class BulkWriterExtensions
{
    public static DbCommand Command(this IBulkWriter w, string sql)
    {
        var cmd = w.Connection.CreateCommand();
        cmd.Transaction = w.Transaction;
        cmd.CommandText = sql;
        cmd.CommandTimeout = 600;
        return cmd;
    }

    public static DbParameter AddParameter(this DbCommand cmd, string name, object? value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        cmd.Parameters.Add(p);
        return p;
    }

    public static async Task<int> ExecuteAsync(this IBulkWriter w, string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        await using var cmd = w.Command(sql);
        foreach (var (n, v) in parameters) cmd.AddParameter(n, v);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    public static async Task UpdateBatchAsync(this IBulkWriter w, ImportBatch b, CancellationToken ct) =>
        await w.ExecuteAsync(
            """
            UPDATE "import_batches" SET "FinishedAt" = @f, "Status" = @s, "RowsRead" = @r, "RowsApplied" = @a,
              "RowsUnchanged" = @u, "RowsUpdated" = @up, "RowsRejected" = @rj, "Notes" = @n WHERE "Id" = @id
            """, ct,
            ("@f", b.FinishedAt is { } f ? Timestamp(w, f) : null), ("@s", b.Status.ToString()), ("@r", b.RowsRead), ("@a", b.RowsApplied),
            ("@u", b.RowsUnchanged), ("@up", b.RowsUpdated), ("@rj", b.RowsRejected), ("@n", b.Notes), ("@id", b.Id));

    /// <summary>PostgreSQL timestamptz takes only UTC values.</summary>
    internal static object Timestamp(IBulkWriter w, DateTimeOffset t) => w is PostgresBulkWriter ? t.UtcDateTime : t;

    internal static object? DbValue(IBulkWriter w, object? v) => v switch
    {
        DateTimeOffset t => Timestamp(w, t),
        DateOnly d when w is not SqliteBulkWriter => d,
        _ => v,
    };
}
