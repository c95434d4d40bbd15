using System.Globalization;
using TrainWatt.Core;
using TrainWatt.Core.Units;

namespace TrainWatt.Meters.AmdSmi;

/// <summary>What AMD SMI told us about one selected GPU when the meter was opened.</summary>
/// <param name="Index">AMD SMI index (<c>amd-smi</c> numbering).</param>
/// <param name="Uuid">amdsmi_get_gpu_device_uuid (or the HIP UUID when that is all there is).</param>
/// <param name="Name">Market name (amdsmi_asic_info_t), else the board's product name.</param>
/// <param name="Bdf">PCI address ("0000:c1:00.0"), null when unknown.</param>
/// <param name="EnergyCounter">True when amdsmi_get_energy_count works on this GPU (MI200 and newer; not MI100).</param>
/// <param name="HipUuid">The "GPU-..." UUID HIP and ROCr use, when the library says (ROCm 6.4+).</param>
public sealed record AmdGpuInfo(int Index, string Uuid, string Name, string? Bdf, bool EnergyCounter, string? HipUuid);

/// <summary>Settings for <see cref="AmdSmiMeter.Open"/>.</summary>
/// <param name="LibraryPath"><c>TRAINWATT_AMDSMI_LIBRARY</c>; null = the system's libamd_smi.so.</param>
/// <param name="Gpus">The <c>--gpus</c> value, null for none.</param>
/// <param name="RocrVisibleDevices">ROCR_VISIBLE_DEVICES, null when unset.</param>
/// <param name="HipVisibleDevices">HIP_VISIBLE_DEVICES, null when unset.</param>
/// <param name="CudaVisibleDevices">CUDA_VISIBLE_DEVICES (HIP honours it too), null when unset.</param>
public sealed record AmdSmiMeterOptions(
    string? LibraryPath = null,
    string? Gpus = null,
    string? RocrVisibleDevices = null,
    string? HipVisibleDevices = null,
    string? CudaVisibleDevices = null)
{
    /// <summary>Reads the library override and the ROCm variables from an environment lookup.</summary>
    public static AmdSmiMeterOptions FromEnvironment(Func<string, string?> environment, string? gpus = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        string? library = environment(AmdSmiLibrary.LibraryEnvironmentVariable);
        return new AmdSmiMeterOptions(string.IsNullOrEmpty(library) ? null : library, gpus,
            environment("ROCR_VISIBLE_DEVICES"), environment("HIP_VISIBLE_DEVICES"), environment("CUDA_VISIBLE_DEVICES"));
    }
}

/// <summary>
/// AMD GPU energy through AMD SMI (<c>libamd_smi.so</c>): one channel per selected GPU ("gpu:&lt;index&gt;"). A GPU with
/// an energy counter (amdsmi_get_energy_count: a count × its resolution in µJ, MI200 and newer) is a
/// <see cref="Provenance.Counter"/> channel; one without (MI100) is <see cref="Provenance.Sampled"/> from
/// amdsmi_get_power_info (current_socket_power on MI300 and newer, else average_socket_power, whole watts).
/// </summary>
/// <remarks>
/// A counter that misbehaves (<see cref="AmdCounterGuard"/>: backwards, an impossible jump, standing still while the GPU
/// draws power) is dropped for the rest of the run: from its last good reading on, the channel's cumulative energy grows
/// by the sampled power integrated here (trapezoids over the readings' times), and the fault is reported once through
/// <see cref="IMeterFaults"/>, so it is in the run's notes. A GPU that reads 0 W with a still counter while another
/// selected GPU of the same model draws power (one die of an MI250/MI250X: AMD SMI reports the module's power on one
/// die) is reported the same way. Read by one thread at a time; Dispose calls amdsmi_shut_down.
/// </remarks>
public sealed class AmdSmiMeter : IMeter, IMeterFaults
{
    private readonly AmdSmiLibrary _library;
    private readonly TimeProvider _time;
    private readonly long _startTimestamp;
    private readonly Device[] _devices;
    private readonly List<string> _faults = [];
    private bool _disposed;

    private AmdSmiMeter(AmdSmiLibrary library, TimeProvider time, long startTimestamp, Device[] devices, string? version, AmdGpuSelection selection)
    {
        _library = library;
        _time = time;
        _startTimestamp = startTimestamp;
        _devices = devices;
        LibraryVersion = version;
        Selection = selection;
        Channels = [.. devices.Select(d => d.Channel)];
        Devices = [.. devices.Select(d => d.Info)];
    }

    public string Name => "amd-smi";

    public IReadOnlyList<MeterChannel> Channels { get; }

