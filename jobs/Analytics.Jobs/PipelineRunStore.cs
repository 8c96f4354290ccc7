using System.Security.Cryptography;
using System.Text.Json;
using Analytics.Data;
using Analytics.Domain;
using Microsoft.EntityFrameworkCore;

namespace Analytics.Jobs;

/// <summary>One step's entry in <see cref="PipelineRun.Produced"/> (stored as a JSON array).</summary>
public sealed record ProducedEntry(string Step, string Summary, IReadOnlyList<string> Files);

/// <summary>Reads and writes <c>pipeline_runs</c> and <c>report_artifacts</c> for the jobs.</summary>
public sealed class PipelineRunStore(IDbContextFactory<AnalyticsDbContext> contexts, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<PipelineRun> CreateAsync(int? month, string trigger, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var run = new PipelineRun { StartedAt = clock.GetUtcNow(), Status = PipelineStatus.Running, Month = month, Trigger = trigger };
        db.PipelineRuns.Add(run);
        await db.SaveChangesAsync(ct);
        return run;
    }

    public async Task<PipelineRun?> FindAsync(int runId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.PipelineRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, ct);
    }

    public async Task<PipelineRun> GetAsync(int runId, CancellationToken ct) =>
        await FindAsync(runId, ct) ?? throw new ArgumentException($"Pipeline run {runId} does not exist.", nameof(runId));

    public async Task MarkRunningAsync(int runId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.PipelineRuns.Where(r => r.Id == runId && r.Status != PipelineStatus.Succeeded)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, PipelineStatus.Running).SetProperty(r => r.Error, (string?)null), ct);
    }

    /// <summary>Records a step's result (replacing an earlier entry of the same step) and its report files, in one transaction.</summary>
    public async Task RecordStepAsync(int runId, string step, StepResult result, int? month, string? artifactKind, string outputRoot, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var run = await db.PipelineRuns.FirstAsync(r => r.Id == runId, ct);
        var entries = ReadProduced(run.Produced).Where(e => e.Step != step).ToList();
        entries.Add(new ProducedEntry(step, result.Summary, result.Files));
        run.Produced = JsonSerializer.Serialize(entries, Json);

        if (artifactKind is not null)
        {
            foreach (var file in result.Files)
            {
                var full = Path.GetFullPath(file, outputRoot);
                if (!ReportFolderGuard.IsUnder(outputRoot, full) || !File.Exists(full)) continue; // only files the library can serve
                var relative = Path.GetRelativePath(outputRoot, full).Replace('\\', '/');
                var artifact = await db.ReportArtifacts.FirstOrDefaultAsync(a => a.RelativePath == relative, ct);
                if (artifact is null)
                {
                    artifact = new ReportArtifact { Kind = artifactKind, RelativePath = relative };
                    db.ReportArtifacts.Add(artifact);
                }
                artifact.Kind = artifactKind;
                artifact.Month = month;
                artifact.ClinicId = result.ClinicOf.TryGetValue(file, out var clinic) ? clinic : null;
                artifact.CreatedAt = clock.GetUtcNow();
                artifact.SizeBytes = new FileInfo(full).Length;
                artifact.Sha256 = await HashAsync(full, ct);
                artifact.PipelineRunId = runId;
            }
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    public async Task MarkFailedAsync(int runId, string step, string error, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var message = $"{step}: {error}";
        if (message.Length > 4000) message = message[..4000];
        await db.PipelineRuns.Where(r => r.Id == runId)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, PipelineStatus.Failed)
                .SetProperty(r => r.Error, message)
                .SetProperty(r => r.FinishedAt, clock.GetUtcNow()), ct);
    }

    public async Task MarkSucceededAsync(int runId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.PipelineRuns.Where(r => r.Id == runId && r.Status != PipelineStatus.Succeeded)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, PipelineStatus.Succeeded)
                .SetProperty(r => r.Error, (string?)null)
                .SetProperty(r => r.FinishedAt, clock.GetUtcNow()), ct);
    }

    public static IReadOnlyList<ProducedEntry> ReadProduced(string? produced) =>
        string.IsNullOrWhiteSpace(produced) ? [] : JsonSerializer.Deserialize<List<ProducedEntry>>(produced, Json) ?? [];

    private static async Task<string> HashAsync(string path, CancellationToken ct)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
    }
}
