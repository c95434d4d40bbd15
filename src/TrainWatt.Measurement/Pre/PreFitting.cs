using System.Globalization;
using TrainWatt.Estimation;
using TrainWatt.Storage;

namespace TrainWatt.Measurement.Pre;

/// <summary>
/// What to fit TrainWatt's compact PRE model on and where to save it: the measured runs of a store (when one is
/// passed to <see cref="PreFitting.Fit"/>) plus <see cref="Datasets"/> (PRE dataset CSVs).
/// </summary>
public sealed record PreFitRequest(IReadOnlyList<string> Datasets, PreModelFamily Family)
{
    /// <summary>Write the model JSON here instead of the models folder.</summary>
    public string? ExportPath { get; init; }

    /// <summary>Folder of fitted models (<see cref="PreModels.ModelsDirectory"/>).</summary>
    public string? ModelsDirectory { get; init; }

    /// <summary>Version to record; default the models folder's newest + 1, or 1 with <see cref="ExportPath"/>.</summary>
    public int? Version { get; init; }

    /// <summary>Attribution of the data, recorded in the model file.</summary>
    public string Credit { get; init; } = "";

    /// <summary>When the data was measured, recorded with the model file's training data.</summary>
    public string? DataYear { get; init; }
}

/// <summary>A fitted and saved model, and the stored runs that could not be used (each "run N: why").</summary>
public sealed record PreFitReport(CompactPreModel Model, string Path, int StoredRows, IReadOnlyList<string> SkippedRuns);

/// <summary><c>trainwatt fit</c> as a library call.</summary>
public static class PreFitting
{
    /// <summary>
    /// Fits the request's family on the datasets and, when <paramref name="store"/> is given, its measured runs;
    /// scores it on held-out rows and saves it as the next version (or to the export path). Throws
    /// <see cref="FileNotFoundException"/> or <see cref="PreDatasetException"/> for a dataset,
    /// <see cref="PreDatasetException"/> when too few rows are usable (the message says what a usable run needs),
    /// <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/> when the model file cannot be written.
    /// </summary>
    public static PreFitReport Fit(PreFitRequest request, IRunStore? store, HostContext host)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(host);
        var rows = new List<PreRow>();
        var sources = new List<string>();
        foreach (string path in request.Datasets)
        {
            var loaded = PreModels.LoadDataset(path);
            rows.AddRange(loaded);
            sources.Add($"{System.IO.Path.GetFileName(path)} ({loaded.Count} rows)");
        }

        IReadOnlyList<string> skipped = [];
        int storedRows = 0;
        if (store is not null)
        {
            (var stored, skipped) = PreStoreRows.Read(store);
            rows.AddRange(stored);
            storedRows = stored.Count;
            sources.Add($"{stored.Count} measured runs from the store");
        }

        int needed = PreTrainer.MinimumRows(request.Family);
        if (rows.Count < needed)
        {
            string why = skipped.Count > 0 ? $" {skipped.Count} stored run(s) were not usable, e.g. {skipped[0]}." : "";
            throw new PreDatasetException($"only {rows.Count} usable row(s); a {request.Family.Name} PRE model needs at least {needed} measured runs (with gflops, gpu, batch_size, input, train_samples, val_samples, ram_gb in the run's metadata or tags, GPU power and epochs) or a --dataset CSV.{why}");
        }

        string folder = PreModels.ModelsDirectory(request.ModelsDirectory, host);
        var existing = PreModels.ModelFiles(folder);
        int version = request.Version ?? (request.ExportPath is null ? (existing.Count == 0 ? 1 : existing[^1].Version + 1) : 1);
        var model = PreTrainer.Fit(rows, request.Family, version, host.Time.GetUtcNow(), string.Join("; ", sources), request.Credit, dataYear: request.DataYear);
        string file = request.ExportPath ?? System.IO.Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"pre-model-v{version}.json"));
        string json = model.ToJson();
        try
        {
            if (System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(file)) is { } dir)
            {
                Directory.CreateDirectory(dir);
            }

            File.WriteAllText(file, json);
        }
        catch (IOException ex)
        {
            throw new IOException("cannot write the model file: " + ex.Message, ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new UnauthorizedAccessException("cannot write the model file: " + ex.Message, ex);
        }

        return new PreFitReport(model, file, storedRows, skipped);
    }
}
