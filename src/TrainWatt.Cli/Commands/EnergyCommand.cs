using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Spectre.Console;
using TrainWatt.Core;
using TrainWatt.Core.Accounting;
using TrainWatt.Core.Traces;
using TrainWatt.Core.Units;

namespace TrainWatt.Cli.Commands;

/// <summary>
/// <c>trainwatt energy PATH... [--parity seaa2023] [--json] [--gap-threshold 5s] [--method trapezoid|left]</c>:
/// integrates nvidia-smi CSV traces (files, or directories searched for <c>gpu-power-*.csv[.gz]</c>), in parallel,
/// reported in file-path order.
/// </summary>
internal static class EnergyCommand
{
    public static Command Create(CliContext context)
    {
        var paths = new Argument<string[]>("PATH")
        {
            Description = "Trace files (any name, plain or gzip) or directories (searched recursively for gpu-power-*.csv and gpu-power-*.csv.gz).",
            Arity = ArgumentArity.OneOrMore,
        };
        var json = new Option<bool>("--json") { Description = "Write one JSON array (one object per trace and device) to stdout." };
        var parity = new Option<string?>("--parity")
        {
            Description = "Reproduce a paper's own energy figure exactly. seaa2023: drop 3+3 samples, integer watts, trapezoid.",
            HelpName = "seaa2023",
        };
        parity.AcceptOnlyFromAmong(Seaa2023Parity.Name);
        var method = new Option<string>("--method")
        {
            Description = "Integration rule between samples: trapezoid (default) or left (left Riemann sum, each reading held until the next).",
            DefaultValueFactory = _ => "trapezoid",
        };
        method.AcceptOnlyFromAmong("trapezoid", "left");
        var gap = new Option<TimeSpan>("--gap-threshold")
        {
            Description = "An interval between samples longer than this is a gap: reported, and not integrated (bridged and flagged under --parity). Examples: 5s, 1500ms, 2m.",
            DefaultValueFactory = _ => EnergyOptions.Default.GapThreshold,
            CustomParser = ParseDuration,
            HelpName = "duration",
        };
        var idle = new Option<string?>("--idle")
        {
            Description = "Also report net energy above an idle baseline: a power in watts (e.g. 25W), or first:N to measure it as the mean of each trace's first N samples.",
            HelpName = "W|first:N",
        };

        var command = new Command("energy", "Integrate GPU power traces (nvidia-smi CSV) to energy.");
        command.Arguments.Add(paths);
        command.Options.Add(json);
        command.Options.Add(parity);
        command.Options.Add(method);
        command.Options.Add(gap);
        command.Options.Add(idle);
        command.Validators.Add(result =>
        {
            if (result.GetValue(parity) is not null && result.GetResult(method) is { Implicit: false } && result.GetValue(method) != "trapezoid")
            {
                result.AddError("--parity seaa2023 fixes the integration to the trapezoid rule; leave out --method.");
            }

            if (result.GetValue(idle) is { } text && !IdleBaseline.TryParse(text, out _, out string? error))
            {
                result.AddError(error!);
            }
        });

        command.SetAction(parse =>
        {
            IdleBaseline.TryParse(parse.GetValue(idle), out var baseline, out _);
            var settings = new Settings(
                parse.GetValue(parity) is not null,
                parse.GetValue(method) == "left" ? IntegrationMethod.LeftRiemann : IntegrationMethod.Trapezoid,
                parse.GetValue(gap),
                baseline);
            return (int)Run(context, parse.GetValue(paths) ?? [], settings, parse.GetValue(json));
        });
        return command;
    }

