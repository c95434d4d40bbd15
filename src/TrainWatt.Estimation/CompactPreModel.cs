using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TrainWatt.Core.Units;
using TrainWatt.Estimation.Numerics;

namespace TrainWatt.Estimation;

/// <summary>Held-out scores of a fitted model, as stored in a model file.</summary>
/// <param name="Protocol">How the held-out predictions were made (e.g. leave-architecture-out).</param>
/// <param name="Metrics">Scores of those predictions.</param>
/// <param name="IntervalLogQuantile">q such that |ln(y/ŷ)| ≤ q for the conformal share of held-out rows.</param>
public sealed record HeldOutScores(string Protocol, RegressionMetrics Metrics, double IntervalLogQuantile);

/// <summary>
/// One target's affine model on standardised, named features, with its transform (a few numbers). <c>Scores</c> are the
/// primary held-out scores; <c>Intervals</c> maps each held-out protocol to its 90 % conformal |ln(actual/predicted)|
/// quantile (calibrated per group: <see cref="GroupConformal"/>) and <see cref="IntervalCoverage"/> to the share of
/// held-out groups' runs that the interval covered when calibrated without them. A
/// <see cref="TargetTransforms.PowerTimesDuration"/> model has no features: it is the power model × the duration model.
/// </summary>
public sealed record CompactTargetModel(
    PreTarget Target,
    string Family,
    string FeatureMap,
    string Transform,
    IReadOnlyList<string> FeatureNames,
    double[] Mean,
    double[] Sd,
    double Intercept,
    double[] Coefficients,
    double Alpha,
    HeldOutScores Scores,
    IReadOnlyDictionary<string, double> Intervals)
{
    /// <summary>Held-out coverage of each protocol's interval (group mean; empty for files written before it was recorded).</summary>
    public IReadOnlyDictionary<string, double> IntervalCoverage { get; init; } = new Dictionary<string, double>(StringComparer.Ordinal);

    /// <summary>Step-time models: the layer count given to a run whose own is unknown.</summary>
    public double AssumedLayers { get; init; } = 1;

    /// <summary>Step-time models: false when the fit had no layer counts (every run then gets <see cref="AssumedLayers"/>).</summary>
    public bool UsesLayers { get; init; } = true;

    /// <summary>The prediction of this target alone; a <see cref="TargetTransforms.PowerTimesDuration"/> model needs the others (<see cref="CompactPreModel"/>).</summary>
    public double Predict(RunDescription run)
    {
        if (Transform == TargetTransforms.PowerTimesDuration)
        {
            throw new InvalidOperationException("A power-x-duration model is the product of the power and duration models; predict it through CompactPreModel.");
        }

        double? layers = FeatureMap == FeatureMaps.StepTime ? StepTimeLayers.For(run, UsesLayers, AssumedLayers) : null;
        var z = new Standardizer(Mean, Sd).Transform(FeatureMaps.Compute(FeatureMap, Target, run, layers));
        return TargetTransforms.Inverse(Transform, new LinearFit(Intercept, Coefficients).Predict(z), run);
    }
}

/// <summary>A closed range of a feature in the fitting data.</summary>
public sealed record ValueRange(double Min, double Max)
{
    public bool Contains(double value) => value >= Min && value <= Max;
}

