using System.CommandLine;
using System.Text.RegularExpressions;
using TrainWatt.Core.Attribution;
using TrainWatt.Core.Epochs;
using TrainWatt.Core.Units;
using TrainWatt.Measurement.Pipeline;
using TrainWatt.Meters;
using TrainWatt.Storage;
using TrainWatt.Telemetry;

namespace TrainWatt.Cli.Commands;

/// <summary>
/// <c>trainwatt measure [options] -- COMMAND [ARGS...]</c>: runs a training command under measurement and records it,
/// through the one <see cref="MeasurementPipeline"/> (the same object <c>experiment run</c> uses).
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
    public static Command Create(CliContext context)
    {
        var o = new MeasureOptionSet();
        var command = new Command("measure", "Run a training command and measure its energy, epoch by epoch.");
        o.AddTo(command);
        var telemetry = new TelemetryOptions();
        telemetry.AddTo(command);

        // A synchronous action on purpose: System.CommandLine's async actions install their own Ctrl+C handling, and
        // measure must keep running after SIGINT/SIGTERM (it forwards them to the command and records the run).
        command.SetAction(parse => Execute(context, o.Read(parse), telemetry.Read(parse), command.Options.Select(option => option.Name)));
        return command;
    }

    private static int Execute(CliContext context, MeasureSettings settings, TelemetrySettings telemetrySettings, IEnumerable<string> ours)
    {
        var stderr = TextWriter.Synchronized(context.Error.Profile.Out.Writer);
        var stdout = TextWriter.Synchronized(context.Out.Profile.Out.Writer);
        var fresh = new TerminalLine(includeStdout: context.ErrorIsTerminal && !Console.IsOutputRedirected);
        void Say(string message) => stderr.Write(fresh.FreshLine() + "trainwatt: " + message + "\n");

        var options = settings.ThrowIfInvalid().ToOptions(context.Error.Profile.Capabilities.Interactive);
        CommandArguments.Warnings(settings.Command, ours).ToList().ForEach(Say);
        var (telemetry, telemetryError) = MeasureExporters.Start(telemetrySettings, context, Say);
        using var exporters = telemetry ?? throw new SettingsException([telemetryError!]);
        using var store = RunStoreFactory.Open(StoreLocation.Resolve(settings.Db, context), context.Time);
        using var meters = context.Meters.Open(
            new MeterSelection(settings.Meters, settings.Gpus, settings.CpuTdp is double w ? Power.FromWatts(w) : null, settings.Interval), context);
        foreach (string note in meters.Notes)
        {
            Say(note);
        }

        List<IMeasurementObserver> observers = [new ConsoleLinesObserver(Say, verbose: options.ProgressEvery > TimeSpan.Zero)];
        if (exporters.Observer(context.Time, store.Location, Say) is { } exporting)
        {
            observers.Add(exporting);
        }

        var pipeline = new MeasurementPipeline(store, meters, context, new MeasurementConsole(stdout, stderr, Say) { StdoutBytes = context.StdoutBytes, StderrBytes = context.StderrBytes, Line = fresh }, observers, exporters.Job);
        Say($"recording to {store.Location} with {meters.Describe()}");
        var result = pipeline.Run(options);
        foreach (string line in result.TextLines().Concat(result.EstimateLines))
        {
            Say(line);
        }

        if (settings.SummaryJson is { } file)
        {
            try
            {
                File.WriteAllText(file.FullName, result.ToJson());
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Say($"error: cannot write the summary to {file.FullName}: {e.Message} (the run is stored as {result.RunId}: `trainwatt runs show {result.RunId} --json`).");
                return result.ExitCode != 0 ? result.ExitCode : (int)ExitCode.CannotCreate;
            }
        }

        return result.ExitCode;
    }
}

/// <summary>How often <c>measure</c> prints its status line.</summary>
internal enum ProgressMode
{
    /// <summary>Every 10 s when stderr is a terminal, else never.</summary>
    Auto,

    /// <summary>Every 10 s.</summary>
    Lines,

    /// <summary>Never.</summary>
    Quiet,
}

