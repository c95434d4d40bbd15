using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using TrainWatt.Measurement;
using TrainWatt.Telemetry;
using TrainWatt.Core.Epochs;
using TrainWatt.Core.Footprint;
using TrainWatt.Core.Projection;
using TrainWatt.Core.Reference;
using TrainWatt.Meters;
using TrainWatt.Meters.Processes;
using TrainWatt.Meters.Sampling;
using TrainWatt.Storage;

using TrainWatt.Core.Units;

namespace TrainWatt.Cli.Commands;

/// <summary>
/// <c>trainwatt measure [options] -- COMMAND [ARGS...]</c>: runs a training command under measurement and records it.
/// </summary>
/// <remarks>
/// <para>Output: the command's stdout/stderr pass through unchanged. TrainWatt's own lines go to stderr with a
/// "trainwatt:" prefix. Progress (<c>--progress</c>): <c>auto</c> prints a status line every 10 s when stderr is a
/// terminal and nothing while the command runs otherwise (batch logs stay the command's own); <c>lines</c> always
/// prints them; <c>quiet</c> never. The summary is printed at the end in every mode.</para>
/// <para>Exit code: the command's own (128+N when signal N killed it). TrainWatt's failures: 64 usage, 69 no meter,
/// 73 store, 126 command not executable, 127 command not found.</para>
/// </remarks>
internal static class MeasureCommand
{
    private static readonly TimeSpan StatusInterval = TimeSpan.FromSeconds(10);

    public static Command Create(CliContext context)
    {
        var interval = new Option<string>("--interval") { Description = "Sampling interval: 100ms (default), 0.5s, 1s.", DefaultValueFactory = _ => "100ms", HelpName = "DURATION" };
        var meters = new Option<string>("--meters")
        {
            Description = "auto (default: NVML or else nvidia-smi, RAPL, and the process meter), or a comma-separated list of nvml, nvidia-smi, rapl, process.",
            DefaultValueFactory = _ => "auto",
            HelpName = "METERS",
        };
        var gpus = new Option<string?>("--gpus") { Description = "GPUs to measure (indices or UUIDs, comma-separated); default: CUDA_VISIBLE_DEVICES, else all.", HelpName = "LIST" };
        var pattern = new Option<string?>("--epoch-pattern")
        {
            Description = "Regular expression: every output line matching it ends an epoch (named groups n and total are read when present).",
            HelpName = "REGEX",
        };
        var framework = new Option<string>("--framework")
        {
            Description = "Epoch convention: auto (default), keras, lightning, hf, marker.",
            DefaultValueFactory = _ => "auto",
            HelpName = "NAME",
        };
        var totalEpochs = new Option<int?>("--total-epochs") { Description = "Planned number of epochs (stored for projections).", HelpName = "N" };
        var maxEpochs = new Option<int?>("--max-epochs") { Description = "Upper bound of the epoch count when early stopping may end the run sooner (live projection).", HelpName = "N" };
        var patience = new Option<int?>("--early-stopping-patience") { Description = "Early-stopping patience in epochs: the run lasts at least patience + 1 epochs (live projection).", HelpName = "P" };
        var idle = new Option<string?>("--idle") { Description = "Measure the idle machine for this long before starting the command (e.g. 10s) and report net energy too.", HelpName = "DURATION" };
        var db = StoreLocation.CreateOption();
        var summaryJson = new Option<FileInfo?>("--summary-json") { Description = "Also write the summary as JSON to FILE.", HelpName = "FILE" };
        var tags = new Option<string[]>("--tag") { Description = "Tag the run (k=v); repeatable.", HelpName = "K=V", Arity = ArgumentArity.ZeroOrMore, AllowMultipleArgumentsPerToken = false };
        var progress = new Option<string>("--progress") { Description = "Live status lines on stderr: auto (on a terminal), lines, quiet.", DefaultValueFactory = _ => "auto", HelpName = "MODE" };
        var country = new Option<string?>("--country") { Description = "Grid for the carbon estimate (ISO code or name); default: the --region's country, else the world average.", HelpName = "CODE" };
        var region = new Option<string?>("--region") { Description = "Cloud region or preset for PUE and grid (gcp:europe-west1, preset:on-prem-average).", HelpName = "KEY" };
        var pue = new Option<double?>("--pue") { Description = "Power usage effectiveness to apply for carbon (default: the region's, else on-prem average).", HelpName = "RATIO" };
        var storeRetry = new Option<string>("--store-retry")
        {
            Description = "When the store is down at the end of the run, keep retrying this long (default 30s; 0: not at all) before spooling what it lacks to a local file (completed later with `trainwatt sync --spool FILE`).",
            DefaultValueFactory = _ => "30s",
            HelpName = "DURATION",
        };
        var cpuTdp = new Option<double?>("--cpu-tdp") { Description = "CPU TDP in watts for the CPU model used when RAPL is unavailable (default 85 W).", HelpName = "WATTS" };
        var commandLine = new Argument<string[]>("command")
        {
            Description = "The command to measure and its arguments, after --. It runs without a shell: use bash -c '...' for shell syntax.",
            Arity = ArgumentArity.OneOrMore,
        };

        var command = new Command("measure", "Run a training command and measure its energy, epoch by epoch.");
        foreach (var option in new Option[] { interval, meters, gpus, pattern, framework, totalEpochs, maxEpochs, patience, idle, db, summaryJson, tags, progress, country, region, pue, cpuTdp, storeRetry })
        {
            command.Options.Add(option);
        }

        command.Arguments.Add(commandLine);
        var telemetry = new TelemetryOptions();
        telemetry.AddTo(command);

        // A synchronous action on purpose: System.CommandLine's async actions install their own Ctrl+C handling, and
        // measure must keep running after SIGINT/SIGTERM (it forwards them to the command and records the run).
        command.SetAction(parse => Execute(context, new Settings(
            parse.GetValue(interval)!, parse.GetValue(meters)!, parse.GetValue(gpus), parse.GetValue(pattern), parse.GetValue(framework)!,
            parse.GetValue(totalEpochs), parse.GetValue(idle), parse.GetValue(db), parse.GetValue(summaryJson), parse.GetValue(tags) ?? [],
            parse.GetValue(progress)!, parse.GetValue(country), parse.GetValue(region), parse.GetValue(pue), parse.GetValue(cpuTdp), parse.GetValue(commandLine) ?? [], parse.GetValue(maxEpochs), parse.GetValue(patience), parse.GetValue(storeRetry)!), telemetry.Read(parse)));
        return command;
    }

