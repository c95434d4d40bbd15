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
}

/// <summary>The evaluated runs, their summary (null when none could be evaluated) and one message per run that failed.</summary>
public sealed record StepEvaluationReport(Seaa2023EpochSource EpochSource, IReadOnlyList<StepRunEvaluation> Runs, StepEvaluationSummary? Summary, IReadOnlyList<string> Failures)
{
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

        var options = new StepEvaluationOptions(
            new ChangePointOptions(MinStableEpochs: request.MinStableEpochs, MinRelativeShift: request.MinRelativeShift, MinEpochsSeen: request.MinEpochsBeforeProjection),
            request.MinEpochsBeforeProjection,
            TargetRelativeHalfWidth: request.TargetPrecision);
        var results = new StepRunEvaluation[runs.Count];
        var failures = new ConcurrentBag<string>();
        Parallel.For(0, runs.Count, new ParallelOptions { MaxDegreeOfParallelism = request.MaxParallelism }, i =>
        {
            if (Evaluate(runs[i], options, out string? failure) is { } result)
            {
                results[i] = result;
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

        return new StepEvaluationReport(request.EpochSource, done, summary, failures.Order(StringComparer.Ordinal).ToArray());
    }

    private static StepRunEvaluation? Evaluate(Seaa2023TracedRun run, StepEvaluationOptions options, out string? failure)
    {
        failure = null;
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
