using System.Data.Common;
using Analytics.Domain;
using Microsoft.Data.Sqlite;
using static Analytics.Ingest.Bulk.BulkTables;

namespace Analytics.Ingest.Bulk;

/// <summary>
/// SQLite: one prepared <c>INSERT … ON CONFLICT DO UPDATE</c> per table (4 rows per statement for the narrow
/// child tables), re-executed with new parameter values, all in one transaction.
/// </summary>
public sealed class SqliteBulkWriter : IBulkWriter
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly Dictionary<(string, BulkMode), (SqliteCommand Cmd, SqliteParameter[] Params)> _prepared = [];

    private SqliteBulkWriter(SqliteConnection connection, SqliteTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    public DbConnection Connection => _connection;
    public DbTransaction Transaction => _transaction;

    public static async Task<SqliteBulkWriter> OpenAsync(string connectionString, CancellationToken ct)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(ct);
        await using (var pragma = connection.CreateCommand())
        {
            // WAL + NORMAL: durable at commit, no fsync per page; the big cache keeps index pages hot. Temporary
            // storage on file: an index rebuild's sorter spills there instead of growing the process (same time here,
            // ~70 MB lower peak at 2.25 M rows). No sorter helper threads (threads=0, SQLite's default): they sorted
            // no faster here and each kept its own malloc arena of freed sort memory in the process.
            pragma.CommandText = $"PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-{CachePages}; PRAGMA temp_store=FILE; PRAGMA busy_timeout=30000;";
            await pragma.ExecuteNonQueryAsync(ct);
        }
        // Immediate: take the write lock now, so a concurrent importer waits instead of failing mid-way.
        var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, ct);
        await using (var begin = connection.CreateCommand())
        {
            begin.Transaction = transaction;
            begin.CommandText = "SELECT 1";
            await begin.ExecuteScalarAsync(ct);
        }
        return new SqliteBulkWriter(connection, transaction);
    }

    public static string UpsertSql(BulkTable t, BulkMode mode, int rowsPerStatement = 1)
    {
        var n = t.Columns.Count;
        var values = string.Join(", ", Enumerable.Range(0, rowsPerStatement)
            .Select(r => "(" + string.Join(", ", Enumerable.Range(0, n).Select(i => "$p" + (r * n + i))) + ")"));
        var sql = $"INSERT INTO {Q(t.Name)} ({ColumnList(t)}) VALUES {values}";
        return mode switch
        {
            BulkMode.Upsert when t.NonKeys.Any() =>
                sql + $" ON CONFLICT ({string.Join(", ", t.Keys.Select(k => Q(k.Name)))}) DO UPDATE SET "
                    + string.Join(", ", t.NonKeys.Select(c => $"{Q(c.Name)} = excluded.{Q(c.Name)}")),
            BulkMode.Upsert or BulkMode.InsertMissing => sql + $" ON CONFLICT ({string.Join(", ", t.Keys.Select(k => Q(k.Name)))}) DO NOTHING",
            _ => sql,
        };
    }

    /// <summary>
    /// Rows per INSERT. Multi-row VALUES lists were measured slower here: Microsoft.Data.Sqlite looks every
    /// named parameter up by name on each execution, which grows with the square of the parameter count.
    /// </summary>
    private static int RowsPerStatement(BulkTable t) => t.Columns.Count <= 4 ? 4 : 1;

    private (SqliteCommand Cmd, SqliteParameter[] Params) Prepare(BulkTable table, BulkMode mode, int rowsPerStatement)
    {
        if (_prepared.TryGetValue((table.Name + "/" + rowsPerStatement, mode), out var prepared)) return prepared;
        var cmd = _connection.CreateCommand();
        cmd.Transaction = _transaction;
        cmd.CommandText = UpsertSql(table, mode, rowsPerStatement);
        var ps = Enumerable.Range(0, table.Columns.Count * rowsPerStatement).Select(i => cmd.Parameters.Add(new SqliteParameter("$p" + i, null))).ToArray();
        cmd.Prepare();
        prepared = (cmd, ps);
        _prepared[(table.Name + "/" + rowsPerStatement, mode)] = prepared;
        return prepared;
    }

    public Task WriteAsync(BulkTable table, BulkMode mode, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        if (rows.Count == 0) return Task.CompletedTask;
        if (RawBindable(rows)) WriteRaw(table, mode, rows, ct);
        else WriteWithParameters(table, mode, rows, ct);
        return Task.CompletedTask;
    }

    private void WriteWithParameters(BulkTable table, BulkMode mode, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        var per = RowsPerStatement(table);
        var width = table.Columns.Count;
        var i = 0;
        if (rows.Count >= per)
        {
            var (multi, mps) = Prepare(table, mode, per);
            for (; i + per <= rows.Count; i += per)
            {
                ct.ThrowIfCancellationRequested();
                for (var r = 0; r < per; r++)
                {
                    var row = rows[i + r];
                    for (var c = 0; c < width; c++) mps[r * width + c].Value = ToSqlite(row[c]);
                }
                multi.ExecuteNonQuery();
            }
        }
        if (i < rows.Count)
        {
            var (single, sps) = Prepare(table, mode, 1);
            for (; i < rows.Count; i++)
            {
                var row = rows[i];
                for (var c = 0; c < width; c++) sps[c].Value = ToSqlite(row[c]);
                single.ExecuteNonQuery();
            }
        }
    }

    // ---------------------------------------------------------------- raw statements

    /// <summary>
    /// True when every value is of a type <see cref="BindRaw"/> stores exactly as Microsoft.Data.Sqlite would
    /// (after <see cref="ToSqlite"/>); anything else (e.g. timestamps) takes the parameter path.
    /// </summary>
    private static bool RawBindable(IReadOnlyList<object?[]> rows)
    {
        foreach (var row in rows)
        {
            foreach (var v in row)
            {
                if (v is not (null or DBNull or string or int or long or bool or double or DateOnly or decimal)) return false;
            }
        }
        return true;
    }

    private readonly Dictionary<(string, BulkMode, int), SQLitePCL.sqlite3_stmt> _raw = [];

    private SQLitePCL.sqlite3_stmt PrepareRaw(BulkTable table, BulkMode mode, int rowsPerStatement)
    {
        if (_raw.TryGetValue((table.Name, mode, rowsPerStatement), out var stmt)) return stmt;
        var db = _connection.Handle!;
        var rc = SQLitePCL.raw.sqlite3_prepare_v2(db, UpsertSql(table, mode, rowsPerStatement), out stmt);
        if (rc != SQLitePCL.raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, db);
        _raw[(table.Name, mode, rowsPerStatement)] = stmt;
        return stmt;
    }

    /// <summary>
    /// The hot path of a load: the same prepared INSERT, driven through SQLite's own API on the connection's
    /// handle (inside its transaction). Values are bound by position, strings as UTF-16 spans, so a row costs no
    /// parameter-name look-ups, no data reader and no UTF-8 copies on the managed heap.
    /// </summary>
    private void WriteRaw(BulkTable table, BulkMode mode, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        var per = RowsPerStatement(table);
        var width = table.Columns.Count;
        var i = 0;
        if (rows.Count >= per)
        {
            var multi = PrepareRaw(table, mode, per);
            for (; i + per <= rows.Count; i += per)
            {
                ct.ThrowIfCancellationRequested();
                for (var r = 0; r < per; r++)
                {
                    var row = rows[i + r];
                    for (var c = 0; c < width; c++) BindRaw(multi, r * width + c + 1, row[c]);
                }
                StepRaw(multi);
            }
        }
        if (i < rows.Count)
        {
            var single = PrepareRaw(table, mode, 1);
            for (; i < rows.Count; i++)
            {
                var row = rows[i];
                for (var c = 0; c < width; c++) BindRaw(single, c + 1, row[c]);
                StepRaw(single);
            }
        }
    }

    /// <summary>
    /// A one-pass load's insert: rows with a new id are inserted; a row whose id is already there is left out and
    /// reported — with whether the stored row has the same content hash (column <paramref name="hashColumn"/>) and
    /// whether it was written by this batch (an id repeated in the file) or was stored before it. The primary key finds
    /// repeated ids, so the reading side keeps no per-id state. Returns the number of rows inserted.
    /// </summary>
    public int InsertNew(BulkTable table, IReadOnlyList<object?[]> rows, int hashColumn, int batchId, List<(int Row, bool SameContent, bool StoredBefore)> repeats,
        CancellationToken ct)
    {
        if (rows.Count == 0) return 0;
        if (!RawBindable(rows)) throw new InvalidOperationException($"{table.Name}: a one-pass row holds a value that cannot be bound directly.");
        var stmt = PrepareRaw(table, BulkMode.InsertMissing, 1);
        var db = _connection.Handle!;
        var width = table.Columns.Count;
        var inserted = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var row = rows[i];
            for (var c = 0; c < width; c++) BindRaw(stmt, c + 1, row[c]);
            StepRaw(stmt);
            if (SQLitePCL.raw.sqlite3_changes(db) == 1)
            {
                inserted++;
                continue;
            }
            var (hash, batch) = Stored(table, (string)row[0]!) ?? throw new InvalidOperationException($"{table.Name}: row {row[0]} was neither inserted nor found.");
            repeats.Add((i, hash == (string?)row[hashColumn], batch != batchId));
        }
        return inserted;
    }

    /// <summary>The stored content hash and import batch of the row with this id, or null when there is none.</summary>
    public (string Hash, long Batch)? Stored(BulkTable table, string id)
    {
        if (!_raw.TryGetValue((table.Name, BulkMode.Append, -1), out var stmt))
        {
            var rc = SQLitePCL.raw.sqlite3_prepare_v2(_connection.Handle!, $"SELECT \"ContentHash\", \"ImportBatchId\" FROM {Q(table.Name)} WHERE \"Id\" = ?1", out stmt);
            if (rc != SQLitePCL.raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
            _raw[(table.Name, BulkMode.Append, -1)] = stmt;
        }
        try
        {
            BindRaw(stmt, 1, id);
            var rc = SQLitePCL.raw.sqlite3_step(stmt);
            if (rc == SQLitePCL.raw.SQLITE_ROW)
                return (SQLitePCL.raw.sqlite3_column_text(stmt, 0).utf8_to_string(), SQLitePCL.raw.sqlite3_column_int64(stmt, 1));
            if (rc != SQLitePCL.raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
            return null;
        }
        finally
        {
            SQLitePCL.raw.sqlite3_reset(stmt);
        }
    }

    /// <summary>The largest rowid of the table: about its row count, in a B-tree step (no scan).</summary>
    public async Task<long> MaxRowIdAsync(string table, CancellationToken ct)
    {
        await using var cmd = _connection.CreateCommand();
        cmd.Transaction = _transaction;
        cmd.CommandText = $"SELECT coalesce(max(rowid), 0) FROM {Q(table)}";
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    private void StepRaw(SQLitePCL.sqlite3_stmt stmt)
    {
        var rc = SQLitePCL.raw.sqlite3_step(stmt);
        if (rc == SQLitePCL.raw.SQLITE_DONE)
        {
            SQLitePCL.raw.sqlite3_reset(stmt);
            return;
        }
        try
        {
            SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
        }
        finally
        {
            SQLitePCL.raw.sqlite3_reset(stmt);
        }
    }

    private void BindRaw(SQLitePCL.sqlite3_stmt stmt, int index, object? value)
    {
        var rc = value switch
        {
            null or DBNull => SQLitePCL.raw.sqlite3_bind_null(stmt, index),
            // An empty span binds a null pointer, which SQLite stores as NULL: bind "" through the copying overload.
            string { Length: 0 } => SQLitePCL.raw.sqlite3_bind_text(stmt, index, ""),
            string s => SQLitePCL.raw.sqlite3_bind_text16(stmt, index, s.AsSpan()),
            int n => SQLitePCL.raw.sqlite3_bind_int64(stmt, index, n),
            long n => SQLitePCL.raw.sqlite3_bind_int64(stmt, index, n),
            bool b => SQLitePCL.raw.sqlite3_bind_int64(stmt, index, b ? 1 : 0),
            double d => SQLitePCL.raw.sqlite3_bind_double(stmt, index, d),
            DateOnly d => BindDate(stmt, index, d),
            decimal m => SQLitePCL.raw.sqlite3_bind_text16(stmt, index, ((string)ToSqlite(m)).AsSpan()),
            _ => throw new InvalidOperationException($"Cannot bind a {value.GetType().Name} directly."),
        };
        if (rc != SQLitePCL.raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
    }

    private static int BindDate(SQLitePCL.sqlite3_stmt stmt, int index, DateOnly d)
    {
        Span<char> text = stackalloc char[10];
        d.TryFormat(text, out var n, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return SQLitePCL.raw.sqlite3_bind_text16(stmt, index, text[..n]);
    }

    // Same text forms EF Core's SQLite provider writes, so EF reads these rows back unchanged.
    internal static object ToSqlite(object? v) => v switch
    {
        null => DBNull.Value,
        DateOnly d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        decimal m => m.ToString("0.0###########################", System.Globalization.CultureInfo.InvariantCulture),
        bool b => b ? 1L : 0L,
        _ => v,
    };

    public async Task DeleteAsync(string table, string keyColumn, IReadOnlyCollection<string> keys, CancellationToken ct)
    {
        await using var cmd = _connection.CreateCommand();
        cmd.Transaction = _transaction;
        cmd.CommandText = $"DELETE FROM {Q(table)} WHERE {Q(keyColumn)} = $k";
        var p = cmd.Parameters.Add(new SqliteParameter("$k", ""));
        cmd.Prepare();
        foreach (var k in keys)
        {
            p.Value = k;
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>
    /// Drops the non-unique secondary indexes of <paramref name="table"/> and returns their CREATE statements.
    /// A large load then appends to the table alone and each index is built once, sorted, by
    /// <see cref="CreateIndexesAsync"/> — about twice as fast as maintaining three random-order B-trees row by row.
    /// Safe inside the batch transaction: SQLite DDL rolls back with it, and readers keep seeing the old indexes.
    /// </summary>
    public async Task<IReadOnlyList<string>> DropSecondaryIndexesAsync(string table, CancellationToken ct)
    {
        var indexes = new List<(string Name, string Sql)>();
        await using (var cmd = _connection.CreateCommand())
        {
            cmd.Transaction = _transaction;
            // sql IS NULL: the automatic indexes of PRIMARY KEY / UNIQUE constraints, which the upserts need.
            cmd.CommandText = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = $t AND sql IS NOT NULL";
            cmd.Parameters.AddWithValue("$t", table);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var sql = r.GetString(1);
                if (!sql.StartsWith("CREATE UNIQUE", StringComparison.OrdinalIgnoreCase)) indexes.Add((r.GetString(0), sql));
            }
        }
        foreach (var (name, _) in indexes)
        {
            await using var drop = _connection.CreateCommand();
            drop.Transaction = _transaction;
            drop.CommandText = $"DROP INDEX {Q(name)}";
            await drop.ExecuteNonQueryAsync(ct);
        }
        return [.. indexes.Select(i => i.Sql)];
    }

    /// <summary>Re-creates indexes dropped by <see cref="DropSecondaryIndexesAsync"/>.</summary>
    public async Task CreateIndexesAsync(IReadOnlyList<string> createStatements, CancellationToken ct)
    {
        foreach (var sql in createStatements)
        {
            await using var cmd = _connection.CreateCommand();
            cmd.Transaction = _transaction;
            cmd.CommandText = sql;
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    private const int CachePages = 200_000; // KiB (cache_size=-200000)

    public async Task<int> InsertBatchAsync(ImportBatch b, CancellationToken ct)
    {
        await using var cmd = _connection.CreateCommand();
        cmd.Transaction = _transaction;
        cmd.CommandText = """
            INSERT INTO "import_batches" ("Source", "StartedAt", "AsOf", "Status", "RowsRead", "RowsApplied", "RowsUnchanged", "RowsUpdated", "RowsRejected")
            VALUES ($s, $t, $a, $st, 0, 0, 0, 0, 0); SELECT last_insert_rowid();
            """;
        cmd.Parameters.AddWithValue("$s", b.Source);
        cmd.Parameters.AddWithValue("$t", b.StartedAt);
        cmd.Parameters.AddWithValue("$a", ToSqlite(b.AsOf));
        cmd.Parameters.AddWithValue("$st", b.Status.ToString());
        return Convert.ToInt32(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task CommitAsync(CancellationToken ct) => await _transaction.CommitAsync(ct);

    public async ValueTask DisposeAsync()
    {
        foreach (var stmt in _raw.Values) stmt.Dispose();
        _raw.Clear();
        foreach (var (cmd, _) in _prepared.Values) await cmd.DisposeAsync();
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}

/// <summary>
/// The floor the importer is measured against: a bare prepared-insert loop of session rows into the
/// same schema in one transaction (no parsing, validation, hashing or merging).
/// </summary>
public static class SqliteInsertFloor
{
    /// <summary>Inserts <paramref name="rows"/> (columns of <see cref="BulkTables.Sessions"/>) and returns rows/s.</summary>
    public static double InsertSessions(string connectionString, IEnumerable<object?[]> rows)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-200000;";
            pragma.ExecuteNonQuery();
        }
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var tx = connection.BeginTransaction();
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = SqliteBulkWriter.UpsertSql(BulkTables.Sessions, BulkMode.Append);
        var ps = BulkTables.Sessions.Columns.Select((_, i) => cmd.Parameters.Add(new SqliteParameter("$p" + i, null))).ToArray();
        cmd.Prepare();
        long n = 0;
        foreach (var row in rows)
        {
            for (var i = 0; i < ps.Length; i++) ps[i].Value = SqliteBulkWriter.ToSqlite(row[i]);
            cmd.ExecuteNonQuery();
            n++;
        }
        tx.Commit();
        return n / watch.Elapsed.TotalSeconds;
    }

    /// <summary>Synthetic session rows for the floor measurement (distinct ids, plausible values).</summary>
    public static IEnumerable<object?[]> SyntheticSessions(int count, int batchId = 1)
    {
        var start = new DateOnly(2023, 1, 1);
        for (var i = 0; i < count; i++)
        {
            var date = start.AddDays(i % 700);
            yield return
            [
                $"S{i:D8}", $"CL{i % 7}", $"PR{i % 40}", Convert.ToHexStringLower(BitConverter.GetBytes((long)(i / 6))).PadLeft(64, '0'),
                $"C{i / 6:D7}", Codes.Concerns[(i / 6) % Codes.Concerns.Count], date, Codes.MonthKey(date), 1960 + i % 40, "f", 1 + i % 6,
                "face", "pen", 1.5, 3, 2.0, 120.5m, "EUR", i % 10 == 0, new string('a', 64), batchId,
            ];
        }
    }
}
