using System.Data.Common;
using Analytics.Domain;
using Npgsql;
using NpgsqlTypes;
using static Analytics.Ingest.Bulk.BulkTables;

namespace Analytics.Ingest.Bulk;

/// <summary>
/// PostgreSQL: binary COPY into a temp staging table (dropped at commit), then one
/// <c>INSERT … SELECT … ON CONFLICT DO UPDATE</c> merge per chunk. Appends COPY straight into the table.
/// </summary>
public sealed class PostgresBulkWriter : IBulkWriter
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly HashSet<string> _staged = [];

    private PostgresBulkWriter(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    public DbConnection Connection => _connection;
    public DbTransaction Transaction => _transaction;

    public static async Task<PostgresBulkWriter> OpenAsync(string connectionString, CancellationToken ct)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        var transaction = await connection.BeginTransactionAsync(ct);
        // One import at a time per database: a second importer waits here rather than interleaving merges.
        await using (var cmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock(727274)", connection, transaction))
        {
            await cmd.ExecuteNonQueryAsync(ct);
        }
        return new PostgresBulkWriter(connection, transaction);
    }

    public static string MergeSql(BulkTable t, BulkMode mode, string stage)
    {
        var keys = string.Join(", ", t.Keys.Select(k => Q(k.Name)));
        var sql = $"INSERT INTO {Q(t.Name)} ({ColumnList(t)}) SELECT {ColumnList(t)} FROM {Q(stage)} ON CONFLICT ({keys}) ";
        return mode == BulkMode.Upsert && t.NonKeys.Any()
            ? sql + "DO UPDATE SET " + string.Join(", ", t.NonKeys.Select(c => $"{Q(c.Name)} = EXCLUDED.{Q(c.Name)}"))
            : sql + "DO NOTHING";
    }

    public async Task WriteAsync(BulkTable table, BulkMode mode, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        if (rows.Count == 0) return;
        if (mode == BulkMode.Append)
        {
            await CopyAsync(table.Name, table, rows, ct);
            return;
        }
        var stage = "stage_" + table.Name;
        if (_staged.Add(stage))
        {
            await using var create = new NpgsqlCommand(
                $"CREATE TEMP TABLE {Q(stage)} (LIKE {Q(table.Name)} INCLUDING DEFAULTS) ON COMMIT DROP", _connection, _transaction);
            await create.ExecuteNonQueryAsync(ct);
        }
        await CopyAsync(stage, table, rows, ct);
        await using var merge = new NpgsqlCommand(MergeSql(table, mode, stage) + $"; TRUNCATE {Q(stage)}", _connection, _transaction);
        merge.CommandTimeout = 600;
        await merge.ExecuteNonQueryAsync(ct);
    }

    private async Task CopyAsync(string target, BulkTable table, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        var types = table.Columns.Select(c => TypeOf(c.Type)).ToArray();
        await using var importer = await _connection.BeginBinaryImportAsync(
            $"COPY {Q(target)} ({ColumnList(table)}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(ct);
            for (var i = 0; i < row.Length; i++)
            {
                var v = row[i];
                if (v is null) await importer.WriteNullAsync(ct);
                else if (v is DateTimeOffset t) await importer.WriteAsync(t.UtcDateTime, types[i], ct);
                else await importer.WriteAsync(v, types[i], ct);
            }
        }
        await importer.CompleteAsync(ct);
    }

    private static NpgsqlDbType TypeOf(BulkType t) => t switch
    {
        BulkType.Text => NpgsqlDbType.Varchar,
        BulkType.Int => NpgsqlDbType.Integer,
        BulkType.Long => NpgsqlDbType.Bigint,
        BulkType.Double => NpgsqlDbType.Double,
        BulkType.Decimal => NpgsqlDbType.Numeric,
        BulkType.Date => NpgsqlDbType.Date,
        BulkType.Bool => NpgsqlDbType.Boolean,
        _ => NpgsqlDbType.TimestampTz,
    };

    public async Task DeleteAsync(string table, string keyColumn, IReadOnlyCollection<string> keys, CancellationToken ct)
    {
        if (keys.Count == 0) return;
        await using var cmd = new NpgsqlCommand($"DELETE FROM {Q(table)} WHERE {Q(keyColumn)} = ANY(@k)", _connection, _transaction);
        cmd.Parameters.AddWithValue("k", keys.ToArray());
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<int> InsertBatchAsync(ImportBatch b, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            """
            INSERT INTO "import_batches" ("Source", "StartedAt", "AsOf", "Status", "RowsRead", "RowsApplied", "RowsUnchanged", "RowsUpdated", "RowsRejected")
            VALUES (@s, @t, @a, @st, 0, 0, 0, 0, 0) RETURNING "Id"
            """, _connection, _transaction);
        cmd.Parameters.AddWithValue("s", b.Source);
        cmd.Parameters.AddWithValue("t", b.StartedAt.UtcDateTime);
        cmd.Parameters.AddWithValue("a", b.AsOf);
        cmd.Parameters.AddWithValue("st", b.Status.ToString());
        return (int)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public async Task CommitAsync(CancellationToken ct) => await _transaction.CommitAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
