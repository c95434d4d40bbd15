namespace TrainWatt.Core.Traces;

/// <summary>
/// For nvidia-smi output without an index or bus id column, whose lines all go to one device: evidence that they come
/// from several GPUs, whose powers the integration would then average. Two signs: the GPU name changes, or many
/// intervals between lines are 0 s or under a tenth of a neighbouring interval (nvidia-smi writes one line per GPU
/// per tick, with the same or nearly the same time stamp). One GPU's trace shows neither: in the 309 SEAA 2023
/// traces no interval is under a tenth of a neighbour's; a duplicated line or two stay under the threshold.
/// </summary>
/// <remarks>
/// One check for both readers of nvidia-smi output: <see cref="NvidiaSmiCsv"/> (a recorded trace: <see cref="Complete"/>
/// at its end) and the live nvidia-smi meter (<see cref="Verdict"/> after each line). Messages start with the verb
/// ("has no index column, ...") so each caller puts its source in front ("run.csv: ", "nvidia-smi output ").
/// Not thread-safe: one check per stream.
/// </remarks>
public sealed class InterleavedGpuCheck
{
    private string? _name;
    private int _nameLine;
    private long _lastTicks = long.MinValue;
    private long _before = -1; // the interval before _pending, or -1
    private long _pending = -1; // the latest interval, decided when the next one is known
    private int _pendingLine;
    private int _intervals;
    private int _short;
    private int _firstShortLine;

    /// <summary>
    /// Records the GPU name of a line (null when the output has none); returns the problem when it differs from the
    /// first line's name: the lines come from several GPUs.
    /// </summary>
    public string? NameChange(string? name, int line)
    {
        if (name is null)
        {
            return null;
        }

        if (_name is null)
        {
            (_name, _nameLine) = (name, line);
            return null;
        }

        return ReferenceEquals(name, _name) || name == _name
            ? null
            : $"GPU name changes from '{_name}' (line {_nameLine}) to '{name}' but the trace has no index column: its lines come from several GPUs, " +
              "whose powers would be averaged as one. Record with --query-gpu=timestamp,index,pci.bus_id,power.draw,... (add the index column), or split the file per GPU.";
    }

    /// <summary>Records the time stamp (ticks) of the next line.</summary>
    public void Add(long ticks, int line)
    {
        long previous = _lastTicks;
        _lastTicks = ticks;
        if (previous == long.MinValue || ticks < previous)
        {
            // Time going back is judged by the integration; it starts a new run of intervals here.
            (_before, _pending) = (-1, -1);
            return;
        }

        long interval = ticks - previous;
        if (_pending >= 0)
        {
            Decide(Math.Max(_before, interval));
        }

        (_before, _pending, _pendingLine) = (_pending, interval, line);
        _intervals++;
    }

    /// <summary>
    /// The verdict on the intervals decided so far (each is judged once the next is known), for a stream still being
    /// read: the problem once the lines interleave several GPUs, else null.
    /// </summary>
    public string? Verdict()
        => _short >= 3 && _short * 4 >= _intervals
            ? $"has no index column, but its lines interleave several GPUs ({_short} of {_intervals} intervals between lines are 0 s or under a tenth " +
              $"of a neighbouring interval, first at line {_firstShortLine}): read as one device their powers would be averaged. " +
              "Record with --query-gpu=timestamp,index,pci.bus_id,power.draw,... (add the index column), or split the file per GPU."
            : null;

    /// <summary>At the end of the output: judges the last interval too and gives the <see cref="Verdict"/>.</summary>
    public string? Complete()
    {
        if (_pending >= 0)
        {
            Decide(_before);
            _pending = -1;
        }

        return Verdict();
    }

    private void Decide(long neighbour)
    {
        if (_pending == 0 || _pending < neighbour / 10)
        {
            if (_short++ == 0)
            {
                _firstShortLine = _pendingLine;
            }
        }
    }
}
