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

    public static IConfiguration Build(ParseResult parse)
    {
        var overrides = new Dictionary<string, string?>();
        if (parse.GetValue(Provider) is { } p) overrides["Database:Provider"] = p;
        if (parse.GetValue(Connection) is { } c) overrides["Database:ConnectionString"] = c;
        var builder = new ConfigurationBuilder()
            .SetBasePath(Directory.GetCurrentDirectory())
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables();
        if (parse.GetValue(ConfigFile) is { } file) builder.AddJsonFile(Path.GetFullPath(file), optional: false);
        return builder.AddInMemoryCollection(overrides).Build();
    }
}
