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
/// primary held-out scores; <c>Intervals</c> maps each held-out protocol to its 90 % conformal |ln(actual/predicted)| quantile.
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
    public double Predict(RunDescription run)
    {
        var z = new Standardizer(Mean, Sd).Transform(FeatureMaps.Compute(FeatureMap, Target, run));
        return TargetTransforms.Inverse(Transform, new LinearFit(Intercept, Coefficients).Predict(z), run);
    }
}

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

    /// <summary>The file (or "default") the model was read from, named in errors; null for a model fitted in memory.</summary>
    public string? Source { get; init; }

    /// <summary>The model file format this reader reads (and <see cref="ToJson"/> writes).</summary>
    public const int FormatVersion = 1;

    public string Description => string.Create(CultureInfo.InvariantCulture,
        $"TrainWatt {Models[PreTarget.EpochEnergy].Family} model v{Version}, fitted {CreatedUtc:yyyy-MM-dd} on {FittedOn}; held-out power MAPE {Models[PreTarget.Power].Scores.Metrics.MapePercent:0.#} % ({Models[PreTarget.Power].Scores.Protocol})");

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
        double q = energyModel.Scores.IntervalLogQuantile;
        return new PreEstimate(power, energy, duration, Math.Exp(-q), Math.Exp(q), string.Create(CultureInfo.InvariantCulture,
            $"split-conformal {Coverage:P0} interval from {energyModel.Scores.Protocol} residuals of the epoch-energy model (|ln(actual/predicted)| <= {q:0.###})"))
        {
            Alternatives = energyModel.Intervals.Select(kv => new PreInterval(kv.Key, Math.Exp(-kv.Value), Math.Exp(kv.Value))).ToList(),
        };
    }

    /// <summary>One target's prediction, refused unless it is a positive, finite value (never a silent 0 W).</summary>
    private double Predicted(PreTarget target, RunDescription run)
    {
        double value = Models[target].Predict(run);
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
                        ?? new Dictionary<string, double>(StringComparer.Ordinal) { [(string)s["protocol"]!] = (double)s["interval_log_q90"]! });
                if (!FeatureMaps.All.Contains(model.FeatureMap))
                {
                    throw new PreModelException($"{source}: models.{target.Name()}.feature_map \"{model.FeatureMap}\" is unknown; a model file uses {Choices(FeatureMaps.All)}.");
                }

                if (!TargetTransforms.All.Contains(model.Transform))
                {
                    throw new PreModelException($"{source}: models.{target.Name()}.target_transform \"{model.Transform}\" is unknown; a model file uses {Choices(TargetTransforms.All)}.");
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
                (string)root["fitted_on"]!, (int)root["n_rows"]!, (string)root["method"]!, (string?)root["credit"] ?? "", models) { Source = source };
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NullReferenceException or FormatException or ArgumentException)
        {
            throw new PreModelException($"{source}: malformed PRE model file ({ex.Message}).");
        }
    }

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

        Quantile("held_out.interval_log_q90", model.Scores.IntervalLogQuantile);
        foreach (var (protocol, q) in model.Intervals)
        {
            Quantile($"intervals_log_q90.{protocol}", q);
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
            TargetTransforms.Log => (Math.Exp(b), $"e^{Text(b)}"),
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
            };
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
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static string Choices(IReadOnlyList<string> names) => string.Join(", ", names.Take(names.Count - 1)) + " or " + names[^1];

    private static JsonArray Numbers(double[] values) => new(values.Select(v => (JsonNode)v!).ToArray());
}

/// <summary>Fits a <see cref="CompactPreModel"/> from rows: one affine family per target, with held-out scores and a conformal interval.</summary>
public static class PreTrainer
{
    public static CompactPreModel Fit(IReadOnlyList<PreRow> rows, PreModelFamily family, int version, DateTimeOffset created, string fittedOn, string credit, SearchSettings? settings = null)
    {
        settings ??= SearchSettings.Default;
        bool byArchitecture = rows.Select(r => r.Architecture).Distinct().Count() >= 3;
        var protocol = byArchitecture ? EvaluationProtocol.LeaveArchitectureOut : EvaluationProtocol.KFold;
        int needed = MinimumRows(family);
        if (rows.Count < needed)
        {
            throw new ArgumentException($"Need at least {needed} measured runs to fit and score a {family.Name} model (features + 1, and at least 5 for the held-out scores); got {rows.Count}.");
        }

        var protocols = new List<EvaluationProtocol> { EvaluationProtocol.KFold };
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
            var linear = fitted.Linear ?? throw new ArgumentException($"Family {family.Name} is not affine; only affine families can be exported as compact models.");
            HeldOutScores? scores = null;
            var intervals = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var heldOut in protocols)
            {
                var actual = new List<double>();
                var predicted = new List<double>();
                foreach (var (train, test) in PreEvaluation.Splits(rows, heldOut, settings.Seed))
                {
                    var m = family.Fit(train.Select(i => rows[i]).ToArray(), target, settings);
                    foreach (int i in test)
                    {
                        actual.Add(rows[i].Value(target));
                        predicted.Add(m.Predict(rows[i].Run));
                    }
                }

                double q = ConformalLogQuantile(actual, predicted, CompactPreModel.Coverage);
                intervals[heldOut.Name()] = q;
                if (heldOut == protocol)
                {
                    scores = new HeldOutScores(protocol.Name(), RegressionMetrics.Compute(actual, predicted), q);
                }
            }

            models[target] = new CompactTargetModel(target, family.Name, fitted.FeatureMap, fitted.Transform, FeatureMaps.Names(fitted.FeatureMap, target),
                fitted.Scaler.Mean, fitted.Scaler.Sd, linear.Intercept, linear.Weights, fitted.Hyperparameters.GetValueOrDefault("alpha"), scores!, intervals);
        }

        string method = $"{family.Name}: {family.Description}; features standardised on the fitting rows; alpha by {settings.Folds}-fold CV (seed {settings.Seed}, lowest RMSE); held-out scores from {protocol.Name()} predictions; 90 % split-conformal intervals from the held-out predictions of {string.Join(", ", protocols.Select(p => p.Name()))}";
        return new CompactPreModel(version, created, fittedOn, rows.Count, method, credit, models);
    }

    /// <summary>The fewest rows <see cref="Fit"/> accepts for a family: its largest feature count + 1, and at least 5.</summary>
    public static int MinimumRows(PreModelFamily family) => Math.Max(5, PreTargets.All.Max(t => FeatureMaps.Names(family.FeatureMap, t).Count) + 1);

    /// <summary>
    /// Split-conformal quantile of |ln(actual/predicted)|: the ⌈(n+1)·coverage⌉-th smallest score (the largest when
    /// that exceeds n). Non-positive predictions count as infinitely wrong.
    /// </summary>
    public static double ConformalLogQuantile(IReadOnlyList<double> actual, IReadOnlyList<double> predicted, double coverage)
    {
        var scores = actual.Select((y, i) => predicted[i] > 0 && y > 0 ? Math.Abs(Math.Log(y / predicted[i])) : double.PositiveInfinity).Order().ToArray();
        int k = (int)Math.Ceiling((scores.Length + 1) * coverage);
        return scores[Math.Min(k, scores.Length) - 1];
    }
}
