using System.Globalization;
using System.Text;
using Analytics.Domain;

namespace Analytics.Ingest;

public sealed class ImportOptions
{
    /// <summary>The import day: rows dated after it are rejected (<c>future_date</c>). Default: today (local date).</summary>
    public DateOnly? AsOf { get; set; }

    /// <summary>
    /// SQLite: a load of at least this many new or changed rows (and at least as many as are stored) drops the
    /// table's secondary indexes and rebuilds them afterwards. Tests lower it to cover that path on small files.
    /// </summary>
    internal int LargeLoadRows { get; init; } = 50_000;

    /// <summary>
    /// SQLite: a file whose ids are new to its table, or unchanged, takes one pass with no per-id state in memory
    /// (ImportRun.OnePass.cs); an update rolls it back to the two passes. Tests turn it off to compare with the
    /// two-pass result.
    /// </summary>
    internal bool OnePassFirstLoad { get; init; } = true;
}

/// <summary>Progress of one import: rows read so far in the current file and phase.</summary>
public sealed record ImportProgress(string File, string Phase, long Rows);

public enum FileImportStatus
{
    Imported,
    /// <summary>The header lacked a required column: nothing of the file was applied.</summary>
    RejectedWhole,
}

/// <summary>Counts of one file (or sheet) of an import.</summary>
public sealed class FileImportSummary
{
    public required string File { get; init; }
    public InputKind Kind { get; init; }
    public FileImportStatus Status { get; set; }
    public int RowsRead { get; set; }
    /// <summary>New rows written.</summary>
    public int Applied { get; set; }
    /// <summary>Rows already stored with the same content, and exact repeats inside the file.</summary>
    public int Unchanged { get; set; }
    /// <summary>Stored rows overwritten with changed content (each logged in change_log).</summary>
    public int Updated { get; set; }
    public int Rejected => RejectedByReason.Values.Sum();
    public SortedDictionary<string, int> RejectedByReason { get; } = new(StringComparer.Ordinal);
    /// <summary>Header columns not in the contract: ignored, reported once per file.</summary>
    public IReadOnlyList<string> ExtraColumns { get; set; } = [];
    /// <summary>Assessments kept whose course is not imported yet; answers naming an unknown course or session.</summary>
    public int AwaitingCourse { get; set; }
    public string? Note { get; set; }
}

/// <summary>What one import did: one <see cref="ImportBatch"/>, counts per file, and its rejected rows.</summary>
public sealed class ImportSummary
{
    public int BatchId { get; set; }
    public required string Source { get; init; }
    public DateOnly AsOf { get; init; }
    public ImportStatus Status { get; set; }
    public List<FileImportSummary> Files { get; } = [];
    /// <summary>Every row rejected by this import (patient_ref masked in RawRow), in file and line order.</summary>
    public List<RejectedRow> Rejects { get; } = [];
    /// <summary>Stored assessments rejected because their course arrived in this import and they break its rules.</summary>
    public int PendingAssessmentsRejected { get; set; }
    /// <summary>Wall time per import phase (e.g. <c>sessions: write</c>), in the order first met; for logs and tuning.</summary>
    public Dictionary<string, TimeSpan> Phases { get; } = [];

    internal void AddPhase(string phase, TimeSpan elapsed)
    {
        // The import's reading and writing sides both report phases.
        lock (Phases) Phases[phase] = Phases.GetValueOrDefault(phase) + elapsed;
    }

    public int RowsRead => Files.Sum(f => f.RowsRead);
    public int Applied => Files.Sum(f => f.Applied);
    public int Unchanged => Files.Sum(f => f.Unchanged);
    public int Updated => Files.Sum(f => f.Updated);
    public int Rejected => Files.Sum(f => f.Rejected) + PendingAssessmentsRejected;

    public IReadOnlyDictionary<string, int> RejectedByReason =>
        Rejects.GroupBy(r => r.ReasonCode).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>A plain-text table: one line per file plus a total line.</summary>
    public string ToTable()
    {
        var rows = new List<string[]> { new[] { "file", "read", "applied", "unchanged", "updated", "rejected", "reasons" } };
        foreach (var f in Files)
        {
            var reasons = string.Join(", ", f.RejectedByReason.Select(kv => $"{kv.Key} {kv.Value}"));
            if (f.Status == FileImportStatus.RejectedWhole) reasons = "FILE REJECTED: " + f.Note;
            if (f.ExtraColumns.Count > 0) reasons += (reasons.Length > 0 ? "; " : "") + "extra columns ignored: " + string.Join(", ", f.ExtraColumns);
            if (f.AwaitingCourse > 0) reasons += (reasons.Length > 0 ? "; " : "") + $"{f.AwaitingCourse} awaiting course";
            rows.Add([f.File, N(f.RowsRead), N(f.Applied), N(f.Unchanged), N(f.Updated), N(f.Rejected), reasons]);
        }
        if (PendingAssessmentsRejected > 0)
            rows.Add(["(stored assessments re-checked)", "", "", "", "", N(PendingAssessmentsRejected), RejectReasonsText()]);
        rows.Add(["total", N(RowsRead), N(Applied), N(Unchanged), N(Updated), N(Rejected), $"batch {BatchId}, as of {AsOf:yyyy-MM-dd}, {Status}"]);
        var widths = Enumerable.Range(0, 7).Select(i => rows.Max(r => r[i].Length)).ToArray();
        var sb = new StringBuilder();
        foreach (var r in rows)
        {
            sb.Append(r[0].PadRight(widths[0]));
            for (var i = 1; i < 6; i++) sb.Append("  ").Append(r[i].PadLeft(widths[i]));
            sb.Append("  ").Append(r[6]).AppendLine();
        }
        return sb.ToString();
    }

    private string RejectReasonsText() =>
        string.Join(", ", Rejects.Where(r => r.Line == 0).GroupBy(r => r.ReasonCode).Select(g => $"{g.Key} {g.Count()}"));

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

    public override string ToString() => ToTable();
}
