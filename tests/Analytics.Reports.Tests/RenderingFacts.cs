using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Analytics.Reports.Tests;

/// <summary>
/// Each workbook type opens and prints in LibreOffice (installed by CI: libreoffice-calc).
/// A look at the pages themselves is in docs/screenshots/.
/// </summary>
[Collection(WorkbookCollection.Name)]
public sealed partial class RenderingFacts(WorkbookFixture fixture)
{
    private const string Soffice = "/usr/bin/soffice";

    [Fact]
    public async Task LibreOffice_converts_every_workbook_type_to_a_pdf_with_pages()
    {
        Assert.True(File.Exists(Soffice), "LibreOffice is needed: apt-get install -y --no-install-recommends libreoffice-calc poppler-utils");
        var output = Directory.CreateTempSubdirectory("reports-pdf-").FullName;
        var profile = Directory.CreateTempSubdirectory("lo-profile-").FullName;
        try
        {
            var start = new ProcessStartInfo(Soffice) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "--headless", "--norestore", $"-env:UserInstallation=file://{profile}", "--convert-to", "pdf", "--outdir", output })
            {
                start.ArgumentList.Add(argument);
            }
            var workbooks = new[] { fixture.MonthlyPath("c01"), fixture.NetworkPath, fixture.ProtocolsPath };
            foreach (var workbook in workbooks)
            {
                start.ArgumentList.Add(workbook);
            }
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            var log = await stdout + await stderr;
            foreach (var workbook in workbooks)
            {
                var pdf = Path.Combine(output, Path.GetFileNameWithoutExtension(workbook) + ".pdf");
                Assert.True(File.Exists(pdf), $"{pdf} was written: {log}");
                var pages = PageObject().Matches(await File.ReadAllTextAsync(pdf, System.Text.Encoding.Latin1)).Count;
                Assert.True(pages >= 3, $"{Path.GetFileName(pdf)} has {pages} pages");
            }
        }
        finally
        {
            Directory.Delete(output, true);
            Directory.Delete(profile, true);
        }
    }

    [GeneratedRegex(@"/Type\s*/Page[^s]")]
    private static partial Regex PageObject();
}
