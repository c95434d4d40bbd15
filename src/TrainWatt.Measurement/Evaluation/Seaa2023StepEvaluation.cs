using System.Collections.Concurrent;
using System.Globalization;
using TrainWatt.Core.Projection;
using TrainWatt.Core.Traces;

namespace TrainWatt.Measurement.Evaluation;

/// <summary>What <c>evaluate step</c> runs: STEP and the baselines on the traced SEAA 2023 runs of <see cref="Folder"/>.</summary>
public sealed record StepEvaluationRequest(string Folder, Seaa2023EpochSource EpochSource = Seaa2023EpochSource.Runs2023)
{
    /// <summary>Earliest projection point of TrainWatt's step, in finished epochs (the paper's s + w).</summary>
    public int MinEpochsBeforeProjection { get; init; } = 15;

    /// <summary>Epochs after the last detected change before step projects.</summary>
    public int MinStableEpochs { get; init; } = StepEvaluationOptions.DefaultMinStableEpochs;

    /// <summary>Smallest level change (fraction of the later level) the detector acts on.</summary>
    public double MinRelativeShift { get; init; } = 0.01;

    /// <summary>Project at the first stable epoch whose interval half-width is at most this fraction; null: the first stable epoch.</summary>
    public double? TargetPrecision { get; init; }

    /// <summary>Also write one CSV row per run (truth and every estimate, J) to this file.</summary>
    public string? RunsCsv { get; init; }

    /// <summary>Runs evaluated at once (each reads two traces).</summary>
    public int MaxParallelism { get; init; } = 2;

    /// <summary>
    /// <c>--live</c>: step is the first projection of the live projector exactly as <c>measure --total-epochs N</c>
    /// configures it (<see cref="LiveProjectionSetup.Options"/>), fed the pseudo-epochs one by one; the offline
    /// settings above (minimum epochs, stable epochs, shift, precision) are then unused.
    /// </summary>
    public bool Live { get; init; }

    /// <summary><c>--drift-prior</c>: τ of the intervals; null: the default (<see cref="Core.Projection.DriftPrior.Default"/>).</summary>
    public double? DriftPrior { get; init; }

    /// <summary>Called after each run with (runs done, runs in all), from the evaluating threads (at most <see cref="MaxParallelism"/> at once).</summary>
    public Action<int, int>? Progress { get; init; }
}

/// <summary>A run left out of the evaluation and why (a fault of the data, not of the method).</summary>
public sealed record ExcludedRun(string Id, string Reason);

/// <summary>The evaluated runs, their summary (null when none could be evaluated) and one message per run that failed.</summary>
public sealed record StepEvaluationReport(Seaa2023EpochSource EpochSource, IReadOnlyList<StepRunEvaluation> Runs, StepEvaluationSummary? Summary, IReadOnlyList<string> Failures)
{
    /// <summary>Runs left out for a fault in the data (<see cref="StepEvaluation.ProcessTraceFault"/>), with the reason.</summary>
    public IReadOnlyList<ExcludedRun> Excluded { get; init; } = [];

    /// <summary>True when step was the live projector (<see cref="StepEvaluationRequest.Live"/>).</summary>
    public bool Live { get; init; }

    /// <summary>The drift prior step's intervals used.</summary>
    public DriftPrior? Drift { get; init; }

    /// <summary>
    /// Live only: per fraction of the run observed, the live projection shown then and the paper's rule at the same
    /// epoch, scored over the runs (<see cref="FractionScore"/>).
    /// </summary>
    public IReadOnlyList<FractionScore> ByFraction => !Live || Runs.Count == 0 ? [] : StepEvaluationOptions.Fractions.Select(f => FractionScore.Of(f, Runs)).ToArray();

    /// <summary>The command-line name of the epoch source: runs or runs-2023.</summary>
    public string EpochSourceName => EpochSource == Seaa2023EpochSource.Runs ? "runs" : "runs-2023";

    /// <summary>step's RMSE as a fraction of Green Algorithms'.</summary>
    public double StepRmseVsGreenAlgorithms => Summary!.RmseKilojoules["step"] / Summary.RmseKilojoules["green_algorithms"];

    public int StepFallbacks => Runs.Count(r => r.StepFellBack);

    /// <summary>Fraction of runs whose truth lay in step's 90 % interval.</summary>
    public double StepIntervalCoverage => Runs.Count(r => r.StepCovered) / (double)Runs.Count;

