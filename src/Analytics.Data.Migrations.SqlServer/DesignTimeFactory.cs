using Microsoft.EntityFrameworkCore.Design;

namespace Analytics.Data.Migrations.SqlServer;

/// <summary>Lets dotnet-ef build the model for this provider (the connection is never opened by 'migrations add').</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<AnalyticsDbContext>
{
    public AnalyticsDbContext CreateDbContext(string[] args) =>
        DatabaseSetup.CreateContext(new DatabaseOptions { Provider = DatabaseProvider.SqlServer, ConnectionString = "Server=localhost;Database=analytics;Trusted_Connection=True;TrustServerCertificate=True" });
}
