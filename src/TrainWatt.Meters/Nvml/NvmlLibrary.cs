using System.Runtime.InteropServices;
using System.Text;

namespace TrainWatt.Meters.Nvml;

/// <summary>PCI bus identity of a GPU (<c>nvmlPciInfo_t</c>, v3 layout: 16 + 5×4 + 32 = 68 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NvmlPciInfo
{
    public fixed byte BusIdLegacy[16];
    public uint Domain;
    public uint Bus;
    public uint Device;
    public uint PciDeviceId;
    public uint PciSubSystemId;
    public fixed byte BusId[32];
}

/// <summary>
/// One field of <c>nvmlDeviceGetFieldValues</c> (<c>nvmlFieldValue_t</c>: 4 + 4 + 8 + 8 + 4 + 4 + 8 = 40 bytes; the value
/// is an 8-byte union read here as its unsigned-long-long member and narrowed by <see cref="ValueType"/>).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NvmlFieldValue
{
    /// <summary>NVML_FI_DEV_POWER_INSTANT: current power in mW, "supported on all architectures" (nvml.h).</summary>
    public const uint PowerInstant = 186;

    public uint FieldId;
    public uint ScopeId;
    public long Timestamp;
    public long LatencyMicroseconds;
    public int ValueType;
    public int Return;
    public ulong Value;

    /// <summary>The value as a number (nvmlValueType_t: 0 double, 1 uint, 2 ulong, 3 ulonglong, 4 slonglong, 5 sint, 6 ushort).</summary>
    public readonly double? Number => ValueType switch
    {
        0 => BitConverter.Int64BitsToDouble((long)Value),
        1 => (uint)Value,
        2 or 3 => Value,
        4 => (long)Value,
        5 => (int)(uint)Value,
        6 => (ushort)Value,
        _ => null,
    };
}

/// <summary>
/// <c>nvmlProcessInfo_v2_t</c>, which nvml.h (NVML API 13) also names <c>nvmlProcessInfo_t</c>: what
/// <c>nvmlDeviceGetComputeRunningProcesses_v3</c> and <c>_v2</c> fill (4 + pad 4 + 8 + 4 + 4 = 24 bytes).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NvmlProcessInfo
{
    public uint Pid;
    public ulong UsedGpuMemory;
    public uint GpuInstanceId;
    public uint ComputeInstanceId;
}

/// <summary><c>nvmlProcessUtilizationSample_t</c> (4 + pad 4 + 8 + 4 × 4 = 32 bytes): per-process SM utilisation in %.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NvmlProcessUtilizationSample
{
    public uint Pid;
    public ulong TimeStamp;
    public uint SmUtil;
    public uint MemUtil;
    public uint EncUtil;
    public uint DecUtil;
}

/// <summary><c>nvmlSample_t</c> (8 + 8 = 16 bytes): a CPU time stamp in microseconds and an 8-byte <c>nvmlValue_t</c>, read here as its <c>unsigned int</c> member (power in mW, utilisation in %).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NvmlSample
{
    public ulong TimeStamp;
    public ulong Value;

    /// <summary>The <c>uiVal</c> member of the union (the low 4 bytes on little-endian machines).</summary>
    public readonly uint UIntValue => (uint)(Value & 0xFFFF_FFFF);
}

/// <summary><c>nvmlSamplingType_t</c> values TrainWatt reads from the driver's sample buffer.</summary>
internal enum NvmlSamplingType
{
    TotalPower = 0,
    GpuUtilization = 1,
}

[StructLayout(LayoutKind.Sequential)]
internal struct NvmlUtilization
{
    public uint Gpu;
    public uint Memory;
}

[StructLayout(LayoutKind.Sequential)]
internal struct NvmlMemory
{
    public ulong Total;
    public ulong Free;
    public ulong Used;
}

/// <summary>
/// The thinnest shim over the NVML C API: one loaded library, one function pointer per NVML entry point we call.
/// Each instance loads the library itself (<see cref="NativeLibrary.Load(string)"/>), so tests can point several
/// instances at private copies of the fake NVML. Methods return the raw <see cref="NvmlReturn"/>.
/// </summary>
internal sealed unsafe class NvmlLibrary : IDisposable
{
    /// <summary>Environment variable naming the NVML library file to load instead of the system one.</summary>
    public const string LibraryEnvironmentVariable = "TRAINWATT_NVML_LIBRARY";

