using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using TrainWatt.Core;
using TrainWatt.Core.Traces;
using TrainWatt.Core.Units;
using TrainWatt.Meters.Nvml;

namespace TrainWatt.Meters.NvidiaSmi;

/// <summary>Settings of <see cref="NvidiaSmiMeter"/>.</summary>
/// <param name="Executable">The nvidia-smi program (default "nvidia-smi" on PATH; <c>TRAINWATT_NVIDIA_SMI</c> overrides).</param>
/// <param name="Interval">Sampling interval passed as <c>-lms</c>; default 100 ms.</param>
/// <param name="Gpus">The <c>--gpus</c> value, null for none.</param>
/// <param name="CudaVisibleDevices">The <c>CUDA_VISIBLE_DEVICES</c> value, null when unset.</param>
/// <param name="CudaDeviceOrder">The <c>CUDA_DEVICE_ORDER</c> value, null when unset.</param>
public sealed record NvidiaSmiMeterOptions(
    string Executable = "nvidia-smi",
    TimeSpan? Interval = null,
    string? Gpus = null,
    string? CudaVisibleDevices = null,
    string? CudaDeviceOrder = null)
{
    /// <summary>Environment variable naming the nvidia-smi executable to run.</summary>
    public const string ExecutableEnvironmentVariable = "TRAINWATT_NVIDIA_SMI";

    /// <summary>Reads the executable override and the CUDA variables from an environment lookup.</summary>
    public static NvidiaSmiMeterOptions FromEnvironment(Func<string, string?> environment, TimeSpan? interval = null, string? gpus = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        string? exe = environment(ExecutableEnvironmentVariable);
        return new NvidiaSmiMeterOptions(
            string.IsNullOrEmpty(exe) ? "nvidia-smi" : exe,
            interval,
            gpus,
            environment("CUDA_VISIBLE_DEVICES"),
            environment("CUDA_DEVICE_ORDER"));
    }
}

/// <summary>
/// GPU power from a long-running <c>nvidia-smi --query-gpu=... --format=csv -lms N</c> process, for machines where
/// the NVML library cannot be loaded by TrainWatt but the nvidia-smi binary works. One <see cref="Provenance.Sampled"/>
/// channel per selected GPU ("gpu:&lt;index&gt;"); <see cref="Read"/> returns the latest line nvidia-smi printed per GPU.
/// </summary>
/// <remarks>
/// Lines are parsed with <see cref="NvidiaSmiCsvParser"/> (the trace reader's parser), so live output and recorded
/// traces follow one set of rules, and the same faults are found and reported (<see cref="IMeterFaults"/>, kept with
/// the run's notes): two GPUs under one index (a different <c>pci.bus_id</c> or <c>uuid</c>, both queried for this; the
/// channel keeps the first GPU's samples, the other's are left out), and output without an index column that
/// interleaves several GPUs (<see cref="InterleavedGpuCheck"/>; from then on every reading is an error, never an average
/// of several GPUs). A background thread reads the output; <see cref="Read"/> only copies the latest
/// values under a lock. A GPU with no line yet, a line older than three intervals (at least 2 s), or an exited
/// nvidia-smi gives a reading with an <see cref="ChannelReading.Error"/>, never a stale or zero value.
/// </remarks>
public sealed class NvidiaSmiMeter : IMeter, IMeterFaults
{
    // Names come from the listing call (a GPU name may contain a comma, which would break the CSV line); the bus id and
    // UUID are queried on every line too, so that two GPUs showing under one index are told apart.
    private const string QueryHead = "timestamp,index,pci.bus_id,uuid";
    private const string QueryTail = "utilization.gpu,memory.used,temperature.gpu";

    /// <summary>The <see cref="NvidiaSmiCsvParser.SharedIndexHint"/> for a running nvidia-smi.</summary>
    internal const string SharedIndexHint =
        "The driver renumbered the GPUs while measuring (a GPU lost and found again), or the nvidia-smi run (TRAINWATT_NVIDIA_SMI) merges several machines; " +
        "the channel keeps the first GPU's samples. Check `nvidia-smi -L` and the kernel log (`sudo dmesg | grep -i nvrm`).";

    private readonly TimeProvider _time;
    private readonly long _startTimestamp;
    private readonly TimeSpan _interval;
    private readonly Process _process;
    private readonly Thread _reader;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (GpuSample Sample, long ReceivedAt)> _latest = new(StringComparer.Ordinal);
    private readonly int[] _indices;
    private readonly List<string> _faults = [];
    private string? _streamError;
    private bool _disposed;

