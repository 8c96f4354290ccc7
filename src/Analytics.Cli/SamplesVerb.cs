using System.CommandLine;
using Analytics.Domain;
using Analytics.Samples;
using Spectre.Console;

namespace Analytics.Cli;

public static partial class Verbs
{
    private static Command Samples()
    {
        var clinics = new Option<int>("--clinics") { Description = "Number of clinics", DefaultValueFactory = _ => 3 };
        var months = new Option<int>("--months") { Description = "Number of months, ending at --end-month", DefaultValueFactory = _ => 15 };
        var seed = new Option<ulong>("--seed") { Description = "Seed: the same seed gives byte-identical files", DefaultValueFactory = _ => 42UL };
        var endMonth = new Option<string>("--end-month") { Description = "Last month (YYYY-MM)", DefaultValueFactory = _ => "2026-10" };
        var perMonth = new Option<int>("--sessions-per-month") { Description = "Sessions per clinic and month", DefaultValueFactory = _ => 555 };
        var badRows = new Option<double>("--bad-rows") { Description = "Share of planted bad rows (listed in planted-rejects.csv)", DefaultValueFactory = _ => 0 };
        var outDir = new Option<string>("--out") { Description = "Output folder", Required = true };

        var generate = new Command("generate", "Write deterministic sample exports (sessions.csv, assessments.csv, satisfaction.csv)")
        {
            clinics, months, seed, endMonth, perMonth, badRows, outDir,
        };
        generate.SetAction(async (parse, ct) =>
        {
            var settings = new GeneratorSettings
            {
                Clinics = parse.GetValue(clinics),
                Months = parse.GetValue(months),
                Seed = parse.GetValue(seed),
                EndMonth = Codes.ParseMonth(parse.GetValue(endMonth)!),
                SessionsPerClinicPerMonth = parse.GetValue(perMonth),
                BadRowShare = parse.GetValue(badRows),
            };
            settings.Validate();
            var dir = parse.GetValue(outDir)!;
            GenerationSummary? summary = null;
            await AnsiConsole.Progress().StartAsync(async ctx =>
            {
                var task = ctx.AddTask("Generating", maxValue: settings.Clinics);
                var progress = new Progress<GenerationProgress>(p => task.Value = p.ClinicsDone);
                summary = await new SampleGenerator().GenerateAsync(dir, settings, progress, ct);
                task.Value = settings.Clinics;
            });
            AnsiConsole.MarkupLineInterpolated(
                $"Wrote [bold]{summary!.SessionRows:N0}[/] sessions, {summary.AssessmentRows:N0} assessments, {summary.SatisfactionRows:N0} answers to {Path.GetFullPath(dir)}");
            if (summary.PlantedRejects > 0)
            {
                AnsiConsole.MarkupLineInterpolated($"{summary.PlantedRejects:N0} planted bad rows are listed in planted-rejects.csv.");
            }
            AnsiConsole.MarkupLineInterpolated($"As-of day for import: {summary.AsOf:yyyy-MM-dd}; skilled practitioner: {summary.PlantedSkilledPractitionerId}");
            return 0;
        });
        var samples = new Command("samples", "Sample data");
        samples.Subcommands.Add(generate);
        return samples;
    }
}