    private static ExitCode Run(CliContext context, string[] paths, Settings settings, bool json)
    {
        var (files, missing) = ExpandPaths(paths);
        foreach (string message in missing)
        {
            Diagnostic(context, message);
        }

        var results = new FileEnergy[files.Count];
        Parallel.For(0, files.Count, i => results[i] = Compute(files[i], settings));

        var rows = new List<EnergyRow>();
        bool anyFatal = false;
        foreach (var file in results)
        {
            foreach (var fatal in file.Faults.Where(f => f.Kind == FaultKind.Fatal))
            {
                anyFatal = true;
                Diagnostic(context, $"error: {fatal}");
            }

            foreach (var (device, baseline) in file.Devices)
            {
                foreach (var fatal in device.Faults.Where(f => f.Kind == FaultKind.Fatal))
                {
                    anyFatal = true;
                    Diagnostic(context, $"error: {fatal}");
                }

                if (device.Result is null)
                {
                    // Its row is missing from the output, so say here what led to it.
                    foreach (var fault in device.Faults.Where(f => f.Kind != FaultKind.Fatal))
                    {
                        Diagnostic(context, fault.Line > 0 ? $"  line {fault.Line}: {fault.Message}" : $"  {fault.Message}");
                    }
                }

                if (device.Result is { } r)
                {
                    rows.Add(ToRow(device, r, baseline, file.Faults, settings));
                }
            }
        }

        if (json)
        {
            context.WriteData(EnergyJson.Write(rows));
        }
        else
        {
            WriteTable(context, rows, settings);
        }

        WriteFaultSummary(context, rows);

        return missing.Count > 0 ? ExitCode.NoInput : anyFatal ? ExitCode.DataError : ExitCode.Success;
    }

    /// <summary>One diagnostic line to stderr, unwrapped (paths and messages stay whole for grep).</summary>
    private static void Diagnostic(CliContext context, string line) => context.Error.Profile.Out.Writer.WriteLine(line);

    private static FileEnergy Compute(string path, Settings settings)
    {
        // Streamed: each device's samples go straight into an integrator, never into a list.
        var sink = new IntegratingSink(path, settings);
        var scan = NvidiaSmiCsv.ScanFile(path, sink, settings.Parity ? Seaa2023Parity.ReadOptions : TraceReadOptions.Default);
        if (scan.IsFatal)
        {
            return new FileEnergy(path, scan.Faults, []);
        }

        int? trimEnd = settings.Parity ? Seaa2023Parity.TrimEndFor(scan.Faults) : null;
        return new FileEnergy(path, scan.Faults, sink.Complete(trimEnd));
    }

    /// <summary>Per device: an <see cref="EnergyIntegrator"/> and, for <c>--idle first:N</c>, the first N powers.</summary>
    private sealed class IntegratingSink(string path, Settings settings) : ITraceSampleSink
    {
        private readonly Dictionary<string, DeviceState> _devices = new(StringComparer.Ordinal);
        private DeviceState? _last;

        public void OnSample(string device, string? gpuName, in GpuSample sample)
        {
            var state = _last is not null && ReferenceEquals(_last.Device, device) ? _last : Get(device, gpuName);
            _last = state;
            state.Integrator.Add(sample);
            if (state.IdleSamplesWanted > 0 && sample.Power is { } p)
            {
                state.IdleSum += p.Watts;
                state.IdleSamplesWanted--;
                state.IdleSamplesSeen++;
            }
        }

        public List<(DeviceEnergy Energy, BaselineEnergy? Net)> Complete(int? trimEnd)
        {
            var list = new List<(DeviceEnergy, BaselineEnergy?)>(_devices.Count);
            foreach (var state in _devices.Values.OrderBy(d => d.Device, NvidiaSmiCsv.DeviceKeyOrder))
            {
                var energy = state.Integrator.Complete(trimEnd);
                BaselineEnergy? net = null;
                if (energy.Result is { } r && settings.Idle is { } idle)
                {
                    Power? baseline = idle.Given
                        ?? (state.IdleSamplesWanted == 0 && state.IdleSamplesSeen > 0 ? Power.FromWatts(state.IdleSum / state.IdleSamplesSeen) : null);
                    if (baseline is { } b)
                    {
                        net = EnergyAccounting.SubtractBaseline(r, b, idle.Given is null ? Provenance.Sampled : Provenance.UserGiven);
                    }
                    else
                    {
                        energy = energy with
                        {
                            Faults = [.. energy.Faults, new TraceFault(FaultKind.MissingValue, path, 0,
                                $"device {state.Device}: fewer than {idle.FirstSamples} samples with power to measure the idle baseline (--idle first:{idle.FirstSamples}); net energy not reported.")],
                        };
                    }
                }

                list.Add((energy, net));
            }

            return list;
        }

