namespace TrainWatt.Meters.AmdSmi;

/// <summary>
/// The <c>amdsmi_status_t</c> codes TrainWatt names (amdsmi.h, <c>typedef enum {...} amdsmi_status_t</c>; values are
/// the C enum's and the same from ROCm 6.1 to 7). Other values are shown as their number.
/// </summary>
public enum AmdSmiStatus : uint
{
    Success = 0,
    Inval = 1,
    NotSupported = 2,
    NotYetImplemented = 3,
    FailLoadModule = 4,
    FailLoadSymbol = 5,
    DrmError = 6,
    ApiFailed = 7,
    Timeout = 8,
    Retry = 9,
    NoPerm = 10,
    Interrupt = 11,
    Io = 12,
    FileError = 14,
    OutOfResources = 15,
    InternalException = 16,
    InitError = 18,
    Busy = 30,
    NotFound = 31,
    NotInit = 32,
    NoSlot = 33,
    DriverNotLoaded = 34,
    NoData = 40,
    InsufficientSize = 41,
    UnexpectedSize = 42,
    UnexpectedData = 43,
    MapError = 0xFFFFFFFE,
    UnknownError = 0xFFFFFFFF,
}

/// <summary>Text and fixes for <see cref="AmdSmiStatus"/> codes.</summary>
public static class AmdSmiErrors
{
    /// <summary>The C constant's name ("AMDSMI_STATUS_NOT_SUPPORTED"), or the number for a code TrainWatt does not name.</summary>
    public static string ConstantName(AmdSmiStatus status) => Enum.IsDefined(status)
        ? "AMDSMI_STATUS_" + string.Concat(status.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : c.ToString())).ToUpperInvariant()
        : ((uint)status).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>"amdsmi_get_power_info returned AMDSMI_STATUS_NO_PERM (10)".</summary>
    public static string Message(AmdSmiStatus status, string function)
        => $"{function} returned {ConstantName(status)} ({(uint)status})";

    /// <summary>The fix for a status that has one, else null.</summary>
    public static string? Fix(AmdSmiStatus status) => status switch
    {
        AmdSmiStatus.DriverNotLoaded or AmdSmiStatus.InitError or AmdSmiStatus.NotFound =>
            "Load the amdgpu kernel driver (`sudo modprobe amdgpu`, or install ROCm's amdgpu-dkms); in a container pass the devices " +
            "(`docker run --device /dev/kfd --device /dev/dri --group-add video ...`).",
        AmdSmiStatus.NoPerm =>
            "Add the user to the `video` and `render` groups (`sudo usermod -aG video,render $USER`, then log in again), or in a container `--group-add video --group-add render`.",
        _ => null,
    };
}

/// <summary>AMD SMI cannot be loaded or is not a usable library; <see cref="Fix"/> says what to do.</summary>
public sealed class AmdSmiException(string message, string? fix) : Exception(message)
{
    /// <summary>The action that fixes the problem.</summary>
    public string? Fix { get; } = fix;
}
