namespace TrainWatt.Meters.Nvml;

/// <summary>The <c>nvmlReturn_t</c> codes of nvml.h (values are the C enum's).</summary>
public enum NvmlReturn
{
    Success = 0,
    Uninitialized = 1,
    InvalidArgument = 2,
    NotSupported = 3,
    NoPermission = 4,
    AlreadyInitialized = 5,
    NotFound = 6,
    InsufficientSize = 7,
    InsufficientPower = 8,
    DriverNotLoaded = 9,
    Timeout = 10,
    IrqIssue = 11,
    LibraryNotFound = 12,
    FunctionNotFound = 13,
    CorruptedInforom = 14,
    GpuIsLost = 15,
    ResetRequired = 16,
    OperatingSystem = 17,
    LibRmVersionMismatch = 18,
    InUse = 19,
    Memory = 20,
    NoData = 21,
    VgpuEccNotSupported = 22,
    InsufficientResources = 23,
    FreqNotSupported = 24,
    ArgumentVersionMismatch = 25,
    Deprecated = 26,
    NotReady = 27,
    GpuNotFound = 28,
    InvalidState = 29,
    ResetTypeNotSupported = 30,
    Unknown = 999,
}

/// <summary>Plain-language text and the fix for every <see cref="NvmlReturn"/> code.</summary>
public static class NvmlErrors
{
    /// <summary>The NVML constant name, e.g. <c>NVML_ERROR_DRIVER_NOT_LOADED</c>.</summary>
    public static string ConstantName(NvmlReturn code) => code switch
    {
        NvmlReturn.Success => "NVML_SUCCESS",
        NvmlReturn.Uninitialized => "NVML_ERROR_UNINITIALIZED",
        NvmlReturn.InvalidArgument => "NVML_ERROR_INVALID_ARGUMENT",
        NvmlReturn.NotSupported => "NVML_ERROR_NOT_SUPPORTED",
        NvmlReturn.NoPermission => "NVML_ERROR_NO_PERMISSION",
        NvmlReturn.AlreadyInitialized => "NVML_ERROR_ALREADY_INITIALIZED",
        NvmlReturn.NotFound => "NVML_ERROR_NOT_FOUND",
        NvmlReturn.InsufficientSize => "NVML_ERROR_INSUFFICIENT_SIZE",
        NvmlReturn.InsufficientPower => "NVML_ERROR_INSUFFICIENT_POWER",
        NvmlReturn.DriverNotLoaded => "NVML_ERROR_DRIVER_NOT_LOADED",
        NvmlReturn.Timeout => "NVML_ERROR_TIMEOUT",
        NvmlReturn.IrqIssue => "NVML_ERROR_IRQ_ISSUE",
        NvmlReturn.LibraryNotFound => "NVML_ERROR_LIBRARY_NOT_FOUND",
        NvmlReturn.FunctionNotFound => "NVML_ERROR_FUNCTION_NOT_FOUND",
        NvmlReturn.CorruptedInforom => "NVML_ERROR_CORRUPTED_INFOROM",
        NvmlReturn.GpuIsLost => "NVML_ERROR_GPU_IS_LOST",
        NvmlReturn.ResetRequired => "NVML_ERROR_RESET_REQUIRED",
        NvmlReturn.OperatingSystem => "NVML_ERROR_OPERATING_SYSTEM",
        NvmlReturn.LibRmVersionMismatch => "NVML_ERROR_LIB_RM_VERSION_MISMATCH",
        NvmlReturn.InUse => "NVML_ERROR_IN_USE",
        NvmlReturn.Memory => "NVML_ERROR_MEMORY",
        NvmlReturn.NoData => "NVML_ERROR_NO_DATA",
        NvmlReturn.VgpuEccNotSupported => "NVML_ERROR_VGPU_ECC_NOT_SUPPORTED",
        NvmlReturn.InsufficientResources => "NVML_ERROR_INSUFFICIENT_RESOURCES",
        NvmlReturn.FreqNotSupported => "NVML_ERROR_FREQ_NOT_SUPPORTED",
        NvmlReturn.ArgumentVersionMismatch => "NVML_ERROR_ARGUMENT_VERSION_MISMATCH",
        NvmlReturn.Deprecated => "NVML_ERROR_DEPRECATED",
        NvmlReturn.NotReady => "NVML_ERROR_NOT_READY",
        NvmlReturn.GpuNotFound => "NVML_ERROR_GPU_NOT_FOUND",
        NvmlReturn.InvalidState => "NVML_ERROR_INVALID_STATE",
        NvmlReturn.ResetTypeNotSupported => "NVML_ERROR_RESET_TYPE_NOT_SUPPORTED",
        NvmlReturn.Unknown => "NVML_ERROR_UNKNOWN",
        _ => $"NVML return code {(int)code}",
    };