    private const int NvmlDeviceNameBufferSize = 96;
    private const int NvmlUuidBufferSize = 96;
    private const int NvmlDriverVersionBufferSize = 80;

    private readonly nint _handle;
    private readonly delegate* unmanaged<int> _init;
    private readonly delegate* unmanaged<int> _shutdown;
    private readonly delegate* unmanaged<int, nint> _errorString;
    private readonly delegate* unmanaged<byte*, uint, int> _driverVersion;
    private readonly delegate* unmanaged<uint*, int> _getCount;
    private readonly delegate* unmanaged<uint, nint*, int> _getHandleByIndex;
    private readonly delegate* unmanaged<nint, byte*, uint, int> _getName;
    private readonly delegate* unmanaged<nint, byte*, uint, int> _getUuid;
    private readonly delegate* unmanaged<nint, NvmlPciInfo*, int> _getPciInfo;
    private readonly delegate* unmanaged<nint, uint*, int> _getPowerLimit;
    private readonly delegate* unmanaged<nint, uint*, int> _getEnforcedPowerLimit;
    private readonly delegate* unmanaged<nint, ulong*, int> _getTotalEnergy;
    private readonly delegate* unmanaged<nint, uint*, int> _getPowerUsage;
    private readonly delegate* unmanaged<nint, NvmlUtilization*, int> _getUtilization;
    private readonly delegate* unmanaged<nint, NvmlMemory*, int> _getMemory;
    private readonly delegate* unmanaged<nint, int, uint*, int> _getTemperature;
    private readonly delegate* unmanaged<nint, int, uint*, int> _getClock;
    private readonly delegate* unmanaged<nint, uint*, uint*, int> _getMigMode;
    private readonly delegate* unmanaged<nint, int, NvmlFieldValue*, int> _getFieldValues;
    private readonly delegate* unmanaged<nint, uint*, NvmlProcessInfo*, int> _getComputeProcesses;
    private readonly delegate* unmanaged<nint, NvmlProcessUtilizationSample*, uint*, ulong, int> _getProcessUtilization;
    private readonly delegate* unmanaged<nint, int, ulong, int*, uint*, NvmlSample*, int> _getSamples;

