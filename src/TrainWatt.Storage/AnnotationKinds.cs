namespace TrainWatt.Storage;

/// <summary>The annotation kinds TrainWatt writes itself.</summary>
public static class AnnotationKinds
{
    /// <summary>snake_case name of a trace fault kind: LostTail → "lost_tail".</summary>
    public static string From(Core.Traces.FaultKind kind) => kind switch
    {
        Core.Traces.FaultKind.TruncatedLine => "truncated_line",
        Core.Traces.FaultKind.Garbage => "garbage",
        Core.Traces.FaultKind.UnparsableValue => "unparsable_value",
        Core.Traces.FaultKind.Gap => "gap",
        Core.Traces.FaultKind.NonMonotonicTime => "non_monotonic_time",
        Core.Traces.FaultKind.LostTail => "lost_tail",
        Core.Traces.FaultKind.EarlyProcessEnd => "early_process_end",
        Core.Traces.FaultKind.PartialProcessTrace => "partial_process_trace",
        Core.Traces.FaultKind.Fatal => "fatal",
        Core.Traces.FaultKind.InvalidValue => "invalid_value",
        Core.Traces.FaultKind.SharedDeviceIndex => "shared_device_index",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>The import did not find a process trace to pair with a GPU trace.</summary>
    public const string Unpaired = "unpaired";

    /// <summary>A quality metric of the run, <c>name=value</c> (a <c>##trainwatt metric</c> line, or an imported table's F1...).</summary>
    public const string Metric = "metric";
}
