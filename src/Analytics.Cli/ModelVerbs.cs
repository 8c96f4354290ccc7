using System.CommandLine;
using Analytics.Domain;
using Analytics.Jobs;
using Analytics.Jobs.Steps;
using Analytics.Modelling;
using Analytics.Outcomes;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Analytics.Cli;

public static partial class Verbs
{
    private static Command Models()
    {
        var fit = new Command("fit", "Refit the outcome models of every concern and record them in the registry");
        fit.SetAction(async (parse, ct) =>
        {
            await using var services = CliServices.Build(CliConfiguration.Build(parse));
            await CliServices.MigrateAsync(services, ct);
            var step = services.GetRequiredService<IRefitStep>();
            var result = await Status("Fitting models", () => step.RefitAsync(new ConsoleStepProgress(), ct));
            AnsiConsole.WriteLine(result.Summary);
            await PrintModelsAsync(services, ct);
            return 0;
        });

        var list = new Command("list", "List every model fit in the registry");
        list.SetAction(async (parse, ct) =>
        {
            await using var services = CliServices.Build(CliConfiguration.Build(parse));
            await CliServices.MigrateAsync(services, ct);
            await PrintModelsAsync(services, ct);
            return 0;
        });

        var concern = new Option<string>("--concern") { Required = true, Description = "Concern code, e.g. acne_scars" };
        var instrument = new Option<string>("--instrument") { Required = true, Description = "Severity instrument, e.g. goodman_baron_quant" };
        var baseline = new Option<double>("--baseline") { Required = true, Description = "Baseline score" };
        var fitz = new Option<int?>("--fitzpatrick") { Description = "Fitzpatrick skin type 1..6" };
        var age = new Option<int?>("--age") { Description = "Age in years" };
        var sessions = new Option<int>("--sessions") { Description = "Number of sessions", DefaultValueFactory = _ => 3 };
        var whatif = new Command("whatif", "Expected improvement % of a patient profile under each protocol with enough data")
        {
            concern, instrument, baseline, fitz, age, sessions,
        };
        whatif.SetAction(async (parse, ct) =>
        {
            await using var services = CliServices.Build(CliConfiguration.Build(parse));
            await CliServices.MigrateAsync(services, ct);
            var profile = new WhatIfProfile("cli", parse.GetValue(concern)!, parse.GetValue(instrument)!, parse.GetValue(baseline),
                parse.GetValue(fitz), parse.GetValue(age), parse.GetValue(sessions));
            var rows = await WhatIfFromRegistry.PredictAsync(services.GetRequiredService<IModelRegistryStore>(),
                services.GetRequiredService<OutcomeService>(), services.GetRequiredService<ModellingSettings>().Options, profile, ct);
            if (rows.Count == 0)
            {
                AnsiConsole.MarkupLine("[yellow]No promoted model for this concern and instrument (run 'analytics models fit').[/]");
                return 1;
            }
            var table = new Table().AddColumns("protocol", "expected improvement %", "training courses");
            foreach (var r in rows) table.AddRow(r.Protocol, r.ExpectedImprovementPct.ToString("0.0"), r.TrainingCourses.ToString("N0"));
            AnsiConsole.Write(table);
            return 0;
        });

        var models = new Command("models", "ML.NET outcome models");
        models.Subcommands.Add(fit);
        models.Subcommands.Add(list);
        models.Subcommands.Add(whatif);
        return models;
    }

    private static async Task PrintModelsAsync(IServiceProvider services, CancellationToken ct)
    {
        var fits = await services.GetRequiredService<IModelRegistryStore>().ListAsync(ct);
        var table = new Table().AddColumns("id", "fitted", "concern", "instrument", "trainer", "n", "R²", "RMSE", "baseline RMSE", "promoted", "note");
        foreach (var f in fits)
        {
            table.AddRow(f.Id.ToString(), f.FittedAt.ToString("yyyy-MM-dd HH:mm"), f.Concern, f.Instrument, f.Trainer, f.Rows.ToString("N0"),
                f.R2.ToString("0.000"), f.Rmse.ToString("0.00"), f.BaselineRmse.ToString("0.00"), f.Promoted ? "yes" : "no", Markup.Escape(f.Note ?? ""));
        }
        AnsiConsole.Write(table);
    }

    private sealed class ConsoleStepProgress : IStepProgress
    {
        public void Report(string message, double? fraction = null) => AnsiConsole.MarkupLineInterpolated($"[grey]{message}[/]");
    }
}