    private NvidiaSmiMeter(TimeProvider time, long startTimestamp, TimeSpan interval, Process process, IReadOnlyList<MeterChannel> channels, int[] indices, GpuSelection selection)
    {
        _time = time;
        _startTimestamp = startTimestamp;
        _interval = interval;
        _process = process;
        _indices = indices;
        Channels = channels;
        Selection = selection;
        _reader = new Thread(ReadOutput) { IsBackground = true, Name = "trainwatt nvidia-smi reader" };
        _reader.Start();
    }

    public string Name => "nvidia-smi";

    public IReadOnlyList<MeterChannel> Channels { get; }

    /// <summary>How the GPUs were selected, with warnings.</summary>
    public GpuSelection Selection { get; }

    /// <summary>
    /// Lists the GPUs (<c>nvidia-smi --query-gpu=index,uuid,name --format=csv,noheader</c>), selects them and starts
    /// the sampling process.
    /// </summary>
    /// <exception cref="MeterUnavailableException">nvidia-smi is missing or fails (its own message is included), or the selection is invalid.</exception>
    public static NvidiaSmiMeter Open(NvidiaSmiMeterOptions options, TimeProvider time, long? startTimestamp = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var interval = options.Interval ?? TimeSpan.FromMilliseconds(100);
        if (interval < TimeSpan.FromMilliseconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"The nvidia-smi interval must be at least 1 ms, but was {interval.TotalMilliseconds} ms.");
        }

        var gpus = ListGpus(options.Executable);
        var selection = GpuSelection.Resolve(gpus.Select(g => new GpuIdentity(g.Index, g.Uuid)).ToArray(), options.Gpus, options.CudaVisibleDevices, options.CudaDeviceOrder);
        if (selection.Error is not null)
        {
            throw new GpuSelectionException(selection.Error);
        }

        if (selection.Indices.Count == 0)
        {
            throw new MeterUnavailableException("nvidia-smi", "nvidia-smi works but no GPU is selected. " + string.Join(" ", selection.Warnings),
                "Check CUDA_VISIBLE_DEVICES / --gpus.");
        }

        bool instant = KnowsInstantPower(options.Executable, selection.Indices[0]);
        string powerField = instant ? "power.draw.instant" : "power.draw";
        string note = string.Create(CultureInfo.InvariantCulture,
            $"{powerField} sampled by `nvidia-smi -lms {interval.TotalMilliseconds:0}` (NVML library not used by TrainWatt; no energy counter)") +
            (instant ? "" : "; this driver has no power.draw.instant: power.draw is a 1 s average on Ampere except GA100 and newer");
        var channels = selection.Indices
            .Select(i => gpus.First(g => g.Index == i))
            .Select(g => new MeterChannel($"gpu:{g.Index}", "gpu", g.Name, Provenance.Sampled, g.Uuid, note))
            .ToArray();

