using System.CommandLine;
using System.Globalization;
using TrainWatt.Storage;
using TrainWatt.Storage.Postgres;
using TrainWatt.Storage.Sqlite;

namespace TrainWatt.Cli.Commands;

/// <summary><c>trainwatt db migrate|check</c>: bring a store's schema up to date, or check it without changing it.</summary>
internal static class DbCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("db", "Manage the run store's schema (SQLite file or PostgreSQL database).");
        command.Subcommands.Add(Migrate(context));
        command.Subcommands.Add(Check(context));
        return command;
    }

    private static Command Migrate(CliContext context)
    {
        var db = StoreLocation.CreateOption();
        var command = new Command("migrate", "Create the schema or upgrade it to this TrainWatt's version (safe to run from several machines at once).");
        command.Options.Add(db);
        command.SetAction(parse => StoreLocation.WithStore(context, parse.GetValue(db), store =>
        {
            context.WriteData(string.Create(CultureInfo.InvariantCulture, $"{store.Location}: schema version {Version(store)} (up to date)\n"));
            return (int)ExitCode.Success;
        }));
        return command;
    }

    private static Command Check(CliContext context)
    {
        var db = StoreLocation.CreateOption();
        var command = new Command("check", "Connect and check the schema version without changing anything; exit 73 when it needs `db migrate` or is newer.");
        command.Options.Add(db);
        command.SetAction(parse =>
        {
            string location = StoreLocation.Resolve(parse.GetValue(db), context);
            try
            {
                if (PostgresConnectionString.IsPostgres(location))
                {
                    using var pg = PostgresRunStore.Open(location, new PostgresStoreOptions { Time = context.Time }, migrate: false);
                    context.WriteData(string.Create(CultureInfo.InvariantCulture, $"{pg.Location}: ok, schema version {pg.ReadSchemaVersion()}, {pg.ListRuns().Count} runs\n"));
                    return (int)ExitCode.Success;
                }

                if (!File.Exists(location))
                {
                    StoreLocation.DiagnosticRaw(context, $"error: there is no store at {Path.GetFullPath(location)}. Create it with `trainwatt db migrate --db {location}` (or by measuring a run).");
                    return (int)ExitCode.NoInput;
                }

                using var sqlite = SqliteRunStore.Open(location, new SqliteStoreOptions { Time = context.Time });
                string integrity = sqlite.CheckIntegrity();
                if (integrity != "ok")
                {
                    StoreLocation.DiagnosticRaw(context, $"error: {sqlite.Location} fails SQLite's integrity check: {integrity}");
                    return (int)ExitCode.CannotCreate;
                }

                context.WriteData(string.Create(CultureInfo.InvariantCulture, $"{sqlite.Location}: ok, schema version {sqlite.ReadSchemaVersion()}, {sqlite.ListRuns().Count} runs\n"));
                return (int)ExitCode.Success;
            }
            catch (StoreException e)
            {
                StoreLocation.DiagnosticRaw(context, "error: " + e.Message);
                return (int)ExitCode.CannotCreate;
            }
        });
        return command;
    }

    private static int Version(IRunStore store) => store switch
    {
        PostgresRunStore pg => pg.ReadSchemaVersion(),
        SqliteRunStore sqlite => sqlite.ReadSchemaVersion(),
        _ => 0,
    };
}
