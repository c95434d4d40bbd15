using System.Globalization;
using System.Text.Json;
using TrainWatt.Core.Reference;
using TrainWatt.Core.Units;
using TrainWatt.Estimation;
using TrainWatt.Storage;

namespace TrainWatt.Measurement;

/// <summary>
/// Turns measured runs in the store into PRE rows. A run is usable when its metadata (top level or a "pre" object) or
/// its tags give <c>gflops</c>, <c>gpu</c> (or <c>gpu_name</c>), <c>batch_size</c>, the input size
/// (<c>input</c> "HxW", or <c>image_height</c>/<c>image_width</c>, or <c>image_size</c>), <c>train_samples</c>,
/// <c>val_samples</c> and <c>ram_gb</c> (optional <c>architecture</c>), and it has GPU power samples and at least one
/// epoch. Targets: mean GPU power (sum over GPUs), mean epoch energy and mean epoch duration.
/// </summary>
internal static class PreStoreRows
{
    public static (IReadOnlyList<PreRow> Rows, IReadOnlyList<string> Skipped) Read(IRunStore store)
    {
        var rows = new List<PreRow>();
        var skipped = new List<string>();
        foreach (var record in store.ListRuns())
        {
            var (row, _, reason) = ReadOne(store, record);
            if (row is not null)
            {
                rows.Add(row);
            }
            else if (reason is not null)
            {
                skipped.Add($"run {record.Id}: {reason}");
            }
        }

        return (rows, skipped);
    }

    /// <summary>One stored run as a PRE row with its epoch count, or null and the reason it cannot be used.</summary>
    public static (PreRow? Row, int Epochs, string? Reason) ReadOne(IRunStore store, RunRecord record)
    {
        if (record.Status != RunStatus.Completed)
        {
            return (null, 0, $"status {record.Status.ToString().ToLowerInvariant()}");
        }

        if (RunSources.IsProbe(record))
        {
            return (null, 0, "a probe (estimate --probe stopped it on purpose), not a whole training run");
        }

        var fields = Fields(record);
        if (MissingKeys(fields).Where(k => k != "gpu").ToList() is { Count: > 0 } lacking)
        {
            // Checked before reading the run, so that stores full of runs without PRE metadata stay cheap to scan.
            return (null, 0, $"no PRE feature {string.Join(", ", lacking.Concat(fields.ContainsKey("gpu") || fields.ContainsKey("gpu_name") ? [] : ["gpu"]))} in metadata or tags");
        }

        var details = store.GetRun(record.Id);
        if (details is null)
        {
            return (null, 0, "not found");
        }

        if (!fields.ContainsKey("gpu") && !fields.ContainsKey("gpu_name")
            && details.Devices.FirstOrDefault(d => d.Component == "gpu" && !string.IsNullOrWhiteSpace(d.Name)) is { } device)
        {
            fields["gpu"] = device.Name!; // the GPU the run was measured on (NVML device name)
        }

        if (MissingKeys(fields) is { Count: > 0 } missing)
        {
            return (null, 0, $"no PRE feature {string.Join(", ", missing)} in metadata or tags (nor a named GPU device in the run)");
        }

        var gpuPowers = details.Energy.Where(e => e.Device.Component == "gpu" && e.MeanPower is not null).ToList();
        var epochs = details.Epochs.Where(e => e.End > e.Start).ToList();
        if (gpuPowers.Count == 0 || epochs.Count == 0)
        {
            return (null, 0, gpuPowers.Count == 0 ? "no GPU power samples" : "no epochs recorded");
        }

        try
        {
            var gpu = GpuSpecTable.Default.Find(Text(fields, "gpu", "gpu_name")!);
            var (h, w) = Input(fields);
            string? architecture = Text(fields, "architecture", "model");
            var run = new RunDescription(
                Gflops(fields, h, w), gpu, (int)Number(fields, "batch_size"), h, w,
                (int)Number(fields, "train_samples", "training_size"), (int)Number(fields, "val_samples", "validation_size"), Number(fields, "ram_gb"))
            {
                Layers = fields.ContainsKey("layers") ? (int)Number(fields, "layers") : PreModels.CatalogLayers(architecture),
                Architecture = architecture is null ? null : Architecture.Catalog.ModelCatalog.Find(architecture)?.Name ?? architecture,
            }.Validated();
            double power = gpuPowers.Sum(e => e.MeanPower!.Value.Watts);
            double meanSeconds = epochs.Average(e => (e.End - e.Start).TotalSeconds);
            var known = epochs.Where(e => e.Energy is not null).ToList();
            bool gpuOnly = details.Energy.All(e => e.Device.Component == "gpu" || e.Energy is null);
            double? epochJ = !gpuOnly ? GpuEpochEnergy(store, details, epochs)
                : known.Count == epochs.Count ? known.Average(e => e.Energy!.Value.Joules)
                : details.TotalEnergy?.Joules / epochs.Count;
            if (epochJ is null)
            {
                return (null, 0, details.NoEnergyReason); // was 0 J per epoch: a silent zero in the fitting data
            }

            string arch = architecture ?? string.Create(CultureInfo.InvariantCulture, $"{run.Gflops:0.####} GFLOPs");
            return (new PreRow(run, arch, Power.FromWatts(power), Energy.FromJoules(epochJ.Value), TimeSpan.FromSeconds(meanSeconds), $"run {record.Id}"), epochs.Count, null);
        }
        catch (Exception ex) when (ex is ReferenceLookupException or ArgumentException or PreModels.InputException)
        {
            return (null, 0, ex.Message);
        }
    }

