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
    bool EnergyCounterSupported);

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
public sealed class NvmlMeter : IMeter
{
    private readonly NvmlLibrary _library;
    private readonly TimeProvider _time;
    private readonly long _startTimestamp;
    private readonly Device[] _devices;
    private bool _disposed;

    private NvmlMeter(NvmlLibrary library, TimeProvider time, long startTimestamp, Device[] devices, string? driverVersion, GpuSelection selection)
    {
        _library = library;
        _time = time;
        _startTimestamp = startTimestamp;
        _devices = devices;
        DriverVersion = driverVersion;
        Selection = selection;
        Channels = devices.Select(d => d.Channel).ToArray();
        Devices = devices.Select(d => d.Info).ToArray();
    }

    public string Name => "nvml";

    public IReadOnlyList<MeterChannel> Channels { get; }

    /// <summary>The selected GPUs, in channel order.</summary>
    public IReadOnlyList<NvmlDeviceInfo> Devices { get; }

    /// <summary>Driver version reported by NVML, when available.</summary>
    public string? DriverVersion { get; }

    /// <summary>How the GPUs were selected, with any warnings to show the user.</summary>
    public GpuSelection Selection { get; }

    /// <summary>The library file or name that was loaded.</summary>
    public string LibraryPath => _library.Path;

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
        catch (MeterUnavailableException)
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
            found.AddRange(meter.Selection.Warnings.Select(w => "warning: " + w));
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
    }

    private static string Describe(NvmlDeviceInfo d)
    {
        string limit = d.EnforcedPowerLimit is { } p ? string.Create(CultureInfo.InvariantCulture, $", power limit {p.Watts:0} W") : "";
        string energy = d.EnergyCounterSupported ? "energy counter" : "no energy counter (power sampled)";
        return $"gpu:{d.Index} {d.Name} {d.Uuid} bus {d.PciBusId ?? "?"}{limit}, {energy}";
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

        var handles = new nint[count];
        var identities = new List<GpuIdentity>();
        for (uint i = 0; i < count; i++)
        {
            code = library.DeviceHandle(i, out handles[i]);
            if (code != NvmlReturn.Success)
            {
                throw Unavailable(code, $"nvmlDeviceGetHandleByIndex_v2(index {i})", library.Path);
            }

            code = library.DeviceUuid(handles[i], out string? uuid);
            identities.Add(new GpuIdentity((int)i, code == NvmlReturn.Success && uuid is not null ? uuid : $"(index {i}, UUID unreadable)"));
        }

        var selection = GpuSelection.Resolve(identities, options.Gpus, options.CudaVisibleDevices, options.CudaDeviceOrder);
        if (selection.Error is not null)
        {
            throw new MeterUnavailableException("nvml", selection.Error,
                "Pick GPUs from the list above (`nvidia-smi -L` shows indices and UUIDs).");
        }

        var devices = selection.Indices
            .Select(index => OpenDevice(library, index, handles[index], identities[index].Uuid))
            .ToArray();
        return new NvmlMeter(library, time, startTimestamp, devices, driverVersion, selection);
    }

    private static Device OpenDevice(NvmlLibrary library, int index, nint handle, string uuid)
    {
        string name = library.DeviceName(handle, out string? n) == NvmlReturn.Success && n is not null ? n : "NVIDIA GPU";
        library.DevicePciBusId(handle, out string? busId);
        Power? limit = library.PowerManagementLimit(handle, out uint limitMw) == NvmlReturn.Success ? Power.FromWatts(limitMw / 1000.0) : null;
        Power? enforced = library.EnforcedPowerLimit(handle, out uint enforcedMw) == NvmlReturn.Success ? Power.FromWatts(enforcedMw / 1000.0) : null;

        var counter = library.TotalEnergyConsumption(handle, out ulong startMj);
        bool hasCounter = counter == NvmlReturn.Success;
        string? note = hasCounter
            ? "NVML total energy counter (nvmlDeviceGetTotalEnergyConsumption, mJ)"
            : $"NVML total energy counter unavailable on this GPU ({NvmlErrors.ConstantName(counter)}: {NvmlErrors.Describe(counter)} It needs a Volta or newer GPU); " +
              "board power is sampled with nvmlDeviceGetPowerUsage and integrated over time.";
        var channel = new MeterChannel($"gpu:{index}", "gpu", name, hasCounter ? Provenance.Counter : Provenance.Sampled, uuid, note);
        var info = new NvmlDeviceInfo(index, uuid, name, busId, limit, enforced, hasCounter);
        return new Device(handle, channel, info, hasCounter, startMj);
    }

    public MeterReading Read()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var timestamp = _time.GetUtcNow();
        var elapsed = _time.GetElapsedTime(_startTimestamp);
        var readings = new ChannelReading[_devices.Length];
        for (int i = 0; i < _devices.Length; i++)
        {
            readings[i] = ReadDevice(_devices[i]);
        }

        return new MeterReading(timestamp, elapsed, readings);
    }

    private ChannelReading ReadDevice(Device device)
    {
        string? error = null;
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
                error = NvmlErrors.Message(code, "nvmlDeviceGetTotalEnergyConsumption");
            }
        }

        Power? power = null;
        var powerCode = _library.PowerUsage(device.Handle, out uint mw);
        if (powerCode == NvmlReturn.Success)
        {
            power = Power.FromWatts(mw / 1000.0); // NVML reports mW
        }
        else if (!device.HasCounter || error is not null)
        {
            string message = NvmlErrors.Message(powerCode, "nvmlDeviceGetPowerUsage");
            error = error is null ? message : error + "; " + message;
        }

        double? utilization = _library.Utilization(device.Handle, out var u) == NvmlReturn.Success ? u.Gpu : null;
        double? memoryMiB = _library.MemoryInfo(device.Handle, out var m) == NvmlReturn.Success ? m.Used / 1048576.0 : null; // bytes
        double? temperature = _library.Temperature(device.Handle, out uint t) == NvmlReturn.Success ? t : null;
        double? smClock = _library.SmClock(device.Handle, out uint clock) == NvmlReturn.Success ? clock : null;
        return new ChannelReading(device.Channel.Id, power, cumulative, utilization, memoryMiB, temperature, error, smClock);
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

    private sealed class Device(nint handle, MeterChannel channel, NvmlDeviceInfo info, bool hasCounter, ulong startMillijoules)
    {
        private ulong _lastMillijoules = startMillijoules;
        private ulong _accumulatedMillijoules;

        public nint Handle { get; } = handle;

        public MeterChannel Channel { get; } = channel;

        public NvmlDeviceInfo Info { get; } = info;

        public bool HasCounter { get; } = hasCounter;

        /// <summary>Adds the counter's increase since the last read. A counter that goes backwards was reset (driver reload): it restarted from 0.</summary>
        public Energy Accumulate(ulong millijoules)
        {
            _accumulatedMillijoules += millijoules >= _lastMillijoules ? millijoules - _lastMillijoules : millijoules;
            _lastMillijoules = millijoules;
            return Energy.FromMillijoules(_accumulatedMillijoules);
        }
    }
}