    public double StepMedianProjectionEpoch
    {
        get
        {
            var v = Runs.Select(r => (double)r.StepProjectionEpoch).Order().ToArray();
            return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
        }
    }

    public int LostTailRuns => Runs.Count(r => r.LostTail);
}

/// <summary>How the live projection and the paper's rule fared at one fraction of the runs' epochs.</summary>
/// <param name="Fraction">Fraction of N observed.</param>
/// <param name="Projected">Runs with a live projection by then.</param>
/// <param name="LiveRmseKilojoules">RMSE of those projections (kJ); null when none.</param>
/// <param name="LiveMape">Their mean absolute percentage error (a fraction); null when none.</param>
/// <param name="LiveCoverage">Share of them whose 90 % interval held the truth; null when none.</param>
/// <param name="PaperRmseKilojoules">RMSE of the paper's rule on the same runs at the same epochs (kJ).</param>
/// <param name="PaperMape">Its MAPE on those runs.</param>
/// <param name="PaperRmseAllKilojoules">RMSE of the paper's rule over every run at that fraction (kJ).</param>
public sealed record FractionScore(double Fraction, int Projected, double? LiveRmseKilojoules, double? LiveMape, double? LiveCoverage, double? PaperRmseKilojoules, double? PaperMape, double PaperRmseAllKilojoules)
{
    public static FractionScore Of(double fraction, IReadOnlyList<StepRunEvaluation> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var points = runs.Select(r => (Run: r, Point: r.ByFraction.Single(p => p.Fraction == fraction))).ToArray();
        var shown = points.Where(x => x.Point.Live is not null).ToArray();
        static double Rmse(IEnumerable<double> errors) => Math.Sqrt(errors.Select(e => e * e).DefaultIfEmpty(0).Average()) / 1000;
        double? Of(Func<(StepRunEvaluation Run, FractionPoint Point), double> error) => shown.Length == 0 ? null : Rmse(shown.Select(error));
        double? Mape(Func<(StepRunEvaluation Run, FractionPoint Point), double> estimate)
            => shown.Length == 0 ? null : shown.Average(x => Math.Abs(estimate(x) - x.Run.Truth.Joules) / x.Run.Truth.Joules);
        return new FractionScore(
            fraction,
            shown.Length,
            Of(x => x.Point.Live!.Value.Joules - x.Run.Truth.Joules),
            Mape(x => x.Point.Live!.Value.Joules),
            shown.Length == 0 ? null : shown.Count(x => x.Point.Lower <= x.Run.Truth && x.Run.Truth <= x.Point.Upper) / (double)shown.Length,
            Of(x => x.Point.Paper.Joules - x.Run.Truth.Joules),
            Mape(x => x.Point.Paper.Joules),
            Rmse(points.Select(x => x.Point.Paper.Joules - x.Run.Truth.Joules)));
    }
}

/// <summary><c>trainwatt evaluate step</c> as a library call (<see cref="StepEvaluation"/> on every traced SEAA 2023 run).</summary>
public static class Seaa2023StepEvaluation
{
    /// <summary>
    /// Evaluates every run; a run whose traces cannot be read becomes a failure message, not an exception. Throws
    /// <see cref="DirectoryNotFoundException"/> when the folder does not exist and <see cref="InvalidDataException"/>
    /// when it is not the data set (its index or run tables are missing or malformed).
    /// </summary>
    public static StepEvaluationReport Run(StepEvaluationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Directory.Exists(request.Folder))
        {
            throw new DirectoryNotFoundException($"{request.Folder} does not exist; --seaa2023 must name the SEAA 2023 data folder (e.g. ../shared/data/seaa2023).");
        }

        IReadOnlyList<Seaa2023TracedRun> runs;
        try
        {
            runs = Seaa2023StepDataset.Load(request.Folder, request.EpochSource);
        }
        catch (Exception e) when (e is FormatException or IOException)
        {
            throw new InvalidDataException(e.Message, e);
        }

