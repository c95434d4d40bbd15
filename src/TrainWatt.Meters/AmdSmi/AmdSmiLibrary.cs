using System.Runtime.InteropServices;
using System.Text;

namespace TrainWatt.Meters.AmdSmi;

/// <summary>
/// The library's ABI, from <c>amdsmi_get_lib_version</c>: the struct layouts TrainWatt reads differ between them.
/// Checked against amdsmi.h (ROCm/amdsmi <c>include/amd_smi/amdsmi.h</c>; ROCm/rocm-systems
/// <c>projects/amdsmi/include/amd_smi/amdsmi.h</c> since ROCm 7), see docs/meters.md.
/// </summary>
public enum AmdSmiAbi
{
    /// <summary>ROCm 6.1-6.3 (library 24.x): <c>amdsmi_version_t</c> starts with <c>year</c>; <c>amdsmi_power_info_t</c> starts with <c>uint32_t current_socket_power</c>.</summary>
    Year24,

    /// <summary>ROCm 6.4 (library 25.x): no year; <c>amdsmi_power_info_t</c> starts with <c>uint64_t socket_power</c> (40 bytes).</summary>
    Major25,

    /// <summary>ROCm 7 and newer (library 26+): <c>AMDSMI_MAX_STRING_LENGTH</c> 256, <c>amdsmi_power_info_t</c> 192 bytes.</summary>
    Major26,
}

/// <summary><c>amdsmi_power_info_t</c> of ROCm 6.1-6.3 (68 bytes). Power in W.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct AmdSmiPowerInfoV24
{
    public uint CurrentSocketPower;
    public uint AverageSocketPower;
    public uint GfxVoltage;
    public uint SocVoltage;
    public uint MemVoltage;
    public uint PowerLimit;
    public fixed uint Reserved[11];
}

/// <summary><c>amdsmi_power_info_t</c> of ROCm 6.4 (40 bytes): <c>socket_power</c> is host-only there; current/average in W.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct AmdSmiPowerInfoV25
{
    public ulong SocketPower;
    public uint CurrentSocketPower;
    public uint AverageSocketPower;
    public uint GfxVoltage;
    public uint SocVoltage;
    public uint MemVoltage;
    public uint PowerLimit;
    public fixed uint Reserved[2];
}

/// <summary><c>amdsmi_power_info_t</c> of ROCm 7 (192 bytes; <c>ubb_power</c> later took the padding after <c>power_limit</c>).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct AmdSmiPowerInfoV26
{
    public ulong SocketPower;
    public uint CurrentSocketPower;
    public uint AverageSocketPower;
    public ulong GfxVoltage;
    public ulong SocVoltage;
    public ulong MemVoltage;
    public uint PowerLimit;
    public uint UbbPower;
    public fixed ulong Reserved[18];
}

/// <summary><c>amdsmi_engine_usage_t</c> (64 bytes, every version): activity in %.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct AmdSmiEngineUsage
{
    public uint GfxActivity;
    public uint UmcActivity;
    public uint MmActivity;
    public fixed uint Reserved[13];
}

/// <summary><c>amdsmi_vram_usage_t</c> (16 bytes, every version): MB.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct AmdSmiVramUsage
{
    public uint VramTotal;
    public uint VramUsed;
    public fixed uint Reserved[2];
}

/// <summary>
/// The thinnest shim over the AMD SMI C API (<c>libamd_smi.so</c>): one loaded library, one function pointer per entry
/// point TrainWatt calls, each with the signature of amdsmi.h. Every struct is read from a zeroed buffer larger than
/// any version's struct (<see cref="StructBuffer"/>), so a newer library that grows a struct cannot write past it.
/// </summary>
internal sealed unsafe class AmdSmiLibrary
{
    /// <summary>Environment variable naming the AMD SMI library file to load instead of the system one.</summary>
    public const string LibraryEnvironmentVariable = "TRAINWATT_AMDSMI_LIBRARY";

    /// <summary>AMDSMI_INIT_AMD_GPUS (amdsmi.h, <c>amdsmi_init_flags_t</c>): 1 &lt;&lt; 1.</summary>
    public const ulong InitAmdGpus = 1 << 1;

    /// <summary>The bytes given to every struct out-parameter: the largest struct read (amdsmi_board_info_t, 1,792 bytes in ROCm 7) with room to grow.</summary>
    public const int StructBuffer = 4096;

