namespace TrainWatt.Storage.Import;

/// <summary>One run written by an import.</summary>
/// <param name="RunId">Id in the store.</param>
/// <param name="SourceKey">Stable key of the input (same input, same key: used to make re-imports idempotent).</param>
/// <param name="Status">Completed, or incomplete when the data is known to miss part of the run (lost tail).</param>
/// <param name="Samples">Samples stored over all devices.</param>
/// <param name="Flags">Annotation kinds stored with the run that flag the data ("lost_tail", "early_process_end", "truncated_line"...), each once.</param>
public sealed record ImportedRun(long RunId, string SourceKey, RunStatus Status, long Samples, IReadOnlyList<string> Flags);
