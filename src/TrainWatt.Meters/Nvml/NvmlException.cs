namespace TrainWatt.Meters.Nvml;

/// <summary>An NVML call failed. <see cref="Exception.Message"/> names the function, the code, its meaning; <see cref="Fix"/> says what to do.</summary>
public sealed class NvmlException : Exception
{
    public NvmlException(NvmlReturn code, string function)
        : base(NvmlErrors.Message(code, function))
    {
        Code = code;
        Function = function;
    }

    public NvmlException(string message, string? fix)
        : base(message)
    {
        Code = NvmlReturn.LibraryNotFound;
        Function = "dlopen";
        LibraryFix = fix;
    }

    public NvmlReturn Code { get; }

    public string Function { get; }

    private string? LibraryFix { get; }

    /// <summary>The action that fixes the problem, when there is one.</summary>
    public string? Fix => LibraryFix ?? NvmlErrors.Fix(Code);
}
