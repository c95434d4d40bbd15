namespace TrainWatt.Core.Traces;

/// <summary>The kinds of problem a trace reader or an energy computation reports instead of hiding.</summary>
public enum FaultKind
{
    /// <summary>The last line of the file is incomplete (the writer was stopped mid-line).</summary>
    TruncatedLine,

    /// <summary>A line that is not CSV of the header's shape (wrong field count, binary garbage).</summary>
    Garbage,

    /// <summary>A field that should hold a number, time stamp or unit value did not parse.</summary>
    UnparsableValue,

    /// <summary>Two consecutive samples are further apart than the allowed gap; the gap is not bridged silently.</summary>
    Gap,

    /// <summary>Time stamps go backwards.</summary>
    NonMonotonicTime,

    /// <summary>The GPU trace ends before the training process did (SEAA 2023 "lost tail").</summary>
    LostTail,

    /// <summary>The process trace ends well before the GPU trace.</summary>
    EarlyProcessEnd,

    /// <summary>
    /// The process trace spans less than half of the GPU trace (SEAA 2023 cloud NASNetMobile runs 23-29: 0.6-10 %): the
    /// training window taken from it is wrong, and so is any truth or epoch split built on it.
    /// </summary>
    PartialProcessTrace,

    /// <summary>The file cannot be used at all (empty, header only, wrong columns, corrupt compression).</summary>
    Fatal,

    /// <summary>Samples lack a value the computation needs (power.draw was <c>[N/A]</c>); they are skipped, not read as zero.</summary>
    MissingValue,

    /// <summary>A value that parsed but no meter can give (a negative power reading); the sample is left out, not integrated.</summary>
    InvalidValue,

    /// <summary>
    /// Two GPUs share one index in a trace (a different bus id, UUID or name on lines with the same index: traces of
    /// two machines joined, or a renumbering); their samples are kept apart under separate device keys.
    /// </summary>
    SharedDeviceIndex,
}

/// <summary>A problem found in an input, located by file and line (line 0 when it concerns the whole file).</summary>
public sealed record TraceFault(FaultKind Kind, string File, int Line, string Message)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}: {Message}" : $"{File}: {Message}";
}
