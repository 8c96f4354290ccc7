using Analytics.Data;
using Analytics.Domain;
using Microsoft.EntityFrameworkCore;

namespace Analytics.Jobs;

/// <summary>What <see cref="WorkLeaseStore.TryAcquireAsync"/> found.</summary>
public enum LeaseOutcome
{
    Acquired,
    /// <summary>Someone else holds an unexpired lease.</summary>
    Busy,
    /// <summary>The work was completed under the same scope (same run), nothing to do.</summary>
    AlreadyCompleted,
}

/// <summary>
/// Leases in <c>work_leases</c>: insert-if-absent on the unique key; an expired or completed lease is taken
/// over with a conditional update, so of two workers racing for it exactly one wins.
/// The owner string is <c>scope|unique holder</c>: a completed lease whose scope matches means "already done".
/// </summary>
public sealed class WorkLeaseStore(IDbContextFactory<AnalyticsDbContext> contexts, TimeProvider clock)
{
    public async Task<LeaseOutcome> TryAcquireAsync(string key, string scope, string owner, TimeSpan duration, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            var existing = await db.WorkLeases.AsNoTracking().FirstOrDefaultAsync(l => l.Key == key, ct);
            if (existing is null)
            {
                db.WorkLeases.Add(new WorkLease { Key = key, Owner = owner, ExpiresAt = now + duration });
                try
                {
                    await db.SaveChangesAsync(ct);
                    return LeaseOutcome.Acquired;
                }
                catch (DbUpdateException)
                {
                    // Another worker inserted the same key first: fall through and look at its row.
                }
            }
        }

        await using var db2 = await contexts.CreateDbContextAsync(ct);
        var current = await db2.WorkLeases.AsNoTracking().FirstOrDefaultAsync(l => l.Key == key, ct);
        if (current is null) return LeaseOutcome.Busy; // deleted in between; the caller retries
        if (current.CompletedAt is not null && ScopeOf(current.Owner) == scope) return LeaseOutcome.AlreadyCompleted;
        if (current.CompletedAt is null && current.ExpiresAt > now) return LeaseOutcome.Busy;

        // Completed by another scope, or expired: take it over only if nobody changed it since we read it.
        // (Equality on the values read, not ordering: SQLite cannot order DateTimeOffset in SQL; a renewal changes ExpiresAt.)
        var oldOwner = current.Owner;
        var oldExpires = current.ExpiresAt;
        var oldCompleted = current.CompletedAt;
        var updated = await db2.WorkLeases
            .Where(l => l.Key == key && l.Owner == oldOwner && l.ExpiresAt == oldExpires && l.CompletedAt == oldCompleted)
            .ExecuteUpdateAsync(s => s
                .SetProperty(l => l.Owner, owner)
                .SetProperty(l => l.ExpiresAt, now + duration)
                .SetProperty(l => l.CompletedAt, (DateTimeOffset?)null), ct);
        return updated == 1 ? LeaseOutcome.Acquired : LeaseOutcome.Busy;
    }

    /// <summary>False when the lease was lost (expired and taken over): the holder must stop.</summary>
    public async Task<bool> RenewAsync(string key, string owner, TimeSpan duration, CancellationToken ct)
    {
        var until = clock.GetUtcNow() + duration;
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.WorkLeases
            .Where(l => l.Key == key && l.Owner == owner && l.CompletedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, until), ct) == 1;
    }

    public async Task<bool> CompleteAsync(string key, string owner, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.WorkLeases
            .Where(l => l.Key == key && l.Owner == owner && l.CompletedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.CompletedAt, now), ct) == 1;
    }

    /// <summary>Gives the lease up early (work failed): the next attempt need not wait for it to expire.</summary>
    public async Task ReleaseAsync(string key, string owner, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.WorkLeases.Where(l => l.Key == key && l.Owner == owner && l.CompletedAt == null).ExecuteDeleteAsync(ct);
    }

    public static string OwnerFor(string scope) =>
        $"{scope}|{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    public static string ScopeOf(string owner)
    {
        var bar = owner.IndexOf('|', StringComparison.Ordinal);
        return bar < 0 ? owner : owner[..bar];
    }
}
