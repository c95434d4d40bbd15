using System.Text;
using System.Text.Json;
using TrainWatt.Core;
using TrainWatt.Core.Accounting;
using TrainWatt.Core.Traces;

namespace TrainWatt.Storage.Import;

/// <summary>
/// Imports nvidia-smi CSV traces: one run per file and device (a multi-GPU trace gives one run per GPU), with every
/// sample and every fault the reader found stored as an annotation of the run.
/// </summary>
/// <remarks>
/// <para>Streaming: each file is parsed on its own thread (several files at once, ahead of the writer) and its samples
/// reach the store in batches (<see cref="ImportBatches"/>), so memory stays constant whatever the trace's length and
/// the store's write lock is held for milliseconds at a time. Per device only an <see cref="EnergyIntegrator"/> and a
/// few counters are kept.</para>
/// <para>A device's run reads as running while its file is read, and becomes completed only when the whole file was
/// read and found usable (<see cref="IRunStore.CompleteRun"/>, one transaction that also stores the faults and takes the
/// source key). A file found unusable at its end (a truncated gzip), or a device without energy, has its runs deleted;
/// an interrupted import leaves a run that reads as incomplete, holds no source key and is marked as the input's pending
/// import, so importing the file again deletes it and imports the file anew (<see cref="ImportBatches.RemoveAbandoned"/>).</para>
/// <para>The source key is <c>nvidia-smi:FULLPATH#DEVICE</c>: importing the same file again skips it (or replaces it
/// with <see cref="ExistingRunPolicy.Replace"/>; the earlier run is deleted in the transaction that completes the new one).</para>
/// </remarks>
public sealed class NvidiaSmiImporter(IRunStore store)
{
    public const string Source = "import:nvidia-smi";

    public ImportReport Import(IReadOnlyList<string> files, ExistingRunPolicy existing = ExistingRunPolicy.Skip, TraceReadOptions? options = null, Action<ImportProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        var report = new Reports();
        var batches = new ImportBatches(store);
        int index = 0;
        ParseAhead.Run(files, file => Parse(file, options), (file, parse) => Write(file, index++, files.Count, parse, existing, batches, report, progress));
        return new ImportReport(report.Imported, report.Skipped, report.Replaced, report.Failed) { RemovedIncomplete = batches.RemovedAbandoned };
    }

    private static ChunkedParse<DeviceSample, TraceScanResult> Parse(string file, TraceReadOptions? options)
        => new(emitter => NvidiaSmiCsv.ScanFile(file, new Sink(emitter), options));

    private void Write(
        string file, int index, int count, ChunkedParse<DeviceSample, TraceScanResult> parse, ExistingRunPolicy existing, ImportBatches batches, Reports report, Action<ImportProgress>? progress)
    {
        string fullPath = Path.GetFullPath(file);
        long? size = ImportProgress.SizeOf(file);
        var devices = new Dictionary<string, DeviceImport>(StringComparer.Ordinal);
        DeviceImport? last = null;
        long samples = 0;
        try
        {
            foreach (var chunk in parse.Chunks())
            {
                foreach (ref readonly var item in chunk.Span)
                {
                    var device = last is not null && ReferenceEquals(last.Device, item.Device) ? last : Device(devices, item, fullPath, existing, batches);
                    last = device;
                    device.Add(item, batches);
                }

                samples += chunk.Length;
                progress?.Invoke(new ImportProgress(file, index, count, parse.BytesRead, size, samples));
            }

            var scan = parse.Result;
            if (scan.IsFatal || devices.Count == 0)
            {
                // Unusable as a whole (known only now for a truncated gzip): none of its runs is kept.
                foreach (var device in devices.Values)
                {
                    device.Abandon(batches);
                }

                report.Failed.Add(scan.Faults.FirstOrDefault(f => f.Kind == FaultKind.Fatal)
                    ?? new TraceFault(FaultKind.Fatal, file, 0, "has no samples with a time stamp."));
                return;
            }

            var annotations = scan.Faults.Select(ImportConversions.ToAnnotation).ToList();
            foreach (var device in devices.Values.OrderBy(d => d.Device, NvidiaSmiCsv.DeviceKeyOrder))
            {
                Finish(device, file, fullPath, annotations, batches, report);
            }
        }
        catch
        {
            batches.AbandonAll(devices.Values.Select(d => d.Run).OfType<ImportRun>());
            throw;
        }
    }

    /// <summary>The state of a device first met on this line: its source key, whether it is skipped, its run (created now).</summary>
    private DeviceImport Device(Dictionary<string, DeviceImport> devices, in DeviceSample item, string fullPath, ExistingRunPolicy existing, ImportBatches batches)
    {
        if (devices.TryGetValue(item.Device, out var known))
        {
            return known;
        }

        string key = $"nvidia-smi:{fullPath}#{item.Device}";
        batches.RemoveAbandoned(key);
        long? old = store.FindBySourceKey(key);
        var device = new DeviceImport(fullPath, item.Device, item.GpuName, key, old, Skip: old is not null && existing == ExistingRunPolicy.Skip);
        if (!device.Skip)
        {
            // No source key until it completes: an interrupted import must not look like the file is in the store.
            var run = new NewRun(Source, ImportConversions.AsWritten(item.Sample.Timestamp), Metadata: Metadata(fullPath, item.Device, item.GpuName), Status: RunStatus.Running);
            var (started, ids) = batches.Start(run, [Registration(item.Device, item.GpuName)], key);
            device.Run = started;
            device.DeviceId = ids[0];
        }

        devices.Add(item.Device, device);
        return device;
    }

