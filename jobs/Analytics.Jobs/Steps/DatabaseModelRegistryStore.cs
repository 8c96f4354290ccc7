using Analytics.Data;
using Analytics.Domain;
using Analytics.Modelling;
using Microsoft.EntityFrameworkCore;

namespace Analytics.Jobs.Steps;

/// <summary>The model registry in the database's model_fits table.</summary>
/// <remarks>Ids grow with time, so "latest" orders by id (SQLite cannot order DateTimeOffset columns).</remarks>
public sealed class DatabaseModelRegistryStore(IDbContextFactory<AnalyticsDbContext> contexts) : IModelRegistryStore
{
    public async Task<ModelFit> SaveAsync(ModelFit fit, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        fit.Id = 0;
        db.ModelFits.Add(fit);
        await db.SaveChangesAsync(ct);
        return fit;
    }

    public async Task<IReadOnlyList<ModelFit>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.ModelFits.AsNoTracking().OrderBy(f => f.Id).ToListAsync(ct);
    }

    public async Task<ModelFit?> GetLatestPromotedAsync(string concern, string instrument, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.ModelFits.AsNoTracking()
            .Where(f => f.Promoted && f.Concern == concern && f.Instrument == instrument)
            .OrderByDescending(f => f.Id)
            .FirstOrDefaultAsync(ct);
    }
}
