using Analytics.Domain;

namespace Analytics.Samples;

/// <summary>
/// What to generate. Every default is fixed (no clock), so the same settings give
/// byte-identical files on every machine and every day.
/// </summary>
public sealed record GeneratorSettings
{
    /// <summary>The set committed in data-samples/ (3 clinics × 15 months, seed 42, 1 % bad rows, 80 sessions per clinic-month).</summary>
    public static GeneratorSettings CommittedSamples => new()
    {
        Clinics = 3, Months = 15, Seed = 42, BadRowShare = 0.01, SessionsPerClinicPerMonth = 80,
    };

    /// <summary>The network scale: 50 clinics × 36 months ≈ 1 M sessions, 0.9 M assessments, 0.4 M survey answers.</summary>
    public static GeneratorSettings NetworkScale => new() { Clinics = 50, Months = 36, Seed = 42 };

    public int Clinics { get; init; } = 3;
    public int Months { get; init; } = 15;
    public ulong Seed { get; init; } = 42;
    /// <summary>Last month with data, yyyymm. Sessions run from the first day of EndMonth − Months + 1 to its last day.</summary>
    public int EndMonth { get; init; } = 202610;
    /// <summary>Target sessions per clinic and month in steady state (clinics vary ±30 % around it).</summary>
    public int SessionsPerClinicPerMonth { get; init; } = 555;
    /// <summary>Share of extra, deliberately bad rows per file (0 = none; 0.02 = about 2 %).</summary>
    public double BadRowShare { get; init; }
    /// <summary>Share of finished courses that never get a follow-up score.</summary>
    public double MissingFollowUpShare { get; init; } = 0.17;
    /// <summary>Share of courses whose only follow_up row is dated on or before the last session (→ interim).</summary>
    public double EarlyFollowUpShare { get; init; } = 0.04;

    // Planted effects on the course's improvement % (additive, percentage points).
    /// <summary>PRP added to micro-needling for acne scars (goodman_baron_quant and _qual).</summary>
    public double PrpAcneScarEffect { get; init; } = 8;
    /// <summary>Minoxidil added to micro-needling for hair loss (hair_density), over micro-needling alone (~8 %).</summary>
    public double MinoxidilHairLossEffect { get; init; } = 25;
    /// <summary>Tranexamic acid added to micro-needling for melasma (mmasi, masi).</summary>
    public double TranexamicAcidMelasmaEffect { get; init; } = 12;
    /// <summary>Per session of the course, relative to 3 sessions.</summary>
    public double PerSessionEffect { get; init; } = 3;
    /// <summary>Fitzpatrick V–VI against I–IV.</summary>
    public double DarkSkinEffect { get; init; } = -4;
    /// <summary>Per unit of baseline severity position (0 = mildest, 1 = worst of the instrument's range), centred at 0.5.</summary>
    public double BaselineSeverityEffect { get; init; } = 10;
    /// <summary>Per decade of age over 40.</summary>
    public double AgePerDecadeEffect { get; init; } = -1;
    /// <summary>Courses of the planted skilled practitioner (first practitioner of the first clinic).</summary>
    public double SkilledPractitionerEffect { get; init; } = 10;
    /// <summary>Standard deviation of the course-level random noise on improvement %.</summary>
    public double NoiseSd { get; init; } = 10;

    public DateOnly FirstDay
    {
        get
        {
            var first = Codes.AddMonths(EndMonth, -(Months - 1));
            return new DateOnly(first / 100, first % 100, 1);
        }
    }

    public DateOnly LastDay => new DateOnly(EndMonth / 100, EndMonth % 100, 1).AddMonths(1).AddDays(-1);

    /// <summary>
    /// The as-of day the samples are built for: the day after the last day of EndMonth.
    /// Every good row is dated on or before LastDay; planted future_date rows are dated at
    /// least 150 days after AsOf.
    /// </summary>
    public DateOnly AsOf => LastDay.AddDays(1);

    /// <summary>The planted skilled practitioner: the first practitioner of the first clinic.</summary>
    public string SkilledPractitionerId => SampleIds.Practitioner(SampleIds.Clinic(1), 1);

    public void Validate()
    {
        if (Clinics < 1) throw new ArgumentOutOfRangeException(nameof(Clinics), "At least one clinic.");
        if (Months < 1) throw new ArgumentOutOfRangeException(nameof(Months), "At least one month.");
        if (EndMonth % 100 is < 1 or > 12 || EndMonth / 100 is < 1950 or > 9000)
            throw new ArgumentOutOfRangeException(nameof(EndMonth), "EndMonth is yyyymm, e.g. 202610.");
        if (SessionsPerClinicPerMonth < 1) throw new ArgumentOutOfRangeException(nameof(SessionsPerClinicPerMonth));
        if (BadRowShare is < 0 or > 0.5) throw new ArgumentOutOfRangeException(nameof(BadRowShare), "Between 0 and 0.5.");
        if (MissingFollowUpShare is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(MissingFollowUpShare));
        if (EarlyFollowUpShare is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(EarlyFollowUpShare));
    }
}

/// <summary>How generated ids look; the tests and the planted practitioner rule use the same functions.</summary>
public static class SampleIds
{
    public static string Clinic(int clinicNumber) => $"c{clinicNumber:D2}";

    public static string Practitioner(string clinicId, int number) => $"{clinicId}-pr{number:D2}";
}

public sealed record GenerationProgress(int ClinicsDone, int Clinics, long SessionsWritten);

/// <summary>What was written. Row counts are data rows (header excluded), planted bad rows included.</summary>
public sealed record GenerationSummary(
    string OutputDirectory,
    long SessionRows,
    long AssessmentRows,
    long SatisfactionRows,
    int PlantedRejects,
    long Courses,
    long Patients,
    string PlantedSkilledPractitionerId,
    DateOnly FirstDay,
    DateOnly LastDay,
    DateOnly AsOf)
{
    public IReadOnlyDictionary<string, long> RowsPerFile => new Dictionary<string, long>
    {
        [SampleFiles.Sessions] = SessionRows,
        [SampleFiles.Assessments] = AssessmentRows,
        [SampleFiles.Satisfaction] = SatisfactionRows,
    };
}

/// <summary>File names and the contract's columns, in the order the generator writes them.</summary>
public static class SampleFiles
{
    public const string Sessions = "sessions.csv";
    public const string Assessments = "assessments.csv";
    public const string Satisfaction = "satisfaction.csv";
    public const string PlantedRejects = "planted-rejects.csv";

    public static readonly IReadOnlyList<string> SessionColumns =
    [
        "session_id", "clinic_id", "clinic_name", "practitioner_id", "patient_ref", "patient_birth_year",
        "patient_sex", "fitzpatrick_type", "course_id", "concern", "area", "session_date", "device",
        "needle_depth_mm", "passes", "combination", "adverse_events", "downtime_days", "price", "currency",
    ];

    public static readonly IReadOnlyList<string> AssessmentColumns =
        ["assessment_id", "patient_ref", "course_id", "instrument", "assessed_on", "timepoint", "score", "assessor_id"];

    public static readonly IReadOnlyList<string> SatisfactionColumns =
        ["response_id", "patient_ref", "course_id", "session_id", "responded_on", "instrument", "score"];

    public static readonly IReadOnlyList<string> ManifestColumns = ["file", "line", "id", "column", "reason"];

    public static IReadOnlyList<string> ColumnsOf(string file) => file switch
    {
        Sessions => SessionColumns,
        Assessments => AssessmentColumns,
        Satisfaction => SatisfactionColumns,
        _ => throw new ArgumentException($"Not a contract file: {file}", nameof(file)),
    };
}
