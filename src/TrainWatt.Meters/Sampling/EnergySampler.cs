using TrainWatt.Core;
using TrainWatt.Core.Accounting;
using TrainWatt.Core.Units;

namespace TrainWatt.Meters.Sampling;

/// <summary>
/// Reads every channel of a set of meters on a fixed interval and at every epoch boundary, integrates energy per
/// channel, cuts it into epochs and hands samples to an <see cref="IMeasurementSink"/> in batches.
/// </summary>
/// <remarks>
/// <para>Integration: a <see cref="Provenance.Counter"/> channel's energy is its cumulative counter minus the first
/// counter value of the run (the meter handles wrap-around); a <see cref="Provenance.Sampled"/> or
/// <see cref="Provenance.Model"/> channel's energy is the trapezoid integral of its power over the sampler's own
/// monotonic clock. A reading that lacks a value is skipped: a counter keeps its last value, the trapezoid bridges
/// the missing reading linearly. Times come from the injected <see cref="TimeProvider"/> (the midpoint of each
/// <see cref="IMeter.Read"/> call), not from <see cref="MeterReading.Elapsed"/>.</para>
/// <para>Gaps: an interval between two consecutive power values of a channel that <see cref="SampleGapRule"/> calls
/// a gap for this sampling interval (longer than max(5 s, 3 × interval): the sampler's thread stalled, or the meter
/// gave no value for that long) is not integrated; its length is counted in <see cref="ChannelTotal.ExcludedDuration"/>
/// and a note says so, and the channel's energy is then a lower bound over the measured time. This is the rule the
/// store applies when it recomputes a run's energy from its samples, so the measure summary, <c>runs show</c> and the
/// exports agree. Counter channels are unaffected: their counter counts through any stall.</para>
/// <para>Epochs: <see cref="EpochEnded"/> and <see cref="EpochStarted"/> take a reading at once (as Zeus reads its
/// counters in <c>begin_epoch</c>/<c>end_epoch</c>), so an epoch's energy does not depend on the sampling phase.
/// An epoch runs from the last boundary (the previous end, or an explicit start, or the run start) to its end. Epoch
/// numbers reach the sink strictly increasing: an end whose number is not above the last recorded one is ignored.</para>
/// <para>Thread-safety: every public member may be called from any thread; readings, epoch marks and sink calls are
/// serialised by one lock. Steady-state sampling allocates nothing beyond what the meters' readings allocate.</para>
/// </remarks>
public sealed class EnergySampler : IAsyncDisposable
{
    /// <summary>Reads faster than this are never re-taken: their midpoint is good to half a millisecond anyway.</summary>
    private static readonly TimeSpan SlowReadFloor = TimeSpan.FromMilliseconds(1);

    private readonly IMeter[] _meters;
    private readonly int[] _meterFirstChannel;
    private readonly MeterChannel[] _channels;
    private readonly bool[] _isCounter;
    private readonly TimeProvider _time;
    private readonly SamplerOptions _options;
    private readonly IMeasurementSink? _sink;
    private readonly Action<string> _report;
    private readonly Lock _gate = new();

    private readonly double[] _energyJ;
    private readonly double[] _sampledJ;
    private readonly bool[] _errorNoted;
    private readonly double[] _firstCounterJ;
    private readonly bool[] _hasFirstCounter;
    private readonly double[] _prevPowerW;
    private readonly long[] _prevTicks;
    private readonly long[] _excludedTicks;
    private readonly SampleGapRule _gapRule;
    private readonly bool[] _hasPrevPower;
    private readonly double[] _lastPowerW;
    private readonly bool[] _hasLastPower;
    private readonly bool[] _meterFailed;
    private readonly double[] _boundaryJ;
    private readonly long[] _typicalReadTicks;

