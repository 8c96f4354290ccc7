using Analytics.Domain;

namespace Analytics.Reports.Workbooks;

/// <summary>
/// The report tables grouped once by (month, clinic), so that building one workbook reads only
/// its own rows instead of scanning every table per cell. Build one and share it across workbooks.
/// </summary>
public sealed class ReportIndex
{
    private static readonly IReadOnlyList<OutcomeRow> NoOutcomes = [];
    private static readonly IReadOnlyList<SatisfactionRow> NoSatisfaction = [];
    private static readonly IReadOnlyList<SafetyRow> NoSafety = [];
    private static readonly IReadOnlyList<RevenueRow> NoRevenue = [];
    private static readonly IReadOnlyList<DataQualityRow> NoQuality = [];

    private readonly Dictionary<(int, string), IReadOnlyList<OutcomeRow>> _outcomes;
    private readonly Dictionary<(int, string), IReadOnlyList<SatisfactionRow>> _satisfaction;
    private readonly Dictionary<(int, string), IReadOnlyList<SafetyRow>> _safety;
    private readonly Dictionary<(int, string), ActivityRow> _activity;
    private readonly Dictionary<(int, string), IReadOnlyList<RevenueRow>> _revenue;
    private readonly Dictionary<(int, string), IReadOnlyList<DataQualityRow>> _quality;

    public ReportIndex(ReportTables tables)
    {
        Tables = tables;
        _outcomes = Group(Exports.ExportTables.Outcomes.Sorted(tables.Outcomes), r => (r.Month, r.ClinicId));
        _satisfaction = Group(Exports.ExportTables.Satisfaction.Sorted(tables.Satisfaction), r => (r.Month, r.ClinicId));
        _safety = Group(Exports.ExportTables.Safety.Sorted(tables.Safety), r => (r.Month, r.ClinicId));
        _revenue = Group(Exports.ExportTables.Revenue.Sorted(tables.Revenue), r => (r.Month, r.ClinicId));
        _quality = Group(tables.DataQuality, r => (r.Month, r.ClinicId));
        _activity = new Dictionary<(int, string), ActivityRow>();
        foreach (var row in tables.Activity)
        {
            _activity[(row.Month, row.ClinicId)] = row;
        }
        Clinics = [.. tables.Activity.Select(r => r.ClinicId)
            .Concat(tables.Outcomes.Select(r => r.ClinicId))
            .Concat(tables.Safety.Select(r => r.ClinicId))
            .Where(c => c != Codes.All)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];
        Months = [.. tables.Activity.Select(r => r.Month).Concat(tables.Outcomes.Select(r => r.Month)).Distinct().Order()];
    }

    public ReportTables Tables { get; }

    /// <summary>Every clinic id in the tables, without <c>ALL</c>, ordinal order.</summary>
    public IReadOnlyList<string> Clinics { get; }

    /// <summary>Every month with activity or outcomes, ascending.</summary>
    public IReadOnlyList<int> Months { get; }

    public int MinCellSize => Tables.Settings.MinCellSize;

    public IReadOnlyList<OutcomeRow> Outcomes(int month, string clinic) => _outcomes.GetValueOrDefault((month, clinic), NoOutcomes);

    public IReadOnlyList<SatisfactionRow> Satisfaction(int month, string clinic) => _satisfaction.GetValueOrDefault((month, clinic), NoSatisfaction);

    public IReadOnlyList<SafetyRow> Safety(int month, string clinic) => _safety.GetValueOrDefault((month, clinic), NoSafety);

    public ActivityRow? Activity(int month, string clinic) => _activity.GetValueOrDefault((month, clinic));

    public IReadOnlyList<RevenueRow> Revenue(int month, string clinic) => _revenue.GetValueOrDefault((month, clinic), NoRevenue);

    public IReadOnlyList<DataQualityRow> DataQuality(int month, string clinic) => _quality.GetValueOrDefault((month, clinic), NoQuality);

    private static Dictionary<(int, string), IReadOnlyList<T>> Group<T>(IEnumerable<T> rows, Func<T, (int, string)> key)
    {
        var groups = new Dictionary<(int, string), List<T>>();
        foreach (var row in rows)
        {
            var k = key(row);
            if (!groups.TryGetValue(k, out var list))
            {
                groups[k] = list = [];
            }
            list.Add(row);
        }
        return groups.ToDictionary(g => g.Key, g => (IReadOnlyList<T>)g.Value);
    }
}
