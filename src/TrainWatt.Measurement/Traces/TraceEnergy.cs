using TrainWatt.Core;
using TrainWatt.Core.Accounting;
using TrainWatt.Core.Traces;
using TrainWatt.Core.Units;

namespace TrainWatt.Measurement.Traces;

/// <summary>
/// Integrates nvidia-smi CSV traces (files, or directories searched for <c>gpu-power-*.csv[.gz]</c>) to energy per
/// trace and device, in parallel, reported in file-path order: the body of <c>trainwatt energy</c>. Each file is
/// streamed (samples go straight into an <see cref="EnergyIntegrator"/>, never into a list).
/// </summary>
public static class TraceEnergy
{
    /// <summary>Integrates every trace <paramref name="paths"/> names; a missing path or bad trace never stops the others.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The gap threshold is not positive, or a first:N idle baseline has N &lt; 1.</exception>
    public static TraceEnergyReport Integrate(IReadOnlyList<string> paths, TraceEnergyOptions options)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.GapThreshold, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Idle?.FirstSamples ?? 1, 1, nameof(options));
        var (files, missing) = ExpandPaths(paths);
        var results = new FileEnergy[files.Count];
        Parallel.For(0, files.Count, i => results[i] = Compute(files[i], options));

        var problems = missing.Select(m => new TraceProblem(true, m)).ToList();
        var rows = new List<TraceEnergyRow>();
        bool anyFatal = false;
        foreach (var file in results)
        {
            foreach (var fatal in file.Faults.Where(f => f.Kind == FaultKind.Fatal))
            {
                anyFatal = true;
                problems.Add(new TraceProblem(true, fatal.ToString()));
            }

            foreach (var (device, baseline) in file.Devices)
            {
                foreach (var fatal in device.Faults.Where(f => f.Kind == FaultKind.Fatal))
                {
                    anyFatal = true;
                    problems.Add(new TraceProblem(true, fatal.ToString()));
                }

                if (device.Result is { } r)
                {
                    rows.Add(ToRow(device, r, baseline, file.Faults, options));
                }
                else
                {
                    // Its row is missing from the output, so say what led to it.
                    problems.AddRange(device.Faults.Where(f => f.Kind != FaultKind.Fatal).Select(f => new TraceProblem(false, Where(new TraceFaultRow(KindName(f.Kind), f.Line, f.Message)))));
                }
            }
        }

        var outcome = missing.Count > 0 ? ExitCode.NoInput : anyFatal ? ExitCode.DataError : ExitCode.Success;
        return new TraceEnergyReport(rows, problems, outcome);
    }

    /// <summary>"line 5: message", or the message alone for a fault of the whole file.</summary>
    public static string Where(TraceFaultRow fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        return fault.Line > 0 ? $"line {fault.Line}: {fault.Message}" : fault.Message;
    }

    private static FileEnergy Compute(string path, TraceEnergyOptions options)
    {
        var sink = new IntegratingSink(path, options);
        var scan = NvidiaSmiCsv.ScanFile(path, sink, options.Parity ? Seaa2023Parity.ReadOptions : TraceReadOptions.Default);
        if (scan.IsFatal)
        {
            return new FileEnergy(scan.Faults, []);
        }

        int? trimEnd = options.Parity ? Seaa2023Parity.TrimEndFor(scan.Faults) : null;
        return new FileEnergy(scan.Faults, sink.Complete(trimEnd));
    }

    /// <summary>Files and directories → sorted, de-duplicated trace files, plus one message per path that does not exist or holds no trace.</summary>
    internal static (List<string> Files, List<string> Missing) ExpandPaths(IReadOnlyList<string> paths)
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
                    missing.Add($"{path}: no gpu-power-*.csv or gpu-power-*.csv.gz trace in this directory or below; give trace files by name to read other names.");
                }
            }
            else
            {
                missing.Add($"{path}: no such file or directory.");
            }
        }

        return (files.ToList(), missing);
    }

    private static TraceEnergyRow ToRow(DeviceEnergy device, EnergyResult r, BaselineEnergy? net, IReadOnlyList<TraceFault> readFaults, TraceEnergyOptions options)
    {
        var faults = readFaults.Concat(device.Faults)
            .Select(f => new TraceFaultRow(KindName(f.Kind), f.Line, f.Message))
            .ToList();
        return new TraceEnergyRow(
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
            options.Parity ? Seaa2023Parity.Name : null,
            faults);
    }

    /// <summary>The snake_case name of a fault kind, as the JSON and the store write it.</summary>
    public static string KindName(FaultKind kind) => kind switch
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
        FaultKind.InvalidValue => "invalid_value",
        FaultKind.SharedDeviceIndex => "shared_device_index",
        _ => kind.ToString().ToLowerInvariant(),
    };


    private sealed record FileEnergy(IReadOnlyList<TraceFault> Faults, IReadOnlyList<(DeviceEnergy Energy, BaselineEnergy? Net)> Devices);

    /// <summary>Per device: an <see cref="EnergyIntegrator"/> and, for a first:N idle baseline, the first N powers.</summary>
    private sealed class IntegratingSink(string path, TraceEnergyOptions options) : ITraceSampleSink
    {
        private readonly Dictionary<string, DeviceState> _devices = new(StringComparer.Ordinal);
        private DeviceState? _last;

        public void OnSample(string device, string? gpuName, in GpuSample sample)
        {
            var state = _last is not null && ReferenceEquals(_last.Device, device) ? _last : Get(device, gpuName);
            _last = state;
            state.Integrator.Add(sample);
            if (state.IdleSamplesWanted > 0 && sample.Power is { } p && p.Watts >= 0)
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
                if (energy.Result is { } r && options.Idle is { } idle)
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
                var energyOptions = options.Parity
                    ? Seaa2023Parity.EnergyOptions with { GapThreshold = options.GapThreshold }
                    : new EnergyOptions { Method = options.Method, GapThreshold = options.GapThreshold };
                state = new DeviceState(device, new EnergyIntegrator(path, device, gpuName, energyOptions))
                {
                    IdleSamplesWanted = options.Idle?.FirstSamples ?? 0,
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
}
