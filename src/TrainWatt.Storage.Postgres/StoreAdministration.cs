using System.Globalization;
using Npgsql;
using TrainWatt.Storage.Sqlite;

using TrainWatt.Storage;

namespace TrainWatt.Storage.Postgres;

/// <summary>A store's state: where it is, its schema version and, when counted, how many runs it holds.</summary>
public sealed record StoreStatus(string Location, int SchemaVersion, int? Runs = null);

/// <summary>What <see cref="StoreAdministration.Sync"/> copied.</summary>
/// <param name="Source">The local SQLite store.</param>
/// <param name="Target">The PostgreSQL store (password masked).</param>
/// <param name="Copied">Runs copied now.</param>
/// <param name="Samples">Samples among them.</param>
/// <param name="Present">Runs the target already had (same UUID).</param>
/// <param name="Running">Runs still being measured, left for a later sync.</param>
/// <param name="Skipped">
/// One line per run not copied because the target holds a run from the same source (<c>source_key</c>: the same trace
/// imported on two machines) under another UUID; each line names both runs. Null or empty when none.
/// </param>
public sealed record SyncReport(string Source, string Target, int Copied, long Samples, int Present, int Running, IReadOnlyList<string>? Skipped = null);

/// <summary>
/// <c>trainwatt db migrate|check</c> and <c>trainwatt sync --from</c> over both engines (this assembly sees the SQLite
/// store of TrainWatt.Storage and its own PostgreSQL one). Failures are <see cref="StoreException"/>s that name the
/// masked location and the fix.
/// </summary>
public static class StoreAdministration
{
    /// <summary>Creates the schema or upgrades it to this TrainWatt's version (safe from several machines at once).</summary>
    /// <exception cref="StoreException">The store cannot be opened or migrated.</exception>
    public static StoreStatus Migrate(string location, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (StoreUrl.IsPostgres(location))
        {
            using var pg = PostgresRunStore.Open(location, new PostgresStoreOptions { Time = time });
            return new StoreStatus(pg.Location, pg.ReadSchemaVersion());
        }

        using var sqlite = SqliteRunStore.Open(location, new SqliteStoreOptions { Time = time });
        return new StoreStatus(sqlite.Location, sqlite.ReadSchemaVersion());
    }

    /// <summary>
    /// Connects and checks the schema version (and, for SQLite, the file's integrity and that every run, device,
    /// sample, epoch, annotation and projection row decodes) without migrating.
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no SQLite store at <paramref name="location"/>.</exception>
    /// <exception cref="StoreException">The store needs <c>db migrate</c>, is newer than this TrainWatt, fails the integrity check or cannot be reached.</exception>
    public static StoreStatus Check(string location, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (StoreUrl.IsPostgres(location))
        {
            using var pg = PostgresRunStore.Open(location, new PostgresStoreOptions { Time = time }, migrate: false);
            return new StoreStatus(pg.Location, pg.ReadSchemaVersion(), pg.ListRuns().Count);
        }

        if (!File.Exists(location))
        {
            throw new FileNotFoundException(
                $"there is no store at {Path.GetFullPath(location)}. Create it with `trainwatt db migrate --db {location}` (or by measuring a run).", location);
        }

        using var sqlite = SqliteRunStore.Open(location, new SqliteStoreOptions { Time = time });
        string integrity = sqlite.CheckIntegrity();
        if (integrity != "ok")
        {
            // One line: the first problems SQLite lists (there can be thousands), how many, and the fix.
            var problems = integrity.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            string shown = string.Join("; ", problems.Take(3)) + (problems.Length > 3 ? string.Create(CultureInfo.InvariantCulture, $"; and {problems.Length - 3} more") : "");
            throw new StoreException(sqlite.Location,
                $"The store {sqlite.Location} is damaged: it fails SQLite's integrity check ({shown}). {SqliteRunStore.DamagedFix(sqlite.Location)}");
        }

        // Then every row TrainWatt reads, decoded as `runs show` and `export` decode it: a value SQLite's check allows but
        // the schema's rules do not (a time of 1e300 s, a renamed column) is a StoreException naming the table and the fix.
        var runs = sqlite.ListRuns();
        foreach (var run in runs)
        {
            _ = sqlite.GetRun(run.Id);
            _ = sqlite.GetProjections(run.Id);
        }

        return new StoreStatus(sqlite.Location, sqlite.ReadSchemaVersion(), runs.Count);
    }

    /// <summary>
    /// Copies the runs of the local SQLite store <paramref name="from"/> that the PostgreSQL store <paramref name="to"/>
    /// lacks. Idempotent: a run is identified by its UUID (kept), so a second sync copies only new runs; each run is
    /// copied in one transaction; runs still being measured are left for a later sync. A run whose source
    /// (<c>source_key</c>, unique in a store) the target already holds under another UUID, the same trace imported on two
    /// machines, is skipped with a line naming both runs (<see cref="SyncReport.Skipped"/>): the data is already there,
    /// and every later sync skips it the same way instead of stopping at it.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="to"/> is not a PostgreSQL URL.</exception>
    /// <exception cref="FileNotFoundException"><paramref name="from"/> does not exist.</exception>
    /// <exception cref="StoreException">Either store cannot be opened or written.</exception>
    public static SyncReport Sync(string from, string to, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        if (!StoreUrl.IsPostgres(to))
        {
            throw new ArgumentException("--to must be a PostgreSQL store URL (postgres://USER@HOST:PORT/DATABASE; password from PGPASSWORD or ~/.pgpass).");
        }

        if (!File.Exists(from))
        {
            throw new FileNotFoundException($"--from {Path.GetFullPath(from)} does not exist. Give the local SQLite store (see `trainwatt runs list --db PATH`).", from);
        }

        using var source = SqliteRunStore.Open(from, new SqliteStoreOptions { Time = time });
        using var target = PostgresRunStore.Open(to, new PostgresStoreOptions { Time = time });
        int copied = 0, present = 0, running = 0;
        long samples = 0;
        var skipped = new List<string>();
        bool SameSourceElsewhere(RunRecord run)
        {
            if (run.SourceKey is not { } key || target.FindBySourceKey(key) is not long there)
            {
                return false;
            }

            skipped.Add(string.Create(CultureInfo.InvariantCulture,
                $"skipped run {run.Id} ({run.Uuid}) of {source.Location}: its source {key} is already in {target.Location} as run {there} ({target.RunUuid(there)}), the same data imported elsewhere; delete one of them to keep the other."));
            return true;
        }

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

            if (SameSourceElsewhere(run))
            {
                continue;
            }

            var details = source.GetRun(run.Id);
            if (details is null)
            {
                continue; // deleted meanwhile
            }

            long? copy;
            long copiedSamples;
            try
            {
                // The chunks travel as they are, one device's at a time (constant memory whatever the run's length).
                copy = target.CopyRunChunks(details.Run, details.Devices, d => source.EnumerateChunks(run.Id, d.Id),
                    details.Epochs, details.Annotations, source.GetProjections(run.Id), out copiedSamples);
            }
            catch (InvalidOperationException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } && SameSourceElsewhere(run))
            {
                continue; // another machine synced the same source a moment ago
            }

            if (copy is not null)
            {
                copied++;
                samples += copiedSamples;
            }
            else
            {
                present++; // another sync copied it a moment ago
            }
        }

        return new SyncReport(source.Location, target.Location, copied, samples, present, running, skipped);
    }
}