        private DeviceState Get(string device, string? gpuName)
        {
            if (!_devices.TryGetValue(device, out var state))
            {
                var options = settings.Parity
                    ? Seaa2023Parity.EnergyOptions with { GapThreshold = settings.GapThreshold }
                    : new EnergyOptions { Method = settings.Method, GapThreshold = settings.GapThreshold };
                state = new DeviceState(device, new EnergyIntegrator(path, device, gpuName, options))
                {
                    IdleSamplesWanted = settings.Idle?.FirstSamples ?? 0,
                };
                _devices.Add(device, state);
            }

            return state;
        }
    }

    private sealed class DeviceState(string device, EnergyIntegrator integrator)
    {
        public string Device { get; } = device;

        public EnergyIntegrator Integrator { get; } = integrator;

        public int IdleSamplesWanted { get; set; }

        public int IdleSamplesSeen { get; set; }

        public double IdleSum { get; set; }
    }

    private static EnergyRow ToRow(DeviceEnergy device, EnergyResult r, BaselineEnergy? net, IReadOnlyList<TraceFault> readFaults, Settings settings)
    {

        var faults = readFaults.Concat(device.Faults)
            .Select(f => new FaultRow(KindName(f.Kind), f.Line, f.Message))
            .ToList();
        return new EnergyRow(
            device.File,
            device.Device,
            device.GpuName,
            r.Samples,
            r.Duration.TotalSeconds,
            r.Energy.Joules,
            r.MeanPower.Watts,
            r.MaxPower.Watts,
            r.TimeWeightedMeanPower.Watts,
            r.IntegratedDuration.TotalSeconds,
            r.ExcludedDuration.TotalSeconds,
            net?.Baseline.Watts,
            net?.Net.Joules,
            net is null ? null : ProvenanceText.Name(net.BaselineProvenance),
            ProvenanceText.Name(r.Provenance),
            r.Method == IntegrationMethod.Trapezoid ? "trapezoid" : "left",
            settings.Parity ? Seaa2023Parity.Name : null,
            faults);
    }

