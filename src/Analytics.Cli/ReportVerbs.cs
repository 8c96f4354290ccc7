using System.CommandLine;
using Analytics.Domain;
using Analytics.Jobs.Steps;
using Analytics.Outcomes;
using Analytics.Reports.Exports;
using Analytics.Reports.Workbooks;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Analytics.Cli;

public static partial class Verbs
{
    private static Command Export()
    {
        var outDir = new Argument<string>("outdir") { Description = "Folder for outcomes.csv, satisfaction.csv, safety.csv, activity.csv, revenue.csv, protocol_comparison.csv" };
        var format = new Option<string>("--format") { Description = "csv or json", DefaultValueFactory = _ => "csv" };
        format.AcceptOnlyFromAmong("csv", "json");
        var minCell = new Option<int?>("--min-cell") { Description = "Small-cell size (Outcomes:MinCellSize, default 5)" };
        var from = new Option<string?>("--from") { Description = "First month (YYYY-MM)" };
        var to = new Option<string?>("--to") { Description = "Last month (YYYY-MM)" };
        var command = new Command("export", "Compute the six report tables and write them as CSV or JSON") { outDir, format, minCell, from, to };
        command.SetAction(async (parse, ct) =>
        {
            await using var services = CliServices.Build(CliConfiguration.Build(parse));
            await CliServices.MigrateAsync(services, ct);
            var options = services.GetRequiredService<OutcomeOptions>().Copy();
            if (parse.GetValue(minCell) is { } n) options.MinCellSize = n;
            if (parse.GetValue(from) is { } f) options.FromMonth = Codes.ParseMonth(f);
            if (parse.GetValue(to) is { } t) options.ToMonth = Codes.ParseMonth(t);
            options.Validate();
            var tables = await Status("Computing the tables", () => services.GetRequiredService<OutcomeService>().ComputeAsync(options, ct));
            var files = await TableExportWriter.WriteAllAsync(tables, parse.GetValue(outDir)!,
                parse.GetValue(format) == "json" ? ExportFormat.Json : ExportFormat.Csv, ct);
            foreach (var file in files) AnsiConsole.MarkupLineInterpolated($"  {file}");
            return 0;
        });
        return command;
    }

    private static Command Report()
    {
        var month = new Option<string>("--month") { Description = "Month (YYYY-MM)", Required = true };
        var clinic = new Option<string?>("--clinic") { Description = "Only this clinic (ALL = the network workbook)" };
        var outDir = new Option<string?>("--out") { Description = "Output folder (default Reports:OutputFolder, reports/out)" };
        var monthly = new Command("monthly", "Write the monthly workbooks: every clinic, the network (ALL.xlsx) and clinics side by side (network.xlsx)")
        {
            month, clinic, outDir,
        };
        monthly.SetAction(async (parse, ct) =>
        {
            var extra = OutFolder(parse.GetValue(outDir));
            await using var services = CliServices.Build(CliConfiguration.Build(parse, extra));
            await CliServices.MigrateAsync(services, ct);
            var m = Codes.ParseMonth(parse.GetValue(month)!);
            var inputs = services.GetRequiredService<ReportInputs>();
            var (tables, models, context) = await Status("Loading the tables", () => inputs.LoadAsync(ct));
            var index = new ReportIndex(tables);
            var root = inputs.OutputFolder;
            IReadOnlyList<string> files = parse.GetValue(clinic) is { } c
                ? [new MonthlyClinicReport(index, models, context).Write(root, c, m)]
                : [.. new MonthlyClinicReport(index, models, context).WriteMonth(root, m), new NetworkReport(index, context).Write(root, m)];
            foreach (var file in files) AnsiConsole.MarkupLineInterpolated($"  {file}");
            return 0;
        });

        var protocolsOut = new Option<string?>("--out") { Description = "Output folder (default Reports:OutputFolder, reports/out)" };
        var protocols = new Command("protocols", "Write the protocol comparison workbook for clinical leads") { protocolsOut };
        protocols.SetAction(async (parse, ct) =>
        {
            await using var services = CliServices.Build(CliConfiguration.Build(parse, OutFolder(parse.GetValue(protocolsOut))));
            await CliServices.MigrateAsync(services, ct);
            var inputs = services.GetRequiredService<ReportInputs>();
            var (tables, models, context) = await Status("Loading the tables", () => inputs.LoadAsync(ct));
            AnsiConsole.MarkupLineInterpolated($"  {new ProtocolComparisonReport(tables, models, context).Write(inputs.OutputFolder)}");
            return 0;
        });

        var report = new Command("report", "Workbooks");
        report.Subcommands.Add(monthly);
        report.Subcommands.Add(protocols);
        return report;
    }

    private static Dictionary<string, string?>? OutFolder(string? folder) =>
        folder is null ? null : new Dictionary<string, string?> { ["Reports:OutputFolder"] = folder };

    private static async Task<T> Status<T>(string text, Func<Task<T>> work)
    {
        T result = default!;
        await AnsiConsole.Status().StartAsync(text, async _ => result = await work());
        return result;
    }
}
