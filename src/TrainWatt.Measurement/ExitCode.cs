namespace TrainWatt.Measurement;

/// <summary>
/// TrainWatt's own exit codes. <c>trainwatt measure</c> passes the wrapped command's exit code through, so the
/// tool's own failures use codes from 64 upwards (sysexits.h style) that training scripts rarely use.
/// </summary>
public enum ExitCode
{
    Success = 0,

    /// <summary>Some inputs were processed, some failed (e.g. one unreadable trace among many).</summary>
    PartialFailure = 1,

    /// <summary>Command-line usage error (unknown option, missing argument).</summary>
    Usage = 64,

    /// <summary>Input data is malformed (CSV, ONNX, plan file); <c>estimate --probe</c>: the command's output shows no progress or no planned total.</summary>
    DataError = 65,

    /// <summary>An input file or directory does not exist.</summary>
    NoInput = 66,

    /// <summary>No meter could be used (no driver, no permission) or a device is unknown.</summary>
    Unavailable = 69,

    /// <summary>An internal error: a bug; the message asks for a report.</summary>
    Software = 70,

    /// <summary>The store cannot be opened or written.</summary>
    CannotCreate = 73,

    /// <summary>
    /// <c>estimate --probe</c>: the probe ended during the command's warm-up (too short to see steady progress); run it
    /// again with a longer <c>--probe</c> (sysexits EX_TEMPFAIL: "try again").
    /// </summary>
    TryAgain = 75,

    /// <summary>Permission denied.</summary>
    NoPermission = 77,

    /// <summary><c>measure</c>: the command after <c>--</c> exists but cannot be executed (shell convention, as <c>env</c> and <c>timeout</c>).</summary>
    CommandNotExecutable = 126,

    /// <summary><c>measure</c>: the command after <c>--</c> was not found (shell convention).</summary>
    CommandNotFound = 127,
}
