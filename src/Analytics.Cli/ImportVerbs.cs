using System.CommandLine;
using System.Globalization;
using Analytics.Ingest;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Analytics.Cli;

public static partial class Verbs
{
    private static Command Import()
    {
        var source = new Argument<string>("folder-or-file") { Description = "A folder with sessions/assessments/satisfaction CSVs, one CSV, or an .xlsx workbook" };
        var asOf = new Option<string?>("--as-of") { Description = "Import day (YYYY-MM-DD): rows dated after it are rejected; default today" };
        var command = new Command("import", "Import clinic exports: validate, pseudonymise, upsert; print the batch summary") { source, asOf };
        command.SetAction(async (parse, ct) =>
        {
            await using var services = CliServices.Build(CliConfiguration.Build(parse));
            await CliServices.MigrateAsync(services, ct);
            var options = new ImportOptions();
            if (parse.GetValue(asOf) is { } text)
            {
                options.AsOf = DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            }
            var importer = services.GetRequiredService<Importer>();
            ImportSummary? summary = null;
            await AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new SpinnerColumn(), new ElapsedTimeColumn())
                .StartAsync(async ctx =>
                {
                    var task = ctx.AddTask("Importing");
                    task.IsIndeterminate = true;
                    var progress = new Progress<ImportProgress>(p => task.Description = $"{Path.GetFileName(p.File)}: {p.Phase} {p.Rows:N0} rows");
                    summary = await importer.ImportAsync(parse.GetValue(source)!, options, progress, ct);
                    task.Description = "Imported";
                    task.StopTask();
                });
            Console.WriteLine(summary!.ToTable());
            return summary.Status == Domain.ImportStatus.Succeeded ? 0 : 2;
        });
        return command;
    }

    private static Command Rejects()
    {
        var output = new Option<string>("--out") { Description = "CSV file to write (file,line,id,column,reason)", Required = true };
        var batch = new Option<int?>("--batch") { Description = "Only the rejects of this import batch" };
        var message = new Option<bool>("--with-message") { Description = "Add a column with the human-readable reason" };
        var command = new Command("rejects", "Write every rejected input row with file, line, id, column and reason") { output, batch, message };
        command.SetAction(async (parse, ct) =>
        {
            await using var services = CliServices.Build(CliConfiguration.Build(parse));
            await CliServices.MigrateAsync(services, ct);
            var rows = await services.GetRequiredService<RejectsExporter>()
                .WriteCsvAsync(parse.GetValue(output)!, parse.GetValue(batch), parse.GetValue(message), ct);
            AnsiConsole.MarkupLineInterpolated($"Wrote {rows:N0} rejected rows to {Path.GetFullPath(parse.GetValue(output)!)}");
            return 0;
        });
        return command;
    }
}
