using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Analytics.Outcomes;

/// <summary>
/// Direct calls into the e_sqlite3 library that Microsoft.Data.Sqlite itself loads (SQLitePCLRaw's e_sqlite3 provider
/// binds the same library name with DllImport, so both resolve to the one loaded module), for the read streams.
/// </summary>
/// <remarks>
/// Why not SQLitePCL's <c>raw</c> API: every call there passes a SafeHandle (reference count up and down) and the
/// connections Microsoft.Data.Sqlite opens are in serialized mode (a mutex taken per call). With ~20 column reads per
/// row over millions of rows those two cost more than SQLite's own work. Here the streams open their own read-only
/// connections with SQLITE_OPEN_NOMUTEX (each used by one thread only) and read columns through pointers; the tiny
/// column accessors skip the GC transition (they never block).
/// </remarks>
internal static unsafe class NativeSqlite
{
    private const string Lib = "e_sqlite3";
    public const int Ok = 0, Row = 100, Done = 101;
    public const int Integer = 1, Float = 2, Text = 3, Blob = 4, Null = 5;
    private const int OpenReadOnly = 0x1, OpenNoMutex = 0x8000;
    private static readonly IntPtr Transient = new(-1);

    private static readonly Lazy<bool> Loadable = new(() =>
    {
        try
        {
            return string.Equals(SQLitePCL.raw.GetNativeLibraryName(), Lib, StringComparison.Ordinal) && sqlite3_libversion_number() > 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return false;
        }
    });

    /// <summary>True when Microsoft.Data.Sqlite runs on e_sqlite3 and this process can call it directly.</summary>
    public static bool Available => Loadable.Value;

    [DllImport(Lib)] private static extern int sqlite3_libversion_number();
    [DllImport(Lib)] private static extern int sqlite3_open_v2(byte* filename, out IntPtr db, int flags, IntPtr vfs);
    [DllImport(Lib)] private static extern int sqlite3_close_v2(IntPtr db);
    [DllImport(Lib)] private static extern int sqlite3_busy_timeout(IntPtr db, int ms);
    [DllImport(Lib)] private static extern int sqlite3_prepare_v2(IntPtr db, byte* sql, int bytes, out IntPtr stmt, IntPtr tail);
    [DllImport(Lib)] private static extern int sqlite3_step(IntPtr stmt);
    [DllImport(Lib)] private static extern int sqlite3_finalize(IntPtr stmt);
    [DllImport(Lib)] private static extern IntPtr sqlite3_errmsg(IntPtr db);
    [DllImport(Lib)] private static extern IntPtr sqlite3_db_handle(IntPtr stmt);
    [DllImport(Lib)] private static extern int sqlite3_bind_parameter_index(IntPtr stmt, byte* name);
    [DllImport(Lib)] private static extern int sqlite3_bind_int64(IntPtr stmt, int i, long value);
    [DllImport(Lib)] private static extern int sqlite3_bind_double(IntPtr stmt, int i, double value);
    [DllImport(Lib)] private static extern int sqlite3_bind_null(IntPtr stmt, int i);
    [DllImport(Lib)] private static extern int sqlite3_bind_text(IntPtr stmt, int i, byte* text, int bytes, IntPtr destructor);
    [DllImport(Lib), SuppressGCTransition] private static extern int sqlite3_column_count(IntPtr stmt);
    [DllImport(Lib), SuppressGCTransition] private static extern int sqlite3_column_type(IntPtr stmt, int i);
    [DllImport(Lib), SuppressGCTransition] private static extern int sqlite3_column_int(IntPtr stmt, int i);
    [DllImport(Lib), SuppressGCTransition] private static extern double sqlite3_column_double(IntPtr stmt, int i);
    [DllImport(Lib), SuppressGCTransition] private static extern int sqlite3_column_bytes(IntPtr stmt, int i);
    [DllImport(Lib), SuppressGCTransition] private static extern byte* sqlite3_column_blob(IntPtr stmt, int i);

