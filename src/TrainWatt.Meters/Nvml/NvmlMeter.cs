using System.Globalization;
using TrainWatt.Core;
using TrainWatt.Core.Units;

namespace TrainWatt.Meters.Nvml;

/// <summary>What NVML told us about one selected GPU when the meter was opened.</summary>
/// <param name="Index">NVML index (nvidia-smi numbering).</param>
/// <param name="Uuid">"GPU-..." UUID.</param>
/// <param name="Name">Product name.</param>
/// <param name="PciBusId">PCI bus id ("00000000:01:00.0"), null when NVML did not say.</param>
/// <param name="PowerLimit">Power management limit, null when not readable.</param>
/// <param name="EnforcedPowerLimit">Enforced power limit, null when not readable.</param>
/// <param name="EnergyCounterSupported">True when nvmlDeviceGetTotalEnergyConsumption works (Volta and newer).</param>
public sealed record NvmlDeviceInfo(
    int Index,
    string Uuid,
    string Name,
    string? PciBusId,
    Power? PowerLimit,
    Power? EnforcedPowerLimit,
    bool EnergyCounterSupported)
{
    /// <summary>True when MIG mode is on (nvmlDeviceGetMigMode): the GPU's energy is shared by all its MIG instances; null when NVML cannot say (pre-Ampere).</summary>
    public bool? MigEnabled { get; init; }

    /// <summary>True for a Grace superchip (GH200, GB200): its energy counter is labelled as covering the module, not the GPU alone.</summary>
    public bool ModuleEnergy { get; init; }

    /// <summary>True when power is read as instantaneous power (NVML_FI_DEV_POWER_INSTANT), false when nvmlDeviceGetPowerUsage is used (a 1 s average on Ampere except GA100 and newer).</summary>
    public bool InstantPower { get; init; }
}

/// <summary>A GPU NVML counts but TrainWatt cannot read (handle refused, GPU lost), with the reason.</summary>
/// <param name="Index">NVML index.</param>
/// <param name="Uuid">UUID when known.</param>
/// <param name="Reason">The NVML call and code, in words.</param>
public sealed record NvmlSkippedGpu(int Index, string? Uuid, string Reason);

/// <summary>Settings for <see cref="NvmlMeter.Open"/>.</summary>
/// <param name="LibraryPath">NVML library file to load instead of the system's (<c>TRAINWATT_NVML_LIBRARY</c>); null = system.</param>
/// <param name="Gpus">The <c>--gpus</c> value ("0,1", UUIDs), null for none.</param>
/// <param name="CudaVisibleDevices">The <c>CUDA_VISIBLE_DEVICES</c> value, null when unset.</param>
/// <param name="CudaDeviceOrder">The <c>CUDA_DEVICE_ORDER</c> value, null when unset.</param>
public sealed record NvmlMeterOptions(
    string? LibraryPath = null,
    string? Gpus = null,
    string? CudaVisibleDevices = null,
    string? CudaDeviceOrder = null)
{
    /// <summary>Reads the library override and CUDA variables from an environment lookup.</summary>
    public static NvmlMeterOptions FromEnvironment(Func<string, string?> environment, string? gpus = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        string? library = environment(NvmlLibrary.LibraryEnvironmentVariable);
        return new NvmlMeterOptions(
            string.IsNullOrEmpty(library) ? null : library,
            gpus,
            environment("CUDA_VISIBLE_DEVICES"),
            environment("CUDA_DEVICE_ORDER"));
    }
}

/// <summary>
/// GPU energy through NVML: one channel per selected GPU ("gpu:&lt;index&gt;"). A channel is
/// <see cref="Provenance.Counter"/> when the GPU's total-energy counter works (mJ since driver load, Volta and newer;
/// <see cref="ChannelReading.CumulativeEnergy"/> is its increase since the meter was opened), otherwise
/// <see cref="Provenance.Sampled"/> with a <see cref="MeterChannel.Note"/> saying why: the caller integrates
/// <see cref="ChannelReading.Power"/> (nvmlDeviceGetPowerUsage, mW) over <see cref="MeterReading.Elapsed"/>.
/// </summary>
/// <remarks>
/// Read by one thread at a time. <see cref="Read"/> never throws for a failing NVML call: the channel's reading gets null
/// values and an <see cref="ChannelReading.Error"/> naming the NVML function and code. Dispose calls nvmlShutdown.
/// </remarks>
public sealed class NvmlMeter : IBufferedMeter, IGpuAttribution
{
    private readonly NvmlLibrary _library;
    private readonly TimeProvider _time;
    private readonly long _startTimestamp;
    private readonly Device[] _devices;
    private bool _disposed;
    private volatile AttributionState? _attribution;

