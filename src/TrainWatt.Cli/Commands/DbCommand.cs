using System.CommandLine;
using System.Globalization;
using TrainWatt.Storage.Postgres;

namespace TrainWatt.Cli.Commands;

/// <summary>The options of <c>db migrate|check</c>.</summary>
/// <param name="Db">--db, or null for the default store.</param>
internal sealed record DbSettings(string? Db) : ICommandSettings
{
    public IReadOnlyList<string> Validate()
        => Db is not null && string.IsNullOrWhiteSpace(Db) ? ["--db: the store location is empty; give an SQLite file or a postgres:// URL, or leave out --db."] : [];
}

/// <summary><c>trainwatt db migrate|check</c>: bring a store's schema up to date, or check it without changing it (<see cref="StoreAdministration"/>).</summary>
internal static class DbCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("db", "Manage the run store's schema (SQLite file or PostgreSQL database).");
        command.Subcommands.Add(Create(context, "migrate", "Create the schema or upgrade it to this TrainWatt's version (safe to run from several machines at once).",
            (location, time) => StoreAdministration.Migrate(location, time)));
        command.Subcommands.Add(Create(context, "check", "Connect and check the schema version without changing anything; exit 73 when it needs `db migrate` or is newer.",
            (location, time) => StoreAdministration.Check(location, time)));
        return command;
    }

    private static Command Create(CliContext context, string name, string description, Func<string, TimeProvider, StoreStatus> run)
    {
        var db = StoreLocation.CreateOption();
        var command = new Command(name, description);
        command.Options.Add(db);
        command.SetAction(parse =>
        {
            var settings = new DbSettings(parse.GetValue(db)).ThrowIfInvalid();
            var status = run(StoreLocation.Resolve(settings.Db, context), context.Time);
            context.WriteData(status.Runs is { } runs
                ? string.Create(CultureInfo.InvariantCulture, $"{status.Location}: ok, schema version {status.SchemaVersion}, {runs} runs\n")
                : string.Create(CultureInfo.InvariantCulture, $"{status.Location}: schema version {status.SchemaVersion} (up to date)\n"));
            return (int)ExitCode.Success;
        });
        return command;
    }
}