    private readonly List<MeasuredEpoch> _epochs = [];
    private readonly List<string> _notes = [];
    private readonly List<string> _gapChannels = [];
    private long _readingGapTicks;
    private long _readingGapFromTicks;
    private int _gapNotes;
    private int _repeatedEpochNotes;
    private ChannelSample[] _buffer;
    private int _buffered;
    private TimeSpan _lastFlush;
    private TimeSpan _boundaryAt;
    private bool _explicitStartSeen;
    private int? _openEpoch;
    private int? _totalEpochs;
    private long _startTimestamp;
    private DateTimeOffset _startedAt;
    private TimeSpan _lastElapsed;
    private long _readings;
    private long _readingsAtLastEnd = -1;
    private bool _sinkFailed;
    private bool _started;
    private bool _stopped;
    private IntervalThread? _loop;
    private readonly bool _useBuffers;
    private readonly TimeSpan[] _meterLastElapsed;
    private readonly List<MeterReading> _between = [];
    private bool _bufferFailed;

    /// <param name="meters">The meters to read; their channels are numbered in order.</param>
    /// <param name="time">Clock for the interval and for every timestamp.</param>
    /// <param name="options">Interval and flush interval.</param>
    /// <param name="sink">Where samples and epochs go; null keeps them in memory only.</param>
    /// <param name="report">Receives one-line diagnostics (a meter or the sink failing) as they happen.</param>
    public EnergySampler(
        IReadOnlyList<IMeter> meters,
        TimeProvider time,
        SamplerOptions options,
        IMeasurementSink? sink = null,
        Action<string>? report = null)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _meters = [.. meters];
        _time = time;
        _options = options;
        _sink = sink;
        _report = report ?? (_ => { });

        // Every meter keeps its own samples (NVML's driver buffer) and the interval is under a second: wake once a
        // second and take the readings in between from the buffers (IBufferedMeter), instead of waking every interval.
        // Meters whose energy does not depend on the read rate (RAPL counters, the process meter's models) are then read
        // once a second too; any other meter makes the loop poll every interval.
        _useBuffers = options.UseSampleBuffers && options.Interval < BufferedReadPeriod
            && _meters.Any(m => m is IBufferedMeter { HasSampleBuffer: true })
            && _meters.All(m => m is IBufferedMeter { HasSampleBuffer: true } || m is IRateIndependentMeter);
        if (_useBuffers)
        {
            foreach (var meter in _meters)
            {
                (meter as IBufferedMeter)?.UseSampleBuffer(options.Interval);
            }
        }

        _meterLastElapsed = new TimeSpan[_meters.Length];
        var channels = new List<MeterChannel>();
        _meterFirstChannel = new int[_meters.Length];
        for (int m = 0; m < _meters.Length; m++)
        {
            _meterFirstChannel[m] = channels.Count;
            channels.AddRange(_meters[m].Channels);
        }

        _channels = [.. channels];
        int n = _channels.Length;
        _isCounter = new bool[n];
        for (int i = 0; i < n; i++)
        {
            _isCounter[i] = _channels[i].Provenance == Provenance.Counter;
        }

        _energyJ = new double[n];
        _sampledJ = new double[n];
        _errorNoted = new bool[n];
        _firstCounterJ = new double[n];
        _hasFirstCounter = new bool[n];
        _prevPowerW = new double[n];
        _prevTicks = new long[n];
        _excludedTicks = new long[n];
        _gapRule = SampleGapRule.ForInterval(options.Interval);
        _hasPrevPower = new bool[n];
        _lastPowerW = new double[n];
        _hasLastPower = new bool[n];
        _meterFailed = new bool[_meters.Length];
        _boundaryJ = new double[n];
        _typicalReadTicks = new long[_meters.Length];