    /// <summary>The selected GPUs, in channel order.</summary>
    public IReadOnlyList<AmdGpuInfo> Devices { get; }

    /// <summary>amdsmi_get_lib_version, when the library answers it.</summary>
    public string? LibraryVersion { get; }

    /// <summary>The struct layouts in use.</summary>
    public AmdSmiAbi Abi => _library.Abi;

    /// <summary>The library file that was loaded.</summary>
    public string LibraryPath => _library.Path;

    /// <summary>How the GPUs were selected.</summary>
    public AmdGpuSelection Selection { get; }

    /// <summary>The fault of each channel whose counter is no longer used (null while it is), in channel order.</summary>
    public IReadOnlyList<string?> CounterFaults => [.. _devices.Select(d => d.Guard.Fault)];

    /// <summary>Loads and initialises AMD SMI (AMDSMI_INIT_AMD_GPUS), enumerates and selects GPUs.</summary>
    /// <exception cref="MeterUnavailableException">The library is missing, init fails, or no AMD GPU is found; carries the fix.</exception>
    /// <exception cref="GpuSelectionException">A <c>--gpus</c> entry names no AMD GPU.</exception>
    public static AmdSmiMeter Open(AmdSmiMeterOptions options, TimeProvider time, long? startTimestamp = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        AmdSmiLibrary library;
        try
        {
            library = AmdSmiLibrary.Load(options.LibraryPath);
        }
        catch (AmdSmiException e)
        {
            throw new MeterUnavailableException("amd-smi", e.Message, e.Fix, e);
        }

        var init = library.Init();
        if (init != AmdSmiStatus.Success)
        {
            throw Unavailable(library, init, "amdsmi_init(AMDSMI_INIT_AMD_GPUS)");
        }

        try
        {
            return OpenInitialised(library, options, time, startTimestamp ?? time.GetTimestamp());
        }
        catch (Exception e) when (e is MeterUnavailableException or GpuSelectionException)
        {
            library.ShutDown();
            throw;
        }
    }

    /// <summary>Tries to open the meter and describes the outcome for <c>trainwatt doctor</c>. Never throws for an unavailable meter.</summary>
    public static MeterProbe Probe(AmdSmiMeterOptions options)
    {
        try
        {
            using var meter = Open(options, TimeProvider.System);
            var found = new List<string>
            {
                $"library {meter.LibraryPath}" + (meter.LibraryVersion is null ? "" : $", version {meter.LibraryVersion}") + $" (struct layouts of {AbiText(meter.Abi)})",
                $"GPU selection: {meter.Selection.Source}",
            };
            found.AddRange(meter.Devices.Select(d =>
                $"gpu:{d.Index} {d.Name} {d.Uuid} bus {d.Bdf ?? "?"}{(d.HipUuid is null ? "" : $" (HIP {d.HipUuid})")}, " +
                (d.EnergyCounter ? "energy counter" : "no energy counter (power sampled)")));
            found.AddRange(meter.Selection.Warnings.Select(w => "warning: " + w));
            return meter.Devices.Count == 0
                ? new MeterProbe("amd-smi", false, found, "AMD SMI works but no AMD GPU is selected.", "Check ROCR_VISIBLE_DEVICES / HIP_VISIBLE_DEVICES / --gpus.")
                : new MeterProbe("amd-smi", true, found) { Warnings = meter.Selection.Warnings };
        }
        catch (MeterUnavailableException e)
        {
            return e.ToProbe();
        }
        catch (GpuSelectionException e)
        {
            return new MeterProbe("amd-smi", false, [], e.Message, "Give --gpus AMD SMI indices or UUIDs as `amd-smi list` shows them.");
        }
    }

    private static string AbiText(AmdSmiAbi abi) => abi switch
    {
        AmdSmiAbi.Year24 => "ROCm 6.1-6.3",
        AmdSmiAbi.Major25 => "ROCm 6.4",
        _ => "ROCm 7",
    };

    private static MeterUnavailableException Unavailable(AmdSmiLibrary library, AmdSmiStatus status, string function)
        => new("amd-smi",
            AmdSmiErrors.Message(status, function) + (library.StatusText(status) is { } text ? $": {text}" : "") + $" (library {library.Path})",
            AmdSmiErrors.Fix(status));

