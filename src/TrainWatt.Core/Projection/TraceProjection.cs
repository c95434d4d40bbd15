using TrainWatt.Core.Accounting;
using TrainWatt.Core.Traces;

namespace TrainWatt.Core.Projection;

/// <summary>
/// What <c>trainwatt project</c> projects: a run's nvidia-smi trace and its epoch log (<see cref="EpochLog"/>), up to
/// the end of <see cref="AfterEpoch"/> (0-based; null: every epoch, the run finished), with what is known about N.
/// </summary>
public sealed record TraceProjectionRequest(string TracePath, string EpochLogPath)
{
    public ProjectionMethod Method { get; init; } = ProjectionMethod.Step;

    /// <summary>The SEAA 2023 paper's exact formulas (s = 10, w = 5) and trace trim (<see cref="Seaa2023Parity.TrimEndFor"/>).</summary>
    public bool Seaa2023Parity { get; init; }

    /// <summary>Use only data up to the end of this epoch (0-based), as a live projection would have.</summary>
    public int? AfterEpoch { get; init; }

    /// <summary>The run's total number of epochs N, when known.</summary>
    public int? TotalEpochs { get; init; }

    /// <summary>Early-stopping patience P: the run has at least P + 1 epochs.</summary>
    public int? Patience { get; init; }

    /// <summary>Upper bound of N under early stopping.</summary>
    public int? MaxEpochs { get; init; }

    /// <summary>A lower bound of N.</summary>
    public int? MinEpochs { get; init; }

    /// <summary>Two-sided confidence of the interval, strictly between 0 and 1.</summary>
    public double Confidence { get; init; } = 0.9;

    /// <summary>Epochs needed after the last detected change (at least 3).</summary>
    public int MinStableEpochs { get; init; } = 5;

    /// <summary>The slow-drift prior of the interval; null: none.</summary>
    public DriftPrior? Drift { get; init; }
}

/// <summary>A projection and the warnings met on the way (trace faults, epoch split notes), without a "warning: " prefix.</summary>
public sealed record TraceProjectionResult(ProjectionResult Projection, IReadOnlyList<string> Warnings);

/// <summary>
/// Offline STEP: splits a trace into epoch energies at the epoch log's end times (per device, the paper's rule, then
/// summed over devices) and projects the total (<see cref="EnergyProjector"/>).
/// </summary>
public static class TraceProjection
{
    /// <summary>
    /// Projects, or says in <see cref="ProjectionResult.Reason"/> why it cannot yet. Throws
    /// <see cref="FileNotFoundException"/> for a missing input, <see cref="InvalidDataException"/> for an unreadable
    /// one (file and line), <see cref="ArgumentException"/> for a request the files contradict (an epoch beyond the log,
    /// a total below the epochs seen).
    /// </summary>
    public static TraceProjectionResult Project(TraceProjectionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Seaa2023Parity && request.Method == ProjectionMethod.Carbontracker)
        {
            throw new ArgumentException("--parity seaa2023 applies to --method step and step-power only (the paper has no Carbontracker code).");
        }

        var log = EpochLog.ReadFile(request.EpochLogPath);
        if (log.IsFatal)
        {
            throw Unreadable(request.EpochLogPath, log.Faults[0].ToString());
        }

        // The trace is streamed: per GPU an epoch splitter and, for the paper's trim, its last 3 samples (constant memory
        // whatever the trace's length; only the epochs are kept).
        var ends = log.Epochs.Select(e => e.End).ToArray();
        var devices = new DeviceSplits(ends, request.Seaa2023Parity ? Accounting.Seaa2023Parity.EnergyOptions.TrimEnd : 0);
        var scan = NvidiaSmiCsv.ScanFile(request.TracePath, devices);
        if (scan.IsFatal || scan.Samples == 0)
        {
            throw Unreadable(request.TracePath, scan.Faults.FirstOrDefault(f => f.Kind == FaultKind.Fatal)?.ToString() ?? $"{request.TracePath}: no GPU samples.");
        }

        var warnings = scan.Faults.Take(5).Select(f => f.ToString()).ToList();
        int lastEpoch = ends.Length - 1;
        EpochInputCheck.ThrowIfBelowLog(request, ends.Length);
        if (request.AfterEpoch > lastEpoch)
        {
            throw new ArgumentException($"--after-epoch {request.AfterEpoch} is beyond the last epoch in {request.EpochLogPath} (epoch {lastEpoch}).");
        }

