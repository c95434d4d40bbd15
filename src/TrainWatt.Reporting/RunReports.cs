using System.Globalization;
using TrainWatt.Analysis.Comparison;
using TrainWatt.Analysis.Data;
using TrainWatt.Analysis.Recommendation;
using TrainWatt.Core.Accounting;
using TrainWatt.Core.Projection;
using TrainWatt.Core.Traces;
using TrainWatt.Core.Units;
using TrainWatt.Measurement;
using TrainWatt.Measurement.Comparisons;
using TrainWatt.Storage;
using TrainWatt.Storage.Sqlite;

namespace TrainWatt.Reporting;

/// <summary>What <c>trainwatt report</c> reports on: exactly one of a stored run, an experiment's runs or the SEAA 2023 data.</summary>
public sealed record ReportRequest
{
    /// <summary>A stored run: power timeline with epochs, energy per epoch, live projection band.</summary>
    public long? RunId { get; init; }

    /// <summary>The runs tagged experiment=NAME, configurations by their config tag.</summary>
    public string? Experiment { get; init; }

    /// <summary>The SEAA 2023 runs (a selection with <see cref="RunSelection.Seaa2023Directory"/>).</summary>
    public RunSelection? Seaa2023 { get; init; }

    /// <summary>Score for the Pareto plot and the recommendation.</summary>
    public Metric Score { get; init; } = Metric.Parse("f1");

    /// <summary>Allowed absolute score loss for the recommendation shown.</summary>
    public double MaxLoss { get; init; } = 0.02;

    /// <summary>JSON file of predicted configurations: in the Pareto plot and compared with the measured medians.</summary>
    public string? PredictedFile { get; init; }

    /// <summary>Grid for a run's carbon figure (ISO code or name); null: the --region's country, else the default.</summary>
    public string? Country { get; init; }

    /// <summary>Cloud region or PUE preset for a run's carbon figure; null: none.</summary>
    public string? Region { get; init; }

    /// <summary>PUE for a run's carbon figure; null: the region's, else the default.</summary>
    public double? Pue { get; init; }

    /// <summary>Told as the report is built (loading, each plot drawn): the progress of a long report.</summary>
    public Action<string>? Progress { get; init; }

    /// <summary>True when the report reads the store (a run or an experiment).</summary>
    public bool FromStore => Seaa2023 is null;

    /// <summary>
    /// Where the report goes when no folder is given: <c>trainwatt-report-run-ID</c>, <c>trainwatt-report-NAME</c>
    /// (the experiment's name with characters other than letters, digits, '-', '_' and '.' as '_') or
    /// <c>trainwatt-report-seaa2023</c>, in the current directory.
    /// </summary>
    public string DefaultOutDirectory => RunId is { } id ? string.Create(CultureInfo.InvariantCulture, $"trainwatt-report-run-{id}")
        : Experiment is { } name ? "trainwatt-report-" + new string(name.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.' ? ch : '_').ToArray())
        : "trainwatt-report-seaa2023";
}

/// <summary>
/// The HTML reports of <c>trainwatt report</c> as library calls: <see cref="Build"/> assembles the page (plots and
/// tables) for a request; write it with <see cref="HtmlReport.Write"/>. Failures: <see cref="AnalysisDataException"/>
/// (no such run or experiment, bad data), <see cref="ComparisonRequestException"/> (a request the runs contradict).
/// </summary>
public static class RunReports
{
    public static HtmlReport Build(ReportRequest request, IRunStore? store, HostContext? host = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        int sources = (request.RunId is null ? 0 : 1) + (request.Experiment is null ? 0 : 1) + (request.Seaa2023 is null ? 0 : 1);
        if (sources != 1)
        {
            throw new ArgumentException("Give exactly one of RUN_ID, --experiment NAME or --seaa2023 DIR.");
        }

        var predicted = request.PredictedFile is { } file ? PredictedPoints.Load(file) : null;
        request.Progress?.Invoke("building the report: loading the runs");
        if (request.Seaa2023 is { } seaa)
        {
            var runs = RunComparisons.Load(seaa, null);
            return RunComparisons.AsUsage(() => Seaa2023(runs, seaa.Seaa2023Directory!, request.Score, request.MaxLoss, predicted, request.Progress));
        }

        ArgumentNullException.ThrowIfNull(store);
        return request.RunId is { } id
            ? SingleRun(store, id, request, host)
            : RunComparisons.AsUsage(() => Experiment(store, request.Experiment!, request.Score, request.MaxLoss, predicted, request.Progress));
    }