    private static AmdSmiMeter OpenInitialised(AmdSmiLibrary library, AmdSmiMeterOptions options, TimeProvider time, long startTimestamp)
    {
        library.Version(out string? version); // also sets the struct layouts (library.Abi); a failure leaves ROCm 7's
        var status = library.Processors(out var processors, out string function);
        if (status != AmdSmiStatus.Success)
        {
            throw Unavailable(library, status, function);
        }

        if (processors.Count == 0)
        {
            throw new MeterUnavailableException("amd-smi", $"AMD SMI finds no AMD GPU (library {library.Path}).",
                "Check that the amdgpu driver is loaded (`amd-smi list`), and in a container pass `--device /dev/kfd --device /dev/dri`.");
        }

        var identities = new List<AmdGpuIdentity>();
        for (int i = 0; i < processors.Count; i++)
        {
            library.Uuid(processors[i], out string? uuid);
            bool hasEnumeration = library.Enumeration(processors[i], out uint hipId, out string? hipUuid) == AmdSmiStatus.Success;
            identities.Add(new AmdGpuIdentity(i, uuid, hasEnumeration && !string.IsNullOrEmpty(hipUuid) ? hipUuid : null, hasEnumeration ? (int)hipId : null));
        }

        var selection = AmdGpuSelection.Resolve(identities, options.Gpus, options.RocrVisibleDevices, options.HipVisibleDevices, options.CudaVisibleDevices);
        var devices = new List<Device>();
        foreach (int index in selection.Indices)
        {
            nint handle = processors[index];
            var identity = identities[index];
            string name = library.MarketName(handle, out string? market) == AmdSmiStatus.Success && !string.IsNullOrWhiteSpace(market) && market != "N/A"
                ? market
                : library.BoardProductName(handle, out string? product) == AmdSmiStatus.Success && !string.IsNullOrWhiteSpace(product) ? product : "AMD GPU";
            library.Bdf(handle, out string? bdf);
            var counter = library.EnergyCount(handle, out _, out float resolution, out _);
            bool hasCounter = counter == AmdSmiStatus.Success && resolution > 0;
            string uuid = identity.Uuid ?? identity.HipUuid ?? $"(amd-smi index {index}, UUID unreadable)";
            string note = hasCounter
                ? string.Create(CultureInfo.InvariantCulture,
                    $"AMD SMI energy counter (amdsmi_get_energy_count, {resolution:0.###} µJ per count); power sampled from amdsmi_get_power_info alongside; a counter that goes backwards, jumps or stands still is dropped for sampled power, with a note")
                : $"AMD SMI energy counter unavailable on this GPU ({AmdSmiErrors.Message(counter, "amdsmi_get_energy_count")}; MI100 and older have none); " +
                  "power is sampled from amdsmi_get_power_info (whole watts) and integrated over time.";
            var channel = new MeterChannel($"gpu:{index}", "gpu", name, hasCounter ? Provenance.Counter : Provenance.Sampled, uuid, note);
            devices.Add(new Device(handle, channel, new AmdGpuInfo(index, uuid, name, bdf, hasCounter, identity.HipUuid), hasCounter));
        }

        return new AmdSmiMeter(library, time, startTimestamp, [.. devices], version, selection);
    }

    public IReadOnlyList<string> TakeFaults()
    {
        if (_faults.Count == 0)
        {
            return [];
        }

        var taken = _faults.ToArray();
        _faults.Clear();
        return taken;
    }

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