/// <summary>
/// What a model was fitted on, as far as its estimates need to know: the architectures and GPUs it has seen (a run
/// of either gets the matching interval) and each feature's range (a run outside gets a warning naming it).
/// </summary>
/// <param name="Architectures">Architecture names with their layer counts (null when unknown).</param>
/// <param name="Gpus">GPU names with their FP32 peak, the spec's year and source.</param>
/// <param name="Ranges">Feature ranges by key: input_px, batch_size, train_samples, val_samples, gflops, layers, fp32_tflops.</param>
/// <param name="Source">Where the rows come from.</param>
/// <param name="Year">When they were measured.</param>
/// <param name="LayersSource">How the layer counts were obtained.</param>
public sealed record TrainingDataSummary(
    IReadOnlyDictionary<string, int?> Architectures,
    IReadOnlyList<GpuSummary> Gpus,
    IReadOnlyDictionary<string, ValueRange> Ranges,
    string Source,
    string Year,
    string LayersSource)
{
    /// <summary>Layer counts: weight layers as TrainWatt's FLOPs counter counts them.</summary>
    public const string CountedLayers = "weight layers (Conv/Gemm/MatMul nodes) counted by TrainWatt's FLOPs counter (src/TrainWatt.Architecture) on its catalog network of each architecture, or on the run's ONNX file";

    /// <summary>Range keys, in the order warnings are given.</summary>
    public static IReadOnlyList<string> RangeKeys { get; } = ["input_px", "batch_size", "train_samples", "val_samples", "gflops", "layers", "fp32_tflops"];

    public static TrainingDataSummary From(IReadOnlyList<PreRow> rows, string source, string year)
    {
        ValueRange Range(Func<PreRow, IEnumerable<double>> values) => rows.SelectMany(values).ToArray() is { Length: > 0 } v ? new(v.Min(), v.Max()) : new(double.NaN, double.NaN);
        var ranges = new Dictionary<string, ValueRange>(StringComparer.Ordinal)
        {
            ["input_px"] = Range(r => [r.Run.ImageHeight, r.Run.ImageWidth]),
            ["batch_size"] = Range(r => [r.Run.BatchSize]),
            ["train_samples"] = Range(r => [r.Run.TrainSamples]),
            ["val_samples"] = Range(r => [r.Run.ValidationSamples]),
            ["gflops"] = Range(r => [r.Run.Gflops]),
            ["layers"] = Range(r => r.Run.Layers is { } l ? [l] : []),
            ["fp32_tflops"] = Range(r => [r.Run.Gpu.Fp32Teraflops]),
        };
        return new TrainingDataSummary(
            rows.GroupBy(r => r.Architecture, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Select(r => r.Run.Layers).FirstOrDefault(l => l is not null), StringComparer.Ordinal),
            rows.GroupBy(r => r.GpuName, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new GpuSummary(g.Key, g.First().Run.Gpu.Fp32Teraflops, g.First().Run.Gpu.Year, g.First().Run.Gpu.Source)).ToList(),
            ranges.Where(kv => double.IsFinite(kv.Value.Min)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
            source, year, CountedLayers);
    }

    /// <summary>True when the run names an architecture of the fitting data (compared ignoring case and punctuation: mobilenet_v2 = mobilenetv2).</summary>
    public bool HasArchitecture(string? name) => name is not null && Architectures.Keys.Any(a => Key(a) == Key(name));

    public bool HasGpu(string name) => Gpus.Any(g => string.Equals(g.Name, name, StringComparison.OrdinalIgnoreCase));

    private static string Key(string s) => new(s.ToLowerInvariant().Where(char.IsLetterOrDigit).ToArray());

    /// <summary>One line per feature of the run outside the fitting data's range, naming the feature and the range.</summary>
    public IReadOnlyList<string> OutOfRange(RunDescription run)
    {
        static string N(double v) => v.ToString(v >= 1000 ? "#,0" : "0.####", CultureInfo.InvariantCulture);
        string Span(string key) => $"{N(Ranges[key].Min)}-{N(Ranges[key].Max)}";
        bool Outside(string key, double v) => Ranges.TryGetValue(key, out var r) && !r.Contains(v);
        var lines = new List<string>();
        foreach (string key in RangeKeys)
        {
            string? line = key switch
            {
                "input_px" when Outside(key, run.ImageHeight) || Outside(key, run.ImageWidth) =>
                    $"input {run.ImageHeight}x{run.ImageWidth} is outside the training data's {Span(key)} px",
                "batch_size" when Outside(key, run.BatchSize) => $"batch {run.BatchSize} is outside the training data's {Span(key)} samples",
                "train_samples" when Outside(key, run.TrainSamples) => $"{N(run.TrainSamples)} training samples is outside the training data's {Span(key)}",
                "val_samples" when Outside(key, run.ValidationSamples) => $"{N(run.ValidationSamples)} validation samples is outside the training data's {Span(key)}",
                "gflops" when Outside(key, run.Gflops) => $"{N(run.Gflops)} GFLOPs is outside the training data's {Span(key)} GFLOPs",
                "layers" when run.Layers is { } l && Outside(key, l) => $"{l} layers is outside the training data's {Span(key)} layers",
                "fp32_tflops" when Outside(key, run.Gpu.Fp32Teraflops) => $"the {run.Gpu.Name}'s {N(run.Gpu.Fp32Teraflops)} FP32 TFLOPS is outside the training data's {Span(key)} TFLOPS",
                _ => null,
            };
            if (line is not null)
            {
                lines.Add(line + "; the estimate extrapolates and its error can exceed the interval");
            }
        }

        return lines;
    }
}

/// <summary>A GPU of the fitting data: name, FP32 peak, and the year and source of the spec.</summary>
public sealed record GpuSummary(string Name, double Fp32Teraflops, int Year, string Source);

/// <summary>
/// A versioned set of compact PRE models (power, epoch energy, epoch duration) with provenance: what it was fitted
/// on, how, when, and its held-out error. Serialised as <c>trainwatt-pre-model</c> JSON (format 1).
/// </summary>
public sealed record CompactPreModel(
    int Version,
    DateTimeOffset CreatedUtc,
    string FittedOn,
    int Rows,
    string Method,
    string Credit,
    IReadOnlyDictionary<PreTarget, CompactTargetModel> Models,
    string? Origin = null) : IPreEstimator
{
    public const string Format = "trainwatt-pre-model";

    /// <summary>Share of held-out rows the interval is calibrated to cover.</summary>
    public const double Coverage = 0.90;

    public string Name => Origin ?? $"v{Version}";

    /// <summary>What the model was fitted on (null for files written before it was recorded: no range warnings, one interval for all runs).</summary>
    public TrainingDataSummary? Training { get; init; }

    /// <summary>The file (or "default") the model was read from, named in errors; null for a model fitted in memory.</summary>
    public string? Source { get; init; }

    /// <summary>The model file format this reader reads (and <see cref="ToJson"/> writes).</summary>
    public const int FormatVersion = 1;

    public string Description => string.Create(CultureInfo.InvariantCulture,
        $"TrainWatt {Models[PreTarget.EpochDuration].Family} model v{Version}, fitted {CreatedUtc:yyyy-MM-dd} on {FittedOn}; held-out power MAPE {Models[PreTarget.Power].Scores.Metrics.MapePercent:0.#} % ({Models[PreTarget.Power].Scores.Protocol})");

    /// <summary>TrainWatt's shipped default model (data/pre-default-model.json, embedded).</summary>
    public static CompactPreModel Default => _defaultModel.Value;

    private static readonly Lazy<CompactPreModel> _defaultModel = new(() =>
    {
        using var stream = typeof(CompactPreModel).Assembly.GetManifestResourceStream("TrainWatt.Estimation.pre-default-model.json")
            ?? throw new InvalidOperationException("The embedded default PRE model is missing from TrainWatt.Estimation; rebuild.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), "default") with { Origin = "default" };
    });

    public PreEstimate Estimate(RunDescription run)
    {
        var power = Power.FromWatts(Predicted(PreTarget.Power, run));
        var energyModel = Models[PreTarget.EpochEnergy];
        var energy = Energy.FromJoules(Predicted(PreTarget.EpochEnergy, run));
        var duration = TimeSpan.FromSeconds(Predicted(PreTarget.EpochDuration, run));
        var (protocol, q, why) = ChooseInterval(run, energyModel);
        string coverage = energyModel.IntervalCoverage.TryGetValue(protocol, out double c)
            ? c >= Coverage - 1e-9
                ? string.Create(CultureInfo.InvariantCulture, $"; held-out coverage {c:P0} (nominal {Coverage:P0})")
                : string.Create(CultureInfo.InvariantCulture, $"; held-out coverage {c:P0}, {100 * (Coverage - c):0.#} points short of the nominal {Coverage:P0}")
            : "";
        string weighting = Training is null ? "" : $", each {CalibrationUnit(protocol)} weighted equally";
        var warnings = new List<string>();
        var durationModel = Models[PreTarget.EpochDuration];
        if (durationModel.FeatureMap == FeatureMaps.StepTime && durationModel.UsesLayers && run.Layers is null)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"the layer count is unknown (GFLOPs given): the per-step overhead assumes {durationModel.AssumedLayers:0.#} weight layers, the median of the training architectures; give --arch or --model to count them"));
        }

        if (Training is not null)
        {
            warnings.AddRange(Training.OutOfRange(run));
        }

        return new PreEstimate(power, energy, duration, Math.Exp(-q), Math.Exp(q), string.Create(CultureInfo.InvariantCulture,
            $"split-conformal {Coverage:P0} interval from {protocol} held-out residuals of the epoch-energy model{weighting} (|ln(actual/predicted)| <= {q:0.###}){why}{coverage}"))
        {
            Alternatives = energyModel.Intervals.Select(kv => new PreInterval(kv.Key, Math.Exp(-kv.Value), Math.Exp(kv.Value))).ToList(),
            IntervalProtocol = protocol,
            IntervalCoverage = energyModel.IntervalCoverage.TryGetValue(protocol, out double cov) ? cov : null,
            Warnings = warnings,
        };
    }

    private static string CalibrationUnit(string protocol) => protocol switch
    {
        "leave-architecture-out" => "architecture",
        "leave-gpu-out" => "GPU",
        "leave-image-size-out" => "input size",
        "leave-batch-out" => "batch size",
        _ => "configuration",
    };

    /// <summary>
    /// The interval for a run by what the fitting data has seen of it: architecture and GPU both seen → grouped-kfold (a
    /// new configuration of known parts); a new architecture → leave-architecture-out; a new GPU → leave-gpu-out; both
    /// new → the wider of the two (no held-out data measures both at once). Files without <see cref="Training"/> or
    /// without the protocol's quantile use the primary held-out protocol's.
    /// </summary>
    private (string Protocol, double Q, string Why) ChooseInterval(RunDescription run, CompactTargetModel energy)
    {
        var fallback = (energy.Scores.Protocol, energy.Scores.IntervalLogQuantile, "");
        if (Training is null)
        {
            return fallback;
        }

        bool arch = Training.HasArchitecture(run.Architecture), gpu = Training.HasGpu(run.Gpu.Name);
        string archText = run.Architecture is null ? "the architecture is unknown (GFLOPs given)" : $"{run.Architecture} is {(arch ? "" : "not ")}in the training data";
        string gpuText = $"the {run.Gpu.Name} is {(gpu ? "" : "not ")}in the training data";
        string why = $": {archText}, {gpuText}";
        (string, double, string)? Named(string protocol) => energy.Intervals.TryGetValue(protocol, out double q) ? (protocol, q, why) : null;
        var choice = (arch, gpu) switch
        {
            (true, true) => Named(EvaluationProtocol.GroupedKFold.Name()) ?? Named(EvaluationProtocol.KFold.Name()),
            (false, true) => Named(EvaluationProtocol.LeaveArchitectureOut.Name()),
            (true, false) => Named(EvaluationProtocol.LeaveGpuOut.Name()),
            _ => new[] { Named(EvaluationProtocol.LeaveArchitectureOut.Name()), Named(EvaluationProtocol.LeaveGpuOut.Name()) }
                .Where(n => n is not null).MaxBy(n => n!.Value.Item2),
        };
        return choice ?? fallback;
    }

    /// <summary>One target's prediction, refused unless it is a positive, finite value (never a silent 0 W).</summary>
    private double Predicted(PreTarget target, RunDescription run)
    {
        double value = Models[target].Transform == TargetTransforms.PowerTimesDuration
            ? Predicted(PreTarget.Power, run) * Predicted(PreTarget.EpochDuration, run)
            : Models[target].Predict(run);
        return value > 0 && double.IsFinite(value) && (target != PreTarget.EpochDuration || value <= TimeSpan.MaxValue.TotalSeconds)
            ? value
            : throw new PreModelException(string.Create(CultureInfo.InvariantCulture,
                $"{Source ?? Name}: models.{target.Name()} predicts {value:G4} {target.Unit()} for this run; a model must predict a positive, finite value: check the run's figures, or re-fit the model."));
    }

    public static CompactPreModel Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new PreModelException($"Model file not found: {path}.");
        }

        return Parse(File.ReadAllText(path), path) with { Origin = null };
    }

    public static CompactPreModel Parse(string json, string source)
    {
        try
        {
            var root = JsonNode.Parse(json)?.AsObject() ?? throw new PreModelException($"{source}: not a JSON object.");
            if ((string?)root["format"] != Format)
            {
                throw new PreModelException($"{source}: not a TrainWatt PRE model (\"format\" must be \"{Format}\").");
            }

            int version = root["format_version"] is { } fv
                ? (int)fv
                : throw new PreModelException($"{source}: format_version is missing; this TrainWatt reads format_version {FormatVersion} (the files `trainwatt fit` writes).");
            if (version != FormatVersion)
            {
                throw new PreModelException($"{source}: format_version {version} is not one this TrainWatt reads ({FormatVersion}); upgrade TrainWatt, or export the model again with `trainwatt fit --export`.");
            }

            var models = new Dictionary<PreTarget, CompactTargetModel>();
            var modelsNode = root["models"]?.AsObject() ?? throw new PreModelException($"{source}: missing \"models\".");
            foreach (var target in PreTargets.All)
            {
                var m = modelsNode[target.Name()]?.AsObject() ?? throw new PreModelException($"{source}: missing models.{target.Name()}.");
                double[] Arr(string name) => m[name]?.AsArray().Select(v => v!.GetValue<double>()).ToArray() ?? throw new PreModelException($"{source}: models.{target.Name()}.{name} missing.");
                var s = m["held_out"]!.AsObject();
                var metrics = new RegressionMetrics((double)s["r2"]!, (double)s["mape"]!, (double)s["rmse"]!, (double)s["mae"]!, (int)s["n"]!);
                var model = new CompactTargetModel(
                    target, (string)m["family"]!, (string)m["feature_map"]!, (string)m["target_transform"]!,
                    m["features"]!.AsArray().Select(v => (string)v!).ToArray(), Arr("mean"), Arr("sd"), (double)m["intercept"]!, Arr("coefficients"), (double)m["alpha"]!,
                    new HeldOutScores((string)s["protocol"]!, metrics, (double)s["interval_log_q90"]!),
                    m["intervals_log_q90"]?.AsObject().ToDictionary(kv => kv.Key, kv => (double)kv.Value!, StringComparer.Ordinal)
                        ?? new Dictionary<string, double>(StringComparer.Ordinal) { [(string)s["protocol"]!] = (double)s["interval_log_q90"]! })
                {
                    IntervalCoverage = m["interval_coverage"]?.AsObject().ToDictionary(kv => kv.Key, kv => (double)kv.Value!, StringComparer.Ordinal)
                        ?? new Dictionary<string, double>(StringComparer.Ordinal),
                    AssumedLayers = m["assumed_layers"] is { } al ? (double)al : 1,
                    UsesLayers = m["uses_layers"] is not { } ul || (bool)ul,
                };
                if (!FeatureMaps.All.Contains(model.FeatureMap))
                {
                    throw new PreModelException($"{source}: models.{target.Name()}.feature_map \"{model.FeatureMap}\" is unknown; a model file uses {Choices(FeatureMaps.All)}.");
                }

                if (!TargetTransforms.All.Contains(model.Transform))
                {
                    throw new PreModelException($"{source}: models.{target.Name()}.target_transform \"{model.Transform}\" is unknown; a model file uses {Choices(TargetTransforms.All)}.");
                }

                if (model.Transform == TargetTransforms.PowerTimesDuration && target != PreTarget.EpochEnergy)
                {
                    throw new PreModelException($"{source}: models.{target.Name()}.target_transform \"{TargetTransforms.PowerTimesDuration}\" is for epoch-energy only (energy = power x duration); {target.Name()} needs a model of its own.");
                }

                CheckNumbers(source, target, model);
                var expected = FeatureMaps.Names(model.FeatureMap, target);
                if (!expected.SequenceEqual(model.FeatureNames) || model.Mean.Length != expected.Count || model.Sd.Length != expected.Count || model.Coefficients.Length != expected.Count)
                {
                    throw new PreModelException($"{source}: models.{target.Name()} has features [{string.Join(", ", model.FeatureNames)}] but feature map '{model.FeatureMap}' needs [{string.Join(", ", expected)}] with one mean, sd and coefficient each.");
                }

                models[target] = model;
            }

            return new CompactPreModel(
                (int)root["version"]!, DateTimeOffset.Parse((string)root["created_utc"]!, CultureInfo.InvariantCulture),
                (string)root["fitted_on"]!, (int)root["n_rows"]!, (string)root["method"]!, (string?)root["credit"] ?? "", models)
            { Source = source, Training = root["training_data"] is JsonObject t ? ParseTraining(t) : null };
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NullReferenceException or FormatException or ArgumentException)
        {
            throw new PreModelException($"{source}: malformed PRE model file ({ex.Message}).");
        }
    }

    private static TrainingDataSummary ParseTraining(JsonObject t) => new(
        t["architectures"]!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value is null ? null : (int?)(int)kv.Value, StringComparer.Ordinal),
        t["gpus"]!.AsArray().Select(g => new GpuSummary((string)g!["name"]!, (double)g["fp32_tflops"]!, (int)g["year"]!, (string)g["source"]!)).ToList(),
        t["ranges"]!.AsObject().ToDictionary(kv => kv.Key, kv => new ValueRange((double)kv.Value!["min"]!, (double)kv.Value["max"]!), StringComparer.Ordinal),
        (string)t["source"]!, (string)t["year"]!, (string)t["layers_source"]!);

    /// <summary>
    /// The numbers of one target that would give wrong estimates: an interval quantile below 0 (an inverted interval),
    /// a standard deviation that is not > 0, an intercept that predicts 0 or infinity for the fitting rows' average run.
    /// </summary>
    private static void CheckNumbers(string source, PreTarget target, CompactTargetModel model)
    {
        string at = $"{source}: models.{target.Name()}";
        static string Text(double v) => v.ToString(CultureInfo.InvariantCulture);
        void Quantile(string key, double q)
        {
            if (!(q >= 0) || !double.IsFinite(q))
            {
                throw new PreModelException($"{at}.{key} is {Text(q)}; it is a quantile of |ln(actual/predicted)| and must be a finite number >= 0 (a negative one inverts the interval).");
            }
        }

        if (string.IsNullOrWhiteSpace(model.Scores.Protocol))
        {
            throw new PreModelException($"{at}.held_out.protocol is missing or empty; it names the protocol that scored the model (e.g. \"{EvaluationProtocol.GroupedKFold.Name()}\"): export the model again with `trainwatt fit --export`.");
        }

        Quantile("held_out.interval_log_q90", model.Scores.IntervalLogQuantile);
        foreach (var (protocol, q) in model.Intervals)
        {
            Quantile($"intervals_log_q90.{protocol}", q);
        }

        foreach (var (protocol, c) in model.IntervalCoverage)
        {
            if (!(c >= 0 && c <= 1))
            {
                throw new PreModelException($"{at}.interval_coverage.{protocol} is {Text(c)}; it is a share of held-out runs and must be from 0 to 1.");
            }
        }

        if (!(model.AssumedLayers > 0) || !double.IsFinite(model.AssumedLayers))
        {
            throw new PreModelException($"{at}.assumed_layers is {Text(model.AssumedLayers)}; it is a layer count and must be a finite number > 0.");
        }

        if (model.Transform == TargetTransforms.PowerTimesDuration)
        {
            return; // no coefficients of its own: the power and duration models are checked as themselves
        }

        for (int i = 0; i < model.Sd.Length; i++)
        {
            if (!(model.Sd[i] > 0) || !double.IsFinite(model.Sd[i]))
            {
                throw new PreModelException($"{at}.sd[{i}] is {Text(model.Sd[i])}; a standard deviation must be a finite number > 0 (features are divided by it).");
            }
        }

        // Standardised features are 0 at the fitting rows' average: the prediction there is the intercept, transformed back.
        string quantity = target switch { PreTarget.Power => "power", PreTarget.EpochEnergy => "energy", _ => "duration" };
        double b = model.Intercept;
        (double value, string formula) = model.Transform switch
        {
            TargetTransforms.Log or TargetTransforms.LogCappedAtTdp => (Math.Exp(b), $"e^{Text(b)}"),
            TargetTransforms.LogPerSample => (Math.Exp(b), $"e^{Text(b)} per sample"),
            TargetTransforms.TdpFraction => (b, $"{Text(b)} x TDP"),
            _ => (b, $"{Text(b)} {target.Unit()}"),
        };
        if (!(value > 0) || !double.IsFinite(value))
        {
            string predicts = double.IsPositiveInfinity(value) ? $"an infinite {quantity}" : value == 0 ? $"0 {target.Unit()}" : $"a {quantity} <= 0";
            throw new PreModelException($"{at}.intercept {Text(b)} predicts {predicts} at the fitting rows' average ({model.Transform} transform: {formula}); a model must predict a positive, finite {quantity}: re-fit it.");
        }
    }

    public string ToJson()
    {
        var models = new JsonObject();
        foreach (var (target, m) in Models.OrderBy(kv => kv.Key))
        {
            models[target.Name()] = new JsonObject
            {
                ["unit"] = target.Unit(),
                ["family"] = m.Family,
                ["feature_map"] = m.FeatureMap,
                ["target_transform"] = m.Transform,
                ["features"] = new JsonArray(m.FeatureNames.Select(n => (JsonNode)n!).ToArray()),
                ["mean"] = Numbers(m.Mean),
                ["sd"] = Numbers(m.Sd),
                ["intercept"] = m.Intercept,
                ["coefficients"] = Numbers(m.Coefficients),
                ["alpha"] = m.Alpha,
                ["held_out"] = new JsonObject
                {
                    ["protocol"] = m.Scores.Protocol,
                    ["r2"] = m.Scores.Metrics.R2,
                    ["mape"] = m.Scores.Metrics.MapePercent,
                    ["rmse"] = m.Scores.Metrics.Rmse,
                    ["mae"] = m.Scores.Metrics.Mae,
                    ["n"] = m.Scores.Metrics.Count,
                    ["interval_log_q90"] = m.Scores.IntervalLogQuantile,
                },
                ["intervals_log_q90"] = new JsonObject(m.Intervals.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
                ["interval_coverage"] = new JsonObject(m.IntervalCoverage.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
            };
            if (m.FeatureMap == FeatureMaps.StepTime)
            {
                models[target.Name()]!["assumed_layers"] = m.AssumedLayers;
                models[target.Name()]!["uses_layers"] = m.UsesLayers;
            }
        }

        var root = new JsonObject
        {
            ["format"] = Format,
            ["format_version"] = FormatVersion,
            ["version"] = Version,
            ["created_utc"] = CreatedUtc.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["fitted_on"] = FittedOn,
            ["n_rows"] = Rows,
            ["method"] = Method,
            ["credit"] = Credit,
            ["note"] = "mape is in per cent; held_out scores are pooled over held-out rows of the fitting data",
            ["models"] = models,
        };
        if (Training is { } t)
        {
            root["training_data"] = new JsonObject
            {
                ["source"] = t.Source,
                ["year"] = t.Year,
                ["architectures"] = new JsonObject(t.Architectures.Select(kv => KeyValuePair.Create(kv.Key, kv.Value is { } l ? (JsonNode?)l : null))),
                ["layers_source"] = t.LayersSource,
                ["gpus"] = new JsonArray(t.Gpus.Select(g => (JsonNode)new JsonObject
                {
                    ["name"] = g.Name, ["fp32_tflops"] = g.Fp32Teraflops, ["year"] = g.Year, ["source"] = g.Source,
                }).ToArray()),
                ["ranges"] = new JsonObject(t.Ranges.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)new JsonObject { ["min"] = kv.Value.Min, ["max"] = kv.Value.Max }))),
            };
        }

        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static string Choices(IReadOnlyList<string> names) => string.Join(", ", names.Take(names.Count - 1)) + " or " + names[^1];

    private static JsonArray Numbers(double[] values) => new(values.Select(v => (JsonNode)v!).ToArray());
}

