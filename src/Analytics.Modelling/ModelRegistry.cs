using System.Text.Json;
using Analytics.Domain;

namespace Analytics.Modelling;

/// <summary>
/// Where model fits are recorded. The database implementation (EF Core, the ModelFits table) lives
/// with the data layer; this project ships an in-memory and a JSON-file store.
/// </summary>
public interface IModelRegistryStore
{
    /// <summary>Stores a fit record and returns it with its id set.</summary>
    Task<ModelFit> SaveAsync(ModelFit fit, CancellationToken ct = default);

    /// <summary>Every stored fit, oldest first.</summary>
    Task<IReadOnlyList<ModelFit>> ListAsync(CancellationToken ct = default);

    /// <summary>The latest promoted fit of a concern and instrument (<c>ALL</c>/<c>ALL</c> for the pooled model).</summary>
    Task<ModelFit?> GetLatestPromotedAsync(string concern, string instrument, CancellationToken ct = default);
}

/// <summary>Registry kept in memory (tests, one-off runs).</summary>
public class InMemoryModelRegistryStore : IModelRegistryStore
{
    private readonly List<ModelFit> _fits = [];
    private readonly Lock _gate = new();

    protected IReadOnlyList<ModelFit> Snapshot() { lock (_gate) return [.. _fits]; }

    protected void Replace(IEnumerable<ModelFit> fits) { lock (_gate) { _fits.Clear(); _fits.AddRange(fits); } }

    public virtual Task<ModelFit> SaveAsync(ModelFit fit, CancellationToken ct = default)
    {
        lock (_gate)
        {
            fit.Id = _fits.Count == 0 ? 1 : _fits.Max(f => f.Id) + 1;
            _fits.Add(fit);
        }
        return Task.FromResult(fit);
    }

    public Task<IReadOnlyList<ModelFit>> ListAsync(CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<ModelFit>>([.. Snapshot().OrderBy(f => f.FittedAt).ThenBy(f => f.Id)]);

    public Task<ModelFit?> GetLatestPromotedAsync(string concern, string instrument, CancellationToken ct = default) =>
        Task.FromResult(Snapshot()
            .Where(f => f.Promoted && f.Concern == concern && f.Instrument == instrument)
            .OrderByDescending(f => f.FittedAt).ThenByDescending(f => f.Id)
            .FirstOrDefault());
}

/// <summary>Registry in one JSON file (e.g. next to the saved model zips); rewritten whole, atomically, on each save.</summary>
public sealed class JsonFileModelRegistryStore : InMemoryModelRegistryStore
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    private readonly string _path;

    public JsonFileModelRegistryStore(string path)
    {
        _path = path;
        if (File.Exists(path)) Replace(JsonSerializer.Deserialize<List<ModelFit>>(File.ReadAllText(path), Json) ?? []);
    }

    public override async Task<ModelFit> SaveAsync(ModelFit fit, CancellationToken ct = default)
    {
        await base.SaveAsync(fit, ct);
        var temp = _path + ".tmp";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(_path))!);
        await File.WriteAllTextAsync(temp, JsonSerializer.Serialize(Snapshot(), Json), ct);
        File.Move(temp, _path, overwrite: true);
        return fit;
    }
}
