using System.CommandLine;
using Analytics.Domain;
using Analytics.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Analytics.Cli;

public static partial class Verbs
{
    private static Command Run()
    {
        var month = new Option<string?>("--month") { Description = "Month of the workbooks (YYYY-MM); default the month before this one" };
        var import = new Option<string?>("--import") { Description = "Copy these export files into the drop folder first (e.g. data-samples)" };
        var command = new Command("run", "Run the whole pipeline (pull → compute → refit → workbooks) through an in-process Hangfire server")
        {
            month, import,
        };
        command.SetAction(async (parse, ct) =>
        {
            var extra = new Dictionary<string, string?>();
            var importFrom = parse.GetValue(import);
            // Files copied here are complete: no need to wait for them to age.
            if (importFrom is not null) extra["Sources:DropFolder:MinFileAgeSeconds"] = "0";
            var configuration = CliConfiguration.Build(parse, extra);
            await using var services = CliServices.Build(configuration);
            await CliServices.MigrateAsync(services, ct);
            if (importFrom is not null)
            {
                var drop = Path.GetFullPath(configuration["Sources:DropFolder:Path"] ?? "drop");
                var copied = CopyExports(importFrom, drop);
                AnsiConsole.MarkupLineInterpolated($"Copied {copied} file(s) from {importFrom} into the drop folder {drop}");
            }
            int? m = parse.GetValue(month) is { } text ? Codes.ParseMonth(text) : null;
            var pipeline = services.GetRequiredService<InProcessPipeline>();
            PipelineRunResult? result = null;
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async ctx =>
                {
                    var tasks = new Dictionary<PipelineStepKind, ProgressTask>();
                    var progress = new SynchronousProgress<PipelineProgress>(p =>
                    {
                        if (!tasks.TryGetValue(p.Step, out var task))
                        {
                            task = tasks[p.Step] = ctx.AddTask(PipelineSteps.Name(p.Step), maxValue: 1);
                        }
                        var message = p.Message is { Length: > 60 } long_ ? long_[..57] + "..." : p.Message;
                        task.Description = Markup.Escape($"{PipelineSteps.Name(p.Step)}: {p.State}{(message is null ? "" : " · " + message)}");
                        if (p.Fraction is { } f) task.Value = Math.Max(task.Value, f);
                        if (p.State is "Succeeded") task.Value = 1;
                    });
                    result = await pipeline.RunAsync(m, progress, ct);
                });
            var r = result!;
            AnsiConsole.MarkupLineInterpolated($"Run {r.RunId} for {(r.Month is { } mm ? Codes.MonthText(mm) : "?")}: [bold]{r.Status}[/]");
            foreach (var p in r.Produced) AnsiConsole.MarkupLineInterpolated($"  {p.Step}: {p.Summary}");
            if (r.Error is not null) AnsiConsole.MarkupLineInterpolated($"[red]{r.Error}[/]");
            var workbooks = r.Files.Where(f => f.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase)).ToList();
            if (workbooks.Count > 0)
            {
                AnsiConsole.MarkupLineInterpolated($"Workbooks ({workbooks.Count}) in {Path.GetDirectoryName(workbooks[0])} and beside it:");
                foreach (var w in workbooks) AnsiConsole.MarkupLineInterpolated($"  {w}");
            }
            return r.Status == PipelineStatus.Succeeded ? 0 : 1;
        });
        return command;
    }

    /// <summary>Copies the contract files (CSV or XLSX) of a folder into the drop folder, complete files only.</summary>
    private static int CopyExports(string from, string drop)
    {
        Directory.CreateDirectory(drop);
        var files = File.Exists(from) ? [from] : Directory.GetFiles(from)
            .Where(f => f.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase))
            .Where(f => !Path.GetFileName(f).StartsWith("planted-", StringComparison.Ordinal))
            .ToArray();
        foreach (var file in files)
        {
            // Copy under a temporary name, then rename: the puller never sees a half-copied file.
            var target = Path.Combine(drop, Path.GetFileName(file));
            var temp = Path.Combine(drop, "." + Path.GetFileName(file) + ".copying");
            File.Copy(file, temp, overwrite: true);
            File.Move(temp, target, overwrite: true);
        }
        return files.Length;
    }

    /// <summary>Progress that reports on the caller's thread (Spectre's context is not thread-safe for Progress&lt;T&gt;'s pool posts).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        private readonly Lock _gate = new();

        public void Report(T value)
        {
            lock (_gate) report(value);
        }
    }
}