        CheckSiblings(readings, elapsed);
        return new MeterReading(timestamp, elapsed, readings);
    }

    private ChannelReading ReadDevice(Device device, TimeSpan elapsed)
    {
        var errors = new List<string>(0);
        var powerStatus = _library.PowerInfo(device.Handle, out uint? current, out uint? average);
        double? watts = powerStatus == AmdSmiStatus.Success ? current ?? average : null;
        if (powerStatus != AmdSmiStatus.Success)
        {
            errors.Add(AmdSmiErrors.Message(powerStatus, "amdsmi_get_power_info"));
        }
        else if (watts is null)
        {
            errors.Add("amdsmi_get_power_info reports neither current_socket_power nor average_socket_power (both UINT32_MAX)");
        }

        double seconds = elapsed.TotalSeconds;
        device.Integrate(watts, seconds);
        Energy? cumulative = null;
        if (device.HasCounter)
        {
            if (device.Guard.Fault is null)
            {
                var status = _library.EnergyCount(device.Handle, out ulong count, out float resolution, out ulong timestampNs);
                if (status == AmdSmiStatus.Success)
                {
                    double joules = count * (double)resolution * 1e-6;
                    device.CounterRead(joules, timestampNs);
                    double counterSeconds = timestampNs > 0 ? timestampNs * 1e-9 : seconds;
                    if (!device.Guard.Accept(joules, counterSeconds, watts, seconds))
                    {
                        _faults.Add(string.Create(CultureInfo.InvariantCulture,
                            $"{device.Channel.Id} ({device.Info.Name}): {device.Guard.Fault}; its energy from the last good counter reading on is sampled power integrated over time (provenance sampled from there)."));
                    }
                    else if (device.Moved(joules))
                    {
                        device.MarkGood(joules);
                    }
                }
                else
                {
                    errors.Add(AmdSmiErrors.Message(status, "amdsmi_get_energy_count"));
                }
            }

            cumulative = device.Cumulative();
        }

        double? activity = _library.GfxActivity(device.Handle, out uint? gfx) == AmdSmiStatus.Success ? gfx : null;
        double? vram = _library.VramUsedMb(device.Handle, out uint used) == AmdSmiStatus.Success ? used : null;
        return new ChannelReading(device.Channel.Id, watts is double w ? Power.FromWatts(w) : null, cumulative, activity, vram,
            Error: errors.Count == 0 ? null : string.Join("; ", errors));
    }

    /// <summary>One die of an MI250/MI250X reads 0 W (and its counter stands still) while its twin draws power: said once.</summary>
    private void CheckSiblings(ChannelReading[] readings, TimeSpan elapsed)
    {
        for (int i = 0; i < _devices.Length; i++)
        {
            var device = _devices[i];
            bool zero = readings[i].Power is { } p && p.Watts == 0;
            device.ZeroSince = zero ? device.ZeroSince ?? elapsed : null;
            if (device.SiblingFlagged || device.ZeroSince is not { } since || elapsed - since < TimeSpan.FromSeconds(2))
            {
                continue;
            }

            for (int j = 0; j < _devices.Length; j++)
            {
                if (j != i && _devices[j].Info.Name == device.Info.Name && readings[j].Power is { } other && other.Watts > 10)
                {
                    device.SiblingFlagged = true;
                    _faults.Add(string.Create(CultureInfo.InvariantCulture,
                        $"{device.Channel.Id} ({device.Info.Name}) has read 0 W since {since.TotalSeconds:0.0} s while {_devices[j].Channel.Id}, the same model, draws {other.Watts:0} W: ") +
                        ("on a two-die GPU (MI250, MI250X) AMD SMI can report the module's power on one die only; this GPU's 0 J is then not its energy, which is inside the other die's figure."));
                    break;
                }
            }
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _library.ShutDown();
    }

    /// <summary>The counter span read so far (first and last amdsmi_get_energy_count timestamps in ns, and the counter's joules since the first): tests compare it with the scenario's truth.</summary>
    internal (ulong FirstNs, ulong LastNs, double Joules) CounterSpan(int channel) => _devices[channel].Span();

    private sealed class Device(nint handle, MeterChannel channel, AmdGpuInfo info, bool hasCounter)
    {
        private bool _hasCounter;
        private double _firstJ;
        private double _lastJ;
        private ulong _firstNs;
        private ulong _lastNs;
        private double _goodJ;
        private double _sampledAtGoodJ;
        private double _sampledJ;
        private double? _prevWatts;
        private double _prevSeconds;

        public nint Handle { get; } = handle;

        public MeterChannel Channel { get; } = channel;

        public AmdGpuInfo Info { get; } = info;

        public bool HasCounter { get; } = hasCounter;

        public AmdCounterGuard Guard { get; } = new();

        public TimeSpan? ZeroSince { get; set; }

        public bool SiblingFlagged { get; set; }

        /// <summary>Trapezoid integral of the sampled power over the readings (kept for every GPU: it is the fallback).</summary>
        public void Integrate(double? watts, double seconds)
        {
            if (watts is double w)
            {
                if (_prevWatts is double p && seconds > _prevSeconds)
                {
                    _sampledJ += 0.5 * (p + w) * (seconds - _prevSeconds);
                }

                (_prevWatts, _prevSeconds) = (w, seconds);
            }
        }

        public void CounterRead(double joules, ulong ns)
        {
            if (!_hasCounter)
            {
                (_hasCounter, _firstJ, _firstNs, _goodJ, _sampledAtGoodJ) = (true, joules, ns, joules, _sampledJ);
            }

            (_lastJ, _lastNs) = (joules, ns);
        }

        public bool Moved(double joules) => joules > _goodJ;

        public void MarkGood(double joules) => (_goodJ, _sampledAtGoodJ) = (joules, _sampledJ);

        /// <summary>The counter's energy since the first reading; after a fault, the last good value plus the sampled energy since.</summary>
        public Energy? Cumulative()
        {
            if (!_hasCounter)
            {
                return null;
            }

            double joules = Guard.Fault is null ? _lastJ - _firstJ : _goodJ - _firstJ + (_sampledJ - _sampledAtGoodJ);
            return Energy.FromJoules(joules);
        }

        public (ulong FirstNs, ulong LastNs, double Joules) Span() => (_firstNs, _lastNs, _lastJ - _firstJ);
    }
}
