using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Analytics.Testing;

/// <summary>
/// A throwaway PostgreSQL cluster: initdb in a temp folder, started on a free 127.0.0.1 port,
/// stopped and deleted on dispose. One per test process (see <see cref="Shared"/>).
/// </summary>
public sealed class PostgresCluster : IDisposable
{
    private static readonly Lazy<PostgresCluster> SharedCluster = new(() =>
    {
        var cluster = Start();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Dispose();
        return cluster;
    });

    private readonly string _bin;
    private int _databases;
    private bool _stopped;

    private PostgresCluster(string bin, string dataDir, int port)
    {
        _bin = bin;
        DataDirectory = dataDir;
        Port = port;
    }

    /// <summary>The cluster shared by every test of this process, started on first use.</summary>
    public static PostgresCluster Shared => SharedCluster.Value;

    public string DataDirectory { get; }
    public int Port { get; }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Database={database};Username=postgres;Pooling=true;Maximum Pool Size=20;Include Error Detail=true";

    /// <summary>Creates a new empty database and returns its connection string.</summary>
    public string CreateDatabase(string prefix = "t")
    {
        var name = $"{prefix}_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}".ToLowerInvariant();
        Run(Path.Combine(_bin, "psql"), $"-h 127.0.0.1 -p {Port} -U postgres -d postgres -v ON_ERROR_STOP=1 -q -c \"CREATE DATABASE {name}\"", asPostgres: false);
        return ConnectionString(name);
    }

    public static PostgresCluster Start()
    {
        var bin = FindBinaries() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin. Install the Debian package 'postgresql' (.ci/run does).");
        var dir = Path.Combine(Path.GetTempPath(), $"analytics-pg-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var asRoot = Environment.UserName == "root";
        if (asRoot) Run("chown", $"postgres:postgres {dir}", asPostgres: false);
        Run(Path.Combine(bin, "initdb"), $"-D {dir} --auth=trust -U postgres -E UTF8 --locale=C.UTF-8", asRoot);
        var port = FreePort();
        Run(Path.Combine(bin, "pg_ctl"),
            $"-D {dir} -l {dir}/server.log -o \"-p {port} -k {dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\" -w -t 60 start",
            asRoot);
        return new PostgresCluster(bin, dir, port);
    }

    public void Dispose()
    {
        if (_stopped) return;
        _stopped = true;
        try
        {
            Run(Path.Combine(_bin, "pg_ctl"), $"-D {DataDirectory} -m immediate -w stop", Environment.UserName == "root");
        }
        catch (InvalidOperationException)
        {
            // Already stopped; still remove the folder.
        }
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static string? FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root)) return null;
        return Directory.GetDirectories(root)
            .Select(d => Path.Combine(d, "bin"))
            .Where(b => File.Exists(Path.Combine(b, "initdb")))
            .OrderByDescending(b => b, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static void Run(string file, string args, bool asPostgres)
    {
        // initdb and the server refuse to run as root: run them as the 'postgres' user.
        var psi = asPostgres
            ? new ProcessStartInfo("runuser", $"-u postgres -- {file} {args}")
            : new ProcessStartInfo(file, args);
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.WorkingDirectory = Path.GetTempPath();
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        if (!p.WaitForExit(120_000)) { p.Kill(true); throw new InvalidOperationException($"{file} timed out."); }
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {args} exited {p.ExitCode}: {stderr}{stdout.Result}");
        }
    }
}
