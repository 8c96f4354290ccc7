namespace Analytics.Benchmarks;

/// <summary>
/// SQLite's own high-water marks in this process (sqlite3_status): all memory SQLite allocated (page caches, the
/// sorter's in-memory runs, statements, schema) and, of that, the page caches. They split a step's peak RSS into
/// SQLite's part (bounded by cache_size per connection) and the rest (.NET heap, runtime, native code).
/// </summary>
public static class SqliteMemory
{
    /// <summary>Peak bytes of SQLite's heap and of its page caches since the process started, in MB; null if unknown.</summary>
    public static (double? HeapPeakMb, double? PageCachePeakMb) Peaks()
    {
        try
        {
            // Idempotent; a step that never opened a connection reads zeros (reported as unknown).
            SQLitePCL.Batteries_V2.Init();
            var heap = SQLitePCL.raw.sqlite3_memory_highwater(0);
            // No SQLITE_CONFIG_PAGECACHE buffer is configured, so every page-cache page is an "overflow" allocation.
            var rc = SQLitePCL.raw.sqlite3_status(SQLitePCL.raw.SQLITE_STATUS_PAGECACHE_OVERFLOW, out _, out var pageCache, 0);
            return (heap > 0 ? heap / 1048576.0 : null, rc == SQLitePCL.raw.SQLITE_OK && pageCache > 0 ? pageCache / 1048576.0 : null);
        }
        catch (Exception ex) when (ex is TypeInitializationException or InvalidOperationException or DllNotFoundException or EntryPointNotFoundException)
        {
            return (null, null);
        }
    }
}
