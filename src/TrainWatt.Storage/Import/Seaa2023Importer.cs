using System.Globalization;
using System.Text;
using System.Text.Json;
using TrainWatt.Core;
using TrainWatt.Core.Traces;

namespace TrainWatt.Storage.Import;

/// <summary>
/// Imports the SEAA 2023 data set (del Rey et al., CC BY 4.0): every <c>traces/ENV/MODEL/gpu-power-STAMP.csv.gz</c>
/// becomes one run, paired with the process trace <c>cpu-mem-usage-STAMP.csv.gz</c> of the same folder whose start
/// stamp is nearest (within <see cref="PairingTolerance"/>).
/// </summary>
/// <remarks>
/// <para>The run's window (start, end) is the process trace's first and last time stamp: the training process's life.
/// The GPU trace normally runs about 3 s longer on each side. A GPU trace whose last sample is before the process
/// trace's last sample "lost its tail" (annotation <c>lost_tail</c>, run status incomplete: its GPU energy misses the
/// end of training). A process trace that ends more than <see cref="EarlyProcessEndThreshold"/> before the GPU trace is
/// flagged <c>early_process_end</c> (the window may be too short), and one spanning less than half of the GPU trace
/// <c>partial_process_trace</c> (the window is wrong; <c>evaluate step</c> leaves such runs out).</para>
/// <para>The run index is the rank of the GPU trace's stamp within its folder, as in the authors' <c>runs.csv</c>;
/// when <c>runs.csv</c> is present its row (matched on environment, architecture and run index; the environment is the
/// one whose GPU model the trace names) is stored in the run's metadata.</para>
/// <para>Source key <c>seaa2023:ENV/MODEL/STAMP</c>, independent of where the folder lives: re-importing skips runs
/// already stored (or replaces them). Pairs are parsed in parallel; one writer stores each run in one transaction.</para>
/// </remarks>
public sealed class Seaa2023Importer(IRunStore store)
{
    public const string Source = "import:seaa2023";
    private const string GpuPrefix = "gpu-power-";
    private const string ProcessPrefix = "cpu-mem-usage-";

    /// <summary>Largest difference between the start stamps of a GPU trace and its process trace (runs start ≥ 10 min apart).</summary>
    public static TimeSpan PairingTolerance { get; } = TimeSpan.FromMinutes(2);

    /// <summary>A process trace ending more than this before the GPU trace is flagged <c>early_process_end</c>.</summary>
    public static TimeSpan EarlyProcessEndThreshold { get; } = TimeSpan.FromSeconds(10);

    public ImportReport Import(string directory, ExistingRunPolicy existing = ExistingRunPolicy.Skip)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var failed = new List<TraceFault>();
        if (!Directory.Exists(directory))
        {
            failed.Add(new TraceFault(FaultKind.Fatal, directory, 0, "does not exist or is not a folder; give the seaa2023 data folder (the one holding traces/ and runs.csv)."));
            return new ImportReport([], [], [], failed);
        }

        string tracesRoot = Directory.Exists(Path.Combine(directory, "traces")) ? Path.Combine(directory, "traces") : directory;
        SeaaRunsTable? table = null;
        string runsCsv = Path.Combine(directory, "runs.csv");
        var tableFaults = new List<TraceFault>();
        if (File.Exists(runsCsv))
        {
            table = SeaaRunsTable.Load(runsCsv, out var tableFault);
            if (tableFault is not null)
            {
                tableFaults.Add(tableFault);
            }
        }

        var warnings = new List<TraceFault>();
        var pairs = Discover(tracesRoot, failed, warnings);
        if (pairs.Count == 0 && failed.Count == 0)
        {
            failed.Add(new TraceFault(FaultKind.Fatal, directory, 0, "holds no gpu-power-*.csv[.gz] traces; give the seaa2023 data folder (the one holding traces/ENV/MODEL/)."));
        }

        var skipped = new List<string>();
        var replaced = new List<string>();
        var todo = new List<(SeaaPair Pair, long? Old)>();
        foreach (var pair in pairs)
        {
            long? old = store.FindBySourceKey(pair.SourceKey);
            if (old is not null && existing == ExistingRunPolicy.Skip)
            {
                skipped.Add(pair.SourceKey);
                continue;
            }

            todo.Add((pair, old));
        }

        var imported = new List<ImportedRun>();
        ParseWritePipeline.Run(
            todo,
            item => (Gpu: NvidiaSmiCsv.ReadFile(item.Pair.GpuFile), Process: item.Pair.ProcessFile is null ? null : ProcessTraceCsv.ReadFile(item.Pair.ProcessFile)),
            (item, traces) =>
            {
                var (pair, old) = item;
                var prepared = Prepare(pair, traces.Gpu, traces.Process, table);
                if (prepared is null)
                {
                    failed.Add(traces.Gpu.Faults.FirstOrDefault(f => f.Kind == FaultKind.Fatal)
                        ?? new TraceFault(FaultKind.Fatal, pair.GpuFile, 0, "has no GPU samples."));
                    return;
                }

                if (old is { } oldId)
                {
                    store.DeleteRun(oldId);
                    replaced.Add(pair.SourceKey);
                }

                var (run, ended, devices, annotations) = prepared.Value;
                long id = store.WriteRun(run, ended, devices, annotations);
                imported.Add(new ImportedRun(id, pair.SourceKey, run.Status, devices.Sum(d => (long)d.Samples.Count), annotations.Select(a => a.Kind).Distinct().ToList()));
            });

