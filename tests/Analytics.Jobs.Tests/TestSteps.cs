using System.Collections.Concurrent;
using Analytics.Jobs;

namespace Analytics.Jobs.Tests;

/// <summary>Real, small step implementations: each writes a file under the report folder and counts its calls.</summary>
public sealed class RecordingSteps(string outputFolder) : IPullStep, IComputeStep, IRefitStep, IReportStep
{
    public ConcurrentQueue<string> Calls { get; } = new();

    public Func<string, Exception?> FailOn { get; set; } = _ => null;

    public Task<StepResult> PullAsync(IStepProgress progress, CancellationToken ct) => Write("pull", "pulled.txt", null, progress, ct);

    public Task<StepResult> ComputeAsync(IStepProgress progress, CancellationToken ct) => Write("compute", "exports/outcomes.csv", null, progress, ct);

    public Task<StepResult> RefitAsync(IStepProgress progress, CancellationToken ct) => Write("refit", "models/model.txt", null, progress, ct);

    public async Task<StepResult> MonthlyWorkbooksAsync(int month, IStepProgress progress, CancellationToken ct)
    {
        var a = await Write($"monthly:{month}", $"{month}/clinic-a.xlsx", null, progress, ct);
        var b = await Write($"monthly:{month}", $"{month}/network.xlsx", null, progress, ct, record: false);
        var files = a.Files.Concat(b.Files).ToList();
        return new StepResult($"{files.Count} workbooks", files) { ClinicOf = new Dictionary<string, string> { [a.Files[0]] = "clinic-a" } };
    }

    public Task<StepResult> ProtocolWorkbookAsync(IStepProgress progress, CancellationToken ct) =>
        Write("protocol", "protocol-comparison.xlsx", null, progress, ct);

    private async Task<StepResult> Write(string call, string relative, string? clinic, IStepProgress progress, CancellationToken ct, bool record = true)
    {
        if (record) Calls.Enqueue(call);
        if (FailOn(call) is { } error) throw error;
        progress.Report($"{call} writing {relative}", 0.5);
        var path = Path.Combine(outputFolder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path + ".partial", $"{call} {DateTime.UtcNow:O}", ct);
        File.Move(path + ".partial", path, overwrite: true);
        _ = clinic;
        return new StepResult($"wrote {relative}", [path]);
    }
}