    /// <summary>Largest number of samples taken from one buffer in one call.</summary>
    private const int SampleChunk = 256;

    /// <summary>Buffered samples older than this before a read are not used (a sampler that stalled): at most this many seconds of slots.</summary>
    private static readonly TimeSpan BufferHorizon = TimeSpan.FromSeconds(10);

    private readonly NvmlSample[] _samples = new NvmlSample[SampleChunk];

    private NvmlMeter(NvmlLibrary library, TimeProvider time, long startTimestamp, Device[] devices, string? driverVersion, GpuSelection selection, IReadOnlyList<NvmlSkippedGpu> skipped)
    {
        Skipped = skipped;
        _library = library;
        _time = time;
        _startTimestamp = startTimestamp;
        _devices = devices;
        DriverVersion = driverVersion;
        Selection = selection;
        Channels = devices.Select(d => d.Channel).ToArray();
        Devices = devices.Select(d => d.Info).ToArray();
        foreach (var device in devices)
        {
            device.PowerBuffer = HasBuffer(device.Handle, NvmlSamplingType.TotalPower);
            device.UtilizationBuffer = HasBuffer(device.Handle, NvmlSamplingType.GpuUtilization);
        }

        HasSampleBuffer = devices.Length > 0 && devices.All(d => d.PowerBuffer);
    }

    /// <inheritdoc />
    public bool HasSampleBuffer { get; }

    private bool HasBuffer(nint handle, NvmlSamplingType type)
    {
        // nvml.h: Kepler and newer keep power, utilisation and clock samples; NOT_FOUND is a working buffer with nothing newer.
        var code = _library.Samples(handle, type, 0, _samples, out _, out int valueType);
        return code == NvmlReturn.NotFound || (code == NvmlReturn.Success && valueType == NvmlValueTypeUnsignedInt);
    }

    /// <summary>nvml.h NVML_VALUE_TYPE_UNSIGNED_INT: how power (mW) and utilisation (%) samples are returned.</summary>
    private const int NvmlValueTypeUnsignedInt = 1;

    /// <inheritdoc />
    public void UseSampleBuffer(TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        if (!HasSampleBuffer)
        {
            throw new InvalidOperationException("This NVML meter has no sample buffer (HasSampleBuffer is false).");
        }

        string text = string.Create(CultureInfo.InvariantCulture,
            $"; read once a second, with the power between reads from the driver's sample buffer (nvmlDeviceGetSamples) averaged per {interval.TotalMilliseconds:0.###} ms");
        Channels = [.. Channels.Select(c => c with { Note = c.Note + text })];
    }

    /// <inheritdoc />
    public void ReadBuffered(DateTimeOffset origin, DateTimeOffset after, DateTimeOffset until, TimeSpan interval, List<MeterReading> readings)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(readings);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        if (until - after > BufferHorizon)
        {
            after = until - BufferHorizon;
        }

        long afterUs = UnixMicroseconds(after), untilUs = UnixMicroseconds(until);
        long slotUs = Math.Max(1, interval.Ticks / 10);
        if (untilUs <= afterUs + 1)
        {
            return;
        }

        // Slots of one interval from the last reading on; a last slot shorter than half an interval joins the one before,
        // so a second between two reads gives ten readings at 100 ms, not ten and a sliver.
        long span = untilUs - afterUs;
        int slots = (int)Math.Min(int.MaxValue / 64, (span + slotUs - 1) / slotUs);
        if (slots > 1 && span - ((slots - 1) * slotUs) < slotUs / 2)
        {
            slots--;
        }