    /// <summary>"Unsupported struct members are set to UINT32_MAX" (amdsmi.h, <c>amdsmi_power_info_t</c>).</summary>
    public const uint Unsupported = uint.MaxValue;

    private readonly nint _handle;
    private readonly delegate* unmanaged<ulong, uint> _init;
    private readonly delegate* unmanaged<uint> _shutDown;
    private readonly delegate* unmanaged<uint, byte**, uint> _statusString;
    private readonly delegate* unmanaged<byte*, uint> _libVersion;
    private readonly delegate* unmanaged<uint*, nint*, uint> _socketHandles;
    private readonly delegate* unmanaged<nint, uint*, nint*, uint> _processorHandles;
    private readonly delegate* unmanaged<nint, uint*, byte*, uint> _uuid;
    private readonly delegate* unmanaged<nint, ulong*, uint> _bdf;
    private readonly delegate* unmanaged<nint, byte*, uint> _asicInfo;
    private readonly delegate* unmanaged<nint, byte*, uint> _boardInfo;
    private readonly delegate* unmanaged<nint, byte*, uint> _enumerationInfo;
    private readonly delegate* unmanaged<nint, ulong*, float*, ulong*, uint> _energyCount;
    private readonly delegate* unmanaged<nint, byte*, uint> _powerInfo;
    private readonly delegate* unmanaged<nint, byte*, uint> _activity;
    private readonly delegate* unmanaged<nint, byte*, uint> _vramUsage;

    private AmdSmiLibrary(nint handle, string path)
    {
        _handle = handle;
        Path = path;
        _init = (delegate* unmanaged<ulong, uint>)Required("amdsmi_init");
        _shutDown = (delegate* unmanaged<uint>)Required("amdsmi_shut_down");
        _socketHandles = (delegate* unmanaged<uint*, nint*, uint>)Required("amdsmi_get_socket_handles");
        _processorHandles = (delegate* unmanaged<nint, uint*, nint*, uint>)Required("amdsmi_get_processor_handles");
        _statusString = (delegate* unmanaged<uint, byte**, uint>)Optional("amdsmi_status_code_to_string");
        _libVersion = (delegate* unmanaged<byte*, uint>)Optional("amdsmi_get_lib_version");
        _uuid = (delegate* unmanaged<nint, uint*, byte*, uint>)Optional("amdsmi_get_gpu_device_uuid");
        _bdf = (delegate* unmanaged<nint, ulong*, uint>)Optional("amdsmi_get_gpu_device_bdf");
        _asicInfo = (delegate* unmanaged<nint, byte*, uint>)Optional("amdsmi_get_gpu_asic_info");
        _boardInfo = (delegate* unmanaged<nint, byte*, uint>)Optional("amdsmi_get_gpu_board_info");
        _enumerationInfo = (delegate* unmanaged<nint, byte*, uint>)Optional("amdsmi_get_gpu_enumeration_info");
        _energyCount = (delegate* unmanaged<nint, ulong*, float*, ulong*, uint>)Optional("amdsmi_get_energy_count");
        _powerInfo = (delegate* unmanaged<nint, byte*, uint>)Optional("amdsmi_get_power_info");
        _activity = (delegate* unmanaged<nint, byte*, uint>)Optional("amdsmi_get_gpu_activity");
        _vramUsage = (delegate* unmanaged<nint, byte*, uint>)Optional("amdsmi_get_gpu_vram_usage");
    }

    /// <summary>The file or name the library was loaded from.</summary>
    public string Path { get; }

    /// <summary>The ABI found by <see cref="Version"/> (call it first; <see cref="AmdSmiAbi.Major26"/> until then).</summary>
    public AmdSmiAbi Abi { get; private set; } = AmdSmiAbi.Major26;

    /// <summary>Names tried, in order, when no override is given: the loader path, then ROCm's default install.</summary>
    public static IReadOnlyList<string> DefaultCandidates { get; } = ["libamd_smi.so", "/opt/rocm/lib/libamd_smi.so", "/opt/rocm/lib64/libamd_smi.so"];

