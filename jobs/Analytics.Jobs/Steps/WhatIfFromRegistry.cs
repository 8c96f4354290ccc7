using Analytics.Domain;
using Analytics.Modelling;
using Analytics.Outcomes;

namespace Analytics.Jobs.Steps;

/// <summary>What-if with the promoted model from the registry (its own cell, else the pooled ALL/ALL model).</summary>
public static class WhatIfFromRegistry
{
    public static async Task<IReadOnlyList<WhatIfRow>> PredictAsync(IModelRegistryStore registry, OutcomeService outcomes,
        ModellingOptions options, WhatIfProfile profile, CancellationToken ct)
    {
        var fit = await registry.GetLatestPromotedAsync(profile.Concern, profile.Instrument, ct)
            ?? await registry.GetLatestPromotedAsync(Codes.All, Codes.All, ct);
        if (fit is null) return [];
        var model = OutcomeModelFile.Load(fit);
        var courses = await outcomes.GetCourseOutcomesAsync(ct: ct);
        return [.. courses
            .Where(c => c.Concern == profile.Concern && c.Instrument == profile.Instrument && c.Evaluable && c.ImprovementPct is not null)
            .GroupBy(c => c.Protocol, StringComparer.Ordinal)
            .Where(g => g.Count() >= options.MinCoursesPerProtocolForWhatIf)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new WhatIfRow(profile.Concern, profile.Instrument, profile.Name, g.Key, profile.Baseline,
                profile.FitzpatrickType, profile.Age, profile.Sessions, model.Predict(profile, g.Key), g.Count()))];
    }
}
