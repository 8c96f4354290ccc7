using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Analytics.Data;
using Analytics.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.EndToEnd.Tests;

public sealed class AccessFacts
{
    [Theory]
    [InlineData("/hangfire")]
    [InlineData("/hangfire/jobs/succeeded")]
    [InlineData("/api/reports")]
    [InlineData("/api/exports/course_outcomes")]
    [InlineData("/")]
    public async Task Without_configured_credentials_a_non_local_caller_is_refused(string path)
    {
        await using var app = await TestApp.StartAsync();
        // The request comes over loopback (a trusted proxy by default) on behalf of a remote client.
        using var remote = app.Client(forwardedFor: "203.0.113.7");
        using var local = app.Client();

        Assert.Equal(HttpStatusCode.Unauthorized, (await remote.GetAsync(path)).StatusCode);
        Assert.NotEqual(HttpStatusCode.Unauthorized, (await local.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await remote.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task A_remote_POST_that_starts_a_run_is_refused_and_starts_nothing()
    {
        await using var app = await TestApp.StartAsync();
        using var remote = app.Client(forwardedFor: "198.51.100.20");
        var response = await remote.PostAsJsonAsync("/api/pipeline/run", new { month = 202610 });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await using var db = await app.App.Services.GetRequiredService<IDbContextFactory<AnalyticsDbContext>>().CreateDbContextAsync();
        Assert.Equal(0, await db.PipelineRuns.CountAsync());
    }

    [Fact]
    public async Task With_an_api_key_everyone_needs_it_and_the_key_opens_api_and_dashboard()
    {
        await using var app = await TestApp.StartAsync(new() { ["Security:ApiKey"] = "s3cret-key" });
        using var client = app.Client();

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/reports")).StatusCode);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/reports") { Headers = { { "X-Api-Key", "s3cret-kex" } } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(wrong)).StatusCode);

        using var remote = app.Client(forwardedFor: "203.0.113.7");
        remote.DefaultRequestHeaders.Add("X-Api-Key", "s3cret-key");
        Assert.Equal(HttpStatusCode.OK, (await remote.GetAsync("/api/reports")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await remote.GetAsync("/hangfire")).StatusCode);
        var started = await remote.PostAsync("/api/pipeline/run", null);
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);

        // The login form sets the key cookie for browsers.
        using var login = await client.PostAsync("/login", new FormUrlEncodedContent([new("key", "s3cret-key")]));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("analytics-key=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        using var withCookie = new HttpRequestMessage(HttpMethod.Get, "/hangfire") { Headers = { { "Cookie", cookie.Split(';')[0] } } };
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(withCookie)).StatusCode);
    }

    [Fact]
    public async Task Basic_authentication_is_checked_on_user_and_password()
    {
        await using var app = await TestApp.StartAsync(new() { ["Security:BasicAuth:User"] = "it", ["Security:BasicAuth:Password"] = "pw-123" });
        using var client = app.Client(forwardedFor: "203.0.113.7");

        var anonymous = await client.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.StartsWith("Basic", anonymous.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Get(client, "/hangfire", "it", "pw-124")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Get(client, "/hangfire", "IT", "pw-123")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Get(client, "/hangfire", "it", "pw-123")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Get(client, "/api/reports", "it", "pw-123")).StatusCode);
    }

    [Fact]
    public async Task Dashboard_POSTs_without_an_antiforgery_token_are_refused()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.Client();
        var response = await client.PostAsync("/hangfire/recurring/trigger", new FormUrlEncodedContent([new("jobs[]", "pipeline:pull")]));
        // Hangfire validates ASP.NET Core antiforgery tokens once IAntiforgery is registered (the host adds it): 403.
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var page = await client.GetStringAsync("/hangfire/recurring");
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"csrf-token\" content=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(token);
        // The same POST with the page's token (and the antiforgery cookie the client kept) is accepted.
        using var withToken = new HttpRequestMessage(HttpMethod.Post, "/hangfire/recurring/trigger")
        {
            Content = new FormUrlEncodedContent([new("jobs[]", "pipeline:pull")]),
            Headers = { { "RequestVerificationToken", token } },
        };
        Assert.True((await client.SendAsync(withToken)).IsSuccessStatusCode);
    }

    [Fact]
    public async Task The_run_form_needs_its_antiforgery_token_and_text_posts_are_refused()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.Client();
        var form = await client.PostAsync("/api/pipeline/run", new FormUrlEncodedContent([new("month", "2026-10")]));
        Assert.Equal(HttpStatusCode.BadRequest, form.StatusCode);
        var text = await client.PostAsync("/api/pipeline/run", new StringContent("{\"month\":202610}", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.BadRequest, text.StatusCode);
        await using var db = await app.App.Services.GetRequiredService<IDbContextFactory<AnalyticsDbContext>>().CreateDbContextAsync();
        Assert.Equal(0, await db.PipelineRuns.CountAsync());
    }

    [Fact]
    public async Task Downloads_never_leave_the_report_folder()
    {
        await using var app = await TestApp.StartAsync();
        Directory.CreateDirectory(Path.Combine(app.ReportFolder, "exports"));
        var secret = Path.Combine(app.Folder, "secret.txt");
        await File.WriteAllTextAsync(secret, "outside the report folder");
        await File.WriteAllTextAsync(Path.Combine(app.ReportFolder, "exports", "course_outcomes.csv"), "a,b\n1,2\n");
        await File.WriteAllTextAsync(Path.Combine(app.ReportFolder, "inside.xlsx"), "inside");
        File.CreateSymbolicLink(Path.Combine(app.ReportFolder, "link.xlsx"), secret);
        File.CreateSymbolicLink(Path.Combine(app.ReportFolder, "exports", "linked.csv"), secret);
        Directory.CreateSymbolicLink(Path.Combine(app.ReportFolder, "dirlink"), app.Folder);

        int inside, parent, absolute, link, dirLink, encoded;
        await using (var db = await app.App.Services.GetRequiredService<IDbContextFactory<AnalyticsDbContext>>().CreateDbContextAsync())
        {
            ReportArtifact Add(string path) { var a = new ReportArtifact { Kind = "test", RelativePath = path }; db.ReportArtifacts.Add(a); return a; }
            var a1 = Add("inside.xlsx"); var a2 = Add("../secret.txt"); var a3 = Add(secret); var a4 = Add("link.xlsx");
            var a5 = Add("dirlink/secret.txt"); var a6 = Add("%2e%2e/secret.txt");
            await db.SaveChangesAsync();
            (inside, parent, absolute, link, dirLink, encoded) = (a1.Id, a2.Id, a3.Id, a4.Id, a5.Id, a6.Id);
        }

        using var client = app.Client();
        Assert.Equal("inside", await client.GetStringAsync($"/api/reports/{inside}"));
        foreach (var id in new[] { parent, absolute, link, dirLink, encoded })
        {
            var response = await client.GetAsync($"/api/reports/{id}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain("outside the report folder", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal("a,b\n1,2\n", await client.GetStringAsync("/api/exports/course_outcomes"));
        foreach (var path in new[] { "/api/exports/linked", "/api/exports/..%2F..%2Fsecret", "/api/exports/%2e%2e%2fsecret", "/api/exports/..%5Csecret",
                     "/api/exports/%2Fetc%2Fpasswd", "/api/exports/..%252F..%252Fsecret" })
        {
            var response = await client.GetAsync(path);
            Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{path}: {(int)response.StatusCode}");
            Assert.DoesNotContain("outside the report folder", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Health_reports_database_and_job_storage()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.Client();
        var health = await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/health");
        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        Assert.Equal("Healthy", health.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Contains("InMemoryStorage", health.GetProperty("checks").GetProperty("job-storage").GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_worker_node_serves_only_health()
    {
        await using var app = await TestApp.StartAsync(new() { ["Host:Role"] = "Worker" });
        using var client = app.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/hangfire")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/reports")).StatusCode);
    }

    private static Task<HttpResponseMessage> Get(HttpClient client, string path, string user, string password)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return client.SendAsync(request);
    }
}