        // The paper's pipeline drops the trace's last rows as pandas saw them (a half-written last line is one).
        int trimEnd = request.Seaa2023Parity ? Accounting.Seaa2023Parity.TrimEndFor(scan.Faults) : 0;
        EpochMeasurement[]? sum = null;
        DateTime firstSample = DateTime.MaxValue;
        foreach (var device in devices.InKeyOrder())
        {
            var (split, first) = device.Complete(trimEnd);
            if (split.Error is not null)
            {
                throw new InvalidDataException($"{request.TracePath} (GPU {device.Key}) with {request.EpochLogPath}: {split.Error}");
            }

            warnings.AddRange(split.Warnings.Select(w => $"{request.TracePath} (GPU {device.Key}): {w}"));
            firstSample = first is { } f && f < firstSample ? f : firstSample;
            sum = sum is null
                ? split.Epochs.ToArray()
                : sum.Zip(split.Epochs, (x, y) => x with { Energy = x.Energy + y.Energy, MeanSamplePower = x.MeanSamplePower + y.MeanSamplePower, SampleCount = Math.Min(x.SampleCount, y.SampleCount) }).ToArray();
        }

        int used = (request.AfterEpoch ?? lastEpoch) + 1;
        bool finished = used == ends.Length;
        var (horizon, horizonError) = EpochHorizon.Infer(used, finished, request.TotalEpochs, request.MaxEpochs, request.MinEpochs, request.Patience);
        if (horizon is null && horizonError is not null && request.TotalEpochs is not null)
        {
            throw new ArgumentException(horizonError);
        }

        var result = EnergyProjector.Project(
            sum!.Take(used).ToArray(),
            new ChangePointStabilityDetector(new ChangePointOptions(MinStableEpochs: request.MinStableEpochs)),
            new ProjectionRequest(request.Method, horizon, request.Confidence, request.Seaa2023Parity, finished ? ends[^1] - firstSample : null) { Drift = request.Drift });
        if (horizon is null && result.Stability.IsStable && result.Estimate is null && !(request.Seaa2023Parity && request.Method == ProjectionMethod.StepPower))
        {
            result = result with { Reason = horizonError };
        }

        return new TraceProjectionResult(result, warnings);
    }

    /// <summary>The trace's samples per GPU, each into its own <see cref="EpochSplitter"/>, the last <c>hold</c> held back for a trim.</summary>
    private sealed class DeviceSplits(DateTime[] ends, int hold) : ITraceSampleSink
    {
        private readonly Dictionary<string, DeviceSplit> _devices = new(StringComparer.Ordinal);
        private DeviceSplit? _last;

        public void OnSample(string device, string? gpuName, in GpuSample sample)
        {
            if (_last is null || !ReferenceEquals(_last.Key, device))
            {
                if (!_devices.TryGetValue(device, out _last))
                {
                    _last = new DeviceSplit(device, new EpochSplitter(ends), hold);
                    _devices.Add(device, _last);
                }
            }

            _last.Add(sample);
        }

        public IEnumerable<DeviceSplit> InKeyOrder() => _devices.Values.OrderBy(d => d.Key, NvidiaSmiCsv.DeviceKeyOrder);
    }

    /// <summary>One GPU: its splitter, a ring of the latest <c>hold</c> samples (not yet given to it), its first sample's time.</summary>
    private sealed class DeviceSplit(string key, EpochSplitter splitter, int hold)
    {
        private readonly GpuSample[] _held = new GpuSample[hold];
        private int _heldCount;
        private int _next;
        private DateTime? _first;

        public string Key { get; } = key;

        public void Add(in GpuSample sample)
        {
            if (_held.Length == 0)
            {
                Give(sample);
                return;
            }

            if (_heldCount == _held.Length)
            {
                Give(_held[_next]);
            }
            else
            {
                _heldCount++;
            }

            _held[_next] = sample;
            _next = (_next + 1) % _held.Length;
        }

        /// <summary>Gives the held samples but the last <paramref name="trimEnd"/>, and ends the split.</summary>
        public (EpochSplit Split, DateTime? First) Complete(int trimEnd)
        {
            int oldest = (_next - _heldCount + Math.Max(1, _held.Length)) % Math.Max(1, _held.Length);
            for (int i = 0; i < _heldCount - trimEnd; i++)
            {
                Give(_held[(oldest + i) % _held.Length]);
            }

            return (splitter.Complete(), _first);
        }

        private void Give(in GpuSample sample)
        {
            _first ??= sample.Timestamp;
            splitter.Add(sample);
        }
    }

    private static Exception Unreadable(string path, string message)
        => File.Exists(path) ? new InvalidDataException(message) : new FileNotFoundException(message, path);
}
