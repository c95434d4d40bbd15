using TrainWatt.Storage;
using TrainWatt.Storage.Import;

namespace TrainWatt.Measurement.Store;

/// <summary>What an import did, and to which store.</summary>
public sealed record ImportOutcome(string Store, ImportReport Report)
{
    /// <summary>Success; <see cref="ExitCode.PartialFailure"/> when some inputs failed and others did not; <see cref="ExitCode.DataError"/> when all failed.</summary>
    public ExitCode Outcome
    {
        get
        {
            bool anyGood = Report.Imported.Count + Report.Skipped.Count + Report.Replaced.Count > 0;
            return Report.Failed.Count == 0 ? ExitCode.Success : anyGood ? ExitCode.PartialFailure : ExitCode.DataError;
        }
    }
}

/// <summary>
/// <c>trainwatt import nvidia-smi|seaa2023</c>: recorded traces into the store the location rule names. The inputs are
/// checked before the store is opened, so a typo creates no store. A bad trace among good ones is reported in
/// <see cref="ImportReport.Failed"/>, not thrown.
/// </summary>
public static class RunImport
{
    /// <summary>One run per file and GPU (<see cref="NvidiaSmiImporter"/>).</summary>
    /// <exception cref="FileNotFoundException">A file does not exist (the message names every missing one).</exception>
    public static ImportOutcome NvidiaSmi(IReadOnlyList<string> files, ExistingRunPolicy existing, string? db, HostContext host, Action<ImportProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        var missing = files.Where(p => !File.Exists(p)).ToList();
        if (missing.Count > 0)
        {
            throw new FileNotFoundException(
                $"{string.Join(", ", missing)}: no such file{(missing.Count > 1 ? "s" : "")}. Give nvidia-smi CSV files (plain or .gz).", missing[0]);
        }

        using var store = StoreSession.Open(db, host);
        return new ImportOutcome(store.Location, new NvidiaSmiImporter(store).Import(files, existing, progress: progress));
    }

    /// <summary>The SEAA 2023 data set (<see cref="Seaa2023Importer"/>).</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public static ImportOutcome Seaa2023(string directory, ExistingRunPolicy existing, string? db, HostContext host, Action<ImportProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"{directory}: no such folder. Give the seaa2023 data folder (the one holding traces/ and runs.csv).");
        }

        using var store = StoreSession.Open(db, host);
        return new ImportOutcome(store.Location, new Seaa2023Importer(store).Import(directory, existing, progress));
    }
}
