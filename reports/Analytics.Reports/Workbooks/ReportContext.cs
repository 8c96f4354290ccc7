using Analytics.Domain;

namespace Analytics.Reports.Workbooks;

/// <summary>Rows rejected on import in one month and clinic for one reason (<see cref="RejectReasons"/>).</summary>
public sealed record RejectCount(int Month, string ClinicId, string Reason, int Rows);

/// <summary>What a workbook says about how it was made, besides the tables themselves.</summary>
public sealed record ReportContext(
    string SoftwareVersion,
    DateTimeOffset GeneratedAt,
    IReadOnlyDictionary<string, string>? ClinicNames = null,
    IReadOnlyList<RejectCount>? Rejects = null,
    /// <summary>Catalog with the responder thresholds used; null = <see cref="TableSettings.Instruments"/>.</summary>
    IReadOnlyList<Instrument>? Instruments = null)
{
    public string ClinicName(string clinicId) =>
        clinicId == Codes.All ? "Whole network"
        : ClinicNames is not null && ClinicNames.TryGetValue(clinicId, out var name) && !string.IsNullOrWhiteSpace(name) ? name
        : clinicId;
}
