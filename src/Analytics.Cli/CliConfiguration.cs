using System.CommandLine;
using Microsoft.Extensions.Configuration;

namespace Analytics.Cli;

/// <summary>
/// Configuration for every verb: appsettings.json in the working folder, then environment
/// variables (e.g. <c>Database__Provider</c>), then the global command-line options.
/// </summary>
public static class CliConfiguration
{
    public static readonly Option<string?> Provider = new("--db-provider")
    {
        Description = "Database provider: Sqlite (default), SqlServer or PostgreSql (Database:Provider)",
        Recursive = true,
    };

    public static readonly Option<string?> Connection = new("--connection")
    {
        Description = "Database connection string (Database:ConnectionString); default: SQLite file analytics.db",
        Recursive = true,
    };

    public static readonly Option<string?> ConfigFile = new("--config")
    {
        Description = "An extra JSON settings file",
        Recursive = true,
    };

    /// <summary>Defaults of the CLI that differ from the libraries' (the CLI pulls from ./drop).</summary>
    private static readonly Dictionary<string, string?> Defaults = new()
    {
        ["Sources:DropFolder:Path"] = "drop",
    };

    public static IConfiguration Build(ParseResult parse, IDictionary<string, string?>? extra = null)
    {
        var overrides = new Dictionary<string, string?>();
        if (parse.GetValue(Provider) is { } p) overrides["Database:Provider"] = p;
        if (parse.GetValue(Connection) is { } c) overrides["Database:ConnectionString"] = c;
        var builder = new ConfigurationBuilder()
            .SetBasePath(Directory.GetCurrentDirectory())
            .AddInMemoryCollection(Defaults)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables();
        if (parse.GetValue(ConfigFile) is { } file) builder.AddJsonFile(Path.GetFullPath(file), optional: false);
        if (extra is not null) foreach (var (k, v) in extra) overrides[k] = v;
        return builder.AddInMemoryCollection(overrides).Build();
    }
}
