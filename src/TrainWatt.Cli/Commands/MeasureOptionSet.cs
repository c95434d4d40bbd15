using System.CommandLine;
using TrainWatt.Core.Attribution;
using TrainWatt.Core.Epochs;
using TrainWatt.Meters;

namespace TrainWatt.Cli.Commands;

/// <summary><c>measure</c>'s options, typed at parse time (durations, enums, meter kinds).</summary>
internal sealed class MeasureOptionSet
{
    private readonly Option<TimeSpan> _interval = OptionParsers.Duration("--interval", "Sampling interval: 100ms (default), 0.5s, 1s.", TimeSpan.FromMilliseconds(100), "100ms, 0.5s, 1s");
    private readonly Option<bool> _poll = new("--poll") { Description = "Read the meters every interval, even where NVML's driver keeps the samples in between (by default TrainWatt then reads once a second; polling costs more CPU)." };
    private readonly Option<MeterKinds> _meters = MetersOption();
    private readonly Option<string?> _gpus = new("--gpus") { Description = "GPUs to measure (indices or UUIDs, comma-separated); default: CUDA_VISIBLE_DEVICES (AMD: ROCR_/HIP_VISIBLE_DEVICES), else all.", HelpName = "LIST" };
    private readonly Option<string?> _pattern = new("--epoch-pattern")
    {
        Description = "Regular expression: every output line matching it ends an epoch (named groups n and total are read when present).",
        HelpName = "REGEX",
    };

    private readonly Option<EpochFramework> _framework = FrameworkOption();
    private readonly Option<CpuAttribution> _cpuAttribution = CpuAttributionOption();

    public static Option<CpuAttribution> CpuAttributionOption() => OptionParsers.Choice(
        "--cpu-attribution", "CPU energy charged to the run: process (the CPU's energy × the process tree's share of the machine's CPU time; default) or machine (the whole CPU). The other figure is printed and stored beside it.",
        CpuAttribution.Process, ("process", CpuAttribution.Process), ("machine", CpuAttribution.Machine));

    /// <summary>--meters, parsed into <see cref="MeterKinds"/> (shared with <c>estimate --probe</c>).</summary>
    public static Option<MeterKinds> MetersOption() => new("--meters")
    {
        Description = "auto (default: NVML, else AMD SMI, else nvidia-smi; RAPL; and the process meter), or a comma-separated list of nvml, amd-smi, nvidia-smi, rapl, process.",
        DefaultValueFactory = _ => MeterKinds.Auto,
        HelpName = "METERS",
        CustomParser = result =>
        {
            try
            {
                return MeterFactory.Parse(result.Tokens.Count == 0 ? null : result.Tokens[^1].Value);
            }
            catch (ArgumentException e)
            {
                result.AddError(e.Message.Split(" (Parameter", 2)[0]);
                return MeterKinds.Auto;
            }
        },
    };

    /// <summary>--framework (shared with <c>estimate --probe</c>).</summary>
    public static Option<EpochFramework> FrameworkOption() => OptionParsers.Choice(
        "--framework", "Epoch convention: auto (default), keras, lightning, hf, marker.", EpochFramework.Auto,
        ("auto", EpochFramework.Auto), ("keras", EpochFramework.Keras), ("lightning", EpochFramework.Lightning),
        ("hf", EpochFramework.HuggingFace), ("huggingface", EpochFramework.HuggingFace), ("marker", EpochFramework.Marker));

