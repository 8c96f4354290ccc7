using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Analytics.Data;
using Analytics.Domain;
using Analytics.Jobs;
using Hangfire;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using static System.Net.WebUtility;

namespace Analytics.Host;

/// <summary>The report library page, the download and export endpoints, and the pipeline API.</summary>
public static partial class ReportLibraryEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/", LibraryPageAsync);
        app.MapGet("/login", LoginPage);
        app.MapPost("/login", LoginAsync).DisableAntiforgery();
        app.MapGet("/api/reports", ListAsync);
        app.MapGet("/api/reports/{id:int}", DownloadAsync);
        app.MapGet("/api/exports/{table}", Export);
        app.MapGet("/api/pipeline/runs", RunsAsync);
        app.MapGet("/api/pipeline/runs/{id:int}", RunAsync);
        // Antiforgery is checked by hand: a form post needs the token, an API call needs JSON or the X-Api-Key header.
        app.MapPost("/api/pipeline/run", StartRunAsync).DisableAntiforgery();
    }

    public sealed record ReportItem(int Id, string Kind, int? Month, string? ClinicId, string RelativePath, DateTimeOffset CreatedAt,
        long SizeBytes, string? Sha256, int? PipelineRunId, string DownloadUrl);

    public sealed record RunItem(int Id, string Status, int? Month, string? Trigger, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt,
        string? Error, IReadOnlyList<ProducedEntry> Produced);

    public sealed record StartRunBody(int? Month);

    public sealed record StartRunResponse(int RunId, int Month, IReadOnlyList<string> JobIds);

    private static async Task<List<ReportItem>> ReportsAsync(IDbContextFactory<AnalyticsDbContext> contexts, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.ReportArtifacts.AsNoTracking().ToListAsync(ct);
        return rows
            .OrderByDescending(a => a.Month ?? 0).ThenBy(a => a.ClinicId ?? "").ThenBy(a => a.RelativePath, StringComparer.Ordinal)
            .Select(a => new ReportItem(a.Id, a.Kind, a.Month, a.ClinicId, a.RelativePath, a.CreatedAt, a.SizeBytes, a.Sha256, a.PipelineRunId,
                $"/api/reports/{a.Id}"))
            .ToList();
    }

    private static async Task<List<RunItem>> RecentRunsAsync(IDbContextFactory<AnalyticsDbContext> contexts, int take, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var runs = await db.PipelineRuns.AsNoTracking().OrderByDescending(r => r.Id).Take(take).ToListAsync(ct);
        return runs.Select(ToItem).ToList();
    }

    private static RunItem ToItem(PipelineRun r) =>
        new(r.Id, r.Status.ToString(), r.Month, r.Trigger, r.StartedAt, r.FinishedAt, r.Error, PipelineRunStore.ReadProduced(r.Produced));

    private static async Task<IResult> ListAsync(IDbContextFactory<AnalyticsDbContext> contexts, CancellationToken ct) =>
        Results.Ok(await ReportsAsync(contexts, ct));

    private static async Task<IResult> RunsAsync(IDbContextFactory<AnalyticsDbContext> contexts, CancellationToken ct) =>
        Results.Ok(await RecentRunsAsync(contexts, 50, ct));

    private static async Task<IResult> RunAsync(int id, PipelineRunStore runs, CancellationToken ct) =>
        await runs.FindAsync(id, ct) is { } run ? Results.Ok(ToItem(run)) : Results.NotFound();

    private static async Task<IResult> DownloadAsync(int id, IDbContextFactory<AnalyticsDbContext> contexts, IOptions<ReportsOptions> reports,
        ILoggerFactory loggers, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var artifact = await db.ReportArtifacts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct);
        if (artifact is null) return Results.NotFound();
        var path = ReportFolderGuard.Resolve(reports.Value.FullOutputFolder, artifact.RelativePath);
        if (path is null)
        {
            loggers.CreateLogger("Analytics.Host.Downloads").LogWarning("Refused report {Id}: path {Path} leaves the report folder", id, artifact.RelativePath);
            return Results.NotFound();
        }
        if (!File.Exists(path)) return Results.NotFound();
        return Results.File(path, ContentType(path), Path.GetFileName(path));
    }

    private static IResult Export(string table, IOptions<ReportsOptions> reports)
    {
        if (!TableName().IsMatch(table)) return Results.NotFound();
        var path = ReportFolderGuard.Resolve(reports.Value.FullOutputFolder, $"exports/{table}.csv");
        return path is not null && File.Exists(path) ? Results.File(path, "text/csv; charset=utf-8", $"{table}.csv") : Results.NotFound();
    }

    private static async Task<IResult> StartRunAsync(HttpContext context, PipelineLauncher launcher, IBackgroundJobClient client,
        IAntiforgery antiforgery, CancellationToken ct)
    {
        int? month;
        var isForm = context.Request.HasFormContentType;
        if (isForm)
        {
            try
            {
                await antiforgery.ValidateRequestAsync(context);
            }
            catch (AntiforgeryValidationException)
            {
                return Results.BadRequest("Missing or invalid antiforgery token.");
            }
            var form = await context.Request.ReadFormAsync(ct);
            var text = form["month"].ToString().Trim();
            if (text.Length == 0) month = null;
            else if (ParseMonth(text) is { } m) month = m;
            else return Results.BadRequest("month must be YYYY-MM or yyyymm.");
        }
        else if (context.Request.HasJsonContentType() || AccessControl.UsedApiKeyHeader(context))
        {
            // A browser cannot send JSON or the key header cross-site without a CORS preflight, which we never allow.
            StartRunBody? body = null;
            if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
            {
                try
                {
                    body = await context.Request.ReadFromJsonAsync<StartRunBody>(ct);
                }
                catch (System.Text.Json.JsonException)
                {
                    return Results.BadRequest("Body must be JSON like {\"month\": 202610}.");
                }
            }
            month = body?.Month;
        }
        else
        {
            return Results.BadRequest("Send JSON (Content-Type: application/json) or use the form on the report library page.");
        }

        StartedRun started;
        try
        {
            started = await launcher.StartAsync(client, PipelineRequest.Full(month, isForm ? "web" : "api"), ct);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            return Results.BadRequest(ex.Message);
        }
        if (isForm) return Results.Redirect($"/?run={started.RunId}", permanent: false);
        return Results.Ok(new StartRunResponse(started.RunId, started.Month, [.. started.StepJobs.Select(j => j.JobId), started.FinishJobId]));
    }

    private static int? ParseMonth(string text)
    {
        if (DateTime.TryParseExact(text, ["yyyy-MM", "yyyyMM"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            return d.Year * 100 + d.Month;
        }
        return null;
    }

    private static IResult LoginPage(HttpContext context) => Results.Content(
        Layout("Sign in", """
            <form method="post" action="/login">
              <label>API key <input type="password" name="key" autocomplete="current-password"></label>
              <button type="submit">Sign in</button>
            </form>
            """), "text/html; charset=utf-8");

    private static async Task<IResult> LoginAsync(HttpContext context, SecuritySettings security)
    {
        var form = await context.Request.ReadFormAsync();
        if (!security.HasApiKey || !AccessControl.Matches(form["key"].ToString(), security.ApiKey!))
        {
            return Results.Content(Layout("Sign in", "<p>Wrong key.</p><p><a href=\"/login\">Try again</a></p>"), "text/html; charset=utf-8", statusCode: 401);
        }
        context.Response.Cookies.Append(AccessControl.CookieName, security.ApiKey!, new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = context.Request.IsHttps, IsEssential = true,
        });
        return Results.Redirect("/");
    }

    private static async Task<IResult> LibraryPageAsync(HttpContext context, IDbContextFactory<AnalyticsDbContext> contexts,
        IAntiforgery antiforgery, CancellationToken ct)
    {
        var reports = await ReportsAsync(contexts, ct);
        var runs = await RecentRunsAsync(contexts, 10, ct);
        var tokens = antiforgery.GetAndStoreTokens(context);
        var html = new StringBuilder();

        html.Append("<section><h2>Run the pipeline</h2>");
        html.Append("<form method=\"post\" action=\"/api/pipeline/run\" id=\"run-form\">");
        html.Append(CultureInfo.InvariantCulture, $"<input type=\"hidden\" name=\"{HtmlEncode(tokens.FormFieldName)}\" value=\"{HtmlEncode(tokens.RequestToken)}\">");
        html.Append("<label>Month (YYYY-MM, empty = last month) <input name=\"month\" id=\"month\" pattern=\"\\d{4}-\\d{2}\" placeholder=\"2026-10\"></label> ");
        html.Append("<button type=\"submit\" id=\"run-button\">Run pull → compute → refit → reports</button></form>");
        if (context.Request.Query["run"].ToString() is { Length: > 0 } started && int.TryParse(started, CultureInfo.InvariantCulture, out var startedId))
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"notice\" id=\"run-started\">Run {startedId} enqueued. Follow it in the <a href=\"/hangfire/jobs/enqueued\">dashboard</a>.</p>");
        }
        html.Append("</section>");

        html.Append("<section><h2>Recent runs</h2><table id=\"runs\"><tr><th>Run</th><th>Status</th><th>Month</th><th>Trigger</th><th>Started (UTC)</th><th>Finished (UTC)</th><th>Error</th></tr>");
        foreach (var r in runs)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr class=\"run-{HtmlEncode(r.Status.ToLowerInvariant())}\"><td>{r.Id}</td><td>{HtmlEncode(r.Status)}</td><td>{MonthText(r.Month)}</td><td>{HtmlEncode(r.Trigger)}</td><td>{r.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}</td><td>{r.FinishedAt?.UtcDateTime:yyyy-MM-dd HH:mm:ss}</td><td>{HtmlEncode(r.Error)}</td></tr>");
        }
        html.Append("</table></section>");

        html.Append("<section><h2>Workbooks</h2>");
        if (reports.Count == 0) html.Append("<p>No workbooks yet. Run the pipeline.</p>");
        foreach (var month in reports.GroupBy(r => r.Month))
        {
            html.Append(CultureInfo.InvariantCulture, $"<h3>{(month.Key is null ? "Not month-bound" : MonthText(month.Key))}</h3><table class=\"reports\"><tr><th>Clinic</th><th>Kind</th><th>File</th><th>Size</th><th>Built (UTC)</th></tr>");
            foreach (var r in month)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{HtmlEncode(r.ClinicId ?? "network")}</td><td>{HtmlEncode(r.Kind)}</td><td><a class=\"download\" href=\"{r.DownloadUrl}\">{HtmlEncode(Path.GetFileName(r.RelativePath))}</a></td><td>{r.SizeBytes:N0} B</td><td>{r.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm}</td></tr>");
            }
            html.Append("</table>");
        }
        html.Append("</section>");
        return Results.Content(Layout("Report library", html.ToString()), "text/html; charset=utf-8");
    }

    private static string MonthText(int? month) => month is { } m ? $"{m / 100:D4}-{m % 100:D2}" : "";

    private static string Layout(string title, string body) => $$"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>{{HtmlEncode(title)}} · Treatment-outcome analytics</title>
        <style>
          body { font-family: system-ui, sans-serif; margin: 2rem; color: #1f2933; }
          nav a { margin-right: 1rem; }
          table { border-collapse: collapse; margin-bottom: 1.5rem; }
          th, td { border-bottom: 1px solid #d9e2ec; padding: .35rem .7rem; text-align: left; }
          th { background: #f0f4f8; }
          .notice { background: #e3f9e5; padding: .5rem; }
          .run-failed td { color: #a61b1b; }
        </style></head>
        <body><nav><strong>Treatment-outcome analytics</strong> <a href="/">Report library</a><a href="/hangfire">Jobs dashboard</a><a href="/health">Health</a></nav>
        <h1>{{HtmlEncode(title)}}</h1>
        {{body}}
        </body></html>
        """;

    private static string ContentType(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".csv" => "text/csv; charset=utf-8",
        ".json" => "application/json",
        ".pdf" => "application/pdf",
        _ => "application/octet-stream",
    };

    [GeneratedRegex("^[A-Za-z0-9_-]{1,100}$")]
    private static partial Regex TableName();
}