    /// <summary>The file behind an open connection's main database; null for an in-memory or temporary one.</summary>
    public static string? FileOf(SqliteConnection connection)
    {
        var name = SQLitePCL.raw.sqlite3_db_filename(connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open."), "main").utf8_to_string();
        return string.IsNullOrEmpty(name) ? null : name;
    }

    /// <summary>A read-only connection to <paramref name="file"/> for one thread.</summary>
    public static Connection Open(string file)
    {
        var path = Utf8(file);
        IntPtr db;
        int rc;
        fixed (byte* p = path) rc = sqlite3_open_v2(p, out db, OpenReadOnly | OpenNoMutex, IntPtr.Zero);
        if (rc != Ok)
        {
            var message = db == IntPtr.Zero ? $"error {rc}" : Message(db);
            if (db != IntPtr.Zero) sqlite3_close_v2(db);
            throw new InvalidOperationException($"SQLite could not open {file} for reading: {message}");
        }
        sqlite3_busy_timeout(db, 30_000);
        return new Connection(db, owned: true);
    }

    /// <summary>The open connection of Microsoft.Data.Sqlite itself (its transaction, its in-memory database); not closed here.</summary>
    public static Connection Borrow(SqliteConnection connection) =>
        new((connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.")).DangerousGetHandle(), owned: false);

    private static byte[] Utf8(string text)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }

    private static string Message(IntPtr db) => Marshal.PtrToStringUTF8(sqlite3_errmsg(db)) ?? "unknown error";

    public sealed class Connection(IntPtr handle, bool owned) : IDisposable
    {
        private IntPtr _handle = handle;

        public Statement Prepare(string sql)
        {
            var text = Utf8(sql);
            IntPtr stmt;
            int rc;
            fixed (byte* p = text) rc = sqlite3_prepare_v2(_handle, p, text.Length, out stmt, IntPtr.Zero);
            if (rc != Ok) throw new InvalidOperationException($"SQLite error {rc}: {Message(_handle)}");
            return new Statement(stmt);
        }

        public void Dispose()
        {
            if (owned && _handle != IntPtr.Zero) sqlite3_close_v2(_handle);
            _handle = IntPtr.Zero;
        }
    }

    public sealed class Statement(IntPtr handle) : IDisposable
    {
        private IntPtr _handle = handle;

        public bool Step()
        {
            var rc = sqlite3_step(_handle);
            if (rc == Row) return true;
            if (rc == Done) return false;
            throw new InvalidOperationException($"SQLite error {rc}: {Message(sqlite3_db_handle(_handle))}");
        }

        public int ColumnCount => sqlite3_column_count(_handle);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Type(int i) => sqlite3_column_type(_handle, i);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool IsNull(int i) => sqlite3_column_type(_handle, i) == Null;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Int(int i) => sqlite3_column_int(_handle, i);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public double Double(int i) => sqlite3_column_double(_handle, i);

        /// <summary>The column as bytes (UTF-8 for text), valid until the next step.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public ReadOnlySpan<byte> Bytes(int i)
        {
            var p = sqlite3_column_blob(_handle, i); // blob first, then its length (SQLite's documented order)
            return new ReadOnlySpan<byte>(p, sqlite3_column_bytes(_handle, i));
        }

        public int ParameterIndex(string name)
        {
            var text = Utf8(name);
            fixed (byte* p = text) return sqlite3_bind_parameter_index(_handle, p);
        }

        public int BindInt64(int i, long value) => sqlite3_bind_int64(_handle, i, value);

        public int BindDouble(int i, double value) => sqlite3_bind_double(_handle, i, value);

        public int BindNull(int i) => sqlite3_bind_null(_handle, i);

        public int BindText(int i, string value)
        {
            var text = Utf8(value); // NUL-terminated, so an empty text is a valid pointer (a null one would bind NULL)
            fixed (byte* p = text) return sqlite3_bind_text(_handle, i, p, text.Length - 1, Transient);
        }

        public void Dispose()
        {
            if (_handle != IntPtr.Zero) sqlite3_finalize(_handle);
            _handle = IntPtr.Zero;
        }
    }
}
