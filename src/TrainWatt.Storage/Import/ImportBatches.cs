using System.Text.Json;

namespace TrainWatt.Storage.Import;

/// <summary>A run an import is writing: created at its first sample, completed (or deleted) at the end of its input.</summary>
internal sealed class ImportRun(long id)
{
    public long Id { get; } = id;

    /// <summary>Samples added, written or not.</summary>
    public long Samples { get; set; }

    internal List<SampleRecord> Pending { get; } = [];
}

/// <summary>
/// The samples of the runs an import is writing, stored in batches of at most <see cref="BatchSize"/> samples over all
/// runs: each batch is one short write transaction per run (milliseconds), so a long import never holds the store's
/// write lock for long and others (<c>measure</c>, <c>runs list</c>) get their turn between batches. Memory holds at
/// most one batch, however many runs or samples there are.
/// </summary>
/// <remarks>
/// Batches alone do not make room for others: a writer that begins its next transaction right after a commit can hold
/// the lock nearly all the time, while a waiting SQLite connection only retries every 100 ms or so (its busy handler
/// sleeps between tries). So after every <see cref="MaxWriting"/> spent writing, the import pauses for
/// <see cref="Pause"/>, longer than one retry interval: whoever waits gets the lock within about a second, at a cost of
/// about a tenth of the import's write time.
/// </remarks>
internal sealed class ImportBatches(IRunStore store)
{
    /// <summary>Samples buffered before they are written (a few milliseconds of SQLite inserts).</summary>
    public const int BatchSize = 4096;

    /// <summary>Time spent in write transactions after which the import leaves the store to others for <see cref="Pause"/>.</summary>
    public static readonly TimeSpan MaxWriting = TimeSpan.FromSeconds(1);

    /// <summary>How long the import leaves the store alone: longer than SQLite's longest busy retry interval (100 ms).</summary>
    public static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(120);

    private long _writingTicks;

    private readonly List<ImportRun> _waiting = [];
    private int _pending;
    private Dictionary<string, List<long>>? _abandoned;

    /// <summary>
    /// The metadata key under which a run being imported holds the source key it takes once complete: a run left
    /// behind by an interrupted import (abandoned, no source key) is found by it when the same input is imported again.
    /// The importers' completions replace the metadata, so a completed run does not carry it.
    /// </summary>
    public const string PendingKeyMetadata = "import_pending";

    /// <summary>Runs deleted by <see cref="RemoveAbandoned"/>.</summary>
    public int RemovedAbandoned { get; private set; }

    /// <summary>
    /// Creates a run (status running, until <see cref="Complete"/>) with its devices, marked as the pending import of
    /// <paramref name="sourceKey"/>; returns it and the devices' ids.
    /// </summary>
    public (ImportRun Run, IReadOnlyList<long> DeviceIds) Start(NewRun run, IReadOnlyList<DeviceRegistration> devices, string sourceKey)
    {
        ArgumentNullException.ThrowIfNull(run);
        var (id, deviceIds) = store.StartRun(run with { Metadata = WithPendingKey(run.Metadata, sourceKey) }, devices);
        return (new ImportRun(id), deviceIds);
    }

    /// <summary>
    /// Deletes the runs an interrupted import of <paramref name="sourceKey"/> left behind: stored as running, their
    /// process gone (they read as incomplete), without a source key, marked as its pending import. Importing the input
    /// again then leaves one run for it, not the new one beside a partial copy. The store's runs are listed once per import.
    /// </summary>
    public void RemoveAbandoned(string sourceKey)
    {
        _abandoned ??= FindAbandoned();
        if (_abandoned.Remove(sourceKey, out var ids))
        {
            foreach (long id in ids)
            {
                if (store.DeleteRun(id))
                {
                    RemovedAbandoned++;
                }
            }
        }
    }

    private Dictionary<string, List<long>> FindAbandoned()
    {
        var found = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        foreach (var run in store.ListRuns())
        {
            if (run.IsAbandoned && run.SourceKey is null && PendingKey(run.Metadata) is { } key)
            {
                if (!found.TryGetValue(key, out var ids))
                {
                    found.Add(key, ids = []);
                }

                ids.Add(run.Id);
            }
        }

        return found;
    }

    /// <summary>The pending import key of a run's metadata; null when it has none (or the metadata is not a JSON object).</summary>
    internal static string? PendingKey(string? metadata)
    {
        if (string.IsNullOrEmpty(metadata) || !metadata.Contains(PendingKeyMetadata, StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(metadata);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty(PendingKeyMetadata, out var key)
                && key.ValueKind == JsonValueKind.String ? key.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The metadata object with the pending key added (a new object when there is none).</summary>
    internal static string WithPendingKey(string? metadata, string sourceKey)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (!string.IsNullOrEmpty(metadata))
            {
                using var document = JsonDocument.Parse(metadata);
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (property.Name != PendingKeyMetadata)
                    {
                        property.WriteTo(json);
                    }
                }
            }

            json.WriteString(PendingKeyMetadata, sourceKey);
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Registers one more device of <paramref name="run"/>.</summary>
    public long Register(ImportRun run, DeviceRegistration device) => store.RegisterDevice(run.Id, device);

    public void Add(ImportRun run, in SampleRecord sample)
    {
        if (run.Pending.Count == 0)
        {
            _waiting.Add(run);
        }

        run.Pending.Add(sample);
        run.Samples++;
        if (++_pending >= BatchSize)
        {
            Flush();
        }
    }

    /// <summary>Writes every buffered sample.</summary>
    public void Flush()
    {
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        foreach (var run in _waiting)
        {
            store.AppendSamples(run.Id, run.Pending);
            run.Pending.Clear();
            run.Pending.Capacity = Math.Min(run.Pending.Capacity, BatchSize);
        }

        _waiting.Clear();
        _pending = 0;
        _writingTicks += System.Diagnostics.Stopwatch.GetElapsedTime(started).Ticks;
        if (_writingTicks >= MaxWriting.Ticks)
        {
            _writingTicks = 0;
            Thread.Sleep(Pause);
        }
    }

    /// <summary>Writes the run's last samples and completes it (<see cref="IRunStore.CompleteRun"/>).</summary>
    public void Complete(ImportRun run, RunCompletion completion)
    {
        Flush();
        store.CompleteRun(run.Id, completion);
    }

    /// <summary>Deletes a run that will not be completed (its input turned out unusable), with what it had written.</summary>
    public void Abandon(ImportRun run)
    {
        if (run.Pending.Count > 0)
        {
            _pending -= run.Pending.Count;
            run.Pending.Clear();
            _waiting.Remove(run);
        }

        store.DeleteRun(run.Id);
    }

    /// <summary>
    /// After a failure (the store went away, a full disk): deletes the runs that were being written, as far as the store
    /// still allows, so none is left half-written. Whatever the store refuses stays a run that reads as incomplete.
    /// </summary>
    public void AbandonAll(IEnumerable<ImportRun> runs)
    {
        foreach (var run in runs)
        {
            try
            {
                run.Pending.Clear();
                store.DeleteRun(run.Id);
            }
            catch (Exception e) when (e is StoreException or InvalidOperationException or IOException or System.Data.Common.DbException)
            {
                // The first failure is the one to report; this run reads as incomplete once this process is gone.
            }
        }

        _waiting.Clear();
        _pending = 0;
    }
}
