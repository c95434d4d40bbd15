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
/// Files are parsed in parallel; one writer stores each run in one transaction, so an interrupted import leaves only
/// whole runs. The source key is <c>nvidia-smi:FULLPATH#DEVICE</c>: importing the same file again skips it (or replaces
/// it with <see cref="ExistingRunPolicy.Replace"/>).
/// </remarks>
public sealed class NvidiaSmiImporter(IRunStore store)
{
    public const string Source = "import:nvidia-smi";

    public ImportReport Import(IReadOnlyList<string> files, ExistingRunPolicy existing = ExistingRunPolicy.Skip, TraceReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        var imported = new List<ImportedRun>();
        var skipped = new List<string>();
        var replaced = new List<string>();
        var failed = new List<TraceFault>();

        ParseWritePipeline.Run(files, file => NvidiaSmiCsv.ReadFile(file, options), (file, result) =>
        {
            if (result.IsFatal || result.Devices.Count == 0)
            {
                failed.Add(result.Faults.FirstOrDefault(f => f.Kind == FaultKind.Fatal)
                    ?? new TraceFault(FaultKind.Fatal, file, 0, "has no samples with a time stamp."));
                return;
            }

            string fullPath = Path.GetFullPath(file);
            var annotations = result.Faults.Select(ImportConversions.ToAnnotation).ToList();
            foreach (var device in result.Devices)
            {
                if (NoEnergy(device) is { } why)
                {
                    // Stored, it would be a completed run whose energy reads 0 J (the sum of no device energies).
                    failed.Add(new TraceFault(FaultKind.Fatal, file, 0, why));
                    continue;
                }

                string key = $"nvidia-smi:{fullPath}#{device.Device}";
                if (store.FindBySourceKey(key) is { } old)
                {
                    if (existing == ExistingRunPolicy.Skip)
                    {
                        skipped.Add(key);
                        continue;
                    }

                    store.DeleteRun(old);
                    replaced.Add(key);
                }

                if (device.Samples.Count == 0)
                {
                    failed.Add(new TraceFault(FaultKind.Fatal, file, 0, $"device {device.Device} has no usable samples."));
                    continue;
                }

                var samples = ImportConversions.ToSamples(device.Samples);
                var run = new NewRun(
                    Source,
                    samples[0].Timestamp,
                    SourceKey: key,
                    Metadata: Metadata(fullPath, device),
                    Status: RunStatus.Completed);
                var registration = new DeviceRegistration($"gpu:{device.Device}", "gpu", device.GpuName, Provenance.Sampled, Note: "nvidia-smi power.draw samples");
                long id = store.WriteRun(run, samples[^1].Timestamp, [new DeviceData(registration, samples)], annotations);
                imported.Add(new ImportedRun(id, key, RunStatus.Completed, samples.Count, annotations.Select(a => a.Kind).Distinct().ToList()));
            }
        });

        return new ImportReport(imported, skipped, replaced, failed);
    }

    /// <summary>
    /// Why the device's samples give no energy (no power readings, one sample, no time between samples), by the same
    /// integration <c>runs show</c> applies to a stored run, or null when they give one.
    /// </summary>
    private static string? NoEnergy(DeviceTrace device)
    {
        var energy = EnergyAccounting.Integrate(device);
        if (energy.Result is not null)
        {
            return null;
        }

        string why = energy.Faults.FirstOrDefault(f => f.Kind == FaultKind.Fatal)?.Message ?? $"device {device.Device} gives no energy";
        const string Tail = "; no energy reported.";
        if (why.EndsWith(Tail, StringComparison.Ordinal))
        {
            why = why[..^Tail.Length];
        }

        return $"{why}; not imported: a run without energy would read as 0 J.";
    }

    private static string Metadata(string fullPath, DeviceTrace device)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("file", fullPath);
            json.WriteString("device", device.Device);
            if (device.GpuName is not null)
            {
                json.WriteString("gpu_name", device.GpuName);
            }

            json.WriteString("clock", "as written by nvidia-smi (local wall clock, zone unknown), stored with offset zero");
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