/// <summary><c>measure</c>'s options as typed values.</summary>
internal sealed record MeasureSettings(
    IReadOnlyList<string> Command,
    TimeSpan Interval,
    MeterKinds Meters,
    string? Gpus,
    string? EpochPattern,
    EpochFramework Framework,
    int? TotalEpochs,
    int? MaxEpochs,
    int? EarlyStoppingPatience,
    TimeSpan? Idle,
    string? Db,
    FileInfo? SummaryJson,
    IReadOnlyList<string> Tags,
    ProgressMode Progress,
    string? Country,
    string? Region,
    double? Pue,
    double? CpuTdp,
    TimeSpan StoreRetry,
    double? DriftPrior = null,
    CpuAttribution CpuAttribution = CpuAttribution.Process,
    bool Poll = false) : ICommandSettings
{
    private static readonly TimeSpan StatusInterval = TimeSpan.FromSeconds(10);

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        var options = Build(interactive: false, problems);
        problems.AddRange(options.Validate());
        if (CpuTdp is double tdp && (!double.IsFinite(tdp) || tdp <= 0 || tdp > 2000))
        {
            problems.Add($"--cpu-tdp must be a power in watts between 0 and 2000, but was {tdp.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        }

        return problems;
    }

    /// <summary>The pipeline's options (throws <see cref="ArgumentException"/> with every problem for a bad pattern, tag, country, region or PUE).</summary>
    public MeasureOptions ToOptions(bool interactive)
    {
        var problems = new List<string>();
        var options = Build(interactive, problems);
        return problems.Count == 0 ? options : throw new ArgumentException(string.Join(" ", problems));
    }

    /// <summary>The pipeline's options; each bad pattern, tag, country, region or PUE adds a problem (and is left out).</summary>
    private MeasureOptions Build(bool interactive, List<string> problems)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string tag in Tags)
        {
            int eq = tag.IndexOf('=');
            if (eq <= 0)
            {
                problems.Add($"--tag \"{tag}\" must look like key=value (example: --tag model=resnet50).");
                continue;
            }

            tags[tag[..eq]] = tag[(eq + 1)..];
        }

        Regex? pattern = null;
        if (EpochPattern is not null)
        {
            try
            {
                pattern = new Regex(EpochPattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
            }
            catch (ArgumentException e)
            {
                problems.Add($"--epoch-pattern \"{EpochPattern}\" is not a valid regular expression: {e.Message}");
            }
        }

        (Core.Footprint.PueAssumption, Core.Footprint.IntensityAssumption)? footprint = null;
        try
        {
            footprint = Core.Footprint.FootprintAssumptions.Resolve(Country, Region, Pue);
        }
        catch (Core.Reference.ReferenceLookupException e)
        {
            problems.Add(e.Message);
        }
        catch (ArgumentOutOfRangeException e)
        {
            // The PUE's own rule text, without .NET's "(Parameter 'ratio') Actual value was ..." suffix.
            string rule = Pue is { } ratio && !Core.Footprint.PowerUsageEffectiveness.TryFromRatio(ratio, out _, out string? text) ? text! : e.Message;
            problems.Add($"--pue {Pue?.ToString(System.Globalization.CultureInfo.InvariantCulture)}: {rule}");
        }

        return new MeasureOptions(Command)
        {
            Interval = Interval,
            Poll = Poll,
            Framework = Framework,
            EpochPattern = pattern,
            TotalEpochs = TotalEpochs,
            MaxEpochs = MaxEpochs,
            EarlyStoppingPatience = EarlyStoppingPatience,
            DriftPrior = DriftPrior,
            Idle = Idle ?? TimeSpan.Zero,
            Tags = tags,
            ProgressEvery = Progress switch
            {
                ProgressMode.Lines => StatusInterval,
                ProgressMode.Auto when interactive => StatusInterval,
                _ => TimeSpan.Zero,
            },
            StoreRetry = StoreRetry,
            Footprint = footprint,
            ComparePre = true,
            CpuAttribution = CpuAttribution,
        };
    }
}