    private void Finish(DeviceImport device, string file, string fullPath, List<AnnotationRecord> annotations, ImportBatches batches, Reports report)
    {
        if (NoEnergy(device.Integrator.Complete(), device.Device) is { } why)
        {
            // Stored, it would be a completed run whose energy reads 0 J (the sum of no device energies).
            device.Abandon(batches);
            report.Failed.Add(new TraceFault(FaultKind.Fatal, file, 0, why));
            return;
        }

        if (device.Skip || device.Run is not { } run)
        {
            report.Skipped.Add(device.Key);
            return;
        }

        bool renamed = device.Name != device.RegisteredName;
        var completion = new RunCompletion(RunStatus.Completed, device.First, device.Last)
        {
            SourceKey = device.Key,
            Replaces = device.Old,
            Annotations = annotations,
            Metadata = Metadata(fullPath, device.Device, device.Name), // the final metadata, without the pending import key
            DeviceNames = renamed && device.Name is { } name ? new Dictionary<long, string> { [device.DeviceId] = name } : new Dictionary<long, string>(),
        };
        try
        {
            batches.Complete(run, completion);
        }
        catch (InvalidOperationException) when (store.FindBySourceKey(device.Key) is { } other && other != device.Old)
        {
            // Another import of the same file completed first: its run is the one kept.
            device.Abandon(batches);
            report.Skipped.Add(device.Key);
            return;
        }

        if (device.Old is not null)
        {
            report.Replaced.Add(device.Key);
        }

        report.Imported.Add(new ImportedRun(run.Id, device.Key, RunStatus.Completed, run.Samples, annotations.Select(a => a.Kind).Distinct().ToList()));
    }

    private static DeviceRegistration Registration(string device, string? gpuName)
        => new($"gpu:{device}", "gpu", gpuName, Provenance.Sampled, Note: "nvidia-smi power.draw samples");

    /// <summary>
    /// Why the device's samples give no energy (no power readings, one sample, no time between samples), by the same
    /// integration <c>runs show</c> applies to a stored run, or null when they give one.
    /// </summary>
    private static string? NoEnergy(DeviceEnergy energy, string device)
    {
        if (energy.Result is not null)
        {
            return null;
        }

        string why = energy.Faults.FirstOrDefault(f => f.Kind == FaultKind.Fatal)?.Message ?? $"device {device} gives no energy";
        const string Tail = "; no energy reported.";
        if (why.EndsWith(Tail, StringComparison.Ordinal))
        {
            why = why[..^Tail.Length];
        }

        return $"{why}; not imported: a run without energy would read as 0 J.";
    }

    private static string Metadata(string fullPath, string device, string? gpuName)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("file", fullPath);
            json.WriteString("device", device);
            if (gpuName is not null)
            {
                json.WriteString("gpu_name", gpuName);
            }

            json.WriteString("clock", "as written by nvidia-smi (local wall clock, zone unknown), stored with offset zero");
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>One parsed line: its device key (interned), GPU name and sample.</summary>
    private readonly record struct DeviceSample(string Device, string? GpuName, GpuSample Sample);

    /// <summary>The parse thread's sink: every sample into the chunk queue, the reader's progress into the counter.</summary>
    private sealed class Sink(ChunkedParse<DeviceSample, TraceScanResult>.Emitter emitter) : ITraceSampleSink, ITraceReadProgress
    {
        public void OnSample(string device, string? gpuName, in GpuSample sample) => emitter.Add(new DeviceSample(device, gpuName, sample));

        public void OnBytesRead(long total) => emitter.OnBytesRead(total);
    }

    /// <summary>Per device of a file: bounded state whatever the number of its samples.</summary>
    private sealed record DeviceImport(string File, string Device, string? RegisteredName, string Key, long? Old, bool Skip)
    {
        public EnergyIntegrator Integrator { get; } = new(File, Device, RegisteredName);

        /// <summary>The first GPU name seen (as the in-memory reader kept it: a later line fills a missing one).</summary>
        public string? Name { get; private set; } = RegisteredName;

        public ImportRun? Run { get; set; }

        public long DeviceId { get; set; }

        public DateTimeOffset First { get; private set; }

        public DateTimeOffset Last { get; private set; }

        private bool _any;

        public void Add(in DeviceSample item, ImportBatches batches)
        {
            Name ??= item.GpuName;
            Integrator.Add(item.Sample);
            var record = ImportConversions.ToSample(item.Sample, DeviceId);
            if (!_any)
            {
                First = record.Timestamp;
                _any = true;
            }

            Last = record.Timestamp;
            if (Run is { } run)
            {
                batches.Add(run, record);
            }
        }

        public void Abandon(ImportBatches batches)
        {
            if (Run is { } run)
            {
                batches.Abandon(run);
                Run = null;
            }
        }
    }

    private sealed class Reports
    {
        public List<ImportedRun> Imported { get; } = [];

        public List<string> Skipped { get; } = [];

        public List<string> Replaced { get; } = [];

        public List<TraceFault> Failed { get; } = [];
    }
}