    private static void WriteTable(CliContext context, List<EnergyRow> rows, Settings settings)
    {
        if (rows.Count == 0)
        {
            return;
        }

        // One unit per column (kJ from 10 kJ up), invariant digits. Kept narrow so it fits 80 columns when piped:
        // samples, integrated time and every fault are in --json.
        bool kilo = rows.Max(r => Math.Abs(r.EnergyJ)) >= 1e4;
        string unit = kilo ? "kJ" : "J";
        string Energy(double joules) => (kilo ? joules / 1000 : joules).ToString("N1", CultureInfo.InvariantCulture);
        string Watts(double watts) => watts.ToString("N1", CultureInfo.InvariantCulture);

        // Long paths would crush the table: show them relative to the folder they share, named in the title.
        string common = CommonDirectory(rows.Select(r => r.File).Distinct().ToList());
        var gpuNames = rows.Select(r => r.GpuName).Distinct().ToList();
        bool showDevice = gpuNames.Count > 1 || rows.Any(r => r.Device != "0");
        bool hasNet = rows.Any(r => r.NetEnergyJ is not null);
        string title = string.Join(", ", new[] { common.Length > 0 ? $"in {common}" : null, gpuNames.Count == 1 ? gpuNames[0] : null }.OfType<string>());

        var table = new Table().Border(TableBorder.Simple);
        if (title.Length > 0)
        {
            table.Title(Markup.Escape(title));
        }

        table.AddColumn("File");
        if (showDevice)
        {
            table.AddColumn("Device");
        }

        table.AddColumn(new TableColumn($"Energy {unit}").RightAligned());
        if (hasNet)
        {
            table.AddColumn(new TableColumn("Idle W").RightAligned());
            table.AddColumn(new TableColumn($"Net {unit}").RightAligned());
        }

        table.AddColumn(new TableColumn("h:mm:ss").RightAligned());
        table.AddColumn(new TableColumn("Mean W").RightAligned());
        table.AddColumn(new TableColumn("Max W").RightAligned());
        table.AddColumn(new TableColumn("Faults").RightAligned());

        foreach (var r in rows)
        {
            var cells = new List<string> { Markup.Escape(r.File[common.Length..]) };
            if (showDevice)
            {
                cells.Add(Markup.Escape(gpuNames.Count == 1 || r.GpuName is null ? r.Device : $"{r.Device}: {r.GpuName}"));
            }

            cells.Add(Energy(r.EnergyJ));
            if (hasNet)
            {
                cells.Add(r.IdlePowerW is { } w ? Watts(w) : "-");
                cells.Add(r.NetEnergyJ is { } n ? Energy(n) : "-");
            }

            cells.Add(FormatDuration(r.DurationS));
            cells.Add(Watts(r.MeanPowerW));
            cells.Add(Watts(r.MaxPowerW));
            cells.Add(r.Faults.Count == 0 ? "0" : $"[yellow]{r.Faults.Count}[/]");
            table.AddRow(cells.ToArray());
        }

        if (rows.Count > 1)
        {
            var total = new List<string> { $"[bold]Total ({rows.Count})[/]" };
            if (showDevice)
            {
                total.Add(string.Empty);
            }

            total.Add($"[bold]{Energy(rows.Sum(r => r.EnergyJ))}[/]");
            if (hasNet)
            {
                total.Add(string.Empty);
                total.Add(Energy(rows.Sum(r => r.NetEnergyJ ?? 0)));
            }

            total.AddRange([FormatDuration(rows.Sum(r => r.DurationS)), string.Empty, string.Empty, rows.Sum(r => r.Faults.Count).ToString(CultureInfo.InvariantCulture)]);
            table.AddRow(total.ToArray());
        }

        string how = settings.Parity
            ? "SEAA 2023 parity: 3+3 samples dropped, integer watts, trapezoid; for comparison with the paper only"
            : $"{(settings.Method == IntegrationMethod.Trapezoid ? "trapezoid" : "left Riemann")} on real time stamps, gaps over {settings.GapThreshold.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s excluded";
        table.Caption(Markup.Escape($"Sampled GPU energy ({how})."));
        context.Out.Write(table);
    }

    private static void WriteFaultSummary(CliContext context, List<EnergyRow> rows)
    {
        const int PerTrace = 3;
        foreach (var row in rows.Where(r => r.Faults.Count > 0))
        {
            var byKind = row.Faults.GroupBy(f => f.Kind).Select(g => $"{g.Count()} {g.Key.Replace('_', ' ')}");
            Diagnostic(context, $"warning: {row.File} (device {row.Device}): {string.Join(", ", byKind)}");
            foreach (var f in row.Faults.Take(PerTrace))
            {
                Diagnostic(context, f.Line > 0 ? $"  line {f.Line}: {f.Message}" : $"  {f.Message}");
            }

            if (row.Faults.Count > PerTrace)
            {
                Diagnostic(context, $"  ... {row.Faults.Count - PerTrace} more (see --json for all).");
            }
        }
    }