    public static HtmlReport SingleRun(IRunStore store, long id, ReportRequest? request = null, HostContext? host = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        var read = StoredTimeline.Read(store, id) ?? throw new AnalysisDataException($"Run {id} is not in the store; list the runs with `trainwatt runs list`.");
        var details = read.Details;
        var run = details.Run;
        string duration = run.Duration is { } d ? string.Create(CultureInfo.InvariantCulture, $" · {d.TotalSeconds:0.#} s") : string.Empty;
        var report = new HtmlReport($"TrainWatt run {id}",
            $"{run.Command ?? run.Source} · started {run.Started:yyyy-MM-dd HH:mm:ss} UTC · {SingleRunReport.Status(run)}{duration} · energy {(details.TotalEnergy is { } total ? total.ToString() : "not measured")}") { Progress = request?.Progress };
        SingleRunReport.AddHead(report, store, details, request ?? new ReportRequest { RunId = id }, host);
        AddRunPlots(report, store, details, string.Empty, (read.Series, read.Epochs));
        return report;
    }

    private static void AddRunPlots(HtmlReport report, IRunStore store, RunDetails details, string prefix, (IReadOnlyList<PowerSeries> Series, IReadOnlyList<EpochSpan> Epochs) timeline)
    {
        var (series, epochs) = timeline;
        report.AddPlot($"{prefix}Power timeline", "power-timeline.png", ReportPlots.PowerTimeline(series, epochs, $"Run {details.Run.Id}: power per device"),
            "Power per device over time (the legend names each device and its provenance); dashed grey lines mark epoch ends.");
        AddPhases(report, StoredRunPhases.Compute(store, details), prefix);
        AddProjectionBand(report, store, details, epochs, prefix);
        if (epochs.Any(e => e.EnergyJoules is not null))
        {
            report.AddPlot($"{prefix}Energy per epoch", "energy-per-epoch.png", ReportPlots.EnergyPerEpoch(epochs, $"Run {details.Run.Id}: energy per epoch"),
                "Energy of each epoch over all devices.");
        }
        else
        {
            report.AddParagraph($"{prefix}Energy per epoch", "This run has no epoch boundaries, so there is no energy per epoch.");
        }
    }

    /// <summary>
    /// The epochs' energy next to the whole process's, with the start-up, between-epochs and tail phases
    /// (<see cref="StoredRunPhases"/>: the numbers of <c>runs show</c>), or a line saying why there are none.
    /// </summary>
    internal static void AddPhases(HtmlReport report, RunPhases? phases, string prefix)
    {
        string title = $"{prefix}Phases: the epochs and the whole process";
        if (phases is null)
        {
            report.AddParagraph(title, "No phases: the run has no epoch boundaries or has not ended.");
            return;
        }

        var c = CultureInfo.InvariantCulture;
        var rows = string.Concat(phases.All.Select(p => string.Create(c,
            $"<tr><td class=\"l\">{p.Name}</td><td>{p.Energy.Joules:0.###}</td><td>{p.Duration.TotalSeconds:0.###}</td><td>{(phases.WholeProcess.Energy > Energy.Zero ? (p.Energy / phases.WholeProcess.Energy * 100).ToString("0.0", c) : "–")}</td></tr>")));
        report.AddHtml(title,
            "<table><tr><th class=\"l\">phase</th><th>energy_j</th><th>duration_s</th><th>% of whole_process</th></tr>" + rows + "</table>" +
            "<p>" + System.Net.WebUtility.HtmlEncode(string.Create(c,
                $"{phases.EpochCount} epochs. STEP projects the epochs; the meters measured the whole process (startup + epochs + between_epochs + tail). Provenance: {string.Join(", ", phases.Provenance)}; split at {RunPhaseNames.Split}.")) + "</p>");
    }

