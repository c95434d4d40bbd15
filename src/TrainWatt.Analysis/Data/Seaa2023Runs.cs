using System.Globalization;
using TrainWatt.Core.Accounting;
using TrainWatt.Core.Text;
using TrainWatt.Core.Traces;
using TrainWatt.Core.Units;

namespace TrainWatt.Analysis.Data;

/// <summary>
/// Reads the SEAA 2023 per-run table (<c>runs.csv</c> of GAISSA-UPC/seaa2023_ect, CC BY 4.0, del Rey et al.) into
/// observations with keys <c>architecture</c> (e.g. <c>vgg16</c>), <c>environment</c> (e.g. <c>Cloud</c>,
/// <c>Local ML Engineer/Gamer</c>) and <c>gpu</c>. Energy is the authors' <c>energy (MJ)</c> (GPU only, integer-watt
/// trapezoid over the trace minus 3 samples at each end); samples seen are <c>total seen images</c>; scores are f1,
/// accuracy, precision, recall and auc.
/// </summary>
/// <remarks>
/// With <see cref="SeaaEnergySource.Traces"/> or <see cref="SeaaEnergySource.Parity"/> the energy is recomputed from the
/// run's GPU trace instead: run i of an architecture in an environment is the i-th <c>gpu-power-*.csv.gz</c> of
/// <c>traces/&lt;cloud|local-v2&gt;/&lt;architecture&gt;</c> in time-stamp order (the authors' numbering). Runs without a
/// trace (the GTX 750 Ti) then have no energy and are left out of energy metrics.
/// </remarks>
public static class Seaa2023Runs
{
    /// <summary>The most energy one run may have, in MJ (1e18 J): a larger value is a unit mistake and would overflow sums.</summary>
    private const double MaxEnergyMj = 1e12;

    /// <summary>The longest run, in hours (about 114 years): keeps <see cref="TimeSpan"/> from overflowing.</summary>
    private const double MaxHours = 1_000_000;

    /// <summary>2^63: the first whole number a <see cref="long"/> cannot hold.</summary>
    private const double MaxImages = 9223372036854775808.0;

    public static IReadOnlyList<Observation> Load(string directory) => Load(directory, SeaaEnergySource.Authors);

    public static IReadOnlyList<Observation> Load(string directory, SeaaEnergySource source)
    {
        string path = Path.Combine(directory, "runs.csv");
        if (!File.Exists(path))
        {
            throw new AnalysisDataException($"{path} does not exist; --seaa2023 must name the folder holding runs.csv (data/seaa2023 of the shared data).");
        }

        var runs = new List<Observation>();
        try
        {
            using var csv = CsvReader.Open(path);
            foreach (string required in new[] { "training environment", "architecture", "run", "energy (MJ)", "training duration (h)", "total seen images", "f1-score" })
            {
                if (!csv.Header.Contains(required))
                {
                    throw new AnalysisDataException($"{path}:{csv.Header.Line}: column \"{required}\" is missing; this is not the SEAA 2023 runs.csv.");
                }
            }

            foreach (var row in csv.ReadRows())
            {
                double Number(string name)
                {
                    string text = row.GetString(name);
                    return CsvNumber.TryParseDouble(text, out double v)
                        ? v
                        : throw new AnalysisDataException($"{path}:{row.Line}: column \"{name}\" holds \"{text}\", not a finite number.");
                }

                string environment = row.GetString("training environment");
                string architecture = row.GetString("architecture");
                var keys = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["architecture"] = architecture,
                    ["environment"] = environment,
                };
                if (csv.Header.Contains("gpu model"))
                {
                    keys["gpu"] = row.GetString("gpu model");
                }

                var scores = new Dictionary<string, double>(StringComparer.Ordinal) { ["f1"] = Number("f1-score") };
                foreach (var (column, score) in new[] { ("accuracy", "accuracy"), ("precision", "precision"), ("recall", "recall"), ("AUC", "auc") })
                {
                    if (csv.Header.Contains(column))
                    {
                        scores[score] = Number(column);
                    }
                }

                double energyMj = Number("energy (MJ)");
                if (energyMj <= 0)
                {
                    throw new AnalysisDataException($"{path}:{row.Line}: energy (MJ) is {energyMj.ToString(CultureInfo.InvariantCulture)}; a run needs a positive energy.");
                }

                if (energyMj > MaxEnergyMj)
                {
                    throw new AnalysisDataException($"{path}:{row.Line}: column \"energy (MJ)\" holds {row.GetString("energy (MJ)")} MJ, beyond the 1e12 MJ a run can use; check the file.");
                }

                double hours = Number("training duration (h)");
                if (!(hours >= 0 && hours <= MaxHours))
                {
                    throw new AnalysisDataException($"{path}:{row.Line}: column \"training duration (h)\" holds {row.GetString("training duration (h)")} h; a run takes from 0 to 1,000,000 h.");
                }

                double images = Number("total seen images");
                if (!(images >= 0 && images < MaxImages && images == Math.Floor(images)))
                {
                    throw new AnalysisDataException($"{path}:{row.Line}: column \"total seen images\" holds {row.GetString("total seen images")}; expected a whole number from 0 to {long.MaxValue.ToString("N0", CultureInfo.InvariantCulture)}.");
                }

                Energy? energy = source == SeaaEnergySource.Authors
                    ? Energy.FromMegajoules(energyMj)
                    : TraceEnergy(directory, environment, architecture, (int)Number("run"), source);
                runs.Add(new Observation(
                    $"{environment}/{architecture}/{row.GetString("run")}",
                    keys,
                    energy,
                    TimeSpan.FromHours(hours),
                    (long)images,
                    scores));
            }
        }
        catch (CsvFormatException e)
        {
            throw new AnalysisDataException(e.Message, e);
        }

