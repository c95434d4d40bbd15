using System.Globalization;
using TrainWatt.Storage;

namespace TrainWatt.Measurement.Spool;

/// <summary>What a spool replay did.</summary>
/// <param name="File">The spool file (full path).</param>
/// <param name="RunId">The run the writes belong to.</param>
/// <param name="Store">The store written to (password masked).</param>
/// <param name="Writes">Writes replayed now; 0 when all were already in the store.</param>
/// <param name="Samples">Samples among them.</param>
/// <param name="AlreadyReplayed">Writes an earlier replay had stored.</param>
public sealed record SpoolReplayResult(string File, long RunId, string Store, long Writes, long Samples, long AlreadyReplayed);

/// <summary>
/// <c>trainwatt sync --spool FILE [--to URL]</c>: adds the writes of a measure spool file (samples, epochs, projections,
/// annotations, the run's end) to the same run in the store it names, in order. Each write is marked replayed in the
/// file as soon as the store has it, so a second run changes nothing; the first write still pending is checked against
/// the store first (its commit may have gone through just before the connection dropped), so none is stored twice.
/// </summary>
public static class SpoolReplay
{
    /// <summary>Replays <paramref name="path"/> into <paramref name="to"/>, else the store the spool names (TRAINWATT_DB when it is that store: it may carry the password).</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a TrainWatt spool file.</exception>
    /// <exception cref="RunNotFoundException">The spool's run is not in the store (deleted, or another store).</exception>
    /// <exception cref="StoreException">The store is down or refused a write; the spool is kept for another try.</exception>
    public static SpoolReplayResult Replay(string path, string? to, HostContext host)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(host);
        string full = Path.GetFullPath(path);
        if (!System.IO.File.Exists(full))
        {
            throw new FileNotFoundException(
                $"the spool file {full} does not exist. Give the file `trainwatt measure` printed (in the spool folder beside the store, e.g. ~/.local/share/trainwatt/spool/).", full);
        }

        SpoolFile spool;
        try
        {
            spool = SpoolFile.Open(full);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{full} is not a TrainWatt spool file ({e.Message}). Give the file `trainwatt measure` printed.", e);
        }

        using (spool)
        {
            var header = spool.Header;
            string target = to ?? (host.Env(StoreLocations.EnvironmentVariable) is { } env && StoreLocations.WithoutPassword(env) == header.Target ? env : header.Target);
            string masked = StoreUrl.IsPostgres(target) ? StoreUrl.Mask(target) : target;
            var (pending, pendingSamples, replayed) = spool.Counts();
            if (pending == 0)
            {
                return new SpoolReplayResult(full, header.RunId, masked, 0, 0, replayed);
            }

            string retry = $"The spool is kept: run `trainwatt sync --spool {full}` again once the store answers.";
            try
            {
                using var store = RunStoreFactory.Open(target, host.Time);
                if (store.GetRun(header.RunId)?.Run is not { } run || run.Uuid != header.RunUuid)
                {
                    throw new RunNotFoundException(store.Location, string.Create(CultureInfo.InvariantCulture,
                        $"run {header.RunId} ({header.RunUuid}) of {full} is not in {store.Location}: the run was deleted, or this is another store. Give the store the run was measured into with --to URL."));
                }

                long writes = 0;
                bool first = true;
                while (spool.Peek() is { } next)
                {
                    // Only the first pending write can already be stored (its commit acknowledgement lost); the rest were never sent.
                    try
                    {
                        if (!(first && next.Write.IsStored(store, header.RunId)))
                        {
                            next.Write.Apply(store, header.RunId);
                        }
                    }
                    catch (Exception e) when (StoreWriteQueue.IsConstraintViolation(e))
                    {
                        // Refused by the store's own rules, as in the live queue: no retry can store it; the rest goes on.
                    }

                    spool.MarkReplayed(next.Seq);
                    first = false;
                    writes++;
                }

                return new SpoolReplayResult(full, header.RunId, store.Location, writes, pendingSamples, replayed);
            }
            catch (Exception e) when (StoreWriteQueue.IsOutage(e))
            {
                string message = e is StoreException ? e.Message : StoreUrl.Scrub(e.Message, target);
                throw new StoreException(masked, $"cannot complete run {header.RunId} from {full}: {message} {retry}", e);
            }
            catch (InvalidOperationException e)
            {
                throw new StoreException(masked, $"the store {masked} refused a write of {full}: {e.Message} {retry}", e);
            }
        }
    }
}
