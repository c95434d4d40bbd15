using System.Globalization;
using TrainWatt.Core.Reference;
using TrainWatt.Core.Text;
using TrainWatt.Core.Units;

namespace TrainWatt.Estimation;

/// <summary>One measured run as PRE learns from it.</summary>
/// <param name="Run">The run's features.</param>
/// <param name="Architecture">Model name (a group for leave-architecture-out).</param>
/// <param name="AveragePower">Average GPU power over the run.</param>
/// <param name="EpochEnergy">Average energy per epoch.</param>
/// <param name="EpochDuration">Average epoch duration.</param>
/// <param name="Source">Where the row came from ("file.csv:12", "run 7").</param>
public sealed record PreRow(RunDescription Run, string Architecture, Power AveragePower, Energy EpochEnergy, TimeSpan EpochDuration, string Source)
{
    /// <summary>The GPU's name (a group for leave-gpu-out).</summary>
    public string GpuName => Run.Gpu.Name;

    /// <summary>The value of a target in its unit (W, J, s).</summary>
    public double Value(PreTarget target) => target switch
    {
        PreTarget.Power => AveragePower.Watts,
        PreTarget.EpochEnergy => EpochEnergy.Joules,
        PreTarget.EpochDuration => EpochDuration.TotalSeconds,
        _ => throw new ArgumentOutOfRangeException(nameof(target)),
    };
}

/// <summary>Thrown for a malformed PRE dataset; the message names the file and line.</summary>
public sealed class PreDatasetException(string message) : Exception(message);

/// <summary>
/// Reads PRE training rows from CSV. The format is the journal set's (<c>training-set.csv</c>): columns
/// <c>batch_size, ram_gb, training_size, validation_size, gflops, image_height, image_width, gpu</c> and
/// optionally <c>gpu_cuda_cores, gpu_memory_gb, gpu_tdp_w</c> (which override the GPU table's values so the
/// paper's features are reproduced exactly), <c>architecture</c>, and targets <c>avg_gpu_power_w</c>,
/// <c>avg_epoch_energy_kj</c> (or <c>avg_epoch_energy_j</c>) and optionally <c>avg_epoch_duration_s</c> and
/// <c>layers</c> (the network's weight layers, for the step-time model; the Measurement layer fills it from the
/// catalog for architectures it knows).
/// </summary>
/// <remarks>
/// The journal set has no epoch duration. It is derived as epoch energy / average GPU power: the epoch energy
/// includes the modelled RAM energy (a few W against 28–335 W of GPU power), so the derived duration is a few per cent
/// long. This is stated wherever the duration target is reported.
/// </remarks>
public static class PreDataset
{
    /// <summary>The largest average GPU power (and TDP) a row may give, in W: ten times any GPU made.</summary>
    public const double MaxWatts = 100_000;

    /// <summary>The largest epoch energy a row may give, in J (a TWh-scale epoch is a unit mistake).</summary>
    public const double MaxEpochJoules = 1e12;

    /// <summary>The longest epoch a row may give, in s (about three years).</summary>
    public const double MaxEpochSeconds = 1e8;

    /// <summary>The largest RAM or GPU memory a row may give, in GB.</summary>
    public const double MaxGigabytes = 1_000_000;

    /// <summary>The most forward GFLOPs per sample a row may give.</summary>
    public const double MaxGflops = 1e9;

    private static string MaxText(double max) => max >= 1e7
        ? max.ToString("0e0", CultureInfo.InvariantCulture)
        : max.ToString("#,0", CultureInfo.InvariantCulture);

    private static readonly string[] _required =
        ["batch_size", "ram_gb", "training_size", "validation_size", "gflops", "image_height", "image_width", "gpu", "avg_gpu_power_w"];