    /// <summary>Files and directories → sorted, de-duplicated trace files, plus one message per path that does not exist or holds no trace.</summary>
    private static (List<string> Files, List<string> Missing) ExpandPaths(string[] paths)
    {
        var files = new SortedSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (string path in paths)
        {
            if (File.Exists(path))
            {
                if (seen.Add(Path.GetFullPath(path)))
                {
                    files.Add(path);
                }
            }
            else if (Directory.Exists(path))
            {
                int before = files.Count;
                // Unreadable sub-folders are skipped rather than ending the run with an exception.
                var search = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, MatchCasing = MatchCasing.CaseSensitive };
                var found = Directory.EnumerateFiles(path, "gpu-power-*.csv", search)
                    .Concat(Directory.EnumerateFiles(path, "gpu-power-*.csv.gz", search));
                foreach (string file in found)
                {
                    if (seen.Add(Path.GetFullPath(file)))
                    {
                        files.Add(file);
                    }
                }

                if (files.Count == before)
                {
                    missing.Add($"error: {path}: no gpu-power-*.csv or gpu-power-*.csv.gz trace in this directory or below; give trace files by name to read other names.");
                }
            }
            else
            {
                missing.Add($"error: {path}: no such file or directory.");
            }
        }

        return (files.ToList(), missing);
    }

    private static TimeSpan ParseDuration(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (DurationText.TryParse(text, out var value) && value > TimeSpan.Zero)
        {
            return value;
        }

        result.AddError($"--gap-threshold: '{text}' is not a positive duration; write e.g. 5s, 1500ms or 2m.");
        return default;
    }

    private static string FormatDuration(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Round(seconds));
        return string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}");
    }

    /// <summary>The longest directory prefix (ending in a separator) shared by all paths; empty when none.</summary>
    private static string CommonDirectory(IReadOnlyList<string> paths)
    {
        if (paths.Count == 0)
        {
            return string.Empty;
        }

        string first = paths[0];
        int length = first.Length;
        foreach (string p in paths)
        {
            length = Math.Min(length, first.AsSpan(0, Math.Min(length, p.Length)).CommonPrefixLength(p));
        }

        int slash = first.AsSpan(0, length).LastIndexOfAny('/', Path.DirectorySeparatorChar);
        return slash < 0 ? string.Empty : first[..(slash + 1)];
    }

    private static string KindName(FaultKind kind) => kind switch
    {
        FaultKind.TruncatedLine => "truncated_line",
        FaultKind.Garbage => "garbage",
        FaultKind.UnparsableValue => "unparsable_value",
        FaultKind.Gap => "gap",
        FaultKind.NonMonotonicTime => "non_monotonic_time",
        FaultKind.LostTail => "lost_tail",
        FaultKind.EarlyProcessEnd => "early_process_end",
        FaultKind.Fatal => "fatal",
        FaultKind.MissingValue => "missing_value",
        _ => kind.ToString().ToLowerInvariant(),
    };


    private sealed record Settings(bool Parity, IntegrationMethod Method, TimeSpan GapThreshold, IdleBaseline? Idle);

    private sealed record FileEnergy(string File, IReadOnlyList<TraceFault> Faults, IReadOnlyList<(DeviceEnergy Energy, BaselineEnergy? Net)> Devices);

    /// <summary>The <c>--idle</c> value: a given power, or "first:N" samples to measure it from.</summary>
    private sealed record IdleBaseline(Power? Given, int? FirstSamples)
    {
        public static bool TryParse(string? text, out IdleBaseline? baseline, out string? error)
        {
            baseline = null;
            error = null;
            if (text is null)
            {
                return true;
            }

            if (text.StartsWith("first:", StringComparison.OrdinalIgnoreCase))
            {
                if (int.TryParse(text.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0)
                {
                    baseline = new IdleBaseline(null, n);
                    return true;
                }
            }
            else
            {
                var number = text.EndsWith('W') || text.EndsWith('w') ? text[..^1].TrimEnd() : text;
                if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double watts) && double.IsFinite(watts) && watts >= 0)
                {
                    baseline = new IdleBaseline(Power.FromWatts(watts), null);
                    return true;
                }
            }

            error = $"--idle: '{text}' is neither a power in watts (e.g. 25W) nor first:N (e.g. first:3, the mean of the first 3 samples).";
            return false;
        }
    }
}
