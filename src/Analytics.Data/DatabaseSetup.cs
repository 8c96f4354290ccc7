using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Data;

public static class DatabaseSetup
{
    /// <summary>Configures EF Core for the chosen provider and its own migrations assembly.</summary>
    public static DbContextOptionsBuilder UseAnalyticsDatabase(this DbContextOptionsBuilder builder, DatabaseOptions options)
    {
        var cs = options.EffectiveConnectionString;
        var migrations = options.MigrationsAssembly;
        return options.Provider switch
        {
            DatabaseProvider.Sqlite => builder.UseSqlite(cs, o => o.MigrationsAssembly(migrations).CommandTimeout(600)),
            DatabaseProvider.SqlServer => builder.UseSqlServer(cs, o => o.MigrationsAssembly(migrations).CommandTimeout(600)),
            DatabaseProvider.PostgreSql => builder.UseNpgsql(cs, o => o.MigrationsAssembly(migrations).CommandTimeout(600)),
            _ => throw new InvalidOperationException($"Unknown Database:Provider '{options.Provider}'."),
        };
    }

    public static DbContextOptions<AnalyticsDbContext> CreateOptions(DatabaseOptions options) =>
        ((DbContextOptionsBuilder<AnalyticsDbContext>)new DbContextOptionsBuilder<AnalyticsDbContext>().UseAnalyticsDatabase(options)).Options;

    public static AnalyticsDbContext CreateContext(DatabaseOptions options) => new(CreateOptions(options));

    /// <summary>Registers <see cref="DatabaseOptions"/> and a pooled-free DbContext factory (jobs create short contexts).</summary>
    public static IServiceCollection AddAnalyticsDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var options = ReadOptions(configuration);
        services.AddSingleton(options);
        services.AddDbContextFactory<AnalyticsDbContext>(b => b.UseAnalyticsDatabase(options));
        return services;
    }

    public static DatabaseOptions ReadOptions(IConfiguration configuration)
    {
        var options = new DatabaseOptions();
        configuration.GetSection(DatabaseOptions.Section).Bind(options);
        return options;
    }

    /// <summary>Applies pending migrations; with SQLite also switches to WAL so readers don't block the importer.</summary>
    public static async Task MigrateAsync(AnalyticsDbContext db, CancellationToken ct = default)
    {
        await db.Database.MigrateAsync(ct);
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
    }
}
