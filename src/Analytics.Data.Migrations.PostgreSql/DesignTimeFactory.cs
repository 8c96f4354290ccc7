using Microsoft.EntityFrameworkCore.Design;

namespace Analytics.Data.Migrations.PostgreSql;

/// <summary>Lets dotnet-ef build the model for this provider (the connection is never opened by 'migrations add').</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<AnalyticsDbContext>
{
    public AnalyticsDbContext CreateDbContext(string[] args) =>
        DatabaseSetup.CreateContext(new DatabaseOptions { Provider = DatabaseProvider.PostgreSql, ConnectionString = "Host=127.0.0.1;Database=analytics;Username=postgres" });
}