    /// <summary>Loads AMD SMI: the override when given (and only it), else <see cref="DefaultCandidates"/>.</summary>
    /// <exception cref="AmdSmiException">Nothing loads, or a required symbol is missing; carries the fix.</exception>
    public static AmdSmiLibrary Load(string? overridePath)
    {
        IReadOnlyList<string> candidates = overridePath is null ? DefaultCandidates : [overridePath];
        foreach (string candidate in candidates)
        {
            if (NativeLibrary.TryLoad(candidate, out nint handle))
            {
                try
                {
                    return new AmdSmiLibrary(handle, candidate);
                }
                catch (EntryPointNotFoundException e)
                {
                    NativeLibrary.Free(handle);
                    throw new AmdSmiException($"{candidate} was loaded but is not a usable AMD SMI library: {e.Message}",
                        $"Point {LibraryEnvironmentVariable} at libamd_smi.so from ROCm (amd-smi-lib), or unset it.");
                }
            }
        }

        if (overridePath is not null)
        {
            throw new AmdSmiException(
                $"Cannot load the AMD SMI library {overridePath} named by {LibraryEnvironmentVariable} (missing, unreadable or not a shared library).",
                $"Fix the path in {LibraryEnvironmentVariable} or unset it to use the system's libamd_smi.so.");
        }

        throw new AmdSmiException(
            $"Cannot load the AMD SMI library (tried {string.Join(", ", candidates)}): ROCm's amd-smi-lib is not installed or not on the loader path.",
            $"Install ROCm's AMD SMI (`sudo apt install amd-smi-lib`, part of ROCm), or set {LibraryEnvironmentVariable}=/opt/rocm/lib/libamd_smi.so.");
    }

    private nint Required(string name)
        => NativeLibrary.TryGetExport(_handle, name, out nint address) ? address : throw new EntryPointNotFoundException($"the symbol {name} is missing");

    private nint Optional(string name) => NativeLibrary.TryGetExport(_handle, name, out nint address) ? address : 0;

    public AmdSmiStatus Init() => (AmdSmiStatus)_init(InitAmdGpus);

    public AmdSmiStatus ShutDown() => (AmdSmiStatus)_shutDown();

    /// <summary>The library's own text for a status (amdsmi_status_code_to_string), or null.</summary>
    public string? StatusText(AmdSmiStatus status)
    {
        if (_statusString == null)
        {
            return null;
        }

        byte* text = null;
        return (AmdSmiStatus)_statusString((uint)status, &text) == AmdSmiStatus.Success && text != null ? Marshal.PtrToStringUTF8((nint)text) : null;
    }

    /// <summary>
    /// amdsmi_get_lib_version, and the ABI it implies. Until ROCm 6.3 <c>amdsmi_version_t</c> is
    /// <c>{uint32_t year, major, minor, release; const char *build}</c> (year 23 or 24); from ROCm 6.4 the year is gone:
    /// <c>{uint32_t major, minor, release; const char *build}</c> with major 25, 26, ... So a first field under 25 is a year.
    /// </summary>
    public AmdSmiStatus Version(out string? version)
    {
        version = null;
        if (_libVersion == null)
        {
            Abi = AmdSmiAbi.Year24; // the call exists since ROCm 6.0; older libraries are the oldest layout
            return AmdSmiStatus.NotSupported;
        }

        byte* buffer = stackalloc byte[StructBuffer];
        new Span<byte>(buffer, StructBuffer).Clear();
        var status = (AmdSmiStatus)_libVersion(buffer);
        if (status != AmdSmiStatus.Success)
        {
            return status;
        }

        uint* fields = (uint*)buffer;
        if (fields[0] < 25)
        {
            Abi = AmdSmiAbi.Year24;
            version = $"{fields[0]}.{fields[1]}.{fields[2]}.{fields[3]}";
        }
        else
        {
            Abi = fields[0] == 25 ? AmdSmiAbi.Major25 : AmdSmiAbi.Major26;
            version = $"{fields[0]}.{fields[1]}.{fields[2]}";
        }

        return status;
    }