        warnings.AddRange(tableFaults);
        return new ImportReport(imported, skipped, replaced, failed, warnings);
    }

    private static (NewRun Run, DateTimeOffset Ended, List<DeviceData> Devices, List<AnnotationRecord> Annotations)? Prepare(
        SeaaPair pair, TraceReadResult gpu, ProcessTraceReadResult? process, SeaaRunsTable? table)
    {
        if (gpu.IsFatal || gpu.Devices.Count == 0 || gpu.Devices.All(d => d.Samples.Count == 0))
        {
            return null;
        }

        var annotations = gpu.Faults.Select(ImportConversions.ToAnnotation).ToList();
        var devices = new List<DeviceData>();
        foreach (var device in gpu.Devices.Where(d => d.Samples.Count > 0))
        {
            devices.Add(new DeviceData(
                new DeviceRegistration($"gpu:{device.Device}", "gpu", device.GpuName, Provenance.Sampled, Note: "nvidia-smi power.draw, about 1 Hz"),
                ImportConversions.ToSamples(device.Samples)));
        }

        var gpuFirst = devices.Min(d => d.Samples[0].Timestamp);
        var gpuLast = devices.Max(d => d.Samples[^1].Timestamp);
        var started = gpuFirst;
        var ended = gpuLast;
        var status = RunStatus.Completed;

        if (process is null)
        {
            annotations.Add(new AnnotationRecord(AnnotationKinds.Unpaired,
                $"no process trace (cpu-mem-usage-*.csv) starts within {PairingTolerance.TotalSeconds:0} s of this GPU trace; the run's window is the GPU trace's.", pair.GpuFile));
        }
        else
        {
            annotations.AddRange(process.Faults.Select(ImportConversions.ToAnnotation));
            if (process.Samples.Count == 0)
            {
                annotations.Add(new AnnotationRecord(AnnotationKinds.Unpaired, "the paired process trace has no usable rows; the run's window is the GPU trace's.", process.File));
            }
            else
            {
                var processFirst = ImportConversions.AsWritten(process.Samples[0].Timestamp);
                var processLast = ImportConversions.AsWritten(process.Samples[^1].Timestamp);
                started = processFirst;
                ended = processLast;
                devices.Add(new DeviceData(
                    new DeviceRegistration("process", "process", "training process", Provenance.Sampled, Note: "CPU share (% of all CPUs), RSS (MB) and CPU temperature; no power"),
                    ImportConversions.ToSamples(process.Samples)));

                if (gpuLast < processLast)
                {
                    status = RunStatus.Incomplete;
                    annotations.Add(new AnnotationRecord(AnnotationKinds.From(FaultKind.LostTail),
                        $"the GPU trace ends {Seconds(processLast - gpuLast)} s before the training process (last GPU sample {gpuLast:yyyy-MM-dd HH:mm:ss.fff}, last process sample {processLast:yyyy-MM-dd HH:mm:ss.fff}); the GPU energy of the tail is missing.",
                        pair.GpuFile));
                }

                if (Core.Projection.StepEvaluation.ProcessTraceFault(gpuFirst.DateTime, gpuLast.DateTime, processFirst.DateTime, processLast.DateTime) is { } partial)
                {
                    annotations.Add(new AnnotationRecord(AnnotationKinds.From(FaultKind.PartialProcessTrace),
                        $"{partial} `evaluate step` leaves this run out.",
                        process.File));
                }

                if (gpuLast - processLast > EarlyProcessEndThreshold)
                {
                    annotations.Add(new AnnotationRecord(AnnotationKinds.From(FaultKind.EarlyProcessEnd),
                        $"the process trace ends {Seconds(gpuLast - processLast)} s before the GPU trace (more than {EarlyProcessEndThreshold.TotalSeconds:0} s; normally about 3 s); the training window taken from it may be too short.",
                        process.File));
                }
            }
        }

        string? gpuName = gpu.Devices.Select(d => d.GpuName).FirstOrDefault(n => n is not null);
        var row = table?.Find(pair.Model, pair.RunIndex, gpuName, pair.EnvironmentFolder);
        if (table is not null && row is null)
        {
            annotations.Add(new AnnotationRecord("no_metadata",
                $"runs.csv has no row for {pair.EnvironmentFolder}/{pair.Model} run {pair.RunIndex} (GPU '{gpuName}'); model and environment metadata are not recorded.", pair.GpuFile));
        }

        var run = new NewRun(Source, started, SourceKey: pair.SourceKey, Metadata: Metadata(pair, gpuName, row), Status: status);
        return (run, ended, devices, annotations);
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Metadata(SeaaPair pair, string? gpuName, IReadOnlyList<KeyValuePair<string, string>>? row)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("dataset", "seaa2023");
            json.WriteString("credit", "del Rey, Cruz, Franch, Martinez-Fernandez, SEAA 2023, doi:10.1109/SEAA60479.2023.00031, data CC BY 4.0 (doi:10.5281/zenodo.7828518)");
            json.WriteString("environment_folder", pair.EnvironmentFolder);
            if (row is not null && SeaaRunsTable.EnvironmentLabel(row) is { } label)
            {
                json.WriteString("environment", label);
            }

            json.WriteString("model", pair.Model);
            json.WriteNumber("run", pair.RunIndex);
            if (gpuName is not null)
            {
                json.WriteString("gpu_name", gpuName);
            }

            json.WriteString("gpu_trace", pair.GpuFile);
            if (pair.ProcessFile is not null)
            {
                json.WriteString("process_trace", pair.ProcessFile);
            }

            json.WriteString("clock", "local wall clock as written by the traces (zone unknown), stored with offset zero");
            if (row is not null)
            {
                json.WriteStartObject("runs_csv");
                foreach (var (column, value) in row)
                {
                    if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) && double.IsFinite(number))
                    {
                        json.WriteNumber(column, number);
                    }
                    else
                    {
                        json.WriteString(column, value);
                    }
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Finds GPU traces under <paramref name="root"/> and pairs each with the nearest process trace of its folder.</summary>
    internal static List<SeaaPair> Discover(string root, List<TraceFault> failed, List<TraceFault>? warnings = null)
    {
        var pairs = new List<SeaaPair>();
        var folders = Directory.EnumerateFiles(root, GpuPrefix + "*.csv*", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(root, ProcessPrefix + "*.csv*", SearchOption.AllDirectories))
            .GroupBy(f => Path.GetDirectoryName(f)!, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal);

        foreach (var folder in folders)
        {
            string model = Path.GetFileName(folder.Key);
            string environment = Path.GetFileName(Path.GetDirectoryName(folder.Key)) ?? "";
            var gpus = new List<(string File, DateTime Stamp)>();
            var processes = new List<(string File, DateTime Stamp)>();
            foreach (string file in folder)
            {
                string name = Path.GetFileName(file);
                bool isGpu = name.StartsWith(GpuPrefix, StringComparison.Ordinal);
                if (!TryStamp(name, isGpu ? GpuPrefix : ProcessPrefix, out var stamp))
                {
                    failed.Add(new TraceFault(FaultKind.Fatal, file, 0, "the file name has no start stamp (expected PREFIX-yyyyMMddTHHmmss.csv[.gz]); it cannot be paired and is not imported."));
                    continue;
                }

                (isGpu ? gpus : processes).Add((file, stamp));
            }

            gpus.Sort((a, b) => a.Stamp.CompareTo(b.Stamp));
            var used = new bool[processes.Count];
            for (int runIndex = 0; runIndex < gpus.Count; runIndex++)
            {
                var (gpuFile, gpuStamp) = gpus[runIndex];
                int best = -1;
                for (int i = 0; i < processes.Count; i++)
                {
                    var distance = (processes[i].Stamp - gpuStamp).Duration();
                    if (!used[i] && distance <= PairingTolerance && (best < 0 || distance < (processes[best].Stamp - gpuStamp).Duration()))
                    {
                        best = i;
                    }
                }

                if (best >= 0)
                {
                    used[best] = true;
                }

                string stampText = gpuStamp.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture);
                pairs.Add(new SeaaPair(
                    $"seaa2023:{environment}/{model}/{stampText}",
                    environment,
                    model,
                    runIndex,
                    gpuFile,
                    best >= 0 ? processes[best].File : null));
            }

            for (int i = 0; i < processes.Count; i++)
            {
                if (!used[i])
                {
                    warnings?.Add(new TraceFault(FaultKind.Fatal, processes[i].File, 0,
                        $"no GPU trace (gpu-power-*.csv) of this folder starts within {PairingTolerance.TotalSeconds:0} s of this process trace; it is not imported."));
                }
            }
        }

        return pairs;
    }

    private static bool TryStamp(string name, string prefix, out DateTime stamp)
    {
        stamp = default;
        if (name.Length < prefix.Length + 15)
        {
            return false;
        }

        return DateTime.TryParseExact(name.AsSpan(prefix.Length, 15), "yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture, DateTimeStyles.None, out stamp);
    }
}

/// <summary>One GPU trace and its process trace (null when none starts within the tolerance).</summary>
internal sealed record SeaaPair(string SourceKey, string EnvironmentFolder, string Model, int RunIndex, string GpuFile, string? ProcessFile);
