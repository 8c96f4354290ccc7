using System.Globalization;
using Analytics.EndToEnd.Tests;
using Analytics.Jobs;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

// Lets a separately started Analytics.Host process load these steps: ASPNETCORE_HOSTINGSTARTUPASSEMBLIES=Analytics.EndToEnd.Tests.
[assembly: HostingStartup(typeof(FileStepsStartup))]

namespace Analytics.EndToEnd.Tests;

public sealed class FileStepsStartup : IHostingStartup
{
    public void Configure(IWebHostBuilder builder) => builder.ConfigureServices((context, services) => Register(services));

    public static void Register(IServiceCollection services)
    {
        services.AddSingleton<FileSteps>();
        services.AddSingleton<IPullStep>(s => s.GetRequiredService<FileSteps>());
        services.AddSingleton<IComputeStep>(s => s.GetRequiredService<FileSteps>());
        services.AddSingleton<IRefitStep>(s => s.GetRequiredService<FileSteps>());
        services.AddSingleton<IReportStep>(s => s.GetRequiredService<FileSteps>());
    }
}

/// <summary>
/// Test steps that work like the real ones on disk: write to a temp name, then rename into place. Every call leaves
/// markers (<c>markers/{call}.{pid}.{ticks}.start|done</c>) so tests can count and order executions across processes.
/// <c>TestSteps:SlowMonth</c> makes that month's workbooks take <c>TestSteps:SlowMilliseconds</c>.
/// </summary>
public sealed class FileSteps(IConfiguration configuration) : IPullStep, IComputeStep, IRefitStep, IReportStep
{
    private string Root => Path.GetFullPath(configuration["Reports:OutputFolder"] ?? "reports");

    public Task<StepResult> PullAsync(IStepProgress progress, CancellationToken ct) =>
        Run("pull", progress, ct, ["pull/imported.txt"]);

    public Task<StepResult> ComputeAsync(IStepProgress progress, CancellationToken ct) =>
        Run("compute", progress, ct, ["exports/course_outcomes.csv"]);

    public Task<StepResult> RefitAsync(IStepProgress progress, CancellationToken ct) =>
        Run("refit", progress, ct, ["models/registry.txt"]);

    public async Task<StepResult> MonthlyWorkbooksAsync(int month, IStepProgress progress, CancellationToken ct)
    {
        var slow = configuration.GetValue<int?>("TestSteps:SlowMonth") == month ? configuration.GetValue("TestSteps:SlowMilliseconds", 0) : 0;
        var result = await Run($"monthly-{month}", progress, ct, [$"{month}/clinic-north.xlsx", $"{month}/clinic-south.xlsx", $"{month}/network.xlsx"], slow);
        return result with
        {
            ClinicOf = new Dictionary<string, string> { [result.Files[0]] = "clinic-north", [result.Files[1]] = "clinic-south" },
        };
    }

    public Task<StepResult> ProtocolWorkbookAsync(IStepProgress progress, CancellationToken ct) =>
        Run("protocol", progress, ct, ["protocol-comparison.xlsx"]);

    private async Task<StepResult> Run(string call, IStepProgress progress, CancellationToken ct, string[] files, int delayMs = 0)
    {
        var markers = Directory.CreateDirectory(Path.Combine(Root, "markers")).FullName;
        var stamp = $"{call}.{Environment.ProcessId}.{DateTime.UtcNow.Ticks.ToString(CultureInfo.InvariantCulture)}";
        await File.WriteAllTextAsync(Path.Combine(markers, stamp + ".start"), "", ct);
        progress.Report($"{call}: starting", 0);
        if (delayMs > 0) await Task.Delay(delayMs, ct);
        var written = new List<string>();
        for (var i = 0; i < files.Length; i++)
        {
            var path = Path.Combine(Root, files[i]);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temp = path + $".{Environment.ProcessId}.partial";
            await File.WriteAllTextAsync(temp, $"{call} {files[i]} complete\n", ct);
            File.Move(temp, path, overwrite: true);
            written.Add(path);
            progress.Report($"{call}: wrote {files[i]}", (i + 1.0) / files.Length);
        }
        await File.WriteAllTextAsync(Path.Combine(markers, stamp + ".done"), DateTime.UtcNow.Ticks.ToString(CultureInfo.InvariantCulture), ct);
        return new StepResult($"{call}: {written.Count} file(s)", written);
    }

    /// <summary>The markers of one kind, as (call, pid, startTicks, doneTicks?).</summary>
    public static IReadOnlyList<Marker> ReadMarkers(string root)
    {
        var dir = Path.Combine(root, "markers");
        if (!Directory.Exists(dir)) return [];
        return Directory.GetFiles(dir, "*.start").Select(f =>
        {
            var name = Path.GetFileNameWithoutExtension(f);
            var parts = name.Split('.');
            var done = Path.ChangeExtension(f, ".done");
            long? doneAt = File.Exists(done) && File.ReadAllText(done) is { Length: > 0 } t ? long.Parse(t, CultureInfo.InvariantCulture) : null;
            return new Marker(parts[0], int.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture), doneAt);
        }).OrderBy(m => m.StartTicks).ToList();
    }
}

public sealed record Marker(string Call, int ProcessId, long StartTicks, long? DoneTicks);