    private NvmlLibrary(nint handle, string path)
    {
        _handle = handle;
        Path = path;
        _init = (delegate* unmanaged<int>)Required("nvmlInit_v2");
        _shutdown = (delegate* unmanaged<int>)Required("nvmlShutdown");
        _errorString = (delegate* unmanaged<int, nint>)Optional("nvmlErrorString");
        _driverVersion = (delegate* unmanaged<byte*, uint, int>)Optional("nvmlSystemGetDriverVersion");
        _getCount = (delegate* unmanaged<uint*, int>)Required("nvmlDeviceGetCount_v2");
        _getHandleByIndex = (delegate* unmanaged<uint, nint*, int>)Required("nvmlDeviceGetHandleByIndex_v2");
        _getName = (delegate* unmanaged<nint, byte*, uint, int>)Optional("nvmlDeviceGetName");
        _getUuid = (delegate* unmanaged<nint, byte*, uint, int>)Optional("nvmlDeviceGetUUID");
        // nvml.h maps nvmlDeviceGetPciInfo to _v3 on current drivers; _v2 has the same struct layout.
        _getPciInfo = (delegate* unmanaged<nint, NvmlPciInfo*, int>)(Optional("nvmlDeviceGetPciInfo_v3") is var v3 && v3 != 0 ? v3 : Optional("nvmlDeviceGetPciInfo_v2"));
        _getPowerLimit = (delegate* unmanaged<nint, uint*, int>)Optional("nvmlDeviceGetPowerManagementLimit");
        _getEnforcedPowerLimit = (delegate* unmanaged<nint, uint*, int>)Optional("nvmlDeviceGetEnforcedPowerLimit");
        _getTotalEnergy = (delegate* unmanaged<nint, ulong*, int>)Optional("nvmlDeviceGetTotalEnergyConsumption");
        _getPowerUsage = (delegate* unmanaged<nint, uint*, int>)Optional("nvmlDeviceGetPowerUsage");
        _getUtilization = (delegate* unmanaged<nint, NvmlUtilization*, int>)Optional("nvmlDeviceGetUtilizationRates");
        _getMemory = (delegate* unmanaged<nint, NvmlMemory*, int>)Optional("nvmlDeviceGetMemoryInfo");
        _getTemperature = (delegate* unmanaged<nint, int, uint*, int>)Optional("nvmlDeviceGetTemperature");
        _getClock = (delegate* unmanaged<nint, int, uint*, int>)Optional("nvmlDeviceGetClockInfo");
        _getMigMode = (delegate* unmanaged<nint, uint*, uint*, int>)Optional("nvmlDeviceGetMigMode");
        _getFieldValues = (delegate* unmanaged<nint, int, NvmlFieldValue*, int>)Optional("nvmlDeviceGetFieldValues");
        // nvml.h maps nvmlDeviceGetComputeRunningProcesses to _v3 (nvmlProcessInfo_t = nvmlProcessInfo_v2_t); _v2 takes the
        // same struct. The unversioned symbol takes the 16-byte nvmlProcessInfo_v1_t and is not used.
        _getComputeProcesses = (delegate* unmanaged<nint, uint*, NvmlProcessInfo*, int>)(Optional("nvmlDeviceGetComputeRunningProcesses_v3") is var p3 && p3 != 0
            ? p3 : Optional("nvmlDeviceGetComputeRunningProcesses_v2"));
        _getProcessUtilization = (delegate* unmanaged<nint, NvmlProcessUtilizationSample*, uint*, ulong, int>)Optional("nvmlDeviceGetProcessUtilization");
        _getSamples = (delegate* unmanaged<nint, int, ulong, int*, uint*, NvmlSample*, int>)Optional("nvmlDeviceGetSamples");
    }

    /// <summary>The file or name the library was loaded from.</summary>
    public string Path { get; }

    /// <summary>Names tried, in order, when no override is given.</summary>
    /// <remarks>Windows: the DCH driver puts nvml.dll in System32; older (standard) drivers in %ProgramFiles%\NVIDIA Corporation\NVSMI.</remarks>
    public static IReadOnlyList<string> DefaultCandidates { get; } = OperatingSystem.IsWindows()
        ? WindowsCandidates(Environment.GetFolderPath(Environment.SpecialFolder.System), Environment.GetFolderPath(Environment.SpecialFolder.ProgramFiles))
        : ["libnvidia-ml.so.1", "libnvidia-ml.so"];

    /// <summary>The Windows search list for the given System32 and Program Files folders (either may be empty).</summary>
    internal static IReadOnlyList<string> WindowsCandidates(string system, string programFiles)
    {
        var candidates = new List<string> { "nvml.dll" };
        if (system.Length > 0)
        {
            candidates.Add(System.IO.Path.Combine(system, "nvml.dll"));
        }

        if (programFiles.Length > 0)
        {
            candidates.Add(System.IO.Path.Combine(programFiles, "NVIDIA Corporation", "NVSMI", "nvml.dll"));
        }

        return candidates;
    }

