using TrainWatt.Core.Text;

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
        using (var csv = CsvReader.Open(table, new CsvReaderOptions { RequiredColumns = ["training environment", "architecture", "run", "trained epochs"] }))
        {
            foreach (var row in csv.ReadRows())
            {
                epochs[(row.GetString("training environment"), row.GetString("architecture"), row.GetString("run"))] = row.GetInt32("trained epochs");
            }
        }

        var runs = new List<Seaa2023TracedRun>();
        using (var csv = CsvReader.Open(index, new CsvReaderOptions { RequiredColumns = ["environment", "environment_label", "model", "run", "file_timestamp"] }))
        {
            foreach (var row in csv.ReadRows())
            {
                string env = row.GetString("environment"), label = row.GetString("environment_label"), model = row.GetString("model"), run = row.GetString("run");
                if (!epochs.TryGetValue((label, model, run), out int n))
                {
                    throw row.Error(null, $"run {label}/{model}/{run} has no row in {Path.GetFileName(table)}.");
                }

                string stamp = row.GetString("file_timestamp");
                string dir = Path.Combine(folder, "traces", env, model);
                runs.Add(new Seaa2023TracedRun(
                    $"{env}/{model}/{run}",
                    Path.Combine(dir, $"gpu-power-{stamp}.csv.gz"),
                    Path.Combine(dir, $"cpu-mem-usage-{stamp}.csv.gz"),
                    n));
            }
        }

        return runs;
    }
}