        var start = new ProcessStartInfo(options.Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add($"--query-gpu={QueryHead},{powerField},{QueryTail}");
        start.ArgumentList.Add("--format=csv");
        start.ArgumentList.Add("-lms");
        start.ArgumentList.Add(((int)interval.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add("-i");
        start.ArgumentList.Add(string.Join(",", selection.Indices.Select(i => i.ToString(CultureInfo.InvariantCulture))));
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new MeterUnavailableException("nvidia-smi", $"Cannot start {options.Executable}.", null);
        }
        catch (Win32Exception e)
        {
            throw NotFound(options.Executable, e);
        }

        return new NvidiaSmiMeter(time, startTimestamp ?? time.GetTimestamp(), interval, process, channels, selection.Indices.ToArray(), selection);
    }

    /// <summary>Tries to list the GPUs and describes the outcome for <c>trainwatt doctor</c>.</summary>
    public static MeterProbe Probe(NvidiaSmiMeterOptions options)
    {
        try
        {
            var gpus = ListGpus(options.Executable);
            var found = gpus.Select(g => $"gpu:{g.Index} {g.Name} {g.Uuid}").ToList();
            return gpus.Count == 0
                ? new MeterProbe("nvidia-smi", false, found, "nvidia-smi lists no GPU.", "Check `nvidia-smi -L`; in a container pass `--gpus all`.")
                : new MeterProbe("nvidia-smi", true, found);
        }
        catch (MeterUnavailableException e)
        {
            return e.ToProbe();
        }
    }

    /// <summary>
    /// Asks once whether the driver knows <c>power.draw.instant</c> (R530 and newer): an older nvidia-smi exits non-zero
    /// with "is not a valid field to query", and a GPU without the reading answers [N/A] or [Not Supported].
    /// </summary>
    internal static bool KnowsInstantPower(string executable, int index)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--query-gpu=power.draw.instant");
        start.ArgumentList.Add("--format=csv,noheader,nounits");
        start.ArgumentList.Add("-i");
        start.ArgumentList.Add(index.ToString(CultureInfo.InvariantCulture));
        try
        {
            using var process = Process.Start(start);
            if (process is null)
            {
                return false;
            }

            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromSeconds(15)))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            stderr.GetAwaiter().GetResult();
            string value = stdout.Trim();
            return process.ExitCode == 0 && value.Length > 0 && !value.Contains('[', StringComparison.Ordinal)
                && double.TryParse(FirstLine(value), NumberStyles.Float, CultureInfo.InvariantCulture, out _);
        }
        catch (Win32Exception)
        {
            return false;
        }
    }

    internal sealed record ListedGpu(int Index, string Uuid, string Name);

    /// <summary>Parses <c>index, uuid, name</c> lines (csv, noheader). The name is last because it may contain commas.</summary>
    internal static IReadOnlyList<ListedGpu> ParseList(string output, string executable)
    {
        var gpus = new List<ListedGpu>();
        int lineNo = 0;
        foreach (string raw in output.Split('\n'))
        {
            lineNo++;
            string line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            string[] parts = line.Split(',', 3, StringSplitOptions.TrimEntries);
            if (parts.Length != 3 || !int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int index))
            {
                throw new MeterUnavailableException("nvidia-smi",
                    $"`{executable} --query-gpu=index,uuid,name --format=csv,noheader` printed an unexpected line {lineNo}: \"{line}\" (expected \"index, uuid, name\").",
                    "Update the NVIDIA driver, or set TRAINWATT_NVIDIA_SMI to a working nvidia-smi.");
            }

            gpus.Add(new ListedGpu(index, parts[1], parts[2]));
        }

        return gpus;
    }

    private static IReadOnlyList<ListedGpu> ListGpus(string executable)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--query-gpu=index,uuid,name");
        start.ArgumentList.Add("--format=csv,noheader");
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new MeterUnavailableException("nvidia-smi", $"Cannot start {executable}.", null);
        }
        catch (Win32Exception e)
        {
            throw NotFound(executable, e);
        }

        using (process)
        {
            var stderrTask = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromSeconds(15)))
            {
                process.Kill(entireProcessTree: true);
                throw new MeterUnavailableException("nvidia-smi", $"{executable} did not answer within 15 s.",
                    "Check the driver with `nvidia-smi` and the kernel log (`sudo dmesg | grep -i nvrm`).");
            }

            string stderr = stderrTask.GetAwaiter().GetResult();
            if (process.ExitCode != 0)
            {
                string message = FirstLine(stdout.Trim().Length > 0 ? stdout : stderr);
                throw new MeterUnavailableException("nvidia-smi",
                    $"{executable} failed with exit code {process.ExitCode}: {message}",
                    message.Contains("driver", StringComparison.OrdinalIgnoreCase)
                        ? NvmlErrors.Fix(NvmlReturn.DriverNotLoaded)
                        : "Run `nvidia-smi` by hand to see the problem; reinstalling the NVIDIA driver usually fixes it.");
            }

            return ParseList(stdout, executable);
        }
    }

    private static string FirstLine(string text)
    {
        string t = text.Trim();
        int nl = t.IndexOf('\n');
        return nl < 0 ? t : t[..nl].Trim();
    }

    private static MeterUnavailableException NotFound(string executable, Exception inner)
        => new("nvidia-smi",
            $"Cannot run {executable}: not found on PATH or not executable.",
            "Install the NVIDIA driver (it ships nvidia-smi); in a container use the NVIDIA Container Toolkit (`docker run --gpus all`, " +
            $"NVIDIA_DRIVER_CAPABILITIES including `utility`), or set {NvidiaSmiMeterOptions.ExecutableEnvironmentVariable}=/path/to/nvidia-smi.",
            inner);

    private void ReadOutput()
    {
        var output = _process.StandardOutput;
        NvidiaSmiCsvParser? parser = null;
        InterleavedGpuCheck? single = null;
        int lineNo = 0;
        try
        {
            while (output.ReadLine() is { } line)
            {
                lineNo++;
                if (line.Trim().Length == 0)
                {
                    continue;
                }

                if (parser is null)
                {
                    if (!NvidiaSmiCsvParser.TryCreate(line, "nvidia-smi output", null, out parser, out var headerFault, lineNo))
                    {
                        SetStreamError("unexpected nvidia-smi output: " + headerFault.Message);
                        return;
                    }

                    parser.SharedIndexHint = SharedIndexHint;
                    if (!parser.HasDeviceColumn && _indices.Length > 1)
                    {
                        Fault(lineNo, string.Create(CultureInfo.InvariantCulture,
                            $"has no index or pci.bus_id column (header '{line.Trim()}'), but {_indices.Length} GPUs are selected: their lines cannot be told apart, and read as one device their powers would be averaged. ") +
                            "Set TRAINWATT_NVIDIA_SMI to an nvidia-smi that honours --query-gpu, select one GPU (--gpus), or use the nvml meter.");
                        return;
                    }

                    single = parser.HasDeviceColumn ? null : new InterleavedGpuCheck();
                    continue;
                }

                if (line.StartsWith(parser.Columns[0], StringComparison.Ordinal))
                {
                    continue; // nvidia-smi may repeat the header
                }

                if (!parser.TryParseLine(line, lineNo, out var sample, out string device, out string? name, out _))
                {
                    continue;
                }

                if (parser.TakeDeviceNotice() is { } shared)
                {
                    lock (_lock)
                    {
                        _faults.Add(shared.ToString());
                    }
                }

                if (single is not null)
                {
                    // No index column and one GPU selected: every line is that GPU's, unless they interleave several.
                    single.Add(sample.Timestamp.Ticks, lineNo);
                    if ((single.NameChange(name, lineNo) ?? single.Verdict()) is { } interleaved)
                    {
                        Fault(lineNo, interleaved);
                        return;
                    }

                    device = _indices[0].ToString(CultureInfo.InvariantCulture);
                }

                long now = _time.GetTimestamp();
                lock (_lock)
                {
                    _latest[device] = (sample, now);
                }
            }
        }
        catch (ObjectDisposedException)
        {
            return; // disposed while reading
        }
        catch (IOException e)
        {
            SetStreamError("reading nvidia-smi output failed: " + e.Message);
            return;
        }

        if (!_disposed)
        {
            string stderr = _process.StandardError.ReadToEnd();
            _process.WaitForExit(1000);
            string code = _process.HasExited ? _process.ExitCode.ToString(CultureInfo.InvariantCulture) : "?";
            SetStreamError($"nvidia-smi exited (code {code}){(stderr.Trim().Length > 0 ? ": " + FirstLine(stderr) : "")}");
        }
    }

    /// <summary>
    /// A fault that makes the output unusable from <paramref name="lineNo"/> on: reported once (<see cref="TakeFaults"/>),
    /// and every later reading is an error with its message (the values already taken stay; none are averaged in later).
    /// </summary>
    private void Fault(int lineNo, string message)
    {
        string text = string.Create(CultureInfo.InvariantCulture, $"nvidia-smi output:{lineNo}: {message}");
        lock (_lock)
        {
            _faults.Add(text);
            _streamError = text;
            _latest.Clear();
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> TakeFaults()
    {
        lock (_lock)
        {
            if (_faults.Count == 0)
            {
                return [];
            }

            var taken = _faults.ToArray();
            _faults.Clear();
            return taken;
        }
    }

    private void SetStreamError(string message)
    {
        lock (_lock)
        {
            _streamError = message;
        }
    }

    public MeterReading Read()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var timestamp = _time.GetUtcNow();
        long now = _time.GetTimestamp();
        var elapsed = _time.GetElapsedTime(_startTimestamp, now);
        var maxAge = TimeSpan.FromTicks(Math.Max(3 * _interval.Ticks, TimeSpan.FromSeconds(2).Ticks));
        var readings = new ChannelReading[Channels.Count];
        lock (_lock)
        {
            for (int i = 0; i < readings.Length; i++)
            {
                string id = Channels[i].Id;
                string key = _indices[i].ToString(CultureInfo.InvariantCulture);
                if (!_latest.TryGetValue(key, out var latest))
                {
                    readings[i] = new ChannelReading(id, null, null, Error: _streamError ?? "no sample from nvidia-smi yet");
                    continue;
                }

                var age = _time.GetElapsedTime(latest.ReceivedAt, now);
                if (age > maxAge)
                {
                    readings[i] = new ChannelReading(id, null, null,
                        Error: (_streamError ?? "nvidia-smi stopped printing") + string.Create(CultureInfo.InvariantCulture, $"; last sample {age.TotalSeconds:0.0} s old"));
                    continue;
                }

                var s = latest.Sample;
                readings[i] = new ChannelReading(id, s.Power, null, s.UtilizationPercent, s.MemoryUsedMiB, s.TemperatureCelsius,
                    s.Power is null ? "nvidia-smi reports power.draw as [N/A] or [Not Supported] for this GPU" : null);
            }
        }

        return new MeterReading(timestamp, elapsed, readings);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already exited between the check and the kill.
        }

        _reader.Join(TimeSpan.FromSeconds(2));
        _process.Dispose();
    }
}