    /// <summary>
    /// Loads NVML: the override path when given (and only it), else <see cref="DefaultCandidates"/> in order.
    /// Throws <see cref="NvmlException"/> with the names tried and the fix when none loads or when a required symbol is missing.
    /// </summary>
    public static NvmlLibrary Load(string? overridePath)
    {
        IReadOnlyList<string> candidates = overridePath is null ? DefaultCandidates : [overridePath];
        var failures = new List<string>();
        foreach (string candidate in candidates)
        {
            if (NativeLibrary.TryLoad(candidate, out nint handle))
            {
                try
                {
                    return new NvmlLibrary(handle, candidate);
                }
                catch (EntryPointNotFoundException e)
                {
                    NativeLibrary.Free(handle);
                    throw new NvmlException(
                        $"{candidate} was loaded but is not a usable NVML library: {e.Message}",
                        "Point TRAINWATT_NVML_LIBRARY at libnvidia-ml.so.1 from the NVIDIA driver, or unset it.");
                }
            }

            failures.Add(candidate);
        }

        string tried = string.Join(", ", failures);
        if (overridePath is not null)
        {
            throw new NvmlException(
                $"Cannot load the NVML library {overridePath} named by {LibraryEnvironmentVariable} (missing, unreadable or not a shared library).",
                $"Fix the path in {LibraryEnvironmentVariable} or unset it to use the system's libnvidia-ml.so.1.");
        }

        throw new NvmlException(
            $"Cannot load the NVML library (tried {tried}): the NVIDIA driver's user-space library is not installed or not on the loader path.",
            "Install the NVIDIA driver (it ships libnvidia-ml.so.1; e.g. `sudo apt install nvidia-driver-<version>` or `libnvidia-compute-<version>`); " +
            "in a container use the NVIDIA Container Toolkit (`docker run --gpus all` with NVIDIA_DRIVER_CAPABILITIES including `utility`); " +
            $"or set {LibraryEnvironmentVariable}=/path/to/libnvidia-ml.so.1.");
    }

    private nint Required(string name)
        => NativeLibrary.TryGetExport(_handle, name, out nint address)
            ? address
            : throw new EntryPointNotFoundException($"the symbol {name} is missing");

    private nint Optional(string name) => NativeLibrary.TryGetExport(_handle, name, out nint address) ? address : 0;

    public NvmlReturn Init() => (NvmlReturn)_init();

    public NvmlReturn Shutdown() => (NvmlReturn)_shutdown();

    /// <summary>The library's own text for a code (nvmlErrorString), or null when not exported.</summary>
    public string? ErrorString(NvmlReturn code)
        => _errorString == null ? null : Marshal.PtrToStringUTF8(_errorString((int)code));

    public NvmlReturn DriverVersion(out string? version)
    {
        version = null;
        if (_driverVersion == null)
        {
            return NvmlReturn.FunctionNotFound;
        }

        byte* buffer = stackalloc byte[NvmlDriverVersionBufferSize];
        var code = (NvmlReturn)_driverVersion(buffer, NvmlDriverVersionBufferSize);
        version = code == NvmlReturn.Success ? Utf8(buffer, NvmlDriverVersionBufferSize) : null;
        return code;
    }

    public NvmlReturn DeviceCount(out uint count)
    {
        uint value = 0;
        var code = (NvmlReturn)_getCount(&value);
        count = value;
        return code;
    }

    public NvmlReturn DeviceHandle(uint index, out nint device)
    {
        nint value = 0;
        var code = (NvmlReturn)_getHandleByIndex(index, &value);
        device = value;
        return code;
    }

    public NvmlReturn DeviceName(nint device, out string? name) => GetString(_getName, device, NvmlDeviceNameBufferSize, out name);

    public NvmlReturn DeviceUuid(nint device, out string? uuid) => GetString(_getUuid, device, NvmlUuidBufferSize, out uuid);

    public NvmlReturn DevicePciBusId(nint device, out string? busId)
    {
        busId = null;
        if (_getPciInfo == null)
        {
            return NvmlReturn.FunctionNotFound;
        }

        NvmlPciInfo info;
        var code = (NvmlReturn)_getPciInfo(device, &info);
        if (code == NvmlReturn.Success)
        {
            busId = Utf8(info.BusId, 32);
        }

        return code;
    }

    /// <summary>Power management limit in mW.</summary>
    public NvmlReturn PowerManagementLimit(nint device, out uint milliwatts) => GetUInt(_getPowerLimit, device, out milliwatts);

    /// <summary>Enforced power limit in mW.</summary>
    public NvmlReturn EnforcedPowerLimit(nint device, out uint milliwatts) => GetUInt(_getEnforcedPowerLimit, device, out milliwatts);

    /// <summary>Energy used since the driver was loaded, in mJ (Volta and newer).</summary>
    public NvmlReturn TotalEnergyConsumption(nint device, out ulong millijoules)
    {
        millijoules = 0;
        if (_getTotalEnergy == null)
        {
            return NvmlReturn.FunctionNotFound;
        }

        ulong value = 0;
        var code = (NvmlReturn)_getTotalEnergy(device, &value);
        millijoules = value;
        return code;
    }

