using System.Globalization;
using TrainWatt.Estimation;
using TrainWatt.Storage;

namespace TrainWatt.Measurement;

/// <summary>
/// The end of <c>measure</c> for a run described for PRE (tags such as <c>architecture=vgg16</c> or <c>gflops=10.03</c>,
/// <c>batch_size=32</c>, <c>input=128x128</c>, <c>train_samples</c>, <c>val_samples</c>, <c>ram_gb</c>; the GPU is
/// the run's NVML device name unless a <c>gpu=</c> tag says otherwise; epochs are the measured ones): the PRE estimate
/// of the default model (the newest <c>trainwatt fit</c> model, else the shipped one) next to what was measured, the
/// same comparison as <c>trainwatt estimate --run ID</c> (<see cref="PreComparison"/>).
/// </summary>
internal static class MeasurePre
{
    /// <summary>
    /// Prints the comparison through <paramref name="say"/> and returns it; null when the run is not described for PRE
    /// (silent when no PRE key was given at all, one line naming what is missing otherwise) or no model can be loaded.
    /// </summary>
    public static PreComparison? Report(HostContext context, IRunStore store, string runId, Action<string> say)
    {
        if (!long.TryParse(runId, NumberStyles.None, CultureInfo.InvariantCulture, out long id) || store.GetRun(id)?.Run is not { } record)
        {
            return null;
        }

        var fields = PreStoreRows.Fields(record);
        if (!PreStoreRows.PreKeys.Any(fields.ContainsKey))
        {
            return null;
        }

        var (row, epochs, reason) = PreStoreRows.ReadOne(store, record);
        if (row is null)
        {
            say($"PRE: no estimate-vs-measured comparison for run {id}: {reason}. Describe the run with --tag architecture=NAME (or gflops=X), "
                + "batch_size=N, input=HxW, train_samples=N, val_samples=N, ram_gb=X [gpu=NAME] (docs/pre.md).");
            return null;
        }

        IPreEstimator model;
        try
        {
            model = PreModels.ResolveModel(null, null, null, context);
        }
        catch (Exception e) when (e is PreModelException or PreModels.InputException)
        {
            say($"PRE: no estimate-vs-measured comparison for run {id}: {e.Message}");
            return null;
        }

        var comparison = PreComparison.Compute(id, row, epochs, model);
        say($"PRE estimate vs measured, {epochs} epochs, model {model.Name}; error = (estimate - measured) / measured; run: {row.Run}");
        foreach (string line in comparison.TextLines())
        {
            say(line);
        }

        say($"  (`trainwatt estimate --run {id}` repeats this; `trainwatt fit` learns from this run)");
        return comparison;
    }
}
