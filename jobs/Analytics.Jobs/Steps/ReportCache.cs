using System.Text.Json;
using Analytics.Reports;

namespace Analytics.Jobs.Steps;

/// <summary>JSON cache files between steps (doubles round-trip exactly), written atomically.</summary>
public static class ReportCache
{
    private static readonly JsonSerializerOptions Json = new() { IncludeFields = false };

    public static async Task WriteAsync<T>(string path, T value, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, Json);
        ct.ThrowIfCancellationRequested();
        AtomicFile.Write(path, bytes);
        await Task.CompletedTask;
    }

    public static async Task<T?> ReadAsync<T>(string path, CancellationToken ct) where T : class
    {
        if (!File.Exists(path)) return null;
        try
        {
            await using var stream = File.OpenRead(path);
            return await JsonSerializer.DeserializeAsync<T>(stream, Json, ct);
        }
        catch (JsonException)
        {
            return null; // an old or foreign cache file: recompute
        }
    }
}
