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
/// already stored (or replaces them). Pairs are parsed in parallel ahead of one writer, which streams each run into the
/// store in batches and completes it in one transaction once both traces were read (see <see cref="NvidiaSmiImporter"/>:
/// the same rules for running, completed and interrupted runs).</para>
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

    public ImportReport Import(string directory, ExistingRunPolicy existing = ExistingRunPolicy.Skip, Action<ImportProgress>? progress = null)
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
        var batches = new ImportBatches(store);
        foreach (var pair in pairs)
        {
            batches.RemoveAbandoned(pair.SourceKey);
            long? old = store.FindBySourceKey(pair.SourceKey);
            if (old is not null && existing == ExistingRunPolicy.Skip)
            {
                skipped.Add(pair.SourceKey);
                continue;
            }

            todo.Add((pair, old));
        }

        var imported = new List<ImportedRun>();
        int index = 0;
        ParseAhead.Run(
            todo,
            item => new PairParse(item.Pair),
            (item, parse) =>
            {
                var (pair, old) = item;
                if (Write(pair, old, parse, table, batches, index++, todo.Count, progress) is { } run)
                {
                    if (old is not null)
                    {
                        replaced.Add(pair.SourceKey);
                    }

                    imported.Add(run);
                }
                else
                {
                    failed.Add(parse.Gpu.Result.Faults.FirstOrDefault(f => f.Kind == FaultKind.Fatal)
                        ?? new TraceFault(FaultKind.Fatal, pair.GpuFile, 0, "has no GPU samples."));
                }
            });

        warnings.AddRange(tableFaults);
        return new ImportReport(imported, skipped, replaced, failed, warnings) { RemovedIncomplete = batches.RemovedAbandoned };
    }

    /// <summary>
    /// Streams one pair into a run: the GPU trace's devices, then the process trace as device "process", in batches;
    /// then completes the run with what only the whole traces tell (window, lost tail, faults, metadata). Returns null,
    /// keeping nothing, when the GPU trace is unusable.
    /// </summary>
    private static ImportedRun? Write(
        SeaaPair pair, long? old, PairParse parse, SeaaRunsTable? table, ImportBatches batches, int index, int count, Action<ImportProgress>? progress)
    {
        ImportRun? run = null;
        var gpus = new Dictionary<string, GpuDevice>(StringComparer.Ordinal);
        long? size = ImportProgress.SizeOf(pair.GpuFile);
        try
        {
            GpuDevice? last = null;
            foreach (var chunk in parse.Gpu.Chunks())
            {
                foreach (ref readonly var item in chunk.Span)
                {
                    if (last is null || !ReferenceEquals(last.Key, item.Device))
                    {
                        if (!gpus.TryGetValue(item.Device, out last))
                        {
                            var registration = GpuRegistration(item.Device, item.GpuName);
                            long deviceId;
                            if (run is null)
                            {
                                // Created at the first sample, without its source key until complete (see NvidiaSmiImporter).
                                var row = table?.Find(pair.Model, pair.RunIndex, item.GpuName, pair.EnvironmentFolder);
                                var newRun = new NewRun(Source, ImportConversions.AsWritten(item.Sample.Timestamp), Tags: Tags(pair, item.GpuName, row), Status: RunStatus.Running);
                                var (started, ids) = batches.Start(newRun, [registration], pair.SourceKey);
                                (run, deviceId) = (started, ids[0]);
                            }
                            else
                            {
                                deviceId = batches.Register(run, registration);
                            }

                            last = new GpuDevice(item.Device, item.GpuName, deviceId);
                            gpus.Add(item.Device, last);
                        }
                    }

                    last.Name ??= item.GpuName;
                    var record = ImportConversions.ToSample(item.Sample, last.Id);
                    last.First ??= record.Timestamp;
                    last.Last = record.Timestamp;
                    batches.Add(run!, record);
                }

                progress?.Invoke(new ImportProgress(pair.GpuFile, index, count, parse.Gpu.BytesRead, size, run?.Samples ?? 0));
            }

            var gpu = parse.Gpu.Result;
            if (gpu.IsFatal || run is null)
            {
                if (run is not null)
                {
                    batches.Abandon(run);
                }

                return null;
            }

            long? processId = null;
            long processRows = 0;
            if (parse.Process is { } processParse)
            {
                foreach (var chunk in processParse.Chunks())
                {
                    processId ??= batches.Register(run, new DeviceRegistration("process", "process", "training process", Provenance.Sampled, Note: "CPU share (% of all CPUs), RSS (MB) and CPU temperature; no power"));
                    foreach (ref readonly var sample in chunk.Span)
                    {
                        batches.Add(run, ImportConversions.ToSample(sample, processId.Value));
                    }

                    processRows += chunk.Length;

                    progress?.Invoke(new ImportProgress(pair.GpuFile, index, count, parse.Gpu.BytesRead, size, run.Samples));
                }
            }

            var completion = Complete(pair, old, gpu, parse.Process?.Result, processId, gpus, table);
            batches.Complete(run, completion);
            long stored = run.Samples - (completion.DroppedDevices.Count > 0 ? processRows : 0);
            return new ImportedRun(run.Id, pair.SourceKey, completion.Status, stored, completion.Annotations.Select(a => a.Kind).Where(k => k != AnnotationKinds.Metric).Distinct().ToList());
        }
        catch
        {
            batches.AbandonAll(run is null ? [] : [run]);
            throw;
        }
    }

    /// <summary>What the whole traces tell, as the run's completion: window, status, annotations, metadata.</summary>
    private static RunCompletion Complete(
        SeaaPair pair, long? old, TraceScanResult gpu, ProcessTraceScanResult? process, long? processId, Dictionary<string, GpuDevice> gpus, SeaaRunsTable? table)
    {
        var annotations = gpu.Faults.Select(ImportConversions.ToAnnotation).ToList();
        var gpuFirst = gpus.Values.Min(d => d.First!.Value);
        var gpuLast = gpus.Values.Max(d => d.Last);
        var started = gpuFirst;
        var ended = gpuLast;
        var status = RunStatus.Completed;
        var dropped = new List<long>();

        if (process is null)
        {
            annotations.Add(new AnnotationRecord(AnnotationKinds.Unpaired,
                $"no process trace (cpu-mem-usage-*.csv) starts within {PairingTolerance.TotalSeconds:0} s of this GPU trace; the run's window is the GPU trace's.", pair.GpuFile));
        }
        else
        {
            annotations.AddRange(process.Faults.Select(ImportConversions.ToAnnotation));
            if (process.IsFatal || process.Samples == 0)
            {
                if (processId is { } id)
                {
                    // Its rows were stored before its end showed it unusable (a truncated gzip): they go.
                    dropped.Add(id);
                }

                annotations.Add(new AnnotationRecord(AnnotationKinds.Unpaired, "the paired process trace has no usable rows; the run's window is the GPU trace's.", pair.ProcessFile));
            }
            else
            {
                var processFirst = ImportConversions.AsWritten(process.First!.Value);
                var processLast = ImportConversions.AsWritten(process.Last!.Value);
                started = processFirst;
                ended = processLast;
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
                        pair.ProcessFile));
                }

                if (gpuLast - processLast > EarlyProcessEndThreshold)
                {
                    annotations.Add(new AnnotationRecord(AnnotationKinds.From(FaultKind.EarlyProcessEnd),
                        $"the process trace ends {Seconds(gpuLast - processLast)} s before the GPU trace (more than {EarlyProcessEndThreshold.TotalSeconds:0} s; normally about 3 s); the training window taken from it may be too short.",
                        pair.ProcessFile));
                }
            }
        }

        var ordered = gpus.Values.OrderBy(d => d.Key, NvidiaSmiCsv.DeviceKeyOrder).ToList();
        string? gpuName = ordered.Select(d => d.Name).FirstOrDefault(n => n is not null);
        var row = table?.Find(pair.Model, pair.RunIndex, gpuName, pair.EnvironmentFolder);
        if (table is not null && row is null)
        {
            annotations.Add(new AnnotationRecord("no_metadata",
                $"runs.csv has no row for {pair.EnvironmentFolder}/{pair.Model} run {pair.RunIndex} (GPU '{gpuName}'); model and environment metadata are not recorded.", pair.GpuFile));
        }

        annotations.AddRange(Metrics(row));
        return new RunCompletion(status, started, ended)
        {
            SourceKey = pair.SourceKey,
            Replaces = old,
            Metadata = Metadata(pair, gpuName, row),
            Annotations = annotations,
            DeviceNames = ordered.Where(d => d.Name is not null && d.Name != d.RegisteredName).ToDictionary(d => d.Id, d => d.Name!),
            DroppedDevices = dropped,
        };
    }

    /// <summary>
    /// The run's tags, the keys <c>analyze</c>/<c>recommend --seaa2023</c> give the same run: <c>architecture</c> (the
    /// model folder, as runs.csv spells it), <c>environment</c> (runs.csv's label, else the folder) and <c>gpu</c>
    /// (runs.csv's GPU model, else the trace's GPU name), and <c>dataset=seaa2023</c>.
    /// </summary>
    internal static Dictionary<string, string> Tags(SeaaPair pair, string? gpuName, IReadOnlyList<KeyValuePair<string, string>>? row)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["dataset"] = "seaa2023",
            ["architecture"] = pair.Model,
            ["environment"] = (row is null ? null : SeaaRunsTable.EnvironmentLabel(row)) ?? pair.EnvironmentFolder,
        };
        string? gpu = (row is null ? null : SeaaRunsTable.Get(row, SeaaRunsTable.GpuColumn)) ?? gpuName;
        if (!string.IsNullOrWhiteSpace(gpu))
        {
            tags["gpu"] = gpu.Trim();
        }

        return tags;
    }

    /// <summary>The authors' quality metrics of the run (runs.csv: f1-score, accuracy, precision, recall, AUC) as metric annotations, read as scores f1, accuracy, ... by analyze and recommend.</summary>
    private static IEnumerable<AnnotationRecord> Metrics(IReadOnlyList<KeyValuePair<string, string>>? row)
    {
        foreach (var (column, name) in SeaaRunsTable.MetricColumns)
        {
            if (row is not null && SeaaRunsTable.Get(row, column) is { } text
                && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value))
            {
                yield return new AnnotationRecord(AnnotationKinds.Metric, string.Create(CultureInfo.InvariantCulture, $"{name}={value:R}"));
            }
        }
    }

    private static DeviceRegistration GpuRegistration(string device, string? gpuName)
        => new($"gpu:{device}", "gpu", gpuName, Provenance.Sampled, Note: "nvidia-smi power.draw, about 1 Hz");

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

            if (row is not null && SeaaRunsTable.SamplesSeen(row) is { } seen)
            {
                json.WriteNumber(RunRecord.SamplesSeenMetadataKey, seen);
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

/// <summary>A GPU of a pair being imported: its store id, names and time span.</summary>
internal sealed class GpuDevice(string key, string? registeredName, long id)
{
    public string Key { get; } = key;

    public string? RegisteredName { get; } = registeredName;

    public long Id { get; } = id;

    /// <summary>The first GPU name seen (a later line fills a missing one).</summary>
    public string? Name { get; set; } = registeredName;

    public DateTimeOffset? First { get; set; }

    public DateTimeOffset Last { get; set; }
}

/// <summary>The two parses of a pair, started together ahead of the writer.</summary>
internal sealed class PairParse : IDisposable
{
    public PairParse(SeaaPair pair)
    {
        Gpu = new(emitter => NvidiaSmiCsv.ScanFile(pair.GpuFile, new GpuSink(emitter)));
        Process = pair.ProcessFile is { } file ? new(emitter => ProcessTraceCsv.ScanFile(file, new ProcessSink(emitter))) : null;
    }

    public ChunkedParse<GpuLine, TraceScanResult> Gpu { get; }

    public ChunkedParse<ProcessSample, ProcessTraceScanResult>? Process { get; }

    public void Dispose()
    {
        Gpu.Dispose();
        Process?.Dispose();
    }

    private sealed class GpuSink(ChunkedParse<GpuLine, TraceScanResult>.Emitter emitter) : ITraceSampleSink, ITraceReadProgress
    {
        public void OnSample(string device, string? gpuName, in GpuSample sample) => emitter.Add(new GpuLine(device, gpuName, sample));

        public void OnBytesRead(long total) => emitter.OnBytesRead(total);
    }

    private sealed class ProcessSink(ChunkedParse<ProcessSample, ProcessTraceScanResult>.Emitter emitter) : IProcessSampleSink
    {
        public void OnSample(in ProcessSample sample) => emitter.Add(sample);
    }
}

/// <summary>One parsed GPU trace line: device key (interned), GPU name, sample.</summary>
internal readonly record struct GpuLine(string Device, string? GpuName, GpuSample Sample);

/// <summary>One GPU trace and its process trace (null when none starts within the tolerance).</summary>
internal sealed record SeaaPair(string SourceKey, string EnvironmentFolder, string Model, int RunIndex, string GpuFile, string? ProcessFile);
