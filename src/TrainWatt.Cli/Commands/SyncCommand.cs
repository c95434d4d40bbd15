using System.CommandLine;
using System.Globalization;
using TrainWatt.Measurement.Spool;
using TrainWatt.Storage;
using TrainWatt.Storage.Postgres;

namespace TrainWatt.Cli.Commands;

/// <summary><c>trainwatt sync</c>'s options.</summary>
/// <param name="From">--from: the local SQLite store to copy, or null.</param>
/// <param name="Spool">--spool: a measure spool file to replay, or null.</param>
/// <param name="To">--to, or null.</param>
/// <param name="EnvironmentStore">TRAINWATT_DB, the target of --from when --to is left out.</param>
internal sealed record SyncSettings(string? From, string? Spool, string? To, string? EnvironmentStore) : ICommandSettings
{
    /// <summary>Where --from copies to: --to, else TRAINWATT_DB.</summary>
    public string? CopyTarget => To ?? EnvironmentStore;

    public IReadOnlyList<string> Validate()
    {
        if ((From is null) == (Spool is null))
        {
            return ["give either --from PATH (copy a local store's runs) or --spool FILE (complete a run from a measure spool file)" + (From is null ? "." : ", not both.")];
        }

        if (From is not null && !(CopyTarget is { } target && StoreUrl.IsPostgres(target)))
        {
            string got = CopyTarget is null ? "got none (no --to, and TRAINWATT_DB is not set)" : $"got {StoreUrl.Mask(CopyTarget)}{(To is null ? " (from TRAINWATT_DB)" : "")}";
            return [$"--to must be a PostgreSQL store URL (postgres://USER@HOST:PORT/DATABASE; password from PGPASSWORD or ~/.pgpass); {got}."];
        }

        return [];
    }
}

/// <summary>
/// <c>trainwatt sync --from SQLITE_PATH --to postgres://...</c>: copies local runs to the shared PostgreSQL store, only
/// the runs it lacks (<see cref="StoreAdministration.Sync"/>). <c>trainwatt sync --spool FILE [--to URL]</c>: replays
/// the writes a store outage left in a measure spool file into the same run of the store it names (<see cref="SpoolReplay"/>).
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
            var settings = new SyncSettings(parse.GetValue(from), parse.GetValue(spool), parse.GetValue(to), context.Env(StoreLocation.EnvironmentVariable)).ThrowIfInvalid();
            if (settings.Spool is { } file)
            {
                context.WriteData(Text(SpoolReplay.Replay(file, settings.To, context.Host)));
                return (int)ExitCode.Success;
            }

            var report = StoreAdministration.Sync(settings.From!, settings.CopyTarget!, context.Time);
            foreach (string skipped in report.Skipped ?? [])
            {
                context.Diagnostic("note: " + skipped);
            }

            context.WriteData(Text(report));
            return (int)ExitCode.Success;
        });
        return command;
    }

    private static string Text(SyncReport r)
    {
        string stillRunning = r.Running > 0 ? string.Create(CultureInfo.InvariantCulture, $", {r.Running} still running (sync again when they end)") : "";
        string skipped = r.Skipped is { Count: > 0 } s ? string.Create(CultureInfo.InvariantCulture, $", {s.Count} skipped (their source is there under another UUID)") : "";
        return string.Create(CultureInfo.InvariantCulture, $"synced {r.Copied} runs ({r.Samples} samples) from {r.Source} to {r.Target}; {r.Present} already there{skipped}{stillRunning}\n");
    }

    private static string Text(SpoolReplayResult r) => r.Writes == 0
        ? string.Create(CultureInfo.InvariantCulture, $"nothing to replay: the {r.AlreadyReplayed} writes of {r.File} are already in run {r.RunId} of {r.Store} (the file can be deleted)\n")
        : string.Create(CultureInfo.InvariantCulture, $"replayed {r.Writes} writes ({r.Samples} samples) of {r.File} into run {r.RunId} of {r.Store}; the run is complete (a second sync changes nothing; the file can be deleted)\n");
}