        // Room for one flush interval of samples plus slack; grows only if flushing falls behind.
        int perFlush = (int)Math.Ceiling(options.FlushInterval / options.Interval) + 2;
        _buffer = new ChannelSample[Math.Max(16, perFlush * Math.Max(1, n))];
    }

    /// <summary>How often the loop wakes when every meter reads from its hardware's sample buffer (<see cref="UsesSampleBuffers"/>).</summary>
    public static readonly TimeSpan BufferedReadPeriod = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often samples reach the sink at least when <see cref="UsesSampleBuffers"/>: every second read. Each batch costs
    /// the store a transaction and its writer thread a wake-up, a fixed cost of about 0.2 ms of CPU on the development
    /// VM (docs/benchmarks.md, issue 21 "Overhead"); a SIGKILL then loses at most about 3 s of readings.
    /// </summary>
    public static readonly TimeSpan BufferedFlushInterval = TimeSpan.FromSeconds(2);

    /// <summary>How often samples reach the sink at least: <see cref="SamplerOptions.FlushInterval"/>, or <see cref="BufferedFlushInterval"/> when that is longer and the buffers are used.</summary>
    public TimeSpan EffectiveFlushInterval => _useBuffers && BufferedFlushInterval > _options.FlushInterval ? BufferedFlushInterval : _options.FlushInterval;

    /// <summary>
    /// True when the loop wakes every <see cref="BufferedReadPeriod"/> and the readings in between come from the meters'
    /// own sample buffers (at least one meter is an <see cref="IBufferedMeter"/> with a buffer, every other one an
    /// <see cref="IRateIndependentMeter"/>, the interval is shorter, and <see cref="SamplerOptions.UseSampleBuffers"/> is
    /// on); false when it wakes every interval.
    /// </summary>
    public bool UsesSampleBuffers => _useBuffers;

    /// <summary>Which intervals between a channel's power values are gaps (not integrated): the rule for this sampling interval.</summary>
    public SampleGapRule GapRule => _gapRule;

    /// <summary>Every channel, in the order samples and epoch energies use.</summary>
    public IReadOnlyList<MeterChannel> Channels => _channels;

    /// <summary>When <see cref="Start"/> was called (wall clock).</summary>
    public DateTimeOffset StartedAt => _startedAt;

    /// <summary>Monotonic time since <see cref="Start"/>.</summary>
    public TimeSpan Elapsed => _started ? _time.GetElapsedTime(_startTimestamp) : TimeSpan.Zero;

    /// <summary>Readings taken so far (interval and boundary readings).</summary>
    public long ReadingCount
    {
        get
        {
            lock (_gate)
            {
                return _readings;
            }
        }
    }

    /// <summary>Takes the first reading (elapsed zero) and starts the interval loop.</summary>
    /// <param name="runLoop">False leaves interval readings to the caller (<see cref="SampleNow"/>); tests use this.</param>
    public void Start(bool runLoop = true)
    {
        lock (_gate)
        {
            if (_started)
            {
                throw new InvalidOperationException("The sampler has already been started.");
            }

            _started = true;

            // A first, unused read warms every meter up (JIT, P/Invoke stubs, file handles), so that the timed
            // readings below take microseconds and their midpoint is when the hardware was really read.
            PrimeMetersLocked();

            // The first reading defines elapsed zero: the origin is the midpoint of that reading, and the wall-clock
            // start is taken at the same instant.
            long before = _time.GetTimestamp();
            _startTimestamp = before;
            ReadAllLocked(atZero: true);
            long after = _time.GetTimestamp();
            _startTimestamp = before + ((after - before) / 2);
            _startedAt = _time.GetUtcNow() - _time.GetElapsedTime(_startTimestamp, after);
            for (int i = 0; i < _buffered; i++)
            {
                _buffer[i] = _buffer[i] with { Timestamp = _startedAt + _buffer[i].Elapsed };
            }
        }

        if (runLoop)
        {
            StartLoop();
        }
    }

    /// <summary>Starts the interval loop after <c>Start(runLoop: false)</c> (e.g. once the sink knows the run).</summary>
    public void StartLoop()
    {
        if (!_started || _loop is not null)
        {
            throw new InvalidOperationException("StartLoop needs a started sampler without a running loop.");
        }

        // A dedicated thread, not a PeriodicTimer on the thread pool: one wake-up per tick (IntervalThread).
        _loop = new IntervalThread("trainwatt sampler", _useBuffers ? BufferedReadPeriod : _options.Interval, _time, SampleNow);
        _loop.Start();
    }

    /// <summary>Takes one reading now (the loop calls this every interval).</summary>
    public void SampleNow()
    {
        lock (_gate)
        {
            if (_started && !_stopped)
            {
                ReadAllLocked();
                if (_lastElapsed - _lastFlush + _options.Interval >= EffectiveFlushInterval)
                {
                    FlushLocked();
                }
            }
        }
    }

    /// <summary>Epoch <paramref name="number"/> starts now: reads the meters and moves the epoch start here.</summary>
    /// <param name="number">1-based epoch number.</param>
    /// <param name="total">Planned epochs when known.</param>
    /// <param name="tentative">A guessed start (bare progress bar): used only if nothing explicit has started or ended an epoch yet.</param>
    public void EpochStarted(int number, int? total, bool tentative = false)
    {
        lock (_gate)
        {
            if (!_started || _stopped || (tentative && (_explicitStartSeen || _epochs.Count > 0)))
            {
                return;
            }

            if (_readings != _readingsAtLastEnd)
            {
                ReadAllLocked(); // a start right after an end (same output line) shares the end's reading: no gap
            }

            _explicitStartSeen |= !tentative;
            _openEpoch = number;
            _totalEpochs = total ?? _totalEpochs;
            SetBoundaryLocked();
        }
    }

    /// <summary>Epoch <paramref name="number"/> ends now: reads the meters, records the epoch, sends it to the sink.</summary>
    /// <param name="number">1-based epoch number.</param>
    /// <param name="total">Planned epochs when known.</param>
    /// <param name="samples">Training samples in the epoch when known.</param>
    /// <param name="atExit">True when the command's exit ended it.</param>
    /// <returns>The recorded epoch, or null when the sampler is not running.</returns>
    public MeasuredEpoch? EpochEnded(int number, int? total, long? samples, bool atExit = false)
    {
        lock (_gate)
        {
            if (!_started || _stopped)
            {
                return null;
            }

            if (_epochs.Count > 0 && number <= _epochs[^1].Number)
            {
                // The store keys epochs by number: a repeat would be refused there. The epoch in progress goes on.
                if (_repeatedEpochNotes++ < 3)
                {
                    Note($"epoch {number} ended after epoch {_epochs[^1].Number} was recorded; it is not recorded again.");
                }

                return null;
            }

            ReadAllLocked();
            var energies = new Energy[_channels.Length];
            for (int i = 0; i < energies.Length; i++)
            {
                energies[i] = Energy.FromJoules(_energyJ[i] - _boundaryJ[i]);
            }

            _totalEpochs = total ?? _totalEpochs;
            double runJoules = 0;
            foreach (double joules in _energyJ)
            {
                runJoules += joules;
            }

            var epoch = new MeasuredEpoch(number, _boundaryAt, _lastElapsed, energies, samples, _totalEpochs, atExit)
            {
                RunEnergyAtStart = Array.ConvertAll(_boundaryJ, Energy.FromJoules),
                RunEnergy = Energy.FromJoules(runJoules),
            };
            _epochs.Add(epoch);
            _readingsAtLastEnd = _readings;
            _openEpoch = null;
            SetBoundaryLocked();
            CallSink(static (sink, e) => sink.RecordEpoch(e), epoch);
            return epoch;
        }
    }

    /// <summary>Passes a run metric to the sink, serialised with the samples.</summary>
    public void RecordMetric(string name, double value)
    {
        lock (_gate)
        {
            if (!_started || _stopped)
            {
                return;
            }

            var elapsed = Elapsed;
            CallSink((sink, m) => sink.RecordMetric(m.name, m.value, elapsed), (name, value));
        }
    }

    /// <summary>A consistent copy of the current state, for a live view.</summary>
    public SamplerSnapshot Snapshot()
    {
        lock (_gate)
        {
            var channels = new ChannelStatus[_channels.Length];
            for (int i = 0; i < channels.Length; i++)
            {
                channels[i] = new ChannelStatus(
                    _channels[i],
                    _hasLastPower[i] ? Power.FromWatts(_lastPowerW[i]) : null,
                    Energy.FromJoules(_energyJ[i]),
                    IsValidLocked(i));
            }

            return new SamplerSnapshot(_lastElapsed, channels, _openEpoch, _epochs.Count, _totalEpochs);
        }
    }

    /// <summary>Stops the loop, takes a last reading, flushes, and returns the totals.</summary>
    public async Task<SamplerResult> StopAsync()
    {
        if (_loop is not null)
        {
            await _loop.StopAsync().ConfigureAwait(false);
        }

        lock (_gate)
        {
            if (!_started)
            {
                throw new InvalidOperationException("The sampler was never started.");
            }

            if (!_stopped)
            {
                ReadAllLocked();
                FlushLocked();
                _stopped = true;
            }

            var totals = new ChannelTotal[_channels.Length];
            for (int i = 0; i < totals.Length; i++)
            {
                totals[i] = new ChannelTotal(_channels[i], Energy.FromJoules(_energyJ[i]), IsValidLocked(i), null)
                {
                    ExcludedDuration = _isCounter[i] ? TimeSpan.Zero : TimeSpan.FromTicks(_excludedTicks[i]),
                    SampledEnergy = _isCounter[i] && _hasPrevPower[i] && _prevTicks[i] > 0 ? Energy.FromJoules(_sampledJ[i]) : null,
                };
            }

            return new SamplerResult(_lastElapsed, totals, [.. _epochs], _totalEpochs, [.. _notes], _readings);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_loop is not null)
        {
            await _loop.StopAsync().ConfigureAwait(false);
        }
    }

    private void PrimeMetersLocked()
    {
        // Two reads: the first pays for JIT and first-touch costs, the second shows the meter's usual read time.
        long origin = _time.GetTimestamp();
        for (int m = 0; m < _meters.Length; m++)
        {
            for (int pass = 0; pass < 2 && !_meterFailed[m]; pass++)
            {
                var before = _time.GetElapsedTime(origin);
                try
                {
                    _meters[m].Read();
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    _meterFailed[m] = true;
                    Note($"meter {_meters[m].Name} failed on its first reading and is not used: {ex.Message}");
                }

                _typicalReadTicks[m] = (_time.GetElapsedTime(origin) - before).Ticks;
            }
        }
    }

    private bool IsValidLocked(int i) => _isCounter[i] ? _hasFirstCounter[i] : _hasPrevPower[i];

    private void SetBoundaryLocked()
    {
        _boundaryAt = _lastElapsed;
        Array.Copy(_energyJ, _boundaryJ, _energyJ.Length);
    }

    private void ReadAllLocked(bool atZero = false)
    {
        for (int m = 0; m < _meters.Length; m++)
        {
            if (_meterFailed[m])
            {
                continue;
            }

            if (_useBuffers && !atZero && _meters[m] is IBufferedMeter)
            {
                ReadBufferedLocked(m);
            }

            if (!TryReadLocked(m, out var reading, out var before, out var after))
            {
                continue;
            }

            var took = after - before;
            if (took > SlowReadFloor && took.Ticks > 4 * _typicalReadTicks[m])
            {
                // Far slower than usual: the thread was most likely descheduled inside Read, so the instant the
                // hardware was read is uncertain by half of `took`. Read once more and keep the tighter reading.
                if (!TryReadLocked(m, out var again, out var before2, out var after2))
                {
                    continue;
                }

                if (after2 - before2 < took)
                {
                    (reading, before, after) = (again, before2, after2);
                    took = after - before;
                }
            }

            // Exponential average of the read time (1/8 weight), the yardstick for "far slower than usual".
            _typicalReadTicks[m] += (took.Ticks - _typicalReadTicks[m]) / 8;
            var elapsed = atZero ? TimeSpan.Zero : before + (took / 2);
            if (elapsed > _lastElapsed)
            {
                _lastElapsed = elapsed;
            }

            Integrate(m, reading, elapsed);
            _meterLastElapsed[m] = elapsed;
        }

        if (_gapChannels.Count > 0)
        {
            NoteGapLocked();
        }

        _readings++;
    }

    /// <summary>The readings meter <paramref name="m"/>'s sample buffer holds since its last reading, each integrated and stored at its own time.</summary>
    private void ReadBufferedLocked(int m)
    {
        var now = _time.GetElapsedTime(_startTimestamp);
        _between.Clear();
        try
        {
            ((IBufferedMeter)_meters[m]).ReadBuffered(_startedAt, _startedAt + _meterLastElapsed[m], _startedAt + now, _options.Interval, _between);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The buffer is an extra: the reading itself (counters, power) follows; the note says what was lost.
            _between.Clear();
            if (!_bufferFailed)
            {
                _bufferFailed = true;
                Note($"meter {_meters[m].Name}: its sample buffer could not be read ({ex.Message}); readings between its reads are missing from then on where it fails.");
            }
        }

        foreach (var reading in _between)
        {
            var elapsed = reading.Timestamp - _startedAt;
            if (elapsed <= _meterLastElapsed[m] || elapsed >= now)
            {
                continue; // outside this stretch (the buffer's clock and ours disagree): never out of order
            }

            if (elapsed > _lastElapsed)
            {
                _lastElapsed = elapsed;
            }

            Integrate(m, reading, elapsed);
            _meterLastElapsed[m] = elapsed;
            _readings++;
        }
    }

    private void NoteGapLocked()
    {
        const int MaxGapNotes = 10;
        if (_gapNotes < MaxGapNotes)
        {
            var from = TimeSpan.FromTicks(_readingGapFromTicks);
            var length = TimeSpan.FromTicks(_readingGapTicks);
            Note(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"no power value of {string.Join(", ", _gapChannels)} for {length.TotalSeconds:0.0} s (from {from.TotalSeconds:0.0} s; {_gapRule} are not integrated): that time is left out of their energy, which is a lower bound; energy counters are unaffected."));
        }
        else if (_gapNotes == MaxGapNotes)
        {
            Note("more gaps without power values were left out; they are not listed.");
        }

        _gapNotes++;
        _gapChannels.Clear();
        _readingGapTicks = 0;
    }

    private bool TryReadLocked(int m, out MeterReading reading, out TimeSpan before, out TimeSpan after)
    {
        before = _time.GetElapsedTime(_startTimestamp);
        try
        {
            reading = _meters[m].Read();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // IMeter.Read throws only when the whole meter is gone: stop using it, keep the others, say so.
            _meterFailed[m] = true;
            Note($"meter {_meters[m].Name} stopped working at {before.TotalSeconds:F1} s and is no longer read: {ex.Message}");
            reading = null!;
            after = before;
            return false;
        }

        after = _time.GetElapsedTime(_startTimestamp);
        if (_meters[m] is IMeterFaults source)
        {
            foreach (string fault in source.TakeFaults())
            {
                Note($"meter {_meters[m].Name}: {fault}");
            }
        }

        return true;
    }

    private void Integrate(int meter, MeterReading reading, TimeSpan elapsed)
    {
        int first = _meterFirstChannel[meter];
        int count = Math.Min(reading.Channels.Count, _meters[meter].Channels.Count);
        var timestamp = _startedAt + elapsed;
        for (int k = 0; k < count; k++)
        {
            int i = first + k;
            var value = reading.Channels[k];
            if (value.Power is Power p)
            {
                _lastPowerW[i] = p.Watts;
                _hasLastPower[i] = true;
            }

            if (value.Error is { } error && !_errorNoted[i])
            {
                // Marked, not silently zero: the first failure of each channel is kept with the run.
                _errorNoted[i] = true;
                Note(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"{_channels[i].Id}: {error} (first at {elapsed.TotalSeconds:0.0} s; readings without a value are bridged or left out as gaps, a counter keeps its last value)."));
            }

            Energy? counterSinceStart = null;
            if (_isCounter[i] && value.CumulativeEnergy is Energy cumulative)
            {
                if (!_hasFirstCounter[i])
                {
                    _firstCounterJ[i] = cumulative.Joules;
                    _hasFirstCounter[i] = true;
                }

                _energyJ[i] = cumulative.Joules - _firstCounterJ[i];
                counterSinceStart = Energy.FromJoules(_energyJ[i]);
            }

            if (value.Power is Power power)
            {
                // Sampled channels: their energy. Counter channels: the sampled energy kept beside the counter's, to check it.
                double w = power.Watts;
                long dt = elapsed.Ticks - _prevTicks[i];
                if (_hasPrevPower[i] && dt > 0)
                {
                    if (_gapRule.IsGap(TimeSpan.FromTicks(dt)))
                    {
                        // A gap (SampleGapRule, as the store applies it): not bridged, its time is counted as excluded.
                        _excludedTicks[i] += dt;
                        if (!_isCounter[i])
                        {
                            _gapChannels.Add(_channels[i].Id);
                            if (dt > _readingGapTicks)
                            {
                                _readingGapTicks = dt;
                                _readingGapFromTicks = _prevTicks[i];
                            }
                        }
                    }
                    else
                    {
                        // Trapezoid rule between consecutive valid samples.
                        double joules = 0.5 * (_prevPowerW[i] + w) * (dt / (double)TimeSpan.TicksPerSecond);
                        if (_isCounter[i])
                        {
                            _sampledJ[i] += joules;
                        }
                        else
                        {
                            _energyJ[i] += joules;
                        }
                    }
                }

                _prevPowerW[i] = w;
                _prevTicks[i] = elapsed.Ticks;
                _hasPrevPower[i] = true;
            }

            if (_buffered == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            _buffer[_buffered++] = new ChannelSample(
                i, elapsed, timestamp, value.Power, counterSinceStart, Energy.FromJoules(_energyJ[i]),
                value.UtilizationPercent, value.MemoryUsedMiB, value.TemperatureCelsius);
        }
    }

    private void FlushLocked()
    {
        _lastFlush = _lastElapsed;
        if (_buffered == 0)
        {
            return;
        }

        int count = _buffered;
        _buffered = 0;
        if (_sink is null || _sinkFailed)
        {
            return;
        }

        try
        {
            _sink.AppendSamples(_buffer.AsSpan(0, count));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            SinkFailed(ex);
        }
    }

    private void CallSink<T>(Action<IMeasurementSink, T> call, T argument)
    {
        if (_sink is null || _sinkFailed)
        {
            return;
        }

        try
        {
            call(_sink, argument);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            SinkFailed(ex);
        }
    }

    private void SinkFailed(Exception ex)
    {
        // Measuring goes on in memory (the summary is still printed); the sink is not called again this run. A sink
        // that throws is broken (IMeasurementSink's contract): store outages never get here, the CLI's store sink
        // queues and retries them itself.
        _sinkFailed = true;
        Note($"the store could not be written ({ex.GetType().Name}: {ex.Message}); measuring continues but samples are no longer saved.");
    }

    private void Note(string message)
    {
        _notes.Add(message);
        _report(message);
    }
}

