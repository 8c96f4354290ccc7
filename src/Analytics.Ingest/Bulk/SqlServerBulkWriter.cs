using System.Data;
using System.Data.Common;
using Analytics.Domain;
using Microsoft.Data.SqlClient;
using static Analytics.Ingest.Bulk.BulkTables;

namespace Analytics.Ingest.Bulk;

/// <summary>
/// SQL Server: SqlBulkCopy into a #temp copy of the table, then one MERGE per chunk. Not run here (no
/// SQL Server on this machine); its SQL is parsed with ScriptDom in the tests.
/// </summary>
public sealed class SqlServerBulkWriter : IBulkWriter
{
    private readonly SqlConnection _connection;
    private readonly SqlTransaction _transaction;
    private readonly HashSet<string> _staged = [];

    private SqlServerBulkWriter(SqlConnection connection, SqlTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    public DbConnection Connection => _connection;
    public DbTransaction Transaction => _transaction;

    public static async Task<SqlServerBulkWriter> OpenAsync(string connectionString, CancellationToken ct)
    {
        var connection = new SqlConnection(connectionString);
        await connection.OpenAsync(ct);
        var transaction = (SqlTransaction)await connection.BeginTransactionAsync(ct);
        await using (var cmd = new SqlCommand(LockSql, connection, transaction))
        {
            await cmd.ExecuteNonQueryAsync(ct);
        }
        return new SqlServerBulkWriter(connection, transaction);
    }

    /// <summary>One import at a time per database (released at commit or rollback).</summary>
    public const string LockSql = "EXEC sp_getapplock @Resource = N'analytics-import', @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = -1;";

    public static string StageSql(BulkTable t, string stage) =>
        $"SELECT TOP 0 {ColumnList(t)} INTO {Q(stage)} FROM {Q(t.Name)};";

    public static string MergeSql(BulkTable t, BulkMode mode, string stage)
    {
        var on = string.Join(" AND ", t.Keys.Select(k => $"target.{Q(k.Name)} = source.{Q(k.Name)}"));
        var insert = $"INSERT ({ColumnList(t)}) VALUES ({string.Join(", ", t.Columns.Select(c => "source." + Q(c.Name)))})";
        var update = mode == BulkMode.Upsert && t.NonKeys.Any()
            ? "WHEN MATCHED THEN UPDATE SET " + string.Join(", ", t.NonKeys.Select(c => $"target.{Q(c.Name)} = source.{Q(c.Name)}")) + " "
            : "";
        return $"MERGE {Q(t.Name)} WITH (HOLDLOCK) AS target USING {Q(stage)} AS source ON {on} "
            + update + $"WHEN NOT MATCHED BY TARGET THEN {insert}; TRUNCATE TABLE {Q(stage)};";
    }

    public async Task WriteAsync(BulkTable table, BulkMode mode, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        if (rows.Count == 0) return;
        var data = new DataTable();
        foreach (var c in table.Columns) data.Columns.Add(c.Name, ClrType(c.Type));
        foreach (var row in rows) data.Rows.Add(row.Select(v => v ?? DBNull.Value).ToArray());
        var target = table.Name;
        if (mode != BulkMode.Append)
        {
            target = "#stage_" + table.Name;
            if (_staged.Add(target))
            {
                await using var create = new SqlCommand(StageSql(table, target), _connection, _transaction);
                await create.ExecuteNonQueryAsync(ct);
            }
        }
        using (var copy = new SqlBulkCopy(_connection, SqlBulkCopyOptions.Default, _transaction) { DestinationTableName = Q(target), BulkCopyTimeout = 600 })
        {
            foreach (var c in table.Columns) copy.ColumnMappings.Add(c.Name, c.Name);
            await copy.WriteToServerAsync(data, ct);
        }
        if (mode != BulkMode.Append)
        {
            await using var merge = new SqlCommand(MergeSql(table, mode, target), _connection, _transaction) { CommandTimeout = 600 };
            await merge.ExecuteNonQueryAsync(ct);
        }
    }

    private static Type ClrType(BulkType t) => t switch
    {
        BulkType.Int => typeof(int),
        BulkType.Long => typeof(long),
        BulkType.Double => typeof(double),
        BulkType.Decimal => typeof(decimal),
        BulkType.Date => typeof(DateOnly),
        BulkType.Bool => typeof(bool),
        BulkType.Timestamp => typeof(DateTimeOffset),
        _ => typeof(string),
    };

    public async Task DeleteAsync(string table, string keyColumn, IReadOnlyCollection<string> keys, CancellationToken ct)
    {
        foreach (var chunk in keys.Chunk(1000))
        {
            await using var cmd = new SqlCommand { Connection = _connection, Transaction = _transaction };
            cmd.CommandText = $"DELETE FROM {Q(table)} WHERE {Q(keyColumn)} IN ({string.Join(", ", chunk.Select((_, i) => "@k" + i))})";
            for (var i = 0; i < chunk.Length; i++) cmd.Parameters.AddWithValue("@k" + i, chunk[i]);
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    public const string InsertBatchSql = """
        INSERT INTO "import_batches" ("Source", "StartedAt", "AsOf", "Status", "RowsRead", "RowsApplied", "RowsUnchanged", "RowsUpdated", "RowsRejected")
        OUTPUT INSERTED."Id" VALUES (@s, @t, @a, @st, 0, 0, 0, 0, 0);
        """;

    public async Task<int> InsertBatchAsync(ImportBatch b, CancellationToken ct)
    {
        await using var cmd = new SqlCommand(InsertBatchSql, _connection, _transaction);
        cmd.Parameters.AddWithValue("@s", b.Source);
        cmd.Parameters.AddWithValue("@t", b.StartedAt);
        cmd.Parameters.Add(new SqlParameter("@a", SqlDbType.Date) { Value = b.AsOf.ToDateTime(TimeOnly.MinValue) });
        cmd.Parameters.AddWithValue("@st", b.Status.ToString());
        return (int)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public async Task CommitAsync(CancellationToken ct) => await _transaction.CommitAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