/// <summary>
/// Fits a <see cref="CompactPreModel"/> from rows: one model per target (affine, or the power × duration product),
/// with held-out scores and group-calibrated conformal intervals (<see cref="GroupConformal"/>).
/// </summary>
public static class PreTrainer
{
    /// <summary>Fits every target and scores it; <paramref name="dataYear"/> (when the rows were measured) is recorded with the file's training data.</summary>
    public static CompactPreModel Fit(IReadOnlyList<PreRow> rows, PreModelFamily family, int version, DateTimeOffset created, string fittedOn, string credit, SearchSettings? settings = null, string? dataYear = null)
    {
        settings ??= SearchSettings.Default;
        bool byArchitecture = rows.Select(r => r.Architecture).Distinct().Count() >= 3;
        bool byConfiguration = rows.Select(PreEvaluation.Configuration).Distinct(StringComparer.Ordinal).Count() >= 2;
        var like = byConfiguration ? EvaluationProtocol.GroupedKFold : EvaluationProtocol.KFold;
        var protocol = byArchitecture ? EvaluationProtocol.LeaveArchitectureOut : like;
        int needed = MinimumRows(family);
        if (rows.Count < needed)
        {
            throw new ArgumentException($"Need at least {needed} measured runs to fit and score a {family.Name} model (features + 1, and at least 5 for the held-out scores); got {rows.Count}.");
        }

        var protocols = new List<EvaluationProtocol> { like };
        if (rows.Select(r => r.GpuName).Distinct().Count() >= 2)
        {
            protocols.Add(EvaluationProtocol.LeaveGpuOut);
        }

        if (byArchitecture)
        {
            protocols.Add(EvaluationProtocol.LeaveArchitectureOut);
        }

        var models = new Dictionary<PreTarget, CompactTargetModel>();
        foreach (var target in PreTargets.All)
        {
            var fitted = family.Fit(rows, target, settings);
            bool product = fitted.Transform == TargetTransforms.PowerTimesDuration;
            var linear = product ? new LinearFit(0, []) : fitted.Linear ?? throw new ArgumentException($"Family {family.Name} is not affine; only affine families can be exported as compact models.");
            HeldOutScores? scores = null;
            var intervals = new Dictionary<string, double>(StringComparer.Ordinal);
            var coverage = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var heldOut in protocols)
            {
                var actual = new List<double>();
                var predicted = new List<double>();
                var groups = new List<string>();
                foreach (var (train, test) in PreEvaluation.Splits(rows, heldOut, settings.Seed))
                {
                    var m = family.Fit(train.Select(i => rows[i]).ToArray(), target, settings);
                    foreach (int i in test)
                    {
                        actual.Add(rows[i].Value(target));
                        predicted.Add(m.Predict(rows[i].Run));
                        groups.Add(PreEvaluation.CalibrationGroup(heldOut, rows[i]));
                    }
                }

                var calibration = GroupConformal.Calibrate(actual, predicted, groups, CompactPreModel.Coverage);
                intervals[heldOut.Name()] = calibration.LogQuantile;
                coverage[heldOut.Name()] = calibration.GroupCoverage;
                if (heldOut == protocol)
                {
                    scores = new HeldOutScores(protocol.Name(), RegressionMetrics.Compute(actual, predicted), calibration.LogQuantile);
                }
            }

            string map = fitted.FeatureMap;
            models[target] = new CompactTargetModel(target, family.Name, map, fitted.Transform, FeatureMaps.Names(map, target),
                fitted.Scaler.Mean, fitted.Scaler.Sd, linear.Intercept, linear.Weights, fitted.Hyperparameters.GetValueOrDefault("alpha"), scores!, intervals)
            {
                IntervalCoverage = coverage,
                AssumedLayers = fitted.AssumedLayers,
                UsesLayers = fitted.UsesLayers,
            };
        }

