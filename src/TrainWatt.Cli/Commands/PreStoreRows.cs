using System.Globalization;
using System.Text.Json;
using TrainWatt.Core.Reference;
using TrainWatt.Core.Units;
using TrainWatt.Estimation;
using TrainWatt.Storage;

namespace TrainWatt.Cli.Commands;

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

        var fields = Fields(record);
        string? missing = Missing(fields);
        if (missing is not null)
        {
            return (null, 0, $"no PRE feature {missing} in metadata or tags");
        }

        var details = store.GetRun(record.Id);
        if (details is null)
        {
            return (null, 0, "not found");
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
            var run = new RunDescription(
                Number(fields, "gflops"), gpu, (int)Number(fields, "batch_size"), h, w,
                (int)Number(fields, "train_samples", "training_size"), (int)Number(fields, "val_samples", "validation_size"), Number(fields, "ram_gb")).Validated();
            double power = gpuPowers.Sum(e => e.MeanPower!.Value.Watts);
            double meanSeconds = epochs.Average(e => (e.End - e.Start).TotalSeconds);
            var known = epochs.Where(e => e.Energy is not null).ToList();
            double epochJ = known.Count == epochs.Count
                ? known.Average(e => e.Energy!.Value.Joules)
                : details.TotalEnergy.Joules / epochs.Count;
            string arch = Text(fields, "architecture", "model") ?? string.Create(CultureInfo.InvariantCulture, $"{run.Gflops:0.####} GFLOPs");
            return (new PreRow(run, arch, Power.FromWatts(power), Energy.FromJoules(epochJ), TimeSpan.FromSeconds(meanSeconds), $"run {record.Id}"), epochs.Count, null);
        }
        catch (Exception ex) when (ex is ReferenceLookupException or ArgumentException or PreCli.UsageException)
        {
            return (null, 0, ex.Message);
        }
    }

    private static Dictionary<string, string> Fields(RunRecord record)
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

    private static string? Missing(Dictionary<string, string> f)
    {
        if (!f.ContainsKey("gflops"))
        {
            return "gflops";
        }

        if (!f.ContainsKey("gpu") && !f.ContainsKey("gpu_name"))
        {
            return "gpu";
        }

        if (!f.ContainsKey("input") && !f.ContainsKey("image_size") && !(f.ContainsKey("image_height") && f.ContainsKey("image_width")))
        {
            return "input (HxW)";
        }

        foreach (var (a, b) in new[] { ("batch_size", "batch_size"), ("train_samples", "training_size"), ("val_samples", "validation_size"), ("ram_gb", "ram_gb") })
        {
            if (!f.ContainsKey(a) && !f.ContainsKey(b))
            {
                return a;
            }
        }

        return null;
    }

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
            return PreCli.ParseInput(text.Trim('(', ')').Replace(',', 'x').Replace(" ", "", StringComparison.Ordinal));
        }

        return ((int)Number(f, "image_height"), (int)Number(f, "image_width"));
    }
}