    /// <summary>
    /// The run's live STEP projection history as a band plot with the final projection error, or a line saying why there
    /// is none.
    /// </summary>
    private static void AddProjectionBand(HtmlReport report, IRunStore store, RunDetails details, IReadOnlyList<EpochSpan> epochs, string prefix)
    {
        var history = store.GetProjections(details.Run.Id);
        string title = $"{prefix}Live STEP projection";
        if (history.Count == 0)
        {
            int needed = new ChangePointOptions().EpochsNeeded;
            report.AddParagraph(title, string.Create(CultureInfo.InvariantCulture,
                $"No STEP projection (run not yet stable / fewer than {needed} epochs, or the total epoch count N unknown: give --total-epochs or a marker's total= to measure)."));
            return;
        }

        var measured = SingleRunReport.MeasuredLikeProjected(details, history);
        var png = ProjectionBandPlot.Render(history, epochs, measured?.Energy, $"Run {details.Run.Id}: projected vs measured energy", measured?.Name ?? "measured");
        report.AddPlot(title, "projection-band.png", png, string.Create(CultureInfo.InvariantCulture,
            $"Projected energy after each epoch with its {history[^1].Confidence * 100:0.#} % interval (shaded, {history[^1].Method}), the energy measured so far (sum of the epochs) and, for a completed run, the {measured?.Name ?? "measured total"} (dashed): the same quantity the projections project."));
        report.AddHtml($"{prefix}Projected vs measured", SingleRunReport.ProjectionTable(history, measured));
        var error = measured is { } final ? LiveProjection.FinalError(history, final.Energy) : null;
        report.AddParagraph($"{prefix}Final projection error", error is null
            ? $"The run is {SqliteRunStore.StatusText(details.Run.Status)}: no final measured total to score the {history.Count} projections against."
            : "Final projection error: " + Sentence(LiveProjection.ErrorLine(error)));
    }

    /// <summary>The summary line of <c>runs show</c> without its "projection: " lead, ending with a full stop.</summary>
    private static string Sentence(string errorLine)
        => (errorLine.StartsWith("projection: ", StringComparison.Ordinal) ? errorLine["projection: ".Length..] : errorLine) + ".";

    public static HtmlReport Experiment(IRunStore store, string name, Metric score, double maxLoss, IReadOnlyList<PredictedPoint>? predicted, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        var runs = RunComparisons.Experiment(store, name);
        var report = new HtmlReport($"Experiment {name}", $"{runs.Count} completed runs; the decision first, then the evidence") { Progress = progress };
        var cost = runs.All(r => r.EnergyPerSampleJoules is not null) ? Metric.EnergyPerSample : Metric.Energy;
        var analysis = GroupAnalysis.Run(runs, ["config"], cost);
        RecommendationResult? rec = null;
        if (runs.Any(r => score.ValueOf(r) is not null))
        {
            rec = Recommender.Recommend(runs, ["config"], score, maxLoss, cost, predicted);
            AddDecision(report, rec, ["config"], $"{cost.Name} vs {score.Name}");
        }
        else
        {
            report.AddParagraph("Decision", $"No decision: no run reported the score {score.Name} (print `##trainwatt metric {score.Name}=VALUE` from the job, or pick another with --metric). The evidence below compares {cost.Name} only.");
        }

        if (ComparisonReport.HeatMapKeys(runs, out string? why) is var (row, column))
        {
            report.AddFigure($"Median {cost.Name} per {row} × {column}", "heat-map.png",
                ComparisonPlots.HeatMap(ComparisonReport.Cells(runs, row, column, cost), row, column, cost.Name, cost.Unit, $"Median {cost.Name} per {row} and {column}"));
        }
        else
        {
            report.AddParagraph("Heat map", $"No heat map: {why}.");
        }

        report.AddFigure("Energy per configuration", "box-plots.png", ComparisonPlots.BoxPlots(analysis, $"{cost.Name} per configuration"));
        ComparisonReport.AddComparison(report, analysis, rec?.Chosen.Label);
        AddEstimateVsActual(report, analysis, predicted);

        var first = store.ListRuns().Where(r => r.Tags.TryGetValue("experiment", out var e) && e == name && r.Status == RunStatus.Completed && r.ExitCode is null or 0).OrderBy(r => r.Id).First();
        var read = StoredTimeline.Read(store, first.Id)!.Value;
        AddRunPlots(report, store, read.Details, $"Run {first.Id} ({first.Tags.GetValueOrDefault("config")}): ", (read.Series, read.Epochs));
        return report;
    }

    /// <summary>The decision (sentence, caveats), the Pareto plot and the savings table, in that order.</summary>
    private static void AddDecision(HtmlReport report, RecommendationResult rec, IReadOnlyList<string> by, string title)
    {
        report.AddHtml("Decision", ComparisonReport.DecisionHtml(ComparisonReport.Decide(rec, by)));
        report.AddFigure("Energy vs accuracy", "pareto.png", ComparisonPlots.Pareto(rec, title).Figure);
        report.AddHtml("Saving against each configuration", HtmlReport.RecommendationTable(rec));
    }

