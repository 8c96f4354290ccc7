using Analytics.Domain;
using Microsoft.Extensions.Logging;

namespace Analytics.Ingest;

/// <summary>The <c>Sources:DropFolder</c> configuration section.</summary>
public sealed class DropFolderOptions
{
    public const string Section = "Sources:DropFolder";

    /// <summary>The folder clinics drop exports into; empty = pulling is off.</summary>
    public string? Path { get; set; }

    /// <summary>Files younger than this are left for the next pull (they may still be being written).</summary>
    public double MinFileAgeSeconds { get; set; } = 5;

    public string ProcessedFolder => System.IO.Path.Combine(Path!, "processed");
    public string FailedFolder => System.IO.Path.Combine(Path!, "failed");
    public string ClaimedFolder => System.IO.Path.Combine(Path!, "claimed");
}

/// <summary>
/// Picks up new drops (a CSV trio <c>[prefix]sessions.csv</c>, <c>[prefix]assessments.csv</c>,
/// <c>[prefix]satisfaction.csv</c>, or an .xlsx workbook), imports each and moves it to
/// <c>processed/</c> or <c>failed/</c> (with <c>NAME.reason.txt</c>). A drop is claimed by atomically
/// renaming its first file into <c>claimed/</c>; a second worker racing for it gets an IOException and
/// skips it, so every file is imported at most once.
/// </summary>
public sealed class DropFolderPuller(DropFolderOptions options, Importer importer, ILogger<DropFolderPuller> logger)
{
    public async Task<IReadOnlyList<ImportSummary>> PullAsync(CancellationToken ct = default, IProgress<ImportProgress>? progress = null,
        ImportOptions? importOptions = null)
    {
        if (string.IsNullOrWhiteSpace(options.Path)) return [];
        Directory.CreateDirectory(options.Path);
        Directory.CreateDirectory(options.ClaimedFolder);
        var results = new List<ImportSummary>();
        foreach (var drop in FindDrops())
        {
            ct.ThrowIfCancellationRequested();
            var claimDir = Path.Combine(options.ClaimedFolder, $"{DateTime.UtcNow:yyyyMMddHHmmss}-{Guid.NewGuid():N}");
            var claimed = Claim(drop, claimDir);
            if (claimed.Count == 0) continue;
            results.Add(await ImportClaimedAsync(claimDir, claimed, importOptions, progress, ct));
        }
        return results;
    }

    /// <summary>Drops in the folder: CSVs grouped by the prefix before their contract name, each workbook alone.</summary>
    private List<List<string>> FindDrops()
    {
        var minAge = DateTime.UtcNow.AddSeconds(-options.MinFileAgeSeconds);
        var files = Directory.EnumerateFiles(options.Path!)
            .Where(f => File.GetLastWriteTimeUtc(f) <= minAge)
            .Where(f => !Path.GetFileName(f).StartsWith('.') && !Path.GetFileName(f).StartsWith("~$", StringComparison.Ordinal))
            .ToList();
        var drops = new List<List<string>>();
        foreach (var group in files.Where(f => Path.GetExtension(f).Equals(".csv", StringComparison.OrdinalIgnoreCase) && InputSpecs.KindOf(f) is not null)
                     .GroupBy(f => Prefix(f), StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            drops.Add([.. group.OrderBy(f => InputSpecs.KindOf(f))]);
        }
        drops.AddRange(files.Where(f => Path.GetExtension(f).Equals(".xlsx", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).Select(f => new List<string> { f }));
        return drops;
    }

    private static string Prefix(string file)
    {
        var stem = Path.GetFileNameWithoutExtension(file);
        var kind = InputSpecs.Name(InputSpecs.KindOf(file)!.Value);
        return stem[..^kind.Length];
    }

    /// <summary>Moves the drop's files into the claim folder; the first move is the claim (atomic rename).</summary>
    private List<string> Claim(List<string> drop, string claimDir)
    {
        Directory.CreateDirectory(claimDir);
        var claimed = new List<string>();
        foreach (var file in drop)
        {
            var target = Path.Combine(claimDir, Path.GetFileName(file));
            try
            {
                File.Move(file, target);
                claimed.Add(target);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Another worker claimed it first (or it vanished): skip.
                if (claimed.Count == 0) break;
            }
        }
        if (claimed.Count == 0) TryDelete(claimDir);
        return claimed;
    }

    private async Task<ImportSummary> ImportClaimedAsync(string claimDir, List<string> claimed, ImportOptions? importOptions,
        IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        ImportSummary summary;
        try
        {
            summary = await importer.ImportAsync(claimDir, importOptions, progress, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Import of drop {Files} failed", string.Join(", ", claimed.Select(Path.GetFileName)));
            foreach (var f in claimed) MoveOut(f, options.FailedFolder, $"import failed, nothing applied: {ex.GetType().Name}: {ex.Message}");
            TryDelete(claimDir);
            throw;
        }
        foreach (var f in claimed)
        {
            var name = Path.GetFileName(f);
            var rejected = summary.Files.FirstOrDefault(s => s.Status == FileImportStatus.RejectedWhole
                && (s.File == name || s.File.StartsWith(name + "#", StringComparison.Ordinal)));
            if (rejected is not null) MoveOut(f, options.FailedFolder, $"{rejected.File}: {rejected.Note}");
            else MoveOut(f, options.ProcessedFolder, null);
        }
        TryDelete(claimDir);
        logger.LogInformation("Pulled drop {Files}: batch {BatchId}", string.Join(", ", claimed.Select(Path.GetFileName)), summary.BatchId);
        return summary;
    }

    private static void MoveOut(string file, string folder, string? reason)
    {
        Directory.CreateDirectory(folder);
        var target = Path.Combine(folder, Path.GetFileName(file));
        if (File.Exists(target))
            target = Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(file)}.{DateTime.UtcNow:yyyyMMddHHmmssfff}{Path.GetExtension(file)}");
        File.Move(file, target);
        if (reason is not null) File.WriteAllText(target + ".reason.txt", reason + Environment.NewLine);
    }

    private static void TryDelete(string dir)
    {
        try { Directory.Delete(dir, recursive: false); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
