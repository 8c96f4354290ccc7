using Analytics.Domain;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Outcomes;

/// <summary>The <c>Outcomes</c> configuration section and the per-run choices of the export command.</summary>
public sealed class OutcomeOptions
{
    public const string Section = "Outcomes";

    /// <summary>A cell (row) with fewer distinct patients keeps its counts but not its statistics.</summary>
    public int MinCellSize { get; set; } = 5;

    /// <summary>First month (yyyymm) to report, inclusive; null = from the first month with data.</summary>
    public int? FromMonth { get; set; }

    /// <summary>Last month (yyyymm) to report, inclusive; null = up to the last month with data.</summary>
    public int? ToMonth { get; set; }

    /// <summary>Responder threshold overrides by instrument code (e.g. <c>posas_observer: 25</c>); others keep the catalog's.</summary>
    public Dictionary<string, double> ResponderThresholds { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The catalog with this run's responder thresholds.</summary>
    public IReadOnlyList<Instrument> Instruments()
    {
        foreach (var code in ResponderThresholds.Keys)
        {
            if (InstrumentCatalog.Find(code) is null)
                throw new ArgumentException($"Outcomes:ResponderThresholds names unknown instrument '{code}'.");
        }
        return InstrumentCatalog.WithThresholds(ResponderThresholds);
    }

    public void Validate()
    {
        if (MinCellSize < 1) throw new ArgumentOutOfRangeException(nameof(MinCellSize), MinCellSize, "MinCellSize must be at least 1.");
        if (FromMonth is { } f && ToMonth is { } t && f > t)
            throw new ArgumentException($"From month {Codes.MonthText(f)} is after to month {Codes.MonthText(t)}.");
        _ = Instruments();
    }

    internal bool InRange(int month) => (FromMonth is not { } f || month >= f) && (ToMonth is not { } t || month <= t);

    public OutcomeOptions Copy() => new()
    {
        MinCellSize = MinCellSize,
        FromMonth = FromMonth,
        ToMonth = ToMonth,
        ResponderThresholds = new Dictionary<string, double>(ResponderThresholds, StringComparer.Ordinal),
    };
}

public static class OutcomeServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="OutcomeOptions"/> (section <c>Outcomes</c>: MinCellSize, ResponderThresholds) and
    /// <see cref="OutcomeService"/>. Needs <c>AddAnalyticsDatabase</c> for the DbContext factory.
    /// </summary>
    public static IServiceCollection AddAnalyticsOutcomes(this IServiceCollection services, IConfiguration configuration)
    {
        var options = new OutcomeOptions();
        configuration.GetSection(OutcomeOptions.Section).Bind(options);
        options.Validate();
        services.AddSingleton(options);
        services.AddSingleton<OutcomeService>();
        return services;
    }
}
