using System.CommandLine;
using Analytics.Data;
using Spectre.Console;

namespace Analytics.Cli;

/// <summary>The CLI verbs. Each builds its services from configuration and calls the same code the jobs call.</summary>
public static partial class Verbs
{
    public static IEnumerable<Command> All()
    {
        yield return Db();
        yield return Samples();
        yield return Import();
        yield return Rejects();
        yield return Export();
        yield return Models();
        yield return Report();
        yield return Run();
    }

    private static Command Db()
    {
        var migrate = new Command("migrate", "Create or upgrade the database schema (applied at host start-up too)");
        migrate.SetAction(async (parse, ct) =>
        {
            var options = DatabaseSetup.ReadOptions(CliConfiguration.Build(parse));
            await using var db = DatabaseSetup.CreateContext(options);
            await DatabaseSetup.MigrateAsync(db, ct);
            AnsiConsole.MarkupLineInterpolated($"[green]Database is up to date[/] ({options.Provider}).");
            return 0;
        });
        var db = new Command("db", "Database commands");
        db.Subcommands.Add(migrate);
        return db;
    }
}