        if (runs.Count == 0)
        {
            throw new AnalysisDataException($"{path} holds no runs.");
        }

        return runs;
    }

    private static readonly Dictionary<string, string> TraceFolders = new(StringComparer.Ordinal)
    {
        ["Cloud"] = "cloud",
        ["Local ML Engineer/Gamer"] = "local-v2",
    };

    private static Energy? TraceEnergy(string directory, string environment, string architecture, int run, SeaaEnergySource source)
    {
        if (!TraceFolders.TryGetValue(environment, out string? folder))
        {
            return null;
        }

        string dir = Path.Combine(directory, "traces", folder, architecture);
        if (!Directory.Exists(dir))
        {
            throw new AnalysisDataException($"{dir} does not exist; --energy {source.ToString().ToLowerInvariant()} needs the traces folder of the SEAA 2023 data (or use --energy authors).");
        }

        var files = Directory.GetFiles(dir, "gpu-power-*.csv.gz").Order(StringComparer.Ordinal).ToArray();
        if (run < 0 || run >= files.Length)
        {
            throw new AnalysisDataException($"{dir}: run {run} of {architecture} has no trace ({files.Length} gpu-power files).");
        }

        var read = NvidiaSmiCsv.ReadFile(files[run], source == SeaaEnergySource.Parity ? Seaa2023Parity.ReadOptions : null);
        if (read.IsFatal || read.Devices.Count == 0)
        {
            throw new AnalysisDataException($"{files[run]}: {read.Faults.FirstOrDefault(f => f.Kind == FaultKind.Fatal)?.ToString() ?? "no GPU samples"}.");
        }

        var options = source == SeaaEnergySource.Parity ? Seaa2023Parity.EnergyOptionsFor(read) : null;
        var device = EnergyAccounting.Integrate(read.Devices[0], options);
        return device.Result?.Energy ?? throw new AnalysisDataException($"{files[run]}: too few power samples to integrate.");
    }
}

/// <summary>Where SEAA 2023 run energies come from.</summary>
public enum SeaaEnergySource
{
    /// <summary>The authors' <c>energy (MJ)</c> column of runs.csv (default).</summary>
    Authors,

    /// <summary>TrainWatt's own integration of the whole GPU trace (float watts, trapezoid on real time stamps).</summary>
    Traces,

    /// <summary>The authors' procedure re-run on the traces (integer watts, 3 + 3 samples trimmed); equals Authors.</summary>
    Parity,
}
