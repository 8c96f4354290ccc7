using Analytics.Data;
using Analytics.Testing;
using Microsoft.EntityFrameworkCore;

namespace Analytics.Data.Tests;

public sealed class ProviderModelFacts
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite, "Data Source=x.db")]
    [InlineData(DatabaseProvider.PostgreSql, "Host=127.0.0.1;Database=x")]
    [InlineData(DatabaseProvider.SqlServer, "Server=127.0.0.1;Database=x")]
    public void Each_provider_has_its_own_migrations_and_no_pending_model_changes(DatabaseProvider provider, string cs)
    {
        using var ctx = DatabaseSetup.CreateContext(new DatabaseOptions { Provider = provider, ConnectionString = cs });
        Assert.NotEmpty(ctx.Database.GetMigrations());
        Assert.False(ctx.Database.HasPendingModelChanges(), $"{provider}: migrations are behind the model");
    }

    [Fact]
    public void Sqlite_is_the_embedded_default()
    {
        var options = new DatabaseOptions();
        Assert.Equal(DatabaseProvider.Sqlite, options.Provider);
        Assert.Equal("Data Source=analytics.db", options.EffectiveConnectionString);
        Assert.EndsWith("analytics.db", options.SqliteFilePath);
    }

    [Fact]
    public void Server_providers_require_a_connection_string()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new DatabaseOptions { Provider = DatabaseProvider.PostgreSql }.EffectiveConnectionString);
        Assert.Contains("Database:ConnectionString", ex.Message);
    }
}