    private sealed record Settings(
        string Interval,
        string Meters,
        string? Gpus,
        string? EpochPattern,
        string Framework,
        int? TotalEpochs,
        string? Idle,
        string? Db,
        FileInfo? SummaryJson,
        string[] Tags,
        string Progress,
        string? Country,
        string? Region,
        double? Pue,
        double? CpuTdp,
        string[] Command,
        int? MaxEpochs = null,
        int? EarlyStoppingPatience = null,
        string StoreRetry = "30s");

    private static int Execute(CliContext context, Settings settings, TelemetrySettings? telemetrySettings = null)
    {
        var stderr = TextWriter.Synchronized(context.Error.Profile.Out.Writer);
        var stdout = TextWriter.Synchronized(context.Out.Profile.Out.Writer);
        void Say(string message) => stderr.Write("trainwatt: " + message + "\n");
        int Usage(string message)
        {
            Say("error: " + message);
            return (int)ExitCode.Usage;
        }

        // Options → request, each bad value named with its fix.
        if (!DurationText.TryParse(settings.Interval, out var interval) || interval < TimeSpan.FromMilliseconds(10) || interval > TimeSpan.FromMinutes(1))
        {
            return Usage($"--interval \"{settings.Interval}\" is not a duration between 10ms and 60s (examples: 100ms, 0.5s, 1s).");
        }

        if (!DurationText.TryParse(settings.StoreRetry, out var storeRetry) || storeRetry < TimeSpan.Zero || storeRetry > TimeSpan.FromHours(24))
        {
            return Usage($"--store-retry \"{settings.StoreRetry}\" is not a duration between 0 and 24h (examples: 30s, 5m, 0 to spool at once).");
        }

        var idle = TimeSpan.Zero;
        if (settings.Idle is not null && (!DurationText.TryParse(settings.Idle, out idle) || idle < interval || idle > TimeSpan.FromHours(1)))
        {
            return Usage($"--idle \"{settings.Idle}\" is not a duration between the sampling interval and 1h (example: 10s).");
        }

        EpochFramework epochFramework;
        switch (settings.Framework.ToLowerInvariant())
        {
            case "auto": epochFramework = EpochFramework.Auto; break;
            case "keras": epochFramework = EpochFramework.Keras; break;
            case "lightning": epochFramework = EpochFramework.Lightning; break;
            case "hf" or "huggingface": epochFramework = EpochFramework.HuggingFace; break;
            case "marker": epochFramework = EpochFramework.Marker; break;
            default: return Usage($"--framework \"{settings.Framework}\" is unknown. Use auto, keras, lightning, hf or marker.");
        }

        Regex? epochPattern = null;
        if (settings.EpochPattern is not null)
        {
            try
            {
                epochPattern = new Regex(settings.EpochPattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
            }
            catch (ArgumentException e)
            {
                return Usage($"--epoch-pattern \"{settings.EpochPattern}\" is not a valid regular expression: {e.Message}");
            }
        }

        if (settings.TotalEpochs is <= 0)
        {
            return Usage($"--total-epochs must be a positive number, but was {settings.TotalEpochs}.");
        }

        if (settings.MaxEpochs is <= 0)
        {
            return Usage($"--max-epochs must be a positive number, but was {settings.MaxEpochs}.");
        }

        if (settings.EarlyStoppingPatience is < 0)
        {
            return Usage($"--early-stopping-patience must be 0 or more epochs, but was {settings.EarlyStoppingPatience}.");
        }

        if (settings.TotalEpochs is int total && settings.MaxEpochs is int max && max < total)
        {
            return Usage($"--max-epochs {max} is below --total-epochs {total}; give one of them, or a larger --max-epochs.");
        }

        var tagMap = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string tag in settings.Tags)
        {
            int eq = tag.IndexOf('=');
            if (eq <= 0)
            {
                return Usage($"--tag \"{tag}\" must look like key=value (example: --tag model=resnet50).");
            }

            tagMap[tag[..eq]] = tag[(eq + 1)..];
        }

        bool interactive = context.Error.Profile.Capabilities.Interactive;
        TimeSpan statusEvery;
        switch (settings.Progress.ToLowerInvariant())
        {
            case "auto": statusEvery = interactive ? StatusInterval : TimeSpan.Zero; break;
            case "lines": statusEvery = StatusInterval; break;
            case "quiet": statusEvery = TimeSpan.Zero; break;
            default: return Usage($"--progress \"{settings.Progress}\" is unknown. Use auto, lines or quiet.");
        }

        PueAssumption pueAssumption;
        IntensityAssumption intensity;
        try
        {
            (pueAssumption, intensity) = CarbonAssumptions(settings);
        }
        catch (ReferenceLookupException e)
        {
            return Usage(e.Message);
        }
        catch (ArgumentOutOfRangeException e)
        {
            return Usage($"--pue {settings.Pue?.ToString(CultureInfo.InvariantCulture)}: {e.Message}");
        }

        if (settings.CpuTdp is double tdp && (!double.IsFinite(tdp) || tdp <= 0 || tdp > 2000))
        {
            return Usage($"--cpu-tdp must be a power in watts between 0 and 2000, but was {tdp.ToString(CultureInfo.InvariantCulture)}.");
        }

        string location = StoreLocation.Resolve(settings.Db, context);
        var (telemetry, telemetryError) = MeasureExporters.Start(telemetrySettings ?? TelemetrySettings.None, context, Say);
        if (telemetry is null)
        {
            return Usage(telemetryError!);
        }

        using var exporters = telemetry;
        // One STEP projector per run: it prints the live lines, feeds the store's projection history and the exporters.
        var projection = new LiveProjection(
            new LiveProjectorOptions(TotalEpochs: settings.TotalEpochs, MaxEpochs: settings.MaxEpochs, EarlyStoppingPatience: settings.EarlyStoppingPatience),
            context.Time, Say, verbose: statusEvery > TimeSpan.Zero);
        telemetry.Projector = projection.ForTelemetry;
        IRunStore store;
        try
        {
            store = RunStoreFactory.Open(location, context.Time);
        }
        catch (StoreException e)
        {
            Say("error: " + e.Message);
            return (int)ExitCode.CannotCreate;
        }

        using (store)
        {
            MeterSetup setup;
            try
            {
                setup = MeterSetup.Open(settings.Meters, settings.Gpus, settings.CpuTdp, interval, context);
            }
            catch (MeterUnavailableException e)
            {
                Say($"error: meter {e.Meter} is unavailable: {e.Message}" + (e.Fix is null ? string.Empty : $" Fix: {e.Fix}"));
                return (int)ExitCode.Unavailable;
            }
            catch (ArgumentException e)
            {
                return Usage(e.Message);
            }

            using (setup)
            {
                foreach (string note in setup.Notes)
                {
                    Say(note);
                }

                var spooling = new SinkSpooling(StoreLocation.WithoutPassword(location), StoreLocation.SpoolDirectory(location, context), Say);
                return Run(context, settings, store, setup, spooling, storeRetry, telemetry, projection, stdout, stderr, Say, new MeasurementRequest(
                    settings.Command[0], settings.Command[1..], SamplerOptions.Default with { Interval = interval, FlushInterval = FlushEvery(interval) },
                    epochFramework, epochPattern, settings.TotalEpochs, idle, tagMap, new Dictionary<string, string?>(), statusEvery),
                    FootprintInputs: (pueAssumption, intensity));
            }
        }
    }

