using Analytics.Host;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.EndToEnd.Tests;

/// <summary>The web host started in-process on a free 127.0.0.1 port with a temp SQLite database and report folder.</summary>
public sealed class TestApp : IAsyncDisposable
{
    private TestApp(WebApplication app, string folder, string baseUrl)
    {
        App = app;
        Folder = folder;
        BaseUrl = baseUrl;
    }

    public WebApplication App { get; }
    public string Folder { get; }
    public string ReportFolder => Path.Combine(Folder, "reports");
    public string BaseUrl { get; }

    public static async Task<TestApp> StartAsync(Dictionary<string, string>? settings = null)
    {
        var folder = Directory.CreateTempSubdirectory("analytics-e2e-").FullName;
        var values = new Dictionary<string, string>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Database:Provider"] = "Sqlite",
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(folder, "analytics.db")}",
            ["Reports:OutputFolder"] = Path.Combine(folder, "reports"),
            ["JobStorage:Provider"] = "InMemory",
            ["JobStorage:SchedulePollingInterval"] = "00:00:00.5",
            ["Schedule:Enabled"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (k, v) in settings ?? []) values[k] = v;
        var args = values.Select(kv => $"--{kv.Key}={kv.Value}").ToArray();
        var app = AnalyticsHost.Build(args, b => FileStepsStartup.Register(b.Services));
        await AnalyticsHost.PrepareAsync(app);
        await app.StartAsync();
        // Read the port Kestrel bound (FACTS: app.Urls after start).
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestApp(app, folder, url.TrimEnd('/'));
    }

    public HttpClient Client(string? forwardedFor = null)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(BaseUrl) };
        if (forwardedFor is not null) client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        SilentHangfireLogProvider.Install();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(Folder, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
