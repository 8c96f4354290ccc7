using Analytics.Reports.Workbooks;

namespace Analytics.Reports.Tests;

public sealed class ReportBundleFacts
{
    [Fact]
    public async Task One_run_writes_every_workbook_and_every_export_and_a_rerun_replaces_them()
    {
        var root = Directory.CreateTempSubdirectory("bundle-").FullName;
        try
        {
            var tables = SampleTables.Tables();
            var paths = await ReportBundle.WriteAsync(tables, SampleTables.Models(), SampleTables.Context(), root, SampleTables.ReportMonth);
            Assert.Equal(4 + 1 + 1 + 2 * (6 + 4), paths.Count);
            Assert.All(paths, p => Assert.True(File.Exists(p), p));
            Assert.True(File.Exists(Path.Combine(root, "2025-10", "ALL.xlsx")));
            Assert.True(File.Exists(Path.Combine(root, "exports", "observed_expected.json")));

            var again = await ReportBundle.WriteAsync(tables, null, SampleTables.Context(), root, SampleTables.ReportMonth);
            Assert.Equal(4 + 1 + 1 + 2 * 6, again.Count);
            Assert.Empty(Directory.GetFiles(root, AtomicFile.TempPrefix + "*", SearchOption.AllDirectories));
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }
}