    /// <summary>
    /// Mean GPU energy per epoch when the run also measured other devices (stored epoch energies sum all devices, PRE's
    /// targets are GPU only): each GPU's samples inside each epoch window, with a sample interpolated linearly at each
    /// edge (power and counter), integrated as the store does (<see cref="DeviceEnergyCalculator"/>: counter
    /// difference, else trapezoid).
    /// </summary>
    private static double GpuEpochEnergy(IRunStore store, RunDetails details, IReadOnlyList<EpochRecord> epochs)
    {
        double total = 0;
        foreach (var gpu in details.Devices.Where(d => d.Component == "gpu"))
        {
            var samples = store.ReadSamples(details.Run.Id, gpu.Id).OrderBy(x => x.Timestamp).ToList();
            foreach (var epoch in epochs)
            {
                total += DeviceEnergyCalculator.Compute(gpu, Window(samples, epoch.Start, epoch.End), details.Run.GapRule).Energy?.Joules
                    ?? throw new ArgumentException($"epoch {epoch.Number} has too few samples of {gpu.Key} for a GPU energy");
            }
        }

        return total / epochs.Count;
    }

    /// <summary>The samples within [start, end], with a linearly interpolated sample at each edge that falls between two samples.</summary>
    internal static List<SampleRecord> Window(IReadOnlyList<SampleRecord> sorted, DateTimeOffset start, DateTimeOffset end)
    {
        var window = new List<SampleRecord>();
        for (int i = 0; i < sorted.Count; i++)
        {
            var s = sorted[i];
            if (i > 0 && sorted[i - 1].Timestamp < start && s.Timestamp > start)
            {
                window.Add(Interpolate(sorted[i - 1], s, start));
            }

            if (s.Timestamp >= start && s.Timestamp <= end)
            {
                window.Add(s);
            }

            if (i > 0 && sorted[i - 1].Timestamp < end && s.Timestamp > end)
            {
                window.Add(Interpolate(sorted[i - 1], s, end));
                break;
            }
        }

        return window;
    }

    private static SampleRecord Interpolate(SampleRecord a, SampleRecord b, DateTimeOffset t)
    {
        double f = (t - a.Timestamp) / (b.Timestamp - a.Timestamp);
        Power? power = a.Power is { } pa && b.Power is { } pb ? Power.FromWatts(pa.Watts + (f * (pb.Watts - pa.Watts))) : null;
        Energy? counter = a.CumulativeEnergy is { } ea && b.CumulativeEnergy is { } eb ? Energy.FromJoules(ea.Joules + (f * (eb.Joules - ea.Joules))) : null;
        return a with { Timestamp = t, Power = power, CumulativeEnergy = counter, SourceLine = null };
    }