    /// <summary>Board power in mW (on recent GPUs a 1 s average, see NVML docs).</summary>
    public NvmlReturn PowerUsage(nint device, out uint milliwatts) => GetUInt(_getPowerUsage, device, out milliwatts);

    /// <summary>GPU and memory utilisation in percent.</summary>
    public NvmlReturn Utilization(nint device, out NvmlUtilization utilization)
    {
        utilization = default;
        if (_getUtilization == null)
        {
            return NvmlReturn.FunctionNotFound;
        }

        NvmlUtilization value;
        var code = (NvmlReturn)_getUtilization(device, &value);
        utilization = value;
        return code;
    }

    /// <summary>Device memory in bytes.</summary>
    public NvmlReturn MemoryInfo(nint device, out NvmlMemory memory)
    {
        memory = default;
        if (_getMemory == null)
        {
            return NvmlReturn.FunctionNotFound;
        }

        NvmlMemory value;
        var code = (NvmlReturn)_getMemory(device, &value);
        memory = value;
        return code;
    }

    /// <summary>GPU die temperature in °C (sensor NVML_TEMPERATURE_GPU = 0).</summary>
    public NvmlReturn Temperature(nint device, out uint celsius)
    {
        celsius = 0;
        if (_getTemperature == null)
        {
            return NvmlReturn.FunctionNotFound;
        }

        uint value = 0;
        var code = (NvmlReturn)_getTemperature(device, 0, &value);
        celsius = value;
        return code;
    }

    /// <summary>Current SM clock in MHz (NVML_CLOCK_SM = 1).</summary>
    public NvmlReturn SmClock(nint device, out uint megahertz)
    {
        megahertz = 0;
        if (_getClock == null)
        {
            return NvmlReturn.FunctionNotFound;
        }

        uint value = 0;
        var code = (NvmlReturn)_getClock(device, 1, &value);
        megahertz = value;
        return code;
    }

    /// <summary>MIG mode (nvmlDeviceGetMigMode): current and pending, 1 = NVML_DEVICE_MIG_ENABLE, 0 = disabled. NOT_SUPPORTED before Ampere.</summary>
    public NvmlReturn MigMode(nint device, out uint current, out uint pending)
    {
        current = 0;
        pending = 0;
        if (_getMigMode == null)
        {
            return NvmlReturn.FunctionNotFound;
        }

        uint c = 0, p = 0;
        var code = (NvmlReturn)_getMigMode(device, &c, &p);
        current = c;
        pending = p;
        return code;
    }

    /// <summary>
    /// Instantaneous board power in mW (field NVML_FI_DEV_POWER_INSTANT of nvmlDeviceGetFieldValues). The call's own
    /// code when it fails, else the field's code (NOT_SUPPORTED on drivers that do not know the field).
    /// </summary>
    public NvmlReturn PowerInstant(nint device, out double milliwatts)
    {
        milliwatts = 0;
        if (_getFieldValues == null)
        {
            return NvmlReturn.FunctionNotFound;
        }

        NvmlFieldValue value = default;
        value.FieldId = NvmlFieldValue.PowerInstant;
        var code = (NvmlReturn)_getFieldValues(device, 1, &value);
        if (code != NvmlReturn.Success)
        {
            return code;
        }

        if ((NvmlReturn)value.Return != NvmlReturn.Success)
        {
            return (NvmlReturn)value.Return;
        }

        if (value.Number is not double number)
        {
            return NvmlReturn.Unknown;
        }

        milliwatts = number;
        return NvmlReturn.Success;
    }

    /// <summary>
    /// The processes with a compute context on the GPU (nvmlDeviceGetComputeRunningProcesses_v3): pid and used memory in
    /// bytes. Asked with room for 64 and again with the count NVML asks for when that is too small.
    /// </summary>
    public NvmlReturn ComputeProcesses(nint device, out NvmlProcessInfo[] processes)
    {
        processes = [];
        if (_getComputeProcesses == null)
        {
            return NvmlReturn.FunctionNotFound;
        }

        uint size = 64;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var buffer = new NvmlProcessInfo[size];
            uint count = size;
            NvmlReturn code;
            fixed (NvmlProcessInfo* p = buffer)
            {
                code = (NvmlReturn)_getComputeProcesses(device, &count, p);
            }

            if (code == NvmlReturn.Success)
            {
                processes = buffer.AsSpan(0, (int)Math.Min(count, size)).ToArray();
                return code;
            }

            if (code != NvmlReturn.InsufficientSize)
            {
                return code;
            }

            size = Math.Max(count, size * 2) + 8; // processes may start between the two calls
        }