        int n = _devices.Length;
        var watts = new double[slots * n];
        var counts = new int[slots * n];
        var times = new double[slots];
        var timeCounts = new int[slots];
        var utilization = new List<(long Us, uint Percent)>[n];
        for (int d = 0; d < n; d++)
        {
            var device = _devices[d];
            if (device.Lost is not null || !device.PowerBuffer)
            {
                continue;
            }

            device.SeenPowerUs = Drain(device.Handle, NvmlSamplingType.TotalPower, device.SeenPowerUs, (us, value) =>
            {
                if (us <= afterUs || us >= untilUs)
                {
                    return;
                }

                int slot = (int)Math.Min(slots - 1, (us - afterUs - 1) / slotUs);
                watts[(slot * n) + d] += value / 1000.0; // mW
                counts[(slot * n) + d]++;
                times[slot] += us - afterUs;
                timeCounts[slot]++;
            });
            if (device.UtilizationBuffer)
            {
                var list = utilization[d] = [];
                device.SeenUtilizationUs = Drain(device.Handle, NvmlSamplingType.GpuUtilization, device.SeenUtilizationUs, (us, value) => list.Add((us, value)));
            }
        }

        for (int slot = 0; slot < slots; slot++)
        {
            if (timeCounts[slot] == 0)
            {
                continue;
            }

            long atUs = afterUs + (long)Math.Round(times[slot] / timeCounts[slot]);
            var channels = new ChannelReading[n];
            for (int d = 0; d < n; d++)
            {
                int k = (slot * n) + d;
                channels[d] = new ChannelReading(_devices[d].Channel.Id, counts[k] > 0 ? Power.FromWatts(watts[k] / counts[k]) : null, null,
                    counts[k] > 0 ? Covering(utilization[d], atUs) : null);
            }

            var timestamp = DateTimeOffset.UnixEpoch.AddTicks(atUs * 10);
            readings.Add(new MeterReading(timestamp, timestamp - origin, channels));
        }
    }

    /// <summary>Reads every sample newer than <paramref name="seenUs"/>, oldest first; returns the newest time stamp seen.</summary>
    private ulong Drain(nint handle, NvmlSamplingType type, ulong seenUs, Action<long, uint> sample)
    {
        for (int round = 0; round < 8; round++)
        {
            var code = _library.Samples(handle, type, seenUs, _samples, out int count, out _);
            if (code != NvmlReturn.Success || count == 0)
            {
                break;
            }

            for (int i = 0; i < count; i++)
            {
                ulong us = _samples[i].TimeStamp;
                if (us > seenUs)
                {
                    seenUs = us;
                }

                sample((long)us, _samples[i].UIntValue);
            }

            if (count < _samples.Length)
            {
                break;
            }
        }

        return seenUs;
    }

    /// <summary>The utilisation sample that covers <paramref name="atUs"/>: the first one stamped at or after it (a sample is the share of the period before its stamp), within a second.</summary>
    private static double? Covering(List<(long Us, uint Percent)>? samples, long atUs)
    {
        if (samples is null)
        {
            return null;
        }

        foreach (var (us, percent) in samples)
        {
            if (us >= atUs)
            {
                return us - atUs <= 1_000_000 ? percent : null;
            }
        }

        return null;
    }

    private static long UnixMicroseconds(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;


    public string Name => "nvml";

    public IReadOnlyList<MeterChannel> Channels { get; private set; }

    /// <summary>The selected GPUs, in channel order.</summary>
    public IReadOnlyList<NvmlDeviceInfo> Devices { get; }

    /// <summary>Driver version reported by NVML, when available.</summary>
    public string? DriverVersion { get; }

    /// <summary>How the GPUs were selected, with any warnings to show the user.</summary>
    public GpuSelection Selection { get; }

    /// <summary>The library file or name that was loaded.</summary>
    public string LibraryPath => _library.Path;

    /// <summary>Selected GPUs that cannot be read (NO_PERMISSION handle, GPU lost), each with its reason; the others are measured.</summary>
    public IReadOnlyList<NvmlSkippedGpu> Skipped { get; }

    /// <summary>What the user should know before the run: skipped GPUs, MIG sharing, module counters, selection warnings. One line each.</summary>
    public IReadOnlyList<string> Warnings
    {
        get
        {
            var warnings = new List<string>();
            warnings.AddRange(Skipped.Select(g => $"gpu:{g.Index} is not measured: {g.Reason}"));
            warnings.AddRange(Devices.Where(d => d.MigEnabled == true).Select(d =>
                $"gpu:{d.Index} has MIG mode enabled: NVML has no per-instance power, so its energy is that of the whole GPU, shared by every MIG instance on it (other tenants' work included)."));
            warnings.AddRange(Devices.Where(d => d.ModuleEnergy).Select(d =>
                $"gpu:{d.Index} ({d.Name}) is a Grace superchip: its energy counter is labelled as covering the whole module (GPU, Grace CPU and memory), not the GPU alone."));
            warnings.AddRange(Selection.Warnings);
            return warnings;
        }
    }

    /// <summary>
    /// Loads NVML, initialises it, enumerates and selects GPUs and reads each energy counter's starting value.
    /// </summary>
    /// <param name="options">Library override and GPU selection.</param>
    /// <param name="time">Clock for <see cref="MeterReading.Timestamp"/> and <see cref="MeterReading.Elapsed"/>.</param>
    /// <param name="startTimestamp">Origin of <see cref="MeterReading.Elapsed"/> (a <see cref="TimeProvider.GetTimestamp"/> value); null = now.</param>
    /// <exception cref="MeterUnavailableException">NVML cannot be loaded or initialised, or the GPU selection is invalid; carries the fix.</exception>
    public static NvmlMeter Open(NvmlMeterOptions options, TimeProvider time, long? startTimestamp = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        NvmlLibrary library;
        try
        {
            library = NvmlLibrary.Load(options.LibraryPath);
        }
        catch (NvmlException e)
        {
            throw new MeterUnavailableException("nvml", e.Message, e.Fix, e);
        }

        var init = library.Init();
        if (init != NvmlReturn.Success)
        {
            library.Dispose();
            throw Unavailable(init, "nvmlInit_v2", library.Path);
        }

        try
        {
            return OpenInitialised(library, options, time, startTimestamp ?? time.GetTimestamp());
        }
        catch (Exception e) when (e is MeterUnavailableException or GpuSelectionException)
        {
            library.Shutdown();
            library.Dispose();
            throw;
        }
    }

    /// <summary>Tries to open the meter and describes the outcome for <c>trainwatt doctor</c>. Never throws for an unavailable meter.</summary>
    public static MeterProbe Probe(NvmlMeterOptions options)
    {
        try
        {
            using var meter = Open(options, TimeProvider.System);
            var found = new List<string>
            {
                $"library {meter.LibraryPath}" + (meter.DriverVersion is null ? "" : $", driver {meter.DriverVersion}"),
                $"GPU selection: {meter.Selection.Source}",
            };
            found.AddRange(meter.Devices.Select(Describe));
            found.AddRange(meter.Warnings.Select(w => "warning: " + w));
            if (meter.Devices.Count == 0)
            {
                return new MeterProbe("nvml", false, found, "NVML works but no GPU is selected.",
                    "Check CUDA_VISIBLE_DEVICES / --gpus, and that the container was started with `--gpus all` (NVIDIA_VISIBLE_DEVICES=all).");
            }

            return new MeterProbe("nvml", true, found);
        }
        catch (MeterUnavailableException e)
        {
            return e.ToProbe();
        }
        catch (GpuSelectionException e)
        {
            return new MeterProbe("nvml", false, [], e.Message, GpuSelection.OrderFix);
        }
    }

    private static string Describe(NvmlDeviceInfo d)
    {
        string limit = d.EnforcedPowerLimit is { } p ? string.Create(CultureInfo.InvariantCulture, $", power limit {p.Watts:0} W") : "";
        string energy = d.EnergyCounterSupported ? (d.ModuleEnergy ? "module energy counter" : "energy counter") : "no energy counter (power sampled)";
        string power = d.InstantPower ? "instant power" : "power: nvmlDeviceGetPowerUsage";
        string mig = d.MigEnabled == true ? ", MIG enabled (energy shared by all instances)" : "";
        return $"gpu:{d.Index} {d.Name} {d.Uuid} bus {d.PciBusId ?? "?"}{limit}, {energy}, {power}{mig}";
    }

    private static MeterUnavailableException Unavailable(NvmlReturn code, string function, string library)
        => new("nvml", NvmlErrors.Message(code, function) + $" (library {library})", NvmlErrors.Fix(code), new NvmlException(code, function));

    private static NvmlMeter OpenInitialised(NvmlLibrary library, NvmlMeterOptions options, TimeProvider time, long startTimestamp)
    {
        library.DriverVersion(out string? driverVersion);
        var code = library.DeviceCount(out uint count);
        if (code != NvmlReturn.Success)
        {
            throw Unavailable(code, "nvmlDeviceGetCount_v2", library.Path);
        }

        // nvml.h: nvmlDeviceGetCount_v2 also counts GPUs whose handle is refused with NO_PERMISSION (cgroup-restricted
        // containers, Slurm jobs), and a GPU that fell off the bus answers GPU_IS_LOST. Such a GPU is skipped with its
        // reason; the others are measured.
        var handles = new nint[count];
        var identities = new List<GpuIdentity>();
        for (uint i = 0; i < count; i++)
        {
            code = library.DeviceHandle(i, out handles[i]);
            if (code != NvmlReturn.Success)
            {
                identities.Add(new GpuIdentity((int)i, $"(index {i}, unreadable)", Unreadable: Reason(code, $"nvmlDeviceGetHandleByIndex_v2(index {i})")));
                continue;
            }

            code = library.DeviceUuid(handles[i], out string? uuid);
            string? name = library.DeviceName(handles[i], out string? n) == NvmlReturn.Success ? n : null;
            library.DevicePciBusId(handles[i], out string? busId);
            identities.Add(new GpuIdentity((int)i, code == NvmlReturn.Success && uuid is not null ? uuid : $"(index {i}, UUID unreadable)", name, busId,
                code == NvmlReturn.GpuIsLost ? Reason(code, "nvmlDeviceGetUUID") : null));
        }

        var selection = GpuSelection.Resolve(identities, options.Gpus, options.CudaVisibleDevices, options.CudaDeviceOrder);
        if (selection.Error is not null)
        {
            throw new GpuSelectionException(selection.Error);
        }

        var devices = new List<Device>();
        var skipped = new List<NvmlSkippedGpu>();
        foreach (int index in selection.Indices)
        {
            var identity = identities[index];
            if (identity.Unreadable is not null)
            {
                skipped.Add(new NvmlSkippedGpu(index, null, identity.Unreadable));
                continue;
            }

            var device = OpenDevice(library, index, handles[index], identity, out string? lost);
            if (device is null)
            {
                skipped.Add(new NvmlSkippedGpu(index, identity.Uuid, lost!));
            }
            else
            {
                devices.Add(device);
            }
        }

        if (devices.Count == 0 && skipped.Count > 0)
        {
            throw new MeterUnavailableException("nvml",
                "NVML cannot read any selected GPU: " + string.Join("; ", skipped.Select(g => $"gpu:{g.Index}: {g.Reason}")) + $" (library {library.Path})",
                NvmlErrors.Fix(skipped.Any(g => g.Reason.Contains("NO_PERMISSION", StringComparison.Ordinal)) ? NvmlReturn.NoPermission : NvmlReturn.GpuIsLost));
        }

        return new NvmlMeter(library, time, startTimestamp, [.. devices], driverVersion, selection, skipped);
    }

    private static string Reason(NvmlReturn code, string function)
        => NvmlErrors.Message(code, function) + (NvmlErrors.Fix(code) is { } fix ? " Fix: " + fix : "");

    /// <summary>Reads what is fixed about a GPU; null (with <paramref name="lost"/>) when it answers GPU_IS_LOST.</summary>
    private static Device? OpenDevice(NvmlLibrary library, int index, nint handle, GpuIdentity identity, out string? lost)
    {
        string name = identity.Name ?? "NVIDIA GPU";
        Power? limit = library.PowerManagementLimit(handle, out uint limitMw) == NvmlReturn.Success ? Power.FromWatts(limitMw / 1000.0) : null;
        Power? enforced = library.EnforcedPowerLimit(handle, out uint enforcedMw) == NvmlReturn.Success ? Power.FromWatts(enforcedMw / 1000.0) : null;

        var counter = library.TotalEnergyConsumption(handle, out ulong startMj);
        var instant = library.PowerInstant(handle, out _);
        var average = library.PowerUsage(handle, out _);
        foreach (var (code, function) in new[] { (counter, "nvmlDeviceGetTotalEnergyConsumption"), (instant, "nvmlDeviceGetFieldValues"), (average, "nvmlDeviceGetPowerUsage") })
        {
            if (code is NvmlReturn.GpuIsLost or NvmlReturn.ResetRequired)
            {
                lost = Reason(code, function);
                return null;
            }
        }

        lost = null;
        bool hasCounter = counter == NvmlReturn.Success;
        bool instantPower = instant == NvmlReturn.Success;
        bool? mig = library.MigMode(handle, out uint current, out _) == NvmlReturn.Success ? current == 1 : null;
        bool module = IsGraceModule(name);
        string powerSource = instantPower
            ? "instantaneous power (NVML_FI_DEV_POWER_INSTANT)"
            : "nvmlDeviceGetPowerUsage (a 1 s average on Ampere except GA100 and newer, instantaneous on GA100 and older)";
        string note = hasCounter
            ? (module
                ? "NVML total energy counter (nvmlDeviceGetTotalEnergyConsumption, mJ) of a Grace superchip: labelled as the whole module (GPU, Grace CPU and memory)"
                : "NVML total energy counter (nvmlDeviceGetTotalEnergyConsumption, mJ)") + $"; power sampled from {powerSource} alongside"
            : $"NVML total energy counter unavailable on this GPU ({NvmlErrors.ConstantName(counter)}: {NvmlErrors.Describe(counter)} It needs a Volta or newer GPU); " +
              $"board power is sampled from {powerSource} and integrated over time.";
        if (mig == true)
        {
            note += "; MIG mode enabled: the energy of the whole GPU, shared by all its MIG instances (NVML has no per-instance power)";
        }

        var channel = new MeterChannel($"gpu:{index}", "gpu", name, hasCounter ? Provenance.Counter : Provenance.Sampled, identity.Uuid, note);
        var info = new NvmlDeviceInfo(index, identity.Uuid, name, identity.PciBusId, limit, enforced, hasCounter)
        {
            MigEnabled = mig,
            ModuleEnergy = module,
            InstantPower = instantPower,
        };
        return new Device(handle, channel, info, hasCounter, startMj);
    }

    /// <summary>Grace Hopper (GH200) and Grace Blackwell (GB200, GB300) superchips, by product name.</summary>
    internal static bool IsGraceModule(string name)
        => name.Contains("GH200", StringComparison.OrdinalIgnoreCase) || name.Contains("GB200", StringComparison.OrdinalIgnoreCase)
        || name.Contains("GB300", StringComparison.OrdinalIgnoreCase) || name.Contains("Grace", StringComparison.OrdinalIgnoreCase);

    public MeterReading Read()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var timestamp = _time.GetUtcNow();
        var elapsed = _time.GetElapsedTime(_startTimestamp);
        var readings = new ChannelReading[_devices.Length];
        for (int i = 0; i < _devices.Length; i++)
        {
            readings[i] = ReadDevice(_devices[i], elapsed);
        }

        if (_attribution is { Failed: false } state)
        {
            try
            {
                Attribute(state, readings, elapsed);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Attribution is an extra: a failure in it never costs the GPU's measurement.
                state.Failed = true;
            }
        }

        return new MeterReading(timestamp, elapsed, readings);
    }

    /// <summary>Starts attributing: <paramref name="rootPid"/> and its descendants are the run (see <see cref="GpuAttribution"/>).</summary>
    /// <remarks>Called on the session's thread while the sampler reads: the whole state is built first and published at once.</remarks>
    public void AttachRun(int rootPid) => _attribution = new AttributionState(new RunProcessTree(rootPid), [.. _devices.Select(d => new GpuShareTracker(d.Channel.Id))]);

    /// <inheritdoc />
    public IReadOnlyList<GpuAttribution> Attribution => _attribution is { Failed: false } state
        ? [.. state.Trackers.Select(t => t.Result()).OfType<GpuAttribution>()]
        : [];

    /// <summary>
    /// Each reading's device energy since the last one goes to its GPU's tracker, at the share the GPU's processes and
    /// their SM utilisation give; those are asked at most once a second (two NVML calls per GPU).
    /// </summary>
    private void Attribute(AttributionState state, ChannelReading[] readings, TimeSpan elapsed)
    {
        bool query = state.LastQuery is not { } last || elapsed - last >= TimeSpan.FromSeconds(1);
        if (query)
        {
            state.LastQuery = elapsed;
        }

        for (int i = 0; i < _devices.Length; i++)
        {
            var device = _devices[i];
            if (device.Lost is not null)
            {
                continue;
            }

            if (query && _library.ComputeProcesses(device.Handle, out var processes) == NvmlReturn.Success)
            {
                var code = _library.ProcessUtilization(device.Handle, state.LastSample[i], out var samples);
                List<(int Pid, double Sm)>? sm = code switch
                {
                    NvmlReturn.Success => [.. samples.Select(s => ((int)s.Pid, (double)s.SmUtil))],
                    NvmlReturn.NotFound => [],
                    _ => null,
                };
                if (code == NvmlReturn.Success && samples.Length > 0)
                {
                    state.LastSample[i] = samples.Max(s => s.TimeStamp);
                }

                state.Trackers[i].Update([.. processes.Select(p => (int)p.Pid)], sm, state.Run.Contains);
            }

            var reading = readings[i];
            var now = (reading.CumulativeEnergy?.Joules, reading.Power?.Watts, elapsed.TotalSeconds);
            if (state.Previous[i] is { } previous)
            {
                double joules = now.Item1 is double c && previous.Joules is double p
                    ? c - p
                    : now.Item2 is double w && previous.Watts is double pw ? 0.5 * (w + pw) * (now.Item3 - previous.Seconds) : 0;
                state.Trackers[i].Add(joules);
            }

            state.Previous[i] = now;
        }
    }

    private ChannelReading ReadDevice(Device device, TimeSpan elapsed)
    {
        if (device.Lost is not null)
        {
            // A lost GPU is not asked again (each call can block in the driver); its channel stays marked.
            return new ChannelReading(device.Channel.Id, null, null, Error: device.Lost);
        }

        var errors = new List<string>(0);
        Energy? cumulative = null;
        if (device.HasCounter)
        {
            var code = _library.TotalEnergyConsumption(device.Handle, out ulong mj);
            if (code == NvmlReturn.Success)
            {
                cumulative = device.Accumulate(mj);
            }
            else
            {
                errors.Add(NvmlErrors.Message(code, "nvmlDeviceGetTotalEnergyConsumption"));
                if (MarkLost(device, code, "nvmlDeviceGetTotalEnergyConsumption", elapsed))
                {
                    return new ChannelReading(device.Channel.Id, null, null, Error: device.Lost);
                }
            }
        }

        Power? power = null;
        double milliwatts;
        NvmlReturn powerCode;
        if (device.Info.InstantPower)
        {
            powerCode = _library.PowerInstant(device.Handle, out milliwatts);
        }
        else
        {
            powerCode = _library.PowerUsage(device.Handle, out uint usage);
            milliwatts = usage;
        }

        string powerFunction = device.Info.InstantPower ? "nvmlDeviceGetFieldValues(NVML_FI_DEV_POWER_INSTANT)" : "nvmlDeviceGetPowerUsage";
        if (powerCode == NvmlReturn.Success)
        {
            power = Power.FromWatts(milliwatts / 1000.0); // NVML reports mW
        }
        else
        {
            errors.Add(NvmlErrors.Message(powerCode, powerFunction));
            if (MarkLost(device, powerCode, powerFunction, elapsed))
            {
                return new ChannelReading(device.Channel.Id, null, null, Error: device.Lost);
            }
        }

        double? utilization = _library.Utilization(device.Handle, out var u) == NvmlReturn.Success ? u.Gpu : null;
        double? memoryMiB = _library.MemoryInfo(device.Handle, out var m) == NvmlReturn.Success ? m.Used / 1048576.0 : null; // bytes
        double? temperature = _library.Temperature(device.Handle, out uint t) == NvmlReturn.Success ? t : null;
        double? smClock = _library.SmClock(device.Handle, out uint clock) == NvmlReturn.Success ? clock : null;
        string? error = errors.Count == 0 ? null : string.Join("; ", errors);
        return new ChannelReading(device.Channel.Id, power, cumulative, utilization, memoryMiB, temperature, error, smClock);
    }

    private static bool MarkLost(Device device, NvmlReturn code, string function, TimeSpan elapsed)
    {
        if (code is not (NvmlReturn.GpuIsLost or NvmlReturn.ResetRequired))
        {
            return false;
        }

        device.Lost = string.Create(CultureInfo.InvariantCulture,
            $"{device.Channel.Id} lost at {elapsed.TotalSeconds:0.0} s and no longer read: {NvmlErrors.Message(code, function)} Its energy covers the time before.");
        return true;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _library.Shutdown();
        _library.Dispose();
    }

    /// <summary>Everything attribution keeps, per GPU in channel order; touched only by the reading thread once published.</summary>
    private sealed class AttributionState(RunProcessTree run, GpuShareTracker[] trackers)
    {
        public RunProcessTree Run { get; } = run;

        public GpuShareTracker[] Trackers { get; } = trackers;

        /// <summary>The last reading's cumulative energy (J), power (W) and time (s).</summary>
        public (double? Joules, double? Watts, double Seconds)?[] Previous { get; } = new (double?, double?, double)?[trackers.Length];

        /// <summary>The newest process-utilisation sample seen per GPU (µs), passed back to NVML as lastSeenTimeStamp.</summary>
        public ulong[] LastSample { get; } = new ulong[trackers.Length];

        public TimeSpan? LastQuery { get; set; }

        public bool Failed { get; set; }
    }

    private sealed class Device(nint handle, MeterChannel channel, NvmlDeviceInfo info, bool hasCounter, ulong startMillijoules)
    {
        private ulong _lastMillijoules = startMillijoules;
        private ulong _accumulatedMillijoules;

        public nint Handle { get; } = handle;

        public MeterChannel Channel { get; } = channel;

        public NvmlDeviceInfo Info { get; } = info;

        public bool HasCounter { get; } = hasCounter;

        /// <summary>Set when the GPU answered GPU_IS_LOST or RESET_REQUIRED: the message every later reading carries.</summary>
        public string? Lost { get; set; }

        /// <summary>nvmlDeviceGetSamples answers power samples for this GPU.</summary>
        public bool PowerBuffer { get; set; }

        /// <summary>nvmlDeviceGetSamples answers GPU utilisation samples for this GPU.</summary>
        public bool UtilizationBuffer { get; set; }

        /// <summary>The newest power sample's time stamp read so far (µs), passed back as lastSeenTimeStamp.</summary>
        public ulong SeenPowerUs { get; set; }

        /// <summary>The newest utilisation sample's time stamp read so far (µs).</summary>
        public ulong SeenUtilizationUs { get; set; }


        /// <summary>Adds the counter's increase since the last read. A counter that goes backwards was reset (driver reload): it restarted from 0.</summary>
        public Energy Accumulate(ulong millijoules)
        {
            _accumulatedMillijoules += millijoules >= _lastMillijoules ? millijoules - _lastMillijoules : millijoules;
            _lastMillijoules = millijoules;
            return Energy.FromMillijoules(_accumulatedMillijoules);
        }
    }
}
