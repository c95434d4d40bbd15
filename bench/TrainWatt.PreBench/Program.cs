// PRE benchmark: fit-with-search time per family on a PRE dataset (e.g. the journal set's 857 rows) and one-prediction
// latency. Usage: dotnet run -c Release --project bench/TrainWatt.PreBench -- PATH/training-set.csv [model-params-dir]
// Goals (issue 6): fit with the search on 857 rows <= 2 s; one prediction <= 1 ms.
using System.Diagnostics;
using System.Globalization;
using TrainWatt.Estimation;

if (args.Length < 1)
{
    Console.Error.WriteLine("usage: TrainWatt.PreBench DATASET.csv [MODEL_PARAMS_DIR]");
    return 64;
}

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var rows = PreDataset.Load(args[0]);
Console.WriteLine($"rows: {rows.Count}; {Environment.ProcessorCount} logical CPUs; .NET {Environment.Version}");

static double Median(List<double> xs)
{
    xs.Sort();
    return xs[xs.Count / 2];
}

static double TimeMs(Action action)
{
    var sw = Stopwatch.StartNew();
    action();
    return sw.Elapsed.TotalMilliseconds;
}

Console.WriteLine("fit with 5-fold CV grid search, power target, all rows (median of 5 after 1 warm-up):");
foreach (var family in PreModelFamilies.All)
{
    var fitted = family.Fit(rows, PreTarget.Power);
    var times = Enumerable.Range(0, 5).Select(_ => TimeMs(() => family.Fit(rows, PreTarget.Power))).ToList();
    Console.WriteLine($"  {family.Name,-16} {Median(times),9:0.0} ms  (selected: {fitted.DescribeHyperparameters()}; CV RMSE {fitted.CvRmse:0.00} W)");
}

Console.WriteLine("trainwatt fit pipeline (3 targets, search, + grouped-kfold/leave-gpu-out/leave-architecture-out scoring):");
PreTrainer.Fit(rows, PreModelFamilies.Default, 1, DateTimeOffset.UnixEpoch, "bench", "");
var fitTimes = Enumerable.Range(0, 3).Select(_ => TimeMs(() => PreTrainer.Fit(rows, PreModelFamilies.Default, 1, DateTimeOffset.UnixEpoch, "bench", ""))).ToList();
Console.WriteLine($"  {PreModelFamilies.Default.Name,-16} {Median(fitTimes),9:0.0} ms");

Console.WriteLine("one prediction (mean over 100,000 calls after warm-up):");
var run = rows[0].Run;
void Latency(string name, Func<RunDescription, double> predict)
{
    double sink = 0;
    for (int i = 0; i < 1000; i++)
    {
        sink += predict(run);
    }

    const int N = 100_000;
    var sw = Stopwatch.StartNew();
    for (int i = 0; i < N; i++)
    {
        sink += predict(run);
    }

    Console.WriteLine($"  {name,-32} {sw.Elapsed.TotalMilliseconds * 1000 / N,9:0.00} us (checksum {sink:G3})");
}

Latency("default model estimate (3 targets)", r => CompactPreModel.Default.Estimate(r).EpochEnergy.Joules);
var krr = PreModelFamilies.Find("krr").Fit(rows, PreTarget.Power);
Latency("fitted krr (power)", krr.Predict);
var svr = PreModelFamilies.Find("svr").Fit(rows, PreTarget.Power);
Latency("fitted svr (power)", svr.Predict);
if (args.Length > 1)
{
    var paper = PaperKrrEstimator.Load(args[1]);
    Latency("paper KRR estimate (857 rows x 2)", r => paper.Estimate(r).AveragePower.Watts);
}

return 0;
