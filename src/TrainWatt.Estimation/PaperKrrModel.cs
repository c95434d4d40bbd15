using System.Text.Json;
using TrainWatt.Core.Text;
using TrainWatt.Estimation.Numerics;

namespace TrainWatt.Estimation;

/// <summary>Thrown when a model folder or file cannot be used; the message names the path and the fix.</summary>
public sealed class PreModelException(string message) : Exception(message);

/// <summary>
/// One of the paper's shipped kernel ridge models, loaded from an exported folder (<c>x_fit.csv</c>,
/// <c>dual_coef.csv</c>, <c>params.json</c>: the journal replication package's arrays). TrainWatt does not ship these
/// arrays; the user points at them.
/// </summary>
public sealed class PaperKrrModel
{
    private PaperKrrModel(string directory, KernelRidge krr, Standardizer scaler, double alpha, string targetUnit)
    {
        Directory = directory;
        Krr = krr;
        Scaler = scaler;
        Alpha = alpha;
        TargetUnit = targetUnit;
    }

    public string Directory { get; }

    public KernelRidge Krr { get; }

    /// <summary>The reconstructed scaler (scaler_mean, scaler_sd from params.json).</summary>
    public Standardizer Scaler { get; }

    public double Alpha { get; }

    /// <summary>"W" for the power model, "kJ" for the epoch-energy models.</summary>
    public string TargetUnit { get; }

    public static PaperKrrModel Load(string directory)
    {
        string paramsPath = Path.Combine(directory, "params.json");
        string xPath = Path.Combine(directory, "x_fit.csv");
        string aPath = Path.Combine(directory, "dual_coef.csv");
        foreach (var p in new[] { paramsPath, xPath, aPath })
        {
            if (!File.Exists(p))
            {
                throw new PreModelException($"{p} not found: a paper KRR model folder needs params.json, x_fit.csv and dual_coef.csv.");
            }
        }

        using var doc = JsonDocument.Parse(File.ReadAllText(paramsPath));
        var root = doc.RootElement;
        double[] Array(string name) => root.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.Array
            ? e.EnumerateArray().Select(v => v.GetDouble()).ToArray()
            : throw new PreModelException($"{paramsPath}: missing array '{name}'.");
        double Number(string name) => root.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.Number
            ? e.GetDouble()
            : throw new PreModelException($"{paramsPath}: missing number '{name}'.");
        var mean = Array("scaler_mean");
        var sd = Array("scaler_sd");
        double gamma = Number("gamma");
        double alpha = Number("alpha");
        string unit = root.TryGetProperty("target", out var t) && t.TryGetProperty("unit", out var u) ? u.GetString() ?? "" : "";
        if (mean.Length != 10 || sd.Length != 10)
        {
            throw new PreModelException($"{paramsPath}: scaler_mean and scaler_sd must have 10 values (the paper's features); got {mean.Length} and {sd.Length}.");
        }

        var x = ReadCsv(xPath, 10);
        var a = ReadCsv(aPath, 1).Select(r => r[0]).ToArray();
        if (x.Length != a.Length)
        {
            throw new PreModelException($"{directory}: x_fit.csv has {x.Length} rows but dual_coef.csv has {a.Length}.");
        }

        return new PaperKrrModel(directory, new KernelRidge(x, a, gamma), new Standardizer(mean, sd), alpha, unit);
    }

    /// <summary>Prediction for a standardised vector z (the paper's model order).</summary>
    public double PredictStandardised(double[] z) => Krr.Predict(z);

    /// <summary>Prediction for a run, in <see cref="TargetUnit"/>.</summary>
    public double Predict(RunDescription run) => Krr.Predict(Scaler.Transform(run.PaperVector()));

    /// <summary>A numeric table with a header of <paramref name="columns"/> names, read by <see cref="CsvReader"/>.</summary>
    private static double[][] ReadCsv(string path, int columns)
    {
        try
        {
            using var csv = CsvReader.Open(path);
            if (csv.Header.Count != columns)
            {
                throw new PreModelException($"{path}:{csv.Header.Line}: {csv.Header.Count} columns, expected {columns}.");
            }

            var rows = new List<double[]>();
            foreach (var row in csv.ReadRows())
            {
                var values = new double[columns];
                for (int j = 0; j < columns; j++)
                {
                    if (!CsvNumber.TryParseDouble(row[j], out values[j], out string? problem))
                    {
                        throw row.Error(csv.Header.Names[j].Length > 0 ? csv.Header.Names[j] : $"#{j + 1}", problem!);
                    }
                }

                rows.Add(values);
            }

            return rows.ToArray();
        }
        catch (CsvFormatException e)
        {
            throw new PreModelException(e.Message);
        }
    }
}