        string method = $"{family.Name}: {family.Description}; features standardised on the fitting rows; alpha by {settings.Folds}-fold CV (seed {settings.Seed}, lowest RMSE); held-out scores from {protocol.Name()} predictions; 90 % split-conformal intervals from the held-out predictions of {string.Join(", ", protocols.Select(p => p.Name()))}, each held-out group (configuration, GPU, architecture) weighted equally";
        return new CompactPreModel(version, created, fittedOn, rows.Count, method, credit, models)
        {
            Training = TrainingDataSummary.From(rows, string.IsNullOrWhiteSpace(credit) ? fittedOn : credit, dataYear ?? "not recorded (trainwatt fit --data-year)"),
        };
    }

    /// <summary>The fewest rows <see cref="Fit"/> accepts for a family: its largest feature count + 1, and at least 5.</summary>
    public static int MinimumRows(PreModelFamily family) => Math.Max(5, PreTargets.All.Max(t => FeatureMaps.Names(family.FeatureMapFor(t), t).Count) + 1);

    /// <summary>
    /// Split-conformal quantile of |ln(actual/predicted)| with every row its own group: the ⌈(n+1)·coverage⌉-th
    /// smallest score (the largest when that exceeds n). Non-positive predictions count as infinitely wrong.
    /// </summary>
    public static double ConformalLogQuantile(IReadOnlyList<double> actual, IReadOnlyList<double> predicted, double coverage)
    {
        var scores = actual.Select((y, i) => GroupConformal.Score(y, predicted[i])).Order().ToArray();
        int k = (int)Math.Ceiling((scores.Length + 1) * coverage);
        return scores[Math.Min(k, scores.Length) - 1];
    }
}
