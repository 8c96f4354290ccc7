using System.CommandLine;
using Analytics.Cli;

var root = new RootCommand(
    "Treatment-outcome analytics for micro-needling clinics: import exports, compute outcomes, fit models, write workbooks.");
root.Options.Add(CliConfiguration.Provider);
root.Options.Add(CliConfiguration.Connection);
root.Options.Add(CliConfiguration.ConfigFile);
foreach (var command in Verbs.All()) root.Subcommands.Add(command);

return await root.Parse(args).InvokeAsync();