        var drift = request.DriftPrior is double tau ? Core.Projection.DriftPrior.Given(tau) : Core.Projection.DriftPrior.Default;
        var options = new StepEvaluationOptions(
            new ChangePointOptions(MinStableEpochs: request.MinStableEpochs, MinRelativeShift: request.MinRelativeShift, MinEpochsSeen: request.MinEpochsBeforeProjection),
            request.MinEpochsBeforeProjection,
            TargetRelativeHalfWidth: request.TargetPrecision)
        {
            Drift = drift,
            Live = request.Live ? n => LiveProjectionSetup.Options(n, null, null, drift) : null,
        };
        var results = new StepRunEvaluation[runs.Count];
        var failures = new ConcurrentBag<string>();
        var excluded = new ConcurrentBag<ExcludedRun>();
        int finished = 0;
        Parallel.For(0, runs.Count, new ParallelOptions { MaxDegreeOfParallelism = request.MaxParallelism }, i =>
        {
            using var tick = new ProgressOnExit(() => request.Progress?.Invoke(Interlocked.Increment(ref finished), runs.Count));
            if (Evaluate(runs[i], options, out string? failure, out string? fault) is { } result)
            {
                results[i] = result;
            }
            else if (fault is not null)
            {
                excluded.Add(new ExcludedRun(runs[i].Id, fault));
            }
            else
            {
                failures.Add(failure!);
            }
        });

        var done = results.Where(r => r is not null).ToArray();
        var summary = done.Length == 0 ? null : StepEvaluation.Summarize(done);
        if (summary is not null && request.RunsCsv is { } csv)
        {
            WriteRunsCsv(csv, done);
        }

        return new StepEvaluationReport(request.EpochSource, done, summary, failures.Order(StringComparer.Ordinal).ToArray())
        {
            Excluded = excluded.OrderBy(e => e.Id, StringComparer.Ordinal).ToArray(),
            Live = request.Live,
            Drift = drift,
        };
    }

    private static StepRunEvaluation? Evaluate(Seaa2023TracedRun run, StepEvaluationOptions options, out string? failure, out string? fault)
    {
        failure = null;
        fault = null;
        var gpu = NvidiaSmiCsv.ReadFile(run.GpuTrace);
        var process = ProcessTraceCsv.ReadFile(run.ProcessTrace);
        if (gpu.IsFatal || gpu.Devices.Count == 0)
        {
            failure = $"{run.GpuTrace}: {gpu.Faults.FirstOrDefault()?.Message ?? "no device"}";
            return null;
        }

        if (process.IsFatal || process.First is null || process.Last is null)
        {
            failure = $"{run.ProcessTrace}: {process.Faults.FirstOrDefault()?.Message ?? "no samples"}";
            return null;
        }

        var powered = gpu.Devices[0].Samples.Where(p => p.Power is not null).ToArray();
        if (powered.Length >= 2
            && StepEvaluation.ProcessTraceFault(powered[0].Timestamp, powered[^1].Timestamp, process.First.Value, process.Last.Value) is { } partial)
        {
            fault = partial;
            return null;
        }

        try
        {
            return StepEvaluation.EvaluateRun(new StepEvaluationInput(run.Id, gpu.Devices[0].Samples, process.First.Value, process.Last.Value, run.TotalEpochs), options);
        }
        catch (ArgumentException e)
        {
            failure = e.Message;
            return null;
        }
    }

    /// <summary>One CSV row per run: truth and every method's estimate in J, and step's projection point.</summary>
    public static void WriteRunsCsv(string path, IReadOnlyList<StepRunEvaluation> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        using var writer = new StreamWriter(path);
        writer.Write("run,total_epochs,duration_s,truth_j," + string.Join(',', StepEvaluation.Methods.Select(m => m + "_j")) + ",step_projection_epoch,step_stable_from,step_fell_back,lost_tail\n");
        foreach (var r in runs)
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"{r.Id},{r.TotalEpochs},{r.Duration.TotalSeconds:F3},{r.Truth.Joules:F2},"));
            writer.Write(string.Join(',', StepEvaluation.Methods.Select(m => r.Estimates[m].Joules.ToString("F2", CultureInfo.InvariantCulture))));
            writer.Write(string.Create(CultureInfo.InvariantCulture, $",{r.StepProjectionEpoch},{r.StepStableFromIndex},{(r.StepFellBack ? 1 : 0)},{(r.LostTail ? 1 : 0)}\n"));
        }
    }
}

/// <summary>Runs an action when disposed: progress counts a run however its evaluation ended.</summary>
internal readonly struct ProgressOnExit(Action action) : IDisposable
{
    public void Dispose() => action();
}
