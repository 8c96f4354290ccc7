using System.Net.Http.Json;
using Microsoft.Playwright;

namespace Analytics.EndToEnd.Tests;

/// <summary>Debian's chromium driven by Playwright for .NET (no browser download) against the host started in-process.</summary>
public sealed class BrowserFacts
{
    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    [Fact]
    public async Task From_the_report_library_a_run_is_triggered_succeeds_in_the_dashboard_and_its_workbook_downloads()
    {
        await using var app = await TestApp.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ChromiumArgs,
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { AcceptDownloads = true, ViewportSize = new() { Width = 1200, Height = 900 } });
        var page = await context.NewPageAsync();

        var library = await page.GotoAsync(app.BaseUrl + "/");
        Assert.Equal(200, library!.Status);
        Assert.Contains("No workbooks yet", await page.ContentAsync(), StringComparison.Ordinal);

        await page.FillAsync("#month", "2026-10");
        await page.ClickAsync("#run-button");
        await page.WaitForURLAsync("**/?run=*");
        Assert.Contains("enqueued", await page.InnerTextAsync("#run-started"), StringComparison.Ordinal);

        // Wait for the run record (written by the finish job), through the API the page links to.
        using var client = app.Client();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string? status = null;
        while (DateTime.UtcNow < deadline)
        {
            var runs = await client.GetFromJsonAsync<List<RunDto>>("/api/pipeline/runs");
            status = runs?.SingleOrDefault()?.Status;
            if (status is "Succeeded" or "Failed") break;
            await Task.Delay(250);
        }
        Assert.Equal("Succeeded", status);

        // The dashboard lists the chain's jobs as succeeded.
        await page.GotoAsync(app.BaseUrl + "/hangfire/jobs/succeeded");
        var succeeded = await page.InnerTextAsync("body");
        foreach (var job in new[] { "Run 1: pull", "Run 1: compute outcomes", "Run 1: refit models", "Run 1: monthly workbooks 202610", "Run 1: protocol workbook", "Run 1: finish" })
        {
            Assert.Contains(job, succeeded, StringComparison.Ordinal);
        }

        // Each job's progress (the job parameter the step wrote) shows on its dashboard page.
        await page.ClickAsync("a:text('Run 1: monthly workbooks 202610')");
        await page.WaitForURLAsync("**/hangfire/jobs/details/*");
        var details = await page.InnerTextAsync("body");
        Assert.Contains("Progress", details, StringComparison.Ordinal);
        Assert.Contains("monthly-workbooks done", details, StringComparison.Ordinal);

        // Back in the library: the month's workbooks by clinic, and a download that is the file on disk.
        await page.GotoAsync(app.BaseUrl + "/");
        var text = await page.InnerTextAsync("body");
        Assert.Contains("2026-10", text, StringComparison.Ordinal);
        Assert.Contains("clinic-north", text, StringComparison.Ordinal);
        Assert.Contains("Succeeded", await page.InnerTextAsync("#runs"), StringComparison.Ordinal);
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("a.download:text('clinic-north.xlsx')"));
        Assert.Equal("clinic-north.xlsx", download.SuggestedFilename);
        var saved = Path.Combine(app.Folder, "downloaded.xlsx");
        await download.SaveAsAsync(saved);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(app.ReportFolder, "202610", "clinic-north.xlsx")), await File.ReadAllBytesAsync(saved));

        var screenshot = Path.Combine(RepositoryRoot(), "docs", "screenshots", "report-library.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        Assert.True(new FileInfo(screenshot).Length > 1000);

        // A non-local caller (via a trusted proxy's X-Forwarded-For) is refused; GotoAsync would throw on 401 (FACTS).
        var remote = await page.APIRequest.GetAsync(app.BaseUrl + "/hangfire", new() { Headers = new Dictionary<string, string> { ["X-Forwarded-For"] = "203.0.113.9" } });
        Assert.Equal(401, remote.Status);
    }

    private sealed record RunDto(int Id, string Status);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Analytics.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Analytics.sln not found above " + AppContext.BaseDirectory);
    }
}