    /// <summary>Estimate vs actual: each predicted configuration whose key matches a measured group.</summary>
    private static void AddEstimateVsActual(HtmlReport report, GroupAnalysisResult analysis, IReadOnlyList<PredictedPoint>? predicted)
    {
        if (predicted is null || predicted.Count == 0)
        {
            return;
        }

        var pairs = predicted
            .Select(p => (Point: p, Group: analysis.Groups.FirstOrDefault(g => g.Key.Count == p.Key.Count && g.Key.All(k => p.Key.TryGetValue(k.Key, out var v) && v == k.Value))))
            .Where(t => t.Group is not null)
            .Select(t => (t.Group!.Label, t.Point.Cost, t.Group.Median))
            .ToArray();
        if (pairs.Length == 0)
        {
            report.AddParagraph("Estimate vs actual", "No predicted configuration matches a measured one (compare the keys of --predicted with the groups above).");
            return;
        }

        report.AddPlot("Estimate vs actual", "estimate-vs-actual.png", ReportPlots.EstimateVsActual(pairs, analysis.Metric.Unit, $"Estimated vs measured {analysis.Metric.Name}"),
            "Each predicted configuration against the measured median of the same configuration; the dashed line is a perfect estimate.");
        var c = CultureInfo.InvariantCulture;
        var rows = string.Concat(pairs.Select(p => string.Create(c, $"<tr><td class=\"l\">{System.Net.WebUtility.HtmlEncode(p.Label)}</td><td>{p.Cost:G4}</td><td>{p.Median:G4}</td><td>{(p.Cost - p.Median) / p.Median * 100:+0.0;-0.0} %</td></tr>")));
        report.AddHtml("Estimate errors", "<table><tr><th class=\"l\">configuration</th><th>estimated</th><th>measured median</th><th>error</th></tr>" + rows + "</table>");
    }

    public static HtmlReport Seaa2023(IReadOnlyList<Observation> runs, string directory, Metric score, double maxLoss, IReadOnlyList<PredictedPoint>? predicted, Action<string>? progress = null)
    {
        var report = new HtmlReport("SEAA 2023 training energy", "del Rey et al., SEAA 2023 (doi:10.1109/SEAA60479.2023.00031), data CC BY 4.0; energy = the authors' GPU energy (MJ) from runs.csv; the decision first, then the evidence") { Progress = progress };
        string[] by = ["architecture", "environment"];
        var analysis = GroupAnalysis.Run(runs, by, Metric.EnergyPerSample);
        var rec = Recommender.Recommend(runs, by, score, maxLoss, predicted: predicted);
        AddDecision(report, rec, by, $"Energy per image vs {score.Name}");
        report.AddFigure("Energy per architecture × environment", "heat-map.png", ComparisonPlots.HeatMap(
            analysis.Groups.Select(g => new HeatCell(g.Key["architecture"], g.Key["environment"], g.Median, g.N)).ToArray(),
            "architecture", "environment", Metric.EnergyPerSample.Name, Metric.EnergyPerSample.Unit, "Median energy per seen image"));
        report.AddFigure("Energy per image per configuration", "box-plots.png", ComparisonPlots.BoxPlots(analysis, "Energy per seen image"));
        ComparisonReport.AddComparison(report, analysis, rec.Chosen.Label);
        AddEstimateVsActual(report, analysis, predicted);

        // One real power trace of the recommended configuration (the data has no epoch boundaries).
        string? folder = rec.Chosen.Key.GetValueOrDefault("environment") switch
        {
            "Cloud" => "cloud",
            "Local ML Engineer/Gamer" => "local-v2",
            _ => null,
        };
        string traces = Path.Combine(directory, "traces", folder ?? "none", rec.Chosen.Key["architecture"]);
        string? trace = Directory.Exists(traces)
            ? Directory.EnumerateFiles(traces, "gpu-power-*.csv.gz", SearchOption.AllDirectories)
                .Order(StringComparer.Ordinal).FirstOrDefault()
            : null;
        if (trace is not null)
        {
            var read = NvidiaSmiCsv.ReadFile(trace);
            var series = read.Devices.Select(d =>
            {
                var points = d.Samples.Where(s => s.Power is not null).ToArray();
                var t0 = points.Length > 0 ? points[0].Timestamp : default;
                return new PowerSeries(d.GpuName ?? d.Device, points.Select(p => (p.Timestamp - t0).TotalSeconds).ToArray(), points.Select(p => p.Power!.Value.Watts).ToArray());
            }).ToArray();
            report.AddPlot("Power timeline (one run)", "power-timeline.png", ReportPlots.PowerTimeline(series, [], Path.GetFileName(trace)),
                $"GPU power of {Path.GetRelativePath(directory, trace)}; this data set has no epoch boundaries.");
        }

        return report;
    }
}
