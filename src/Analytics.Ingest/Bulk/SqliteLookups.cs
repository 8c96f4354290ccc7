using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Analytics.Ingest.Bulk;

/// <summary>
/// Primary-key look-ups of a first load: what the course rules need of a course, and whether a session exists. They
/// run on the import's own connection, which sees the rows its transaction wrote earlier in the batch (a second
/// connection would not), through their own prepared statements, and only where that connection is free (on the write
/// task, or on the reading side while the queue is idle). Instead of a map of every course in memory, each look-up is
/// a B-tree search in the page cache, with a small direct-mapped cache in front (files list a course's rows together, mostly).
/// </summary>
internal sealed class SqliteLookups : IDisposable
{
    private const int CacheSize = 4096;
    private readonly SqliteConnection _connection;
    private readonly sqlite3_stmt _course;
    private readonly sqlite3_stmt _session;
    private readonly (string? Id, CourseFacts? Facts)[] _courses = new (string?, CourseFacts?)[CacheSize];
    // Concern and clinic texts repeat across courses: one string each.
    private readonly Dictionary<string, string> _texts = new(StringComparer.Ordinal);

    public SqliteLookups(SqliteConnection connection)
    {
        _connection = connection;
        _course = Prepare(connection, "SELECT \"Concern\", \"FirstSessionDate\", \"ClinicId\" FROM \"courses\" WHERE \"Id\" = ?1");
        _session = Prepare(connection, "SELECT 1 FROM \"sessions\" WHERE \"Id\" = ?1");
    }

    private static sqlite3_stmt Prepare(SqliteConnection connection, string sql)
    {
        var rc = raw.sqlite3_prepare_v2(connection.Handle!, sql, out var stmt);
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, connection.Handle);
        return stmt;
    }

    /// <summary>The stored course's concern, first session date and clinic; null when it is not imported (yet).</summary>
    public CourseFacts? Course(string id)
    {
        var slot = (int)((uint)string.GetHashCode(id, StringComparison.Ordinal) % CacheSize);
        ref var cached = ref _courses[slot];
        if (cached.Id == id) return cached.Facts;
        CourseFacts? facts = null;
        try
        {
            Step(_course, id, out var found);
            if (found)
            {
                var date = DateOnly.ParseExact(raw.sqlite3_column_text(_course, 1).utf8_to_string(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                facts = new CourseFacts(Text(raw.sqlite3_column_text(_course, 0).utf8_to_string()), date, Text(raw.sqlite3_column_text(_course, 2).utf8_to_string()));
            }
        }
        finally
        {
            raw.sqlite3_reset(_course);
        }
        cached = (id, facts);
        return facts;
    }

    public bool SessionExists(string id)
    {
        try
        {
            Step(_session, id, out var found);
            return found;
        }
        finally
        {
            raw.sqlite3_reset(_session);
        }
    }

    private void Step(sqlite3_stmt stmt, string id, out bool found)
    {
        var rc = raw.sqlite3_bind_text16(stmt, 1, id.AsSpan());
        if (rc == raw.SQLITE_OK) rc = raw.sqlite3_step(stmt);
        found = rc == raw.SQLITE_ROW;
        if (rc is not (raw.SQLITE_ROW or raw.SQLITE_DONE)) SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
    }

    private string Text(string s)
    {
        if (_texts.TryGetValue(s, out var known)) return known;
        if (_texts.Count < 10_000) _texts[s] = s;
        return s;
    }

    public void Dispose()
    {
        _course.Dispose();
        _session.Dispose();
    }
}