    /// <summary>Every GPU handle: amdsmi_get_socket_handles, then amdsmi_get_processor_handles of each socket (count first, then the handles).</summary>
    public AmdSmiStatus Processors(out List<nint> processors, out string function)
    {
        processors = [];
        uint sockets = 0;
        function = "amdsmi_get_socket_handles";
        var status = (AmdSmiStatus)_socketHandles(&sockets, null);
        if (status != AmdSmiStatus.Success)
        {
            return status;
        }

        var socketHandles = new nint[sockets];
        fixed (nint* s = socketHandles)
        {
            status = (AmdSmiStatus)_socketHandles(&sockets, s);
        }

        if (status != AmdSmiStatus.Success)
        {
            return status;
        }

        function = "amdsmi_get_processor_handles";
        foreach (nint socket in socketHandles.AsSpan(0, (int)Math.Min(sockets, (uint)socketHandles.Length)))
        {
            uint count = 0;
            status = (AmdSmiStatus)_processorHandles(socket, &count, null);
            if (status != AmdSmiStatus.Success)
            {
                return status;
            }

            var handles = new nint[count];
            fixed (nint* h = handles)
            {
                status = (AmdSmiStatus)_processorHandles(socket, &count, h);
            }

            if (status != AmdSmiStatus.Success)
            {
                return status;
            }

            processors.AddRange(handles.AsSpan(0, (int)Math.Min(count, (uint)handles.Length)));
        }

        return AmdSmiStatus.Success;
    }

    /// <summary>amdsmi_get_gpu_device_uuid with a 64-byte buffer (the header asks for at least AMDSMI_GPU_UUID_SIZE, 38).</summary>
    public AmdSmiStatus Uuid(nint processor, out string? uuid)
    {
        uuid = null;
        if (_uuid == null)
        {
            return AmdSmiStatus.NotSupported;
        }

        const int size = 64;
        byte* buffer = stackalloc byte[size];
        new Span<byte>(buffer, size).Clear();
        uint length = size;
        var status = (AmdSmiStatus)_uuid(processor, &length, buffer);
        if (status == AmdSmiStatus.Success)
        {
            uuid = Utf8(buffer, size);
        }

        return status;
    }

    /// <summary>amdsmi_get_gpu_device_bdf as "dddd:bb:dd.f" (amdsmi_bdf_t: function 3 bits, device 5, bus 8, domain 48).</summary>
    public AmdSmiStatus Bdf(nint processor, out string? bdf)
    {
        bdf = null;
        if (_bdf == null)
        {
            return AmdSmiStatus.NotSupported;
        }

        ulong value = 0;
        var status = (AmdSmiStatus)_bdf(processor, &value);
        if (status == AmdSmiStatus.Success)
        {
            bdf = FormatBdf(value);
        }

        return status;
    }

    /// <summary>Formats an <c>amdsmi_bdf_t</c> as lspci does with its domain: "0000:c1:00.0".</summary>
    public static string FormatBdf(ulong value)
        => string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{value >> 16:x4}:{(value >> 8) & 0xFF:x2}:{(value >> 3) & 0x1F:x2}.{value & 0x7:x1}");

    /// <summary><c>amdsmi_asic_info_t.market_name</c>: the first member in every version (256 bytes since ROCm 6.2).</summary>
    public AmdSmiStatus MarketName(nint processor, out string? name) => ReadString(_asicInfo, processor, 0, 256, out name);

    /// <summary>
    /// <c>amdsmi_board_info_t.product_name</c>: at byte 320 in ROCm 6.2-6.3 (model_number[256], product_serial[32],
    /// fru_id[32]) and 768 in ROCm 7 (three 256-byte strings before it); not read for ROCm 6.4 (NotSupported).
    /// </summary>
    public AmdSmiStatus BoardProductName(nint processor, out string? name)
    {
        name = null;
        return Abi switch
        {
            AmdSmiAbi.Year24 => ReadString(_boardInfo, processor, 320, 256, out name),
            AmdSmiAbi.Major26 => ReadString(_boardInfo, processor, 768, 256, out name),
            _ => AmdSmiStatus.NotSupported,
        };
    }

    /// <summary>
    /// amdsmi_get_gpu_enumeration_info (ROCm 6.4+): <c>{uint32_t drm_render, drm_card, hsa_id, hip_id; char hip_uuid[]}</c>,
    /// the HIP ordinal and the "GPU-..." UUID that ROCR_VISIBLE_DEVICES and HIP use.
    /// </summary>
    public AmdSmiStatus Enumeration(nint processor, out uint hipId, out string? hipUuid)
    {
        hipId = 0;
        hipUuid = null;
        if (_enumerationInfo == null)
        {
            return AmdSmiStatus.NotSupported;
        }

        byte* buffer = stackalloc byte[StructBuffer];
        new Span<byte>(buffer, StructBuffer).Clear();
        var status = (AmdSmiStatus)_enumerationInfo(processor, buffer);
        if (status == AmdSmiStatus.Success)
        {
            hipId = ((uint*)buffer)[3];
            hipUuid = Utf8(buffer + 16, 256);
        }

        return status;
    }

