using System.Text;
using Analytics.Data;
using Analytics.Ingest;
using Analytics.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Analytics.Ingest.Tests;

/// <summary>Small handwritten contract files in a temp folder, and an importer with a fixed test key.</summary>
internal sealed class Drop : IDisposable
{
    public Drop() => Directory.CreateDirectory(Folder);

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), $"ingest-test-{Guid.NewGuid():N}");

    public string Write(string name, string content, bool bom = false)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, content, new UTF8Encoding(bom));
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Folder, true); } catch (IOException) { }
    }
}

internal static class Kit
{
    public static readonly DateOnly AsOf = new(2025, 6, 30);
    public static readonly byte[] Key = Encoding.UTF8.GetBytes("ingest-tests-key-0123456789");

    public static Importer Importer(TestDatabase db) => new(db.Options, new PatientPseudonymiser(Key), NullLogger<Importer>.Instance);

    public static Task<ImportSummary> Import(TestDatabase db, string path, IProgress<ImportProgress>? progress = null) =>
        Importer(db).ImportAsync(path, new ImportOptions { AsOf = AsOf }, progress);

    public static readonly string SessionHeader = string.Join(',', InputSpecs.SessionColumns);
    public static readonly string AssessmentHeader = string.Join(',', InputSpecs.AssessmentColumns);
    public static readonly string SatisfactionHeader = string.Join(',', InputSpecs.SatisfactionColumns);

    private static readonly Dictionary<string, string> SessionDefaults = new()
    {
        ["session_id"] = "S1", ["clinic_id"] = "CL1", ["clinic_name"] = "Clinic One", ["practitioner_id"] = "PR1",
        ["patient_ref"] = "PAT-0001", ["patient_birth_year"] = "1985", ["patient_sex"] = "f", ["fitzpatrick_type"] = "3",
        ["course_id"] = "C1", ["concern"] = "acne_scars", ["area"] = "face", ["session_date"] = "2025-01-10", ["device"] = "pen",
        ["needle_depth_mm"] = "1.5", ["passes"] = "3", ["combination"] = "prp", ["adverse_events"] = "", ["downtime_days"] = "2",
        ["price"] = "150.00", ["currency"] = "EUR",
    };

    private static readonly Dictionary<string, string> AssessmentDefaults = new()
    {
        ["assessment_id"] = "A1", ["patient_ref"] = "PAT-0001", ["course_id"] = "C1", ["instrument"] = "goodman_baron_qual",
        ["assessed_on"] = "2025-01-10", ["timepoint"] = "baseline", ["score"] = "3", ["assessor_id"] = "PR1",
    };

    private static readonly Dictionary<string, string> SatisfactionDefaults = new()
    {
        ["response_id"] = "R1", ["patient_ref"] = "PAT-0001", ["course_id"] = "C1", ["session_id"] = "S1",
        ["responded_on"] = "2025-03-01", ["instrument"] = "nps", ["score"] = "9",
    };

    public static string Session(params (string Column, string Value)[] values) => Row(InputSpecs.SessionColumns, SessionDefaults, values);
    public static string Assessment(params (string Column, string Value)[] values) => Row(InputSpecs.AssessmentColumns, AssessmentDefaults, values);
    public static string Answer(params (string Column, string Value)[] values) => Row(InputSpecs.SatisfactionColumns, SatisfactionDefaults, values);

    private static string Row(IReadOnlyList<string> columns, Dictionary<string, string> defaults, (string Column, string Value)[] values)
    {
        var d = new Dictionary<string, string>(defaults);
        foreach (var (c, v) in values)
        {
            if (!d.ContainsKey(c)) throw new ArgumentException($"no column {c}");
            d[c] = v;
        }
        return string.Join(',', columns.Select(c => Quote(d[c])));
    }

    public static string Quote(string v) => v.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + v.Replace("\"", "\"\"") + "\"" : v;

    public static string Lines(params string[] lines) => string.Join("\n", lines) + "\n";

    public static async Task<List<T>> All<T>(TestDatabase db, Func<AnalyticsDbContext, IQueryable<T>> query)
    {
        await using var ctx = db.CreateContext();
        return [.. query(ctx)];
    }

    public static async Task<int> Count<T>(TestDatabase db, Func<AnalyticsDbContext, IQueryable<T>> query)
    {
        await using var ctx = db.CreateContext();
        return query(ctx).Count();
    }
}