    /// <summary>What the code means, in one sentence.</summary>
    public static string Describe(NvmlReturn code) => code switch
    {
        NvmlReturn.Success => "The call succeeded.",
        NvmlReturn.Uninitialized => "NVML was not initialized (nvmlInit was not called or failed).",
        NvmlReturn.InvalidArgument => "NVML rejected an argument (bad device index or buffer).",
        NvmlReturn.NotSupported => "The device does not support this query.",
        NvmlReturn.NoPermission => "The current user is not allowed to make this query.",
        NvmlReturn.AlreadyInitialized => "NVML was already initialized.",
        NvmlReturn.NotFound => "The requested object was not found.",
        NvmlReturn.InsufficientSize => "A buffer passed to NVML was too small.",
        NvmlReturn.InsufficientPower => "A device's external power cables are not connected properly.",
        NvmlReturn.DriverNotLoaded => "The NVIDIA kernel driver is not loaded.",
        NvmlReturn.Timeout => "The query timed out.",
        NvmlReturn.IrqIssue => "The NVIDIA kernel driver detected an interrupt problem with a GPU.",
        NvmlReturn.LibraryNotFound => "NVML could not find a library it needs.",
        NvmlReturn.FunctionNotFound => "This NVML library does not implement the function (driver too old).",
        NvmlReturn.CorruptedInforom => "The GPU's infoROM is corrupted.",
        NvmlReturn.GpuIsLost => "The GPU has fallen off the bus or is otherwise inaccessible.",
        NvmlReturn.ResetRequired => "The GPU needs a reset before it can be used again.",
        NvmlReturn.OperatingSystem => "The operating system blocked the request.",
        NvmlReturn.LibRmVersionMismatch => "The NVML library (user space) and the kernel driver have different versions.",
        NvmlReturn.InUse => "The GPU is in use by another operation.",
        NvmlReturn.Memory => "NVML ran out of memory.",
        NvmlReturn.NoData => "No data is available yet.",
        NvmlReturn.VgpuEccNotSupported => "ECC is not supported on this vGPU.",
        NvmlReturn.InsufficientResources => "Not enough resources for the request.",
        NvmlReturn.FreqNotSupported => "The requested frequency is not supported.",
        NvmlReturn.ArgumentVersionMismatch => "A versioned struct passed to NVML has the wrong version.",
        NvmlReturn.Deprecated => "The requested functionality is deprecated.",
        NvmlReturn.NotReady => "The system is not ready for the request.",
        NvmlReturn.GpuNotFound => "No GPU was found.",
        NvmlReturn.InvalidState => "The resource is in an invalid state for this request.",
        NvmlReturn.ResetTypeNotSupported => "This kind of GPU reset is not supported for the device.",
        _ => "NVML reported an unknown error.",
    };

    /// <summary>The concrete action that fixes the problem, or null when there is nothing the user can do.</summary>
    public static string? Fix(NvmlReturn code) => code switch
    {
        NvmlReturn.DriverNotLoaded =>
            "Load the NVIDIA driver (`sudo modprobe nvidia`, or install it: `sudo apt install nvidia-driver-<version>`); " +
            "in a container start it with `--gpus all` (Docker) or `--device /dev/nvidiactl --device /dev/nvidia0`, and set NVIDIA_DRIVER_CAPABILITIES=compute,utility.",
        NvmlReturn.NoPermission =>
            "Run as a user with access to /dev/nvidia* (e.g. the `video` group), or with sudo; in a container pass the devices (`--gpus all`).",
        NvmlReturn.LibRmVersionMismatch =>
            "The driver was upgraded without a reboot: reboot, or reload the kernel module (`sudo rmmod nvidia_uvm nvidia_drm nvidia_modeset nvidia && sudo modprobe nvidia`); " +
            "in a container make sure the host's libnvidia-ml is mounted (NVIDIA Container Toolkit), not one baked into the image.",
        NvmlReturn.FunctionNotFound or NvmlReturn.ArgumentVersionMismatch =>
            "Update the NVIDIA driver; TrainWatt falls back to older calls where it can.",
        NvmlReturn.NotSupported =>
            "Nothing to fix: TrainWatt uses another source for this value (e.g. power sampling instead of the energy counter, which needs a Volta or newer GPU).",
        NvmlReturn.GpuIsLost or NvmlReturn.ResetRequired =>
            "Check `nvidia-smi` and the kernel log (`sudo dmesg | grep -i nvrm`); reset the GPU (`sudo nvidia-smi -r -i <index>`) or reboot.",
        NvmlReturn.InsufficientPower => "Check the GPU's auxiliary power cables.",
        NvmlReturn.CorruptedInforom => "Contact the hardware vendor: the GPU's infoROM needs to be reflashed.",
        NvmlReturn.LibraryNotFound =>
            "Reinstall the NVIDIA driver user-space libraries (package libnvidia-compute-<version>).",
        NvmlReturn.Uninitialized or NvmlReturn.InvalidArgument or NvmlReturn.InsufficientSize =>
            "This is a TrainWatt bug: please report it with the output of `trainwatt doctor`.",
        NvmlReturn.IrqIssue or NvmlReturn.OperatingSystem or NvmlReturn.Timeout =>
            "Check the kernel log (`sudo dmesg | grep -i nvrm`) and `nvidia-smi`; a reboot often helps.",
        _ => null,
    };

    /// <summary>One line: constant, meaning and fix, e.g. for a <see cref="MeterProbe"/> or an exception.</summary>
    public static string Message(NvmlReturn code, string function)
    {
        string text = $"{function} returned {ConstantName(code)} ({(int)code}): {Describe(code)}";
        return text;
    }
}
