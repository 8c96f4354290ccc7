namespace Analytics.Ingest;

/// <summary>The three input files of data contract v1.</summary>
public enum InputKind
{
    Sessions,
    Assessments,
    Satisfaction,
}

/// <summary>Column lists of the contract, in contract order (which is also the content-hash order).</summary>
public static class InputSpecs
{
    public static readonly IReadOnlyList<string> SessionColumns =
    [
        "session_id", "clinic_id", "clinic_name", "practitioner_id", "patient_ref", "patient_birth_year", "patient_sex",
        "fitzpatrick_type", "course_id", "concern", "area", "session_date", "device", "needle_depth_mm", "passes",
        "combination", "adverse_events", "downtime_days", "price", "currency",
    ];

    public static readonly IReadOnlyList<string> SessionRequired =
        ["session_id", "clinic_id", "practitioner_id", "patient_ref", "course_id", "concern", "session_date"];

    public static readonly IReadOnlyList<string> AssessmentColumns =
        ["assessment_id", "patient_ref", "course_id", "instrument", "assessed_on", "timepoint", "score", "assessor_id"];

    public static readonly IReadOnlyList<string> AssessmentRequired =
        ["assessment_id", "patient_ref", "course_id", "instrument", "assessed_on", "timepoint", "score"];

    public static readonly IReadOnlyList<string> SatisfactionColumns =
        ["response_id", "patient_ref", "course_id", "session_id", "responded_on", "instrument", "score"];

    public static readonly IReadOnlyList<string> SatisfactionRequired =
        ["response_id", "patient_ref", "responded_on", "instrument", "score"];

    public static IReadOnlyList<string> Columns(InputKind kind) => kind switch
    {
        InputKind.Sessions => SessionColumns,
        InputKind.Assessments => AssessmentColumns,
        _ => SatisfactionColumns,
    };

    public static IReadOnlyList<string> Required(InputKind kind) => kind switch
    {
        InputKind.Sessions => SessionRequired,
        InputKind.Assessments => AssessmentRequired,
        _ => SatisfactionRequired,
    };

    /// <summary>File stem and sheet name: <c>sessions</c>, <c>assessments</c>, <c>satisfaction</c>.</summary>
    public static string Name(InputKind kind) => kind switch
    {
        InputKind.Sessions => "sessions",
        InputKind.Assessments => "assessments",
        _ => "satisfaction",
    };

    public static string IdColumn(InputKind kind) => Columns(kind)[0];

    /// <summary>The kind named by a file or sheet name (<c>sessions.csv</c>, <c>2024-05_sessions.csv</c>, sheet <c>sessions</c>).</summary>
    public static InputKind? KindOf(string fileOrSheetName)
    {
        var stem = Path.GetFileNameWithoutExtension(fileOrSheetName).ToLowerInvariant();
        foreach (var kind in Enum.GetValues<InputKind>())
        {
            var name = Name(kind);
            if (stem == name || stem.EndsWith("_" + name, StringComparison.Ordinal) || stem.EndsWith("-" + name, StringComparison.Ordinal)
                || stem.EndsWith("." + name, StringComparison.Ordinal))
            {
                return kind;
            }
        }
        return null;
    }
}
