using TrainWatt.Core.Traces;

namespace TrainWatt.Storage.Import;

/// <summary>What one import did.</summary>
/// <param name="Imported">Runs written, in input order.</param>
/// <param name="Skipped">Source keys already in the store and left as they were (re-import without replace).</param>
/// <param name="Replaced">Source keys already in the store whose old run was deleted and imported again.</param>
/// <param name="Failed">Inputs that gave no run: one fatal fault each, naming the file and the fix.</param>
public sealed record ImportReport(
    IReadOnlyList<ImportedRun> Imported,
    IReadOnlyList<string> Skipped,
    IReadOnlyList<string> Replaced,
    IReadOnlyList<TraceFault> Failed);

/// <summary>One run written by an import.</summary>
/// <param name="RunId">Id in the store.</param>
/// <param name="SourceKey">Stable key of the input (same input, same key: used to make re-imports idempotent).</param>
/// <param name="Status">Completed, or incomplete when the data is known to miss part of the run (lost tail).</param>
/// <param name="Samples">Samples stored over all devices.</param>
/// <param name="Flags">Annotation kinds stored with the run that flag the data ("lost_tail", "early_process_end", "truncated_line"...), each once.</param>
public sealed record ImportedRun(long RunId, string SourceKey, RunStatus Status, long Samples, IReadOnlyList<string> Flags);

/// <summary>What to do with inputs whose source key is already in the store.</summary>
public enum ExistingRunPolicy
{
    /// <summary>Leave the stored run and report the input as skipped (the default: re-import is idempotent).</summary>
    Skip,

    /// <summary>Delete the stored run and import the input again (in one transaction per run).</summary>
    Replace,
}
