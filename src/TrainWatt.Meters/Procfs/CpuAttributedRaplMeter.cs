using TrainWatt.Core;
using TrainWatt.Core.Attribution;
using TrainWatt.Core.Units;

namespace TrainWatt.Meters.Procfs;

/// <summary>
/// The RAPL meter with its CPU package channels charged to the run by the process tree's share of the machine's CPU
/// time (<see cref="CpuAttribution.Process"/>) or whole (<see cref="CpuAttribution.Machine"/>). DRAM and psys
/// channels pass through unchanged (machine-wide). Channels, ids and provenance (counter) are the inner meter's.
/// </summary>
/// <remarks>
/// At each reading the counter's increase since the last one is multiplied by the share
/// <see cref="CpuTimeShare.Of"/>(tree ticks, busy ticks) over a trailing window of at least one second (the ticks of a
/// 100 ms interval are too few to divide: USER_HZ is 100), read from the process meter at the same moment. The charged
/// energy is a sum of non-negative parts, so it is a monotonic cumulative value like the counter it comes from.
/// </remarks>
public sealed class CpuAttributedRaplMeter : IRateIndependentMeter, ICpuAttributedMeter
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    private readonly IMeter _inner;
    private readonly ProcessTreeMeter _process;
    private readonly TimeProvider _time;
    private readonly bool[] _isCpu;
    private readonly double[] _lastMachineJ;
    private readonly double[] _processJ;
    private readonly bool[] _hasLast;
    private readonly Queue<(long Timestamp, long Tree, long Busy)> _window = new();
    private CpuEnergyTotals _totals;
    private volatile int _attribution;

    /// <param name="inner">The RAPL meter (any counter meter whose "cpu" channels are the CPU packages).</param>
    /// <param name="process">The process meter that reads the tree's and the machine's CPU time.</param>
    /// <param name="time">The clock of the share window.</param>
    /// <param name="attribution">The mode until <see cref="Attribution"/> is set.</param>
    public CpuAttributedRaplMeter(IMeter inner, ProcessTreeMeter process, TimeProvider time, CpuAttribution attribution = CpuAttribution.Machine)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(process);
        ArgumentNullException.ThrowIfNull(time);
        _inner = inner;
        _process = process;
        _time = time;
        Channels = [.. inner.Channels.Select(c => c.Component == "cpu"
            ? c with { Note = (c.Note is null ? "" : c.Note + "; ") + "under --cpu-attribution process × the process tree's share of the machine's CPU time (/proc)" }
            : c)];
        _isCpu = [.. Channels.Select(c => c.Component == "cpu")];
        _lastMachineJ = new double[_isCpu.Length];
        _processJ = new double[_isCpu.Length];
        _hasLast = new bool[_isCpu.Length];
        _attribution = (int)attribution;
    }

    public string Name => _inner.Name;

    public IReadOnlyList<MeterChannel> Channels { get; }

    /// <inheritdoc/>
    public CpuAttribution Attribution
    {
        get => (CpuAttribution)_attribution;
        set => _attribution = (int)value;
    }

    /// <inheritdoc/>
    public Provenance CpuProvenance => Provenance.Counter;

    /// <inheritdoc/>
    public CpuEnergyTotals CpuTotals => _totals;

    public MeterReading Read()
    {
        var reading = _inner.Read();
        double share = Share();
        bool process = Attribution == CpuAttribution.Process;
        var channels = new ChannelReading[reading.Channels.Count];
        double machineJ = 0, processJ = 0;
        for (int i = 0; i < channels.Length; i++)
        {
            var c = reading.Channels[i];
            channels[i] = c;
            if (i >= _isCpu.Length || !_isCpu[i])
            {
                continue;
            }

            if (c.CumulativeEnergy is Energy cumulative)
            {
                double delta = _hasLast[i] ? Math.Max(0, cumulative.Joules - _lastMachineJ[i]) : cumulative.Joules;
                _processJ[i] += delta * share;
                _lastMachineJ[i] = cumulative.Joules;
                _hasLast[i] = true;
                if (process)
                {
                    channels[i] = c with { CumulativeEnergy = Energy.FromJoules(_processJ[i]), Power = c.Power is Power p ? p * share : null };
                }
            }
            else if (process)
            {
                channels[i] = c with { Power = c.Power is Power p ? p * share : null };
            }

            machineJ += _lastMachineJ[i];
            processJ += _processJ[i];
        }

        _totals = new CpuEnergyTotals(Energy.FromJoules(machineJ), Energy.FromJoules(processJ));
        return reading with { Channels = channels };
    }

    /// <summary>The tree's share of the machine's busy CPU time over the trailing window of at least one second (0 before two readings).</summary>
    private double Share()
    {
        if (_process.ReadCpuTimes() is not { } now)
        {
            return 0;
        }

        long timestamp = _time.GetTimestamp();
        _window.Enqueue((timestamp, now.TreeTicks, now.BusyTicks));
        while (_window.Count > 2 && _time.GetElapsedTime(_window.ElementAt(1).Timestamp, timestamp) >= Window)
        {
            _window.Dequeue();
        }

        var oldest = _window.Peek();
        return CpuTimeShare.Of(now.TreeTicks - oldest.Tree, now.BusyTicks - oldest.Busy);
    }

    public void Dispose() => _inner.Dispose();
}
