namespace TrainWatt.Storage;

/// <summary>A fault or note attached to a run (a truncated trace line, a lost tail...).</summary>
/// <param name="Kind">snake_case kind, e.g. "truncated_line", "lost_tail" (see <see cref="AnnotationKinds"/>).</param>
/// <param name="Message">Human explanation.</param>
/// <param name="File">Source file, when the annotation concerns one.</param>
/// <param name="Line">1-based line, or null when it concerns the whole file.</param>
/// <param name="DeviceId">Device concerned, when one.</param>
public sealed record AnnotationRecord(string Kind, string Message, string? File = null, int? Line = null, long? DeviceId = null);
