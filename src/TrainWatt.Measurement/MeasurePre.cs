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
            say($"PRE: no estimate-vs-measured comparison for run {id}: {reason}.{Advice(fields, reason)}");
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

    /// <summary>
    /// What to do about a run PRE cannot compare, naming only the tags the user did not give: with all of them (or all
    /// but the GPU, as on a CPU-only run) the run is outside what PRE covers, and more tags would not help.
    /// </summary>
    internal static string Advice(IReadOnlyDictionary<string, string> fields, string? reason)
    {
        var missing = PreStoreRows.MissingKeys(fields);
        return missing.Any(k => k != "gpu")
            ? $" Describe the run with the tags it lacks: --tag {string.Join(", ", missing.Select(Example))} (docs/pre.md)."
            : missing.Count > 0 || reason == "no GPU power samples"
                ? " PRE predicts the energy of training on a GPU (docs/pre.md); it does not cover a run without one, whose measured energy is above."
                : string.Empty;
    }

    private static string Example(string key) => key.Split(' ')[0] switch
    {
        "gflops" when key.Contains("or architecture", StringComparison.Ordinal) => "architecture=NAME (or gflops=X)",
        "gflops" => "gflops=X" + key["gflops".Length..],
        "gpu" => "gpu=NAME",
        "input" => "input=HxW",
        "ram_gb" => "ram_gb=X",
        var name => name + "=N",
    };
}