    /// <summary>amdsmi_get_energy_count: the accumulator, its resolution in µJ per count, and the timestamp in ns.</summary>
    public AmdSmiStatus EnergyCount(nint processor, out ulong accumulator, out float resolutionMicrojoules, out ulong timestampNs)
    {
        accumulator = 0;
        resolutionMicrojoules = 0;
        timestampNs = 0;
        if (_energyCount == null)
        {
            return AmdSmiStatus.NotSupported;
        }

        ulong value = 0, timestamp = 0;
        float resolution = 0;
        var status = (AmdSmiStatus)_energyCount(processor, &value, &resolution, &timestamp);
        accumulator = value;
        resolutionMicrojoules = resolution;
        timestampNs = timestamp;
        return status;
    }

    /// <summary>
    /// amdsmi_get_power_info: current_socket_power (MI300 and newer) and average_socket_power (MI200 and older, Navi),
    /// in W, each null when UINT32_MAX (unsupported), read at the offsets of <see cref="Abi"/>.
    /// </summary>
    public AmdSmiStatus PowerInfo(nint processor, out uint? currentWatts, out uint? averageWatts)
    {
        currentWatts = null;
        averageWatts = null;
        if (_powerInfo == null)
        {
            return AmdSmiStatus.NotSupported;
        }

        byte* buffer = stackalloc byte[StructBuffer];
        new Span<byte>(buffer, StructBuffer).Clear();
        var status = (AmdSmiStatus)_powerInfo(processor, buffer);
        if (status != AmdSmiStatus.Success)
        {
            return status;
        }

        (uint current, uint average) = Abi switch
        {
            AmdSmiAbi.Year24 => (((AmdSmiPowerInfoV24*)buffer)->CurrentSocketPower, ((AmdSmiPowerInfoV24*)buffer)->AverageSocketPower),
            AmdSmiAbi.Major25 => (((AmdSmiPowerInfoV25*)buffer)->CurrentSocketPower, ((AmdSmiPowerInfoV25*)buffer)->AverageSocketPower),
            _ => (((AmdSmiPowerInfoV26*)buffer)->CurrentSocketPower, ((AmdSmiPowerInfoV26*)buffer)->AverageSocketPower),
        };
        currentWatts = current == Unsupported ? null : current;
        averageWatts = average == Unsupported ? null : average;
        return status;
    }

    /// <summary>amdsmi_get_gpu_activity: gfx_activity in % (0xFFFF means unavailable).</summary>
    public AmdSmiStatus GfxActivity(nint processor, out uint? percent)
    {
        percent = null;
        if (_activity == null)
        {
            return AmdSmiStatus.NotSupported;
        }

        byte* buffer = stackalloc byte[StructBuffer];
        new Span<byte>(buffer, StructBuffer).Clear();
        var status = (AmdSmiStatus)_activity(processor, buffer);
        if (status == AmdSmiStatus.Success && ((AmdSmiEngineUsage*)buffer)->GfxActivity is uint gfx && gfx <= 100)
        {
            percent = gfx;
        }

        return status;
    }

    /// <summary>amdsmi_get_gpu_vram_usage: VRAM used in MB.</summary>
    public AmdSmiStatus VramUsedMb(nint processor, out uint used)
    {
        used = 0;
        if (_vramUsage == null)
        {
            return AmdSmiStatus.NotSupported;
        }

        byte* buffer = stackalloc byte[StructBuffer];
        new Span<byte>(buffer, StructBuffer).Clear();
        var status = (AmdSmiStatus)_vramUsage(processor, buffer);
        used = ((AmdSmiVramUsage*)buffer)->VramUsed;
        return status;
    }

    private AmdSmiStatus ReadString(delegate* unmanaged<nint, byte*, uint> function, nint processor, int offset, int size, out string? text)
    {
        text = null;
        if (function == null)
        {
            return AmdSmiStatus.NotSupported;
        }

        byte* buffer = stackalloc byte[StructBuffer];
        new Span<byte>(buffer, StructBuffer).Clear();
        var status = function(processor, buffer);
        if ((AmdSmiStatus)status == AmdSmiStatus.Success)
        {
            text = Utf8(buffer + offset, size).Trim();
        }

        return (AmdSmiStatus)status;
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
}
