using System.CommandLine;
using System.Globalization;
using TrainWatt.Storage;
using TrainWatt.Storage.Postgres;
using TrainWatt.Storage.Sqlite;

namespace TrainWatt.Cli.Commands;

/// <summary>
/// <c>trainwatt sync --from SQLITE_PATH --to postgres://...</c>: copies local runs to the shared PostgreSQL store.
/// Idempotent: a run is identified by its UUID (kept), so a second sync copies only new runs; each run is copied in one
/// transaction; runs still being measured are left for a later sync.
/// <c>trainwatt sync --spool FILE [--to URL]</c>: replays the writes a store outage left in a measure spool file into
/// the same run of the store it names (see <see cref="SpoolReplay"/>).
/// </summary>
internal static class SyncCommand
{
    public static Command Create(CliContext context)
    {
        var from = new Option<string?>("--from") { Description = "Local SQLite store to copy from.", HelpName = "PATH" };
        var spool = new Option<string?>("--spool")
        {
            Description = "Instead of --from: a spool file written by `measure` when its store was down; its writes are added to the same run of the store it names (or --to).",
            HelpName = "FILE",
        };
        var to = new Option<string?>("--to") { Description = "PostgreSQL store to copy to (postgres://USER@HOST:PORT/DB); default: TRAINWATT_DB when it is one (with --spool: the store the spool names).", HelpName = "URL" };
        var command = new Command("sync", "Copy the runs of a local SQLite store to a shared PostgreSQL store (only the runs it lacks), or replay a measure spool file.");
        command.Options.Add(from);
        command.Options.Add(spool);
        command.Options.Add(to);
        command.SetAction(parse =>
        {
            string? fromPath = parse.GetValue(from), spoolPath = parse.GetValue(spool);
            if ((fromPath is null) == (spoolPath is null))
            {
                StoreLocation.DiagnosticRaw(context, "error: give either --from PATH (copy a local store's runs) or --spool FILE (complete a run from a measure spool file).");
                return (int)ExitCode.Usage;
            }

            return spoolPath is not null
                ? SpoolReplay.Execute(context, spoolPath, parse.GetValue(to))
                : Execute(context, fromPath!, parse.GetValue(to) ?? context.Env(StoreLocation.EnvironmentVariable));
        });
        return command;
    }

    private static int Execute(CliContext context, string from, string? to)
    {
        if (to is null || !PostgresConnectionString.IsPostgres(to))
        {
            StoreLocation.DiagnosticRaw(context, "error: --to must be a PostgreSQL store URL (postgres://USER@HOST:PORT/DATABASE; password from PGPASSWORD or ~/.pgpass).");
            return (int)ExitCode.Usage;
        }

        if (!File.Exists(from))
        {
            StoreLocation.DiagnosticRaw(context, $"error: --from {Path.GetFullPath(from)} does not exist. Give the local SQLite store (see `trainwatt runs list --db PATH`).");
            return (int)ExitCode.NoInput;
        }

        try
        {
            using var source = SqliteRunStore.Open(from, new SqliteStoreOptions { Time = context.Time });
            using var target = PostgresRunStore.Open(to, new PostgresStoreOptions { Time = context.Time });
            int copied = 0, present = 0, running = 0;
            long samples = 0;
            foreach (var run in source.ListRuns())
            {
                if (run.Status == RunStatus.Running)
                {
                    running++;
                    continue;
                }

                if (target.FindByUuid(run.Uuid) is not null)
                {
                    present++;
                    continue;
                }

                var details = source.GetRun(run.Id);
                if (details is null)
                {
                    continue; // deleted meanwhile
                }

                var devices = details.Devices.Select(d => (d, source.ReadSamples(run.Id, d.Id))).ToList();
                if (target.CopyRun(details.Run, devices, details.Epochs, details.Annotations, source.GetProjections(run.Id)) is not null)
                {
                    copied++;
                    samples += devices.Sum(d => (long)d.Item2.Count);
                }
                else
                {
                    present++; // another sync copied it a moment ago
                }
            }

            string stillRunning = running > 0 ? string.Create(CultureInfo.InvariantCulture, $", {running} still running (sync again when they end)") : "";
            context.WriteData(string.Create(CultureInfo.InvariantCulture,
                $"synced {copied} runs ({samples} samples) from {source.Location} to {target.Location}; {present} already there{stillRunning}\n"));
            return (int)ExitCode.Success;
        }
        catch (StoreException e)
        {
            StoreLocation.DiagnosticRaw(context, "error: " + e.Message);
            return (int)ExitCode.CannotCreate;
        }
    }
}