    /// <summary>Loads a CSV file; GPU names are resolved in <paramref name="gpus"/> (default: the embedded table).</summary>
    public static IReadOnlyList<PreRow> Load(string path, GpuSpecTable? gpus = null)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Dataset file not found: {path}", path);
        }

        using var reader = new StreamReader(path);
        return Parse(reader, path, gpus);
    }

    /// <summary>Parses CSV text (see the class remarks for columns); the text is read by <see cref="CsvReader"/>.</summary>
    public static IReadOnlyList<PreRow> Parse(TextReader reader, string fileName, GpuSpecTable? gpus = null)
    {
        gpus ??= GpuSpecTable.Default;
        try
        {
            using var csv = CsvReader.Create(reader, fileName, new CsvReaderOptions { RequiredColumns = _required }, leaveOpen: true);
            return Parse(csv, fileName, gpus);
        }
        catch (CsvFormatException e)
        {
            throw new PreDatasetException(e.Message);
        }
    }

    private static List<PreRow> Parse(CsvReader csv, string fileName, GpuSpecTable gpus)
    {
        var header = csv.Header;
        bool kj = header.Contains("avg_epoch_energy_kj");
        if (!kj && !header.Contains("avg_epoch_energy_j"))
        {
            throw new PreDatasetException($"{fileName}:{header.Line}: missing column avg_epoch_energy_kj (or avg_epoch_energy_j).");
        }

        var rows = new List<PreRow>();
        var specCache = new Dictionary<string, GpuSpec>(StringComparer.Ordinal);
        foreach (var row in csv.ReadRows())
        {
            // Every value is finite (CsvReader) and positive; the bounds keep a typo (1e300) from reaching TimeSpan,
            // Energy or an int cast as an overflow or a silently wrapped number.
            double Number(string name, double max, string unit)
            {
                double v = row.GetDouble(name);
                return v > 0 && v <= max
                    ? v
                    : throw row.Error(name, string.Create(CultureInfo.InvariantCulture, $"must be a number > 0 and at most {MaxText(max)} {unit}; got '{row.GetString(name)}'."));
            }

            int Whole(string name)
            {
                double v = row.GetDouble(name);
                return v >= 1 && v <= int.MaxValue && v == Math.Floor(v)
                    ? (int)v
                    : throw row.Error(name, $"must be a whole number from 1 to 2,147,483,647; got '{row.GetString(name)}'.");
            }

            string gpuName = row.GetString("gpu");
            if (!specCache.TryGetValue(gpuName, out var spec))
            {
                try
                {
                    spec = gpus.Find(gpuName);
                }
                catch (ReferenceLookupException ex)
                {
                    throw new PreDatasetException($"{fileName}:{row.Line}: {ex.Message}");
                }

                specCache[gpuName] = spec;
            }

            if (header.Contains("gpu_cuda_cores"))
            {
                spec = spec with
                {
                    CudaCores = Whole("gpu_cuda_cores"),
                    MemoryGigabytes = Number("gpu_memory_gb", MaxGigabytes, "GB"),
                    ThermalDesignPower = Power.FromWatts(Number("gpu_tdp_w", MaxWatts, "W")),
                };
            }

            var run = new RunDescription(
                Number("gflops", MaxGflops, "GFLOPs"), spec, Whole("batch_size"), Whole("image_height"), Whole("image_width"),
                Whole("training_size"), Whole("validation_size"), Number("ram_gb", MaxGigabytes, "GB"))
            {
                Layers = header.Contains("layers") ? Whole("layers") : null,
            };
            double power = Number("avg_gpu_power_w", MaxWatts, "W");
            double epochJ = kj ? Number("avg_epoch_energy_kj", MaxEpochJoules / 1000, "kJ") * 1000 : Number("avg_epoch_energy_j", MaxEpochJoules, "J");
            double duration = header.Contains("avg_epoch_duration_s") ? Number("avg_epoch_duration_s", MaxEpochSeconds, "s") : epochJ / power;
            if (duration > MaxEpochSeconds)
            {
                throw row.Error(null, string.Create(CultureInfo.InvariantCulture,
                    $"the epoch duration derived as energy / power ({duration:G4} s) is over {MaxText(MaxEpochSeconds)} s: check avg_epoch_energy and avg_gpu_power_w."));
            }
            string arch = header.Contains("architecture") ? row.GetString("architecture") : string.Create(CultureInfo.InvariantCulture, $"{run.Gflops:0.####} GFLOPs");
            rows.Add(new PreRow(run, arch, Power.FromWatts(power), Energy.FromJoules(epochJ), TimeSpan.FromSeconds(duration), $"{fileName}:{row.Line}"));
        }

        if (rows.Count == 0)
        {
            throw new PreDatasetException($"{fileName}: no data rows after the header.");
        }

        return rows;
    }
}