        return NvmlReturn.InsufficientSize;
    }

    /// <summary>
    /// nvmlDeviceGetSamples: the samples of <paramref name="type"/> the driver keeps in its own buffer that are newer
    /// than <paramref name="lastSeenMicroseconds"/> (0: all), oldest first, at most <paramref name="buffer"/>'s length;
    /// <paramref name="count"/> is how many were written. NVML_ERROR_NOT_FOUND means none is newer.
    /// </summary>
    public NvmlReturn Samples(nint device, NvmlSamplingType type, ulong lastSeenMicroseconds, Span<NvmlSample> buffer, out int count, out int valueType)
    {
        count = 0;
        valueType = -1;
        if (_getSamples == null)
        {
            return NvmlReturn.FunctionNotFound;
        }

        uint n = (uint)buffer.Length;
        int kind;
        NvmlReturn code;
        fixed (NvmlSample* p = buffer)
        {
            code = (NvmlReturn)_getSamples(device, (int)type, lastSeenMicroseconds, &kind, &n, p);
        }

        valueType = kind;
        if (code == NvmlReturn.Success)
        {
            count = (int)Math.Min(n, (uint)buffer.Length);
        }

        return code;
    }

    /// <summary>
    /// Per-process SM utilisation samples newer than <paramref name="lastSeenMicroseconds"/> (nvmlDeviceGetProcessUtilization,
    /// Maxwell and newer; NOT_SUPPORTED with MIG; NOT_FOUND when no sample is newer).
    /// </summary>
    public NvmlReturn ProcessUtilization(nint device, ulong lastSeenMicroseconds, out NvmlProcessUtilizationSample[] samples)
    {
        samples = [];
        if (_getProcessUtilization == null)
        {
            return NvmlReturn.FunctionNotFound;
        }

        uint size = 64;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var buffer = new NvmlProcessUtilizationSample[size];
            uint count = size;
            NvmlReturn code;
            fixed (NvmlProcessUtilizationSample* p = buffer)
            {
                code = (NvmlReturn)_getProcessUtilization(device, p, &count, lastSeenMicroseconds);
            }

            if (code == NvmlReturn.Success)
            {
                samples = buffer.AsSpan(0, (int)Math.Min(count, size)).ToArray();
                return code;
            }

            if (code != NvmlReturn.InsufficientSize)
            {
                return code;
            }

            size = Math.Max(count, size * 2) + 8;
        }

        return NvmlReturn.InsufficientSize;
    }

    private static NvmlReturn GetUInt(delegate* unmanaged<nint, uint*, int> function, nint device, out uint result)
    {
        result = 0;
        if (function == null)
        {
            return NvmlReturn.FunctionNotFound;
        }

        uint value = 0;
        var code = (NvmlReturn)function(device, &value);
        result = value;
        return code;
    }

    private static NvmlReturn GetString(delegate* unmanaged<nint, byte*, uint, int> function, nint device, int size, out string? result)
    {
        result = null;
        if (function == null)
        {
            return NvmlReturn.FunctionNotFound;
        }

        byte* buffer = stackalloc byte[size];
        var code = (NvmlReturn)function(device, buffer, (uint)size);
        if (code == NvmlReturn.Success)
        {
            result = Utf8(buffer, size);
        }

        return code;
    }

    private static string Utf8(byte* buffer, int size)
    {
        int length = 0;
        while (length < size && buffer[length] != 0)
        {
            length++;
        }

        return Encoding.UTF8.GetString(buffer, length);
    }

    /// <summary>
    /// Nothing to release: the library stays loaded on purpose. NVML is not designed to be unloaded (NVIDIA's own
    /// bindings never dlclose it) and keeping it costs nothing; the loader shares one copy per file.
    /// </summary>
    public void Dispose()
    {
    }
}
