using Analytics.Data;
using Analytics.Outcomes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Benchmarks.Steps;

/// <summary>The product's own wiring of the database and outcome service, pointed at a bench database file.</summary>
public static class BenchServices
{
    public static ServiceProvider For(string sqliteFile)
    {
        var database = BenchDatabase.Options(sqliteFile);
        var services = new ServiceCollection();
        services.AddSingleton(database);
        services.AddDbContextFactory<AnalyticsDbContext>(b => b.UseAnalyticsDatabase(database));
        services.AddSingleton(new OutcomeOptions());
        services.AddSingleton<OutcomeService>();
        return services.BuildServiceProvider();
    }

    /// <summary>Rows the tables are computed from (sessions, assessments, answers), for a comparable rows/s.</summary>
    public static async Task<long> InputRowsAsync(string sqliteFile, CancellationToken ct)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(BenchPaths.SqliteConnectionString(sqliteFile));
        await connection.OpenAsync(ct);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT (SELECT COUNT(*) FROM sessions) + (SELECT COUNT(*) FROM assessments) + (SELECT COUNT(*) FROM satisfaction_responses)";
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static void RequireImported(BenchPaths paths)
    {
        if (!File.Exists(paths.ImportDb)) throw new InvalidOperationException($"No imported database at {paths.ImportDb}: the import step did not run.");
    }
}