    private static Dictionary<string, string> FieldsOf(RunRecord record)
    {
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!string.IsNullOrWhiteSpace(record.Metadata))
        {
            try
            {
                using var doc = JsonDocument.Parse(record.Metadata);
                if (doc.RootElement.ValueKind == JsonValueKind.Object)
                {
                    Add(fields, doc.RootElement);
                    if (doc.RootElement.TryGetProperty("pre", out var pre) && pre.ValueKind == JsonValueKind.Object)
                    {
                        Add(fields, pre);
                    }
                }
            }
            catch (JsonException)
            {
                // Metadata that is not JSON carries no PRE features; the tags may.
            }
        }

        foreach (var (k, v) in record.Tags)
        {
            fields[k] = v;
        }

        return fields;
    }

    private static void Add(Dictionary<string, string> fields, JsonElement obj)
    {
        foreach (var p in obj.EnumerateObject())
        {
            if (p.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
            {
                fields[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
            }
        }
    }

    /// <summary>Keys that PRE recognises in a run's metadata or tags; a run with none of them is not described for PRE.</summary>
    public static readonly IReadOnlyList<string> PreKeys =
    [
        "gflops", "architecture", "gpu", "gpu_name", "batch_size", "input", "image_size", "image_height", "image_width",
        "train_samples", "training_size", "val_samples", "validation_size", "ram_gb",
    ];

    /// <summary>The PRE features a description lacks (empty when complete). GFLOPs may come from a catalog <c>architecture</c>.</summary>
    public static IReadOnlyList<string> MissingKeys(IReadOnlyDictionary<string, string> f)
    {
        var missing = new List<string>();
        if (!f.ContainsKey("gflops"))
        {
            if (!f.TryGetValue("architecture", out string? arch))
            {
                missing.Add("gflops (or architecture)");
            }
            else if (Architecture.Catalog.ModelCatalog.Find(arch) is null)
            {
                missing.Add($"gflops (architecture '{arch}' is not in the catalog)");
            }
        }

        if (!f.ContainsKey("gpu") && !f.ContainsKey("gpu_name"))
        {
            missing.Add("gpu");
        }

        if (!f.ContainsKey("input") && !f.ContainsKey("image_size") && !(f.ContainsKey("image_height") && f.ContainsKey("image_width")))
        {
            missing.Add("input (HxW)");
        }

        foreach (var (a, b) in new[] { ("batch_size", "batch_size"), ("train_samples", "training_size"), ("val_samples", "validation_size"), ("ram_gb", "ram_gb") })
        {
            if (!f.ContainsKey(a) && !f.ContainsKey(b))
            {
                missing.Add(a);
            }
        }

        return missing;
    }

    /// <summary>A run's metadata (top level and its "pre" object) and tags as one case-insensitive map; tags win.</summary>
    public static Dictionary<string, string> Fields(RunRecord record) => FieldsOf(record);

    /// <summary>The gflops value, else the catalog architecture counted at the run's input size (as `estimate --arch`).</summary>
    private static double Gflops(Dictionary<string, string> f, int height, int width)
        => f.ContainsKey("gflops") ? Number(f, "gflops") : PreModels.ResolveGflops(null, f["architecture"], null, height, width).Gflops;

    private static string? Text(Dictionary<string, string> f, params string[] keys) =>
        keys.Select(k => f.GetValueOrDefault(k)).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

    private static double Number(Dictionary<string, string> f, params string[] keys)
    {
        string? text = Text(f, keys);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
            ? v
            : throw new ArgumentException($"{keys[0]} '{text}' is not a number");
    }

    private static (int, int) Input(Dictionary<string, string> f)
    {
        if (Text(f, "input", "image_size") is { } text)
        {
            return PreModels.ParseInput(text.Trim('(', ')').Replace(',', 'x').Replace(" ", "", StringComparison.Ordinal));
        }

        return ((int)Number(f, "image_height"), (int)Number(f, "image_width"));
    }
}
