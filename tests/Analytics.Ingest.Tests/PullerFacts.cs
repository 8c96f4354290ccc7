using Microsoft.Extensions.Logging.Abstractions;

namespace Analytics.Ingest.Tests;

/// <summary>The drop folder: claim, import, move to processed/ or failed/, each file once.</summary>
public sealed class PullerFacts
{
    private static DropFolderPuller Puller(TestDatabase db, string folder) =>
        new(new DropFolderOptions { Path = folder, MinFileAgeSeconds = 0 }, Importer(db), NullLogger<DropFolderPuller>.Instance);

    private static void WriteDrop(Drop drop, string prefix, int sessions)
    {
        drop.Write(prefix + "sessions.csv", Lines([SessionHeader, .. Enumerable.Range(0, sessions).Select(i =>
            Session(("session_id", $"{prefix}S{i}"), ("course_id", $"{prefix}C{i / 3}"), ("patient_ref", $"{prefix}P{i / 3}")))]));
        drop.Write(prefix + "assessments.csv", Lines([AssessmentHeader, .. Enumerable.Range(0, sessions / 3).Select(i =>
            Assessment(("assessment_id", $"{prefix}A{i}"), ("course_id", $"{prefix}C{i}"), ("patient_ref", $"{prefix}P{i}")))]));
        drop.Write(prefix + "satisfaction.csv", Lines([SatisfactionHeader, .. Enumerable.Range(0, sessions / 3).Select(i =>
            Answer(("response_id", $"{prefix}R{i}"), ("course_id", $"{prefix}C{i}"), ("session_id", $"{prefix}S{3 * i}"), ("patient_ref", $"{prefix}P{i}")))]));
    }

    [Theory]
    [MemberData(nameof(Providers.Local), MemberType = typeof(Providers))]
    public async Task Two_pullers_on_one_folder_import_each_file_once(DatabaseProvider provider)
    {
        using var db = await TestDatabase.CreateAsync(provider);
        using var drop = new Drop();
        var prefixes = new[] { "a_", "b_", "c_", "d_", "e_", "f_" };
        foreach (var p in prefixes) WriteDrop(drop, p, 30);

        var pulls = await Task.WhenAll(
            Task.Run(() => Puller(db, drop.Folder).PullAsync()),
            Task.Run(() => Puller(db, drop.Folder).PullAsync()));

        var summaries = pulls.SelectMany(p => p).ToList();
        Assert.Equal(prefixes.Length, summaries.Count);
        Assert.All(summaries, s => Assert.Equal((30 + 10 + 10, 30 + 10 + 10, 0, 0), (s.RowsRead, s.Applied, s.Unchanged, s.Rejected)));
        Assert.All(summaries, s => Assert.Equal(0, s.Files.Sum(f => f.AwaitingCourse))); // sessions went first in each drop
        Assert.Equal(prefixes.Length * 30, await Count(db, c => c.Sessions));
        Assert.Equal(prefixes.Length, await Count(db, c => c.ImportBatches));
        Assert.Equal(prefixes.Length * 3, Directory.GetFiles(Path.Combine(drop.Folder, "processed")).Length);
        Assert.Empty(Directory.GetFiles(drop.Folder));
        Assert.Empty(Directory.GetDirectories(Path.Combine(drop.Folder, "claimed")));
    }

    [Fact]
    public async Task A_rejected_file_goes_to_failed_with_its_reason_and_a_workbook_is_pulled_too()
    {
        using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var drop = new Drop();
        drop.Write("x_sessions.csv", Lines("session_id,clinic_id", "S1,CL1"));
        drop.Write("x_satisfaction.csv", Lines(SatisfactionHeader, Answer()));
        using (var wb = new ClosedXML.Excel.XLWorkbook())
        {
            var ws = wb.AddWorksheet("satisfaction");
            var header = SatisfactionHeader.Split(',');
            var row = ReadingFacts.ParseSimple(Answer(("response_id", "R9")));
            for (var c = 0; c < header.Length; c++)
            {
                ws.Cell(1, c + 1).SetValue(header[c]);
                ws.Cell(2, c + 1).SetValue(row[c]);
            }
            wb.SaveAs(Path.Combine(drop.Folder, "book.xlsx"));
        }
        var summaries = await Puller(db, drop.Folder).PullAsync();
        Assert.Equal(2, summaries.Count);
        var failed = Path.Combine(drop.Folder, "failed");
        Assert.True(File.Exists(Path.Combine(failed, "x_sessions.csv")));
        Assert.Contains("practitioner_id", await File.ReadAllTextAsync(Path.Combine(failed, "x_sessions.csv.reason.txt")));
        Assert.True(File.Exists(Path.Combine(drop.Folder, "processed", "x_satisfaction.csv")));
        Assert.True(File.Exists(Path.Combine(drop.Folder, "processed", "book.xlsx")));
        Assert.Equal(["R1", "R9"], await All(db, c => c.SatisfactionResponses.OrderBy(r => r.Id).Select(r => r.Id)));
        Assert.Empty(await Puller(db, drop.Folder).PullAsync()); // nothing new
    }
}
