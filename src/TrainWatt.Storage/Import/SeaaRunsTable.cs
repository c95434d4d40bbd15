using System.Globalization;
using TrainWatt.Core.Text;
using TrainWatt.Core.Traces;

namespace TrainWatt.Storage.Import;

/// <summary>
/// The SEAA 2023 authors' per-run table (<c>runs.csv</c>): one row per run, keyed by environment label
/// (<c>training environment</c>), <c>architecture</c> and <c>run</c> index, with the GPU model of the environment.
/// </summary>
internal sealed class SeaaRunsTable
{
    private const string EnvironmentColumn = "training environment";
    private const string ArchitectureColumn = "architecture";
    private const string RunColumn = "run";
    internal const string GpuColumn = "gpu model";

    /// <summary>The authors' quality metrics: runs.csv column and the score name analyze and recommend read (as <c>--seaa2023</c> does).</summary>
    internal static readonly (string Column, string Name)[] MetricColumns =
        [("f1-score", "f1"), ("accuracy", "accuracy"), ("precision", "precision"), ("recall", "recall"), ("AUC", "auc")];

    private readonly List<IReadOnlyList<KeyValuePair<string, string>>> _rows;

    private SeaaRunsTable(List<IReadOnlyList<KeyValuePair<string, string>>> rows) => _rows = rows;

    public int Count => _rows.Count;

    /// <summary>
    /// Loads the table (read by <see cref="CsvReader"/>); returns null and a fault when the file is unusable (unreadable,
    /// empty, malformed, missing columns). A row with the wrong number of fields is ignored with a fault.
    /// </summary>
    public static SeaaRunsTable? Load(string path, out TraceFault? fault)
    {
        fault = null;
        try
        {
            using var csv = CsvReader.Open(path, new CsvReaderOptions { AllowRaggedRows = true });
            var header = csv.Header;
            foreach (string required in (string[])[EnvironmentColumn, ArchitectureColumn, RunColumn])
            {
                if (!header.Contains(required))
                {
                    fault = new TraceFault(FaultKind.Fatal, path, header.Line, $"runs.csv has no '{required}' column; run metadata is not recorded.");
                    return null;
                }
            }

            var rows = new List<IReadOnlyList<KeyValuePair<string, string>>>();
            foreach (var row in csv.ReadRows())
            {
                if (row.FieldCount != header.Count)
                {
                    fault = new TraceFault(FaultKind.Garbage, path, row.Line, $"expected {header.Count} fields but found {row.FieldCount}; the row is ignored.");
                    continue;
                }

                rows.Add(header.Names.Select((name, i) => new KeyValuePair<string, string>(name, row[i])).ToList());
            }

            return new SeaaRunsTable(rows);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            fault = new TraceFault(FaultKind.Fatal, path, 0, $"runs.csv cannot be read ({e.Message}); run metadata is not recorded.");
            return null;
        }
        catch (CsvFormatException e) when (e.Line == 0)
        {
            fault = new TraceFault(FaultKind.Fatal, path, 0, "runs.csv is empty; run metadata is not recorded.");
            return null;
        }
        catch (CsvFormatException e)
        {
            fault = new TraceFault(FaultKind.Fatal, path, e.Line, $"{e.Detail} Run metadata is not recorded.");
            return null;
        }
    }

    /// <summary>
    /// The row of run <paramref name="runIndex"/> of <paramref name="architecture"/> in the environment whose GPU is
    /// <paramref name="gpuName"/> (each SEAA environment has one GPU model; the trace names it), or, without a GPU
    /// name, in the environment whose label equals the folder name.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>>? Find(string architecture, int runIndex, string? gpuName, string environmentFolder)
    {
        string run = runIndex.ToString(CultureInfo.InvariantCulture);
        var candidates = _rows.Where(r => Get(r, ArchitectureColumn) == architecture && Get(r, RunColumn) == run).ToList();
        var byGpu = gpuName is null ? [] : candidates.Where(r => string.Equals(Get(r, GpuColumn)?.Trim(), gpuName.Trim(), StringComparison.OrdinalIgnoreCase)).ToList();
        if (byGpu.Count == 1)
        {
            return byGpu[0];
        }

        var byLabel = candidates.Where(r => string.Equals(Get(r, EnvironmentColumn), environmentFolder, StringComparison.OrdinalIgnoreCase)).ToList();
        return byLabel.Count == 1 ? byLabel[0] : null;
    }

    public static string? Get(IReadOnlyList<KeyValuePair<string, string>> row, string column)
        => row.FirstOrDefault(kv => string.Equals(kv.Key, column, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>The run's <c>total seen images</c> (what energy per sample divides by, as <c>--seaa2023</c> does), or null.</summary>
    public static long? SamplesSeen(IReadOnlyList<KeyValuePair<string, string>> row)
        => Get(row, "total seen images") is { } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double images)
            && images >= 0 && images < 9e18 && images == Math.Floor(images) ? (long)images : null;

    public static string? EnvironmentLabel(IReadOnlyList<KeyValuePair<string, string>> row) => Get(row, EnvironmentColumn);
}