    private static int Run(
        CliContext context,
        Settings settings,
        IRunStore store,
        MeterSetup setup,
        SinkSpooling spooling,
        TimeSpan storeRetry,
        MeasureExporters telemetry,
        LiveProjection projection,
        TextWriter stdout,
        TextWriter stderr,
        Action<string> say,
        MeasurementRequest request,
        (PueAssumption Pue, IntensityAssumption Intensity) FootprintInputs)
    {
        var sink = new StoreMeasurementSink(store, context.Host, say, telemetry.Job, spooling);
        var session = new MeasurementSession(
            setup.Meters, new ProjectingSink(telemetry.Wrap(sink, context, store.Location, say), sink, projection, say), context.Time, stdout, stderr, say,
            progress: snapshot => say(MeasureReport.Status(snapshot)),
            childStarted: pid => setup.Process?.Attach(pid));
        say($"recording to {store.Location} with {Describe(setup)}");

        MeasurementOutcome outcome;
        try
        {
            outcome = session.RunAsync(request).GetAwaiter().GetResult();
        }
        catch (CommandStartException e)
        {
            say("error: " + e.Message);
            sink.Complete(storeRetry); // the failed run is recorded (finished with no exit code) before TrainWatt exits
            return (int)(e.NotFound ? ExitCode.CommandNotFound : ExitCode.CommandNotExecutable);
        }
        catch (StoreException e)
        {
            // Creating the run failed: nothing has been started yet.
            say("error: " + e.Message);
            return (int)ExitCode.CannotCreate;
        }

        // Every write of the run reaches the store, or the spool file when the store is still down after --store-retry.
        var unwritten = sink.Complete(storeRetry);
        StoreMeasurementSink.Report(unwritten, store.Location, outcome.RunId, storeRetry, say);

        int exitCode = outcome.Summary.ExitCode ?? (int)ExitCode.Software;
        FootprintResult? footprint = outcome.Summary.Energy.Joules >= 0
            ? FootprintCalculator.Compute(outcome.Summary.Energy, FootprintInputs.Pue, FootprintInputs.Intensity)
            : null;
        foreach (string line in MeasureReport.Text(outcome, footprint, setup.ModelOnly, request.Idle))
        {
            say(line);
        }

        var projectionError = outcome.Summary.ExitCode is null ? null : LiveProjection.FinalError(projection.History, outcome.Summary.Energy);
        if (projectionError is not null)
        {
            say(LiveProjection.ErrorLine(projectionError));
        }

        telemetry.Finish(say);
        PreComparison? preComparison = null;
        try
        {
            preComparison = unwritten is null ? MeasurePre.Report(context, store, outcome.RunId, say) : null;
        }
        catch (StoreException e)
        {
            say($"warning: no PRE comparison: {e.Message}");
        }

        if (settings.SummaryJson is { } file)
        {
            try
            {
                string summary = ProjectionJson.AddTo(MeasureReport.Json(outcome), projection.History, projectionError);
                File.WriteAllText(file.FullName, MeasurePre.WithEstimate(summary, preComparison));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                say($"error: cannot write the summary to {file.FullName}: {e.Message} (the run is stored as {outcome.RunId}: `trainwatt runs show {outcome.RunId} --json`).");
                return exitCode != 0 ? exitCode : (int)ExitCode.CannotCreate;
            }
        }

        return exitCode;
    }