/// <summary>One channel in a <see cref="SamplerSnapshot"/>.</summary>
/// <param name="Channel">The channel.</param>
/// <param name="Power">Last power reading, when there is one.</param>
/// <param name="Energy">Energy since the run started.</param>
/// <param name="Valid">False while the channel has given no usable value.</param>
public sealed record ChannelStatus(MeterChannel Channel, Power? Power, Energy Energy, bool Valid);

/// <summary>State for a live view.</summary>
/// <param name="Elapsed">Time of the latest reading since the run started.</param>
/// <param name="Channels">Per channel.</param>
/// <param name="OpenEpoch">The epoch explicitly started and not yet ended, if any.</param>
/// <param name="EpochsEnded">Epochs recorded so far.</param>
/// <param name="TotalEpochs">Planned epochs when known.</param>
public sealed record SamplerSnapshot(TimeSpan Elapsed, IReadOnlyList<ChannelStatus> Channels, int? OpenEpoch, int EpochsEnded, int? TotalEpochs);

/// <summary>What a stopped sampler measured.</summary>
/// <param name="Duration">Time of the last reading since start.</param>
/// <param name="Channels">Per-channel totals (no idle baseline here).</param>
/// <param name="Epochs">Recorded epochs.</param>
/// <param name="TotalEpochs">Planned epochs as reported by the epoch marks.</param>
/// <param name="Notes">Diagnostics raised while sampling.</param>
/// <param name="Readings">Number of readings taken.</param>
public sealed record SamplerResult(
    TimeSpan Duration,
    IReadOnlyList<ChannelTotal> Channels,
    IReadOnlyList<MeasuredEpoch> Epochs,
    int? TotalEpochs,
    IReadOnlyList<string> Notes,
    long Readings);
