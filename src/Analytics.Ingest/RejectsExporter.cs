using System.Globalization;
using System.Text;
using Analytics.Data;
using CsvHelper;
using Microsoft.EntityFrameworkCore;

namespace Analytics.Ingest;

/// <summary>
/// Writes stored rejected rows as CSV <c>file,line,id,column,reason</c> — the same columns as the sample
/// generator's planted-rejects manifest; <c>reason</c> is the machine code (RejectReasons). With
/// <c>includeMessage</c> a sixth column <c>message</c> carries the human text.
/// </summary>
public sealed class RejectsExporter(DatabaseOptions database)
{
    public async Task<int> WriteCsvAsync(string path, int? batchId = null, bool includeMessage = false, CancellationToken ct = default)
    {
        await using var db = DatabaseSetup.CreateContext(database);
        return await WriteCsvAsync(db, path, batchId, includeMessage, ct);
    }

    public static async Task<int> WriteCsvAsync(AnalyticsDbContext db, string path, int? batchId = null, bool includeMessage = false,
        CancellationToken ct = default)
    {
        var query = db.RejectedRows.AsNoTracking();
        if (batchId is { } id) query = query.Where(r => r.ImportBatchId == id);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        await using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        await using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
        foreach (var h in includeMessage ? new[] { "file", "line", "id", "column", "reason", "message" } : ["file", "line", "id", "column", "reason"])
            csv.WriteField(h);
        await csv.NextRecordAsync();
        var n = 0;
        await foreach (var r in query.OrderBy(r => r.ImportBatchId).ThenBy(r => r.File).ThenBy(r => r.Line).ThenBy(r => r.Id)
                           .Select(r => new { r.File, r.Line, r.RecordId, r.Column, r.ReasonCode, r.Reason }).AsAsyncEnumerable().WithCancellation(ct))
        {
            csv.WriteField(r.File);
            csv.WriteField(r.Line.ToString(CultureInfo.InvariantCulture));
            csv.WriteField(r.RecordId ?? "");
            csv.WriteField(r.Column ?? "");
            csv.WriteField(r.ReasonCode);
            if (includeMessage) csv.WriteField(r.Reason);
            await csv.NextRecordAsync();
            n++;
        }
        return n;
    }
}