    private static (PueAssumption, IntensityAssumption) CarbonAssumptions(Settings settings)
    {
        CloudRegion? cloud = settings.Region is null ? null : CloudRegionTable.Default.Find(settings.Region);
        var pue = settings.Pue is double ratio ? PueAssumption.Given(ratio)
            : cloud is not null ? PueAssumption.From(cloud)
            : PueAssumption.Default();
        string? country = settings.Country ?? (string.IsNullOrEmpty(cloud?.Country) ? null : cloud!.Country);
        var table = CarbonIntensityTable.Default;
        var intensity = country is not null
            ? IntensityAssumption.From(table.Find(country))
            : IntensityAssumption.From(table.World) with { Description = IntensityAssumption.From(table.World).Description + " [default; pass --country or --region]" };
        return (pue, intensity);
    }

    /// <summary>
    /// Samples reach the store every 0.5 s (or every interval when that is longer), so that even a sampler tick delayed
    /// by a busy machine keeps the promise that a SIGKILL loses at most the last second.
    /// </summary>
    private static TimeSpan FlushEvery(TimeSpan interval) => interval > TimeSpan.FromMilliseconds(500) ? interval : TimeSpan.FromMilliseconds(500);

    private static string Describe(MeterSetup setup)
        => setup.Meters.Count == 0
            ? "no meter (only time and epochs are recorded)"
            : string.Join(", ", setup.Meters.SelectMany(m => m.Channels).Select(c => $"{c.Id} ({TrainWatt.Core.ProvenanceText.Name(c.Provenance)})"));
}
