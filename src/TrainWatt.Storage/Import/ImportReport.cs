using TrainWatt.Core.Traces;

namespace TrainWatt.Storage.Import;

/// <summary>What one import did.</summary>
/// <param name="Imported">Runs written, in input order.</param>
/// <param name="Skipped">Source keys already in the store and left as they were (re-import without replace).</param>
/// <param name="Replaced">Source keys already in the store whose old run was deleted and imported again.</param>
/// <param name="Failed">Inputs that gave no run: one fatal fault each, naming the file and the fix.</param>
/// <param name="Warnings">Inputs that were left unused without being errors (a process trace no GPU trace pairs with).</param>
public sealed record ImportReport(
    IReadOnlyList<ImportedRun> Imported,
    IReadOnlyList<string> Skipped,
    IReadOnlyList<string> Replaced,
    IReadOnlyList<TraceFault> Failed,
    IReadOnlyList<TraceFault>? Warnings = null)
{
    /// <summary>Runs deleted because an interrupted import of the same input had left them incomplete (see <c>ImportBatches.RemoveAbandoned</c>).</summary>
    public int RemovedIncomplete { get; init; }

    /// <summary><see cref="Warnings"/>, never null.</summary>
    public IReadOnlyList<TraceFault> AllWarnings => Warnings ?? [];
}
