using Analytics.Data;
using Analytics.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Analytics.Data.Tests;

/// <summary>
/// SQL Server cannot run here: its migrations are checked by generating the idempotent
/// script and parsing it with ScriptDom; the live test runs only with a connection string.
/// </summary>
public sealed class SqlServerMigrationFacts
{
    private static AnalyticsDbContext SqlServerContext(string? cs = null) => DatabaseSetup.CreateContext(new DatabaseOptions
    {
        Provider = DatabaseProvider.SqlServer,
        ConnectionString = cs ?? "Server=127.0.0.1;Database=analytics;User Id=x;Password=y;TrustServerCertificate=True",
    });

    [Fact]
    public void Idempotent_migration_script_parses_without_errors()
    {
        using var ctx = SqlServerContext();
        var script = ctx.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        Assert.Contains("CREATE TABLE [sessions]", script);
        Assert.Contains("IF NOT EXISTS", script);
        // The script uses GO batch separators; ScriptDom understands them.
        Assert.Empty(TSqlValidator.Errors(script));
    }

    [Fact]
    public void Migrations_assembly_holds_every_migration_of_the_model()
    {
        using var ctx = SqlServerContext();
        Assert.NotEmpty(ctx.Database.GetMigrations());
        Assert.False(ctx.Database.HasPendingModelChanges(), "the SQL Server migrations are behind the model: add a migration");
    }

    [Fact]
    public void Validator_reports_broken_sql()
    {
        Assert.NotEmpty(TSqlValidator.Errors("CREATE TABLE [x] ([a] int,, );"));
    }

    [SqlServerFact]
    public async Task Live_migrate_and_round_trip_on_sql_server()
    {
        using var db = await TestDatabase.CreateAsync(DatabaseProvider.SqlServer);
        await using var ctx = db.CreateContext();
        Assert.Empty(await ctx.Database.GetPendingMigrationsAsync());
        Assert.Equal(Domain.InstrumentCatalog.Clinical.Count, await ctx.Instruments.CountAsync());
    }
}
