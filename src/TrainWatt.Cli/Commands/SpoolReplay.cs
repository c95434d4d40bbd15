using System.Globalization;
using TrainWatt.Measurement.Spool;
using TrainWatt.Storage;
using TrainWatt.Storage.Postgres;

namespace TrainWatt.Cli.Commands;

/// <summary>
/// <c>trainwatt sync --spool FILE [--to URL]</c>: adds the writes of a measure spool file (samples, epochs, projections,
/// annotations, the run's end) to the same run in the store it names, in order. Each write is marked replayed in the
/// file as soon as the store has it, so a second run changes nothing; the first write still pending is checked against
/// the store first (its commit may have gone through just before the connection dropped), so none is stored twice.
/// </summary>
internal static class SpoolReplay
{
    public static int Execute(CliContext context, string path, string? to)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            StoreLocation.DiagnosticRaw(context, $"error: the spool file {full} does not exist. Give the file `trainwatt measure` printed (in the spool folder beside the store, e.g. ~/.local/share/trainwatt/spool/).");
            return (int)ExitCode.NoInput;
        }

        SpoolFile spool;
        try
        {
            spool = SpoolFile.Open(full);
        }
        catch (InvalidDataException e)
        {
            StoreLocation.DiagnosticRaw(context, $"error: {full} is not a TrainWatt spool file ({e.Message}). Give the file `trainwatt measure` printed.");
            return (int)ExitCode.DataError;
        }

        using (spool)
        {
            var header = spool.Header;
            string target = Target(context, header, to);
            string masked = PostgresConnectionString.IsPostgres(target) ? PostgresConnectionString.Mask(target) : target;
            var (pending, pendingSamples, replayed) = spool.Counts();
            if (pending == 0)
            {
                context.WriteData(string.Create(CultureInfo.InvariantCulture,
                    $"nothing to replay: the {replayed} writes of {full} are already in run {header.RunId} of {masked} (the file can be deleted)\n"));
                return (int)ExitCode.Success;
            }

            string retry = $"The spool is kept: run `trainwatt sync --spool {full}` again once the store answers.";
            try
            {
                using var store = RunStoreFactory.Open(target, context.Time);
                if (store.GetRun(header.RunId)?.Run is not { } run || run.Uuid != header.RunUuid)
                {
                    StoreLocation.DiagnosticRaw(context, string.Create(CultureInfo.InvariantCulture,
                        $"error: run {header.RunId} ({header.RunUuid}) of {full} is not in {store.Location}: the run was deleted, or this is another store. Give the store the run was measured into with --to URL."));
                    return (int)ExitCode.NoInput;
                }

                long writes = 0;
                bool first = true;
                while (spool.Peek() is { } next)
                {
                    // Only the first pending write can already be stored (its commit acknowledgement lost); the rest were never sent.
                    if (!(first && next.Write.IsStored(store, header.RunId)))
                    {
                        next.Write.Apply(store, header.RunId);
                    }

                    spool.MarkReplayed(next.Seq);
                    first = false;
                    writes++;
                }

                context.WriteData(string.Create(CultureInfo.InvariantCulture,
                    $"replayed {writes} writes ({pendingSamples} samples) of {full} into run {header.RunId} of {store.Location}; the run is complete (a second sync changes nothing; the file can be deleted)\n"));
                return (int)ExitCode.Success;
            }
            catch (Exception e) when (StoreWriteQueue.IsOutage(e))
            {
                string message = e is StoreException ? e.Message : PostgresConnectionString.Scrub(e.Message, target);
                StoreLocation.DiagnosticRaw(context, $"error: cannot complete run {header.RunId} from {full}: {message} {retry}");
                return (int)ExitCode.CannotCreate;
            }
            catch (InvalidOperationException e)
            {
                StoreLocation.DiagnosticRaw(context, $"error: the store {masked} refused a write of {full}: {e.Message} {retry}");
                return (int)ExitCode.CannotCreate;
            }
        }
    }

    /// <summary>--to; else TRAINWATT_DB when it is the spool's store (it may carry the password); else the spool's own (password-less) location.</summary>
    private static string Target(CliContext context, SpoolHeader header, string? to)
    {
        if (to is not null)
        {
            return to;
        }

        return context.Env(StoreLocation.EnvironmentVariable) is { } env && StoreLocation.WithoutPassword(env) == header.Target ? env : header.Target;
    }
}