    private readonly Option<int?> _totalEpochs = new("--total-epochs") { Description = "Planned number of epochs (stored for projections).", HelpName = "N" };
    private readonly Option<int?> _maxEpochs = new("--max-epochs") { Description = "Upper bound of the epoch count when early stopping may end the run sooner (live projection).", HelpName = "N" };
    private readonly Option<int?> _patience = new("--early-stopping-patience") { Description = "Early-stopping patience in epochs: the run lasts at least patience + 1 epochs (live projection).", HelpName = "P" };
    private readonly Option<double?> _driftPrior = new("--drift-prior") { Description = "Slow-drift prior of the projection intervals: standard deviation of the level's relative change over the run (default: learned from 10 or more finished runs in the store, else 0.01).", HelpName = "TAU" };
    private readonly Option<TimeSpan?> _idle = OptionParsers.OptionalDuration("--idle", "Measure the idle machine for this long before starting the command (e.g. 10s) and report net energy too.", "10s, 1m");
    private readonly Option<string?> _db = StoreLocation.CreateOption();
    private readonly Option<FileInfo?> _summaryJson = new("--summary-json") { Description = "Also write the summary as JSON to FILE.", HelpName = "FILE" };
    private readonly Option<string[]> _tags = new("--tag") { Description = "Tag the run (k=v); repeatable.", HelpName = "K=V", Arity = ArgumentArity.ZeroOrMore, AllowMultipleArgumentsPerToken = false };
    private readonly Option<ProgressMode> _progress = OptionParsers.Choice(
        "--progress", "Live status lines on stderr: auto (on a terminal), lines, quiet.", ProgressMode.Auto,
        ("auto", ProgressMode.Auto), ("lines", ProgressMode.Lines), ("quiet", ProgressMode.Quiet));

    private readonly Option<string?> _country = new("--country") { Description = "Grid for the carbon estimate (ISO code or name); default: the --region's country, else the world average.", HelpName = "CODE" };
    private readonly Option<string?> _region = new("--region") { Description = "Cloud region or preset for PUE and grid (gcp:europe-west1, preset:on-prem-average).", HelpName = "KEY" };
    private readonly Option<double?> _pue = new("--pue") { Description = "Power usage effectiveness to apply for carbon (default: the region's, else on-prem average).", HelpName = "RATIO" };
    private readonly Option<TimeSpan> _storeRetry = OptionParsers.Duration(
        "--store-retry",
        "When the store is down at the end of the run, keep retrying this long (default 30s; 0: not at all) before spooling what it lacks to a local file (completed later with `trainwatt sync --spool FILE`).",
        TimeSpan.FromSeconds(30), "30s, 5m, 0 to spool at once");

    private readonly Option<double?> _cpuTdp = new("--cpu-tdp") { Description = "CPU TDP in watts for the CPUs we may use, for the CPU model used when RAPL is unavailable (default: this CPU's row of data/cpus.csv scaled to our share, else 85 W; see doctor).", HelpName = "WATTS" };
    private readonly Argument<string[]> _command = new("command")
    {
        Description = "The command to measure and its arguments, after --. It runs without a shell: use bash -c '...' for shell syntax.",
        Arity = ArgumentArity.OneOrMore,
    };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _interval, _meters, _gpus, _pattern, _framework, _totalEpochs, _maxEpochs, _patience, _driftPrior, _idle, _db, _summaryJson, _tags, _progress, _country, _region, _pue, _cpuTdp, _cpuAttribution, _storeRetry, _poll })
        {
            command.Options.Add(option);
        }

        command.Arguments.Add(_command);
    }

    public MeasureSettings Read(ParseResult parse) => new(
        parse.GetValue(_command) ?? [],
        parse.GetValue(_interval),
        parse.GetValue(_meters),
        parse.GetValue(_gpus),
        parse.GetValue(_pattern),
        parse.GetValue(_framework),
        parse.GetValue(_totalEpochs),
        parse.GetValue(_maxEpochs),
        parse.GetValue(_patience),
        parse.GetValue(_idle),
        parse.GetValue(_db),
        parse.GetValue(_summaryJson),
        parse.GetValue(_tags) ?? [],
        parse.GetValue(_progress),
        parse.GetValue(_country),
        parse.GetValue(_region),
        parse.GetValue(_pue),
        parse.GetValue(_cpuTdp),
        parse.GetValue(_storeRetry),
        parse.GetValue(_driftPrior),
        parse.GetValue(_cpuAttribution),
        parse.GetValue(_poll));
}
