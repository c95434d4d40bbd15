using System.Globalization;

namespace TrainWatt.Core.Projection;

/// <summary>Where the epoch count N of a SEAA 2023 run comes from.</summary>
public enum Seaa2023EpochSource
{
    /// <summary><c>runs-2023-version.csv</c> <c>trained epochs</c>: the counts of the 2023 paper (the default; see remarks).</summary>
    Runs2023,

    /// <summary><c>runs.csv</c> <c>trained epochs</c>: the later revision, probably 10 too high (the 10 head-training epochs added twice).</summary>
    Runs,
}

/// <summary>One traced SEAA 2023 run: its files and its epoch count.</summary>
/// <param name="Id">"environment/model/run", e.g. "cloud/resnet50/3".</param>
/// <param name="GpuTrace">Path of <c>gpu-power-STAMP.csv.gz</c>.</param>
/// <param name="ProcessTrace">Path of <c>cpu-mem-usage-STAMP.csv.gz</c> (its first and last time stamps bracket training).</param>
/// <param name="TotalEpochs">N from the chosen table.</param>
public sealed record Seaa2023TracedRun(string Id, string GpuTrace, string ProcessTrace, int TotalEpochs);

/// <summary>
/// Lists the 309 traced runs of the SEAA 2023 data folder (<c>trace-index.csv</c>) with their epoch counts from
/// <c>runs.csv</c> or <c>runs-2023-version.csv</c>, joined on (environment label, architecture, run).
/// </summary>
/// <remarks>
/// The default is <see cref="Seaa2023EpochSource.Runs2023"/>: the data README says runs.csv's <c>trained epochs</c>
/// is estimated, not logged, and probably 10 too high because a later revision added the 10 head-training epochs
/// twice (368 of 369 rows differ by exactly 10); the 2023 table has the earlier counts.
/// </remarks>
public static class Seaa2023StepDataset
{
    public static IReadOnlyList<Seaa2023TracedRun> Load(string folder, Seaa2023EpochSource source)
    {
        string index = Path.Combine(folder, "trace-index.csv");
        string table = Path.Combine(folder, source == Seaa2023EpochSource.Runs ? "runs.csv" : "runs-2023-version.csv");
        foreach (string file in new[] { index, table })
        {
            if (!File.Exists(file))
            {
                throw new FileNotFoundException($"{file} does not exist; --seaa2023 must name the SEAA 2023 data folder (the one holding trace-index.csv, runs.csv and traces/).", file);
            }
        }

        var epochs = new Dictionary<(string, string, string), int>();
        var (tableHeader, tableRows) = ReadCsv(table);
        int label = Column(tableHeader, "training environment", table), arch = Column(tableHeader, "architecture", table);
        int run = Column(tableHeader, "run", table), trained = Column(tableHeader, "trained epochs", table);
        foreach (var (line, f) in tableRows)
        {
            if (!int.TryParse(f[trained], NumberStyles.Integer, CultureInfo.InvariantCulture, out int n))
            {
                throw new FormatException($"{table}:{line}: trained epochs \"{f[trained]}\" is not an integer.");
            }

            epochs[(f[label], f[arch], f[run])] = n;
        }

        var (indexHeader, indexRows) = ReadCsv(index);
        int env = Column(indexHeader, "environment", index), envLabel = Column(indexHeader, "environment_label", index);
        int model = Column(indexHeader, "model", index), runCol = Column(indexHeader, "run", index), stamp = Column(indexHeader, "file_timestamp", index);
        var runs = new List<Seaa2023TracedRun>();
        foreach (var (line, f) in indexRows)
        {
            if (!epochs.TryGetValue((f[envLabel], f[model], f[runCol]), out int n))
            {
                throw new FormatException($"{index}:{line}: run {f[envLabel]}/{f[model]}/{f[runCol]} has no row in {Path.GetFileName(table)}.");
            }

            string dir = Path.Combine(folder, "traces", f[env], f[model]);
            runs.Add(new Seaa2023TracedRun(
                $"{f[env]}/{f[model]}/{f[runCol]}",
                Path.Combine(dir, $"gpu-power-{f[stamp]}.csv.gz"),
                Path.Combine(dir, $"cpu-mem-usage-{f[stamp]}.csv.gz"),
                n));
        }

        return runs;
    }

    private static int Column(string[] header, string name, string file)
    {
        int i = Array.IndexOf(header, name);
        return i >= 0 ? i : throw new FormatException($"{file}: no column \"{name}\" in the header.");
    }

    private static (string[] Header, List<(int Line, string[] Fields)> Rows) ReadCsv(string file)
    {
        var lines = File.ReadAllLines(file);
        if (lines.Length == 0)
        {
            throw new FormatException($"{file} is empty.");
        }

        string[] header = lines[0].Split(',');
        var rows = new List<(int, string[])>();
        for (int i = 1; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }

            string[] fields = lines[i].Split(',');
            if (fields.Length != header.Length)
            {
                throw new FormatException($"{file}:{i + 1}: {fields.Length} fields where the header has {header.Length}.");
            }

            rows.Add((i + 1, fields));
        }

        return (header, rows);
    }
}
