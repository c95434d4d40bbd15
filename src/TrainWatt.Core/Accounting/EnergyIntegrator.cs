using System.Globalization;
using TrainWatt.Core.Traces;
using TrainWatt.Core.Units;

namespace TrainWatt.Core.Accounting;

/// <summary>
/// Integrates one device's samples as they arrive (O(1) memory apart from <see cref="EnergyOptions.TrimEnd"/> held
/// samples): the incremental form of <see cref="EnergyAccounting.Integrate(DeviceTrace, EnergyOptions?)"/>, with the
/// same rules, usable on a file being streamed or on a live meter. Feed samples in file order with <see cref="Add"/>,
/// then call <see cref="Complete"/> once.
/// </summary>
public sealed class EnergyIntegrator
{
    private const int MaxListedFaults = 100;

    private readonly string _file;
    private readonly string _device;
    private readonly string? _gpuName;
    private readonly EnergyOptions _options;
    private readonly bool _trapezoid;
    private readonly bool _bridge;
    private readonly long _gapTicks;
    private readonly GpuSample[] _held;
    private readonly List<TraceFault> _faults = [];
    private int _heldCount;
    private int _heldNext;
    private int _skipped;
    private int _unlisted;
    private bool _completed;

    private double _joules;
    private long _integratedTicks;
    private long _excludedTicks;
    private double _sumWatts;
    private double _maxWatts = double.NegativeInfinity;
    private double _minWatts = double.PositiveInfinity;
    private int _used;
    private int _missing;
    private int _firstMissingLine;
    private int _recovered;
    private int _firstRecoveredLine;
    private int _lastRecoveredLine;
    private bool _inRecovered;
    private DateTime _first;
    private DateTime _last;
    private long _prevTicks;
    private double _prevWatts;
    private int _prevLine;

    /// <param name="file">Source file, for faults.</param>
    /// <param name="device">Device key, for faults and the result.</param>
    /// <param name="gpuName">GPU name, when known.</param>
    /// <param name="options">Integration options; null means <see cref="EnergyOptions.Default"/>.</param>
    public EnergyIntegrator(string file, string device, string? gpuName, EnergyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(device);
        _file = file;
        _device = device;
        _gpuName = gpuName;
        _options = options ?? EnergyOptions.Default;
        _trapezoid = _options.Method == IntegrationMethod.Trapezoid;
        _bridge = _options.GapPolicy == GapPolicy.Bridge;
        _gapTicks = _options.GapThreshold.Ticks;
        _held = new GpuSample[_options.TrimEnd];
    }

    /// <summary>Adds the next sample (file order). The first <see cref="EnergyOptions.TrimStart"/> are skipped; the last <see cref="EnergyOptions.TrimEnd"/> are held back until <see cref="Complete"/>.</summary>
    public void Add(in GpuSample sample)
    {
        if (_completed)
        {
            throw new InvalidOperationException("EnergyIntegrator.Add after Complete.");
        }

        if (_skipped < _options.TrimStart)
        {
            _skipped++;
            return;
        }

        if (_held.Length == 0)
        {
            Integrate(sample);
            return;
        }

        // A ring of TrimEnd samples: the oldest leaves (and is integrated) when a new one arrives.
        if (_heldCount == _held.Length)
        {
            Integrate(_held[_heldNext]);
        }
        else
        {
            _heldCount++;
        }

        _held[_heldNext] = sample;
        _heldNext = (_heldNext + 1) % _held.Length;
    }

    /// <summary>
    /// The energy <see cref="Complete"/> would report for the samples added so far, without ending the series: null when
    /// it would report none (fewer than 2 power samples, or no positive time between them). Reading a run's energy at an
    /// instant (an epoch boundary) on the way through its samples. Only without <see cref="EnergyOptions.TrimEnd"/>
    /// (held samples would make the two differ).
    /// </summary>
    public Energy? EnergySoFar()
    {
        if (_held.Length > 0)
        {
            throw new InvalidOperationException("EnergyIntegrator.EnergySoFar with TrimEnd > 0: held samples are not integrated yet.");
        }

        return _used < 2 || _integratedTicks == 0 ? null : Energy.FromJoules(_joules);
    }

    /// <summary>
    /// Ends the series and returns the energy. <paramref name="trimEnd"/> (at most <see cref="EnergyOptions.TrimEnd"/>)
    /// drops fewer held samples than planned: the oldest held ones are integrated first.
    /// </summary>
    public DeviceEnergy Complete(int? trimEnd = null)
    {
        if (_completed)
        {
            throw new InvalidOperationException("EnergyIntegrator.Complete called twice.");
        }

        _completed = true;
        int drop = trimEnd ?? _options.TrimEnd;
        ArgumentOutOfRangeException.ThrowIfNegative(drop, nameof(trimEnd));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(drop, _options.TrimEnd, nameof(trimEnd));
        int oldest = (_heldNext - _heldCount + _held.Length) % Math.Max(1, _held.Length);
        for (int i = 0; i < _heldCount - drop; i++)
        {
            Integrate(_held[(oldest + i) % _held.Length]);
        }

        var faults = new List<TraceFault>(_faults.Count + 2);
        if (_missing > 0)
        {
            faults.Add(new TraceFault(FaultKind.MissingValue, _file, _firstMissingLine,
                $"device {_device}: {_missing} sample(s) have no power reading ([N/A] or [Not Supported]; first at line {_firstMissingLine}); they are skipped, not read as 0 W."));
        }

        faults.AddRange(_faults);
        if (_recovered > 1)
        {
            faults.Add(new TraceFault(FaultKind.NonMonotonicTime, _file, _firstRecoveredLine,
                $"device {_device}: {_recovered} sample(s) from line {_firstRecoveredLine} to line {_lastRecoveredLine} re-cover time already integrated and are left out (not integrated twice)."));
        }

        if (_unlisted > 0)
        {
            faults.Add(new TraceFault(FaultKind.Gap, _file, 0, $"device {_device}: {_unlisted} more gap/time faults not listed."));
        }

        if (_used < 2 || _integratedTicks == 0)
        {
            string why = _used < 2
                ? $"has {_used} sample(s) with power after trimming {_options.TrimStart}+{drop}; at least 2 are needed to integrate energy"
                : "has no positive time between its samples (all intervals were gaps, backward steps or zero)";
            faults.Add(new TraceFault(FaultKind.Fatal, _file, 0, $"device {_device} {why}; no energy reported."));
            return new DeviceEnergy(_file, _device, _gpuName, null, faults);
        }

        var integrated = TimeSpan.FromTicks(_integratedTicks);
        var energy = Energy.FromJoules(_joules);
        var result = new EnergyResult(
            _used,
            _first,
            _last,
            integrated,
            TimeSpan.FromTicks(_excludedTicks),
            energy,
            Power.FromWatts(_sumWatts / _used),
            energy / integrated,
            Power.FromWatts(_maxWatts),
            Power.FromWatts(_minWatts),
            _options.Method,
            Provenance.Sampled);
        return new DeviceEnergy(_file, _device, _gpuName, result, faults);
    }

    private void Integrate(in GpuSample sample)
    {
        if (sample.Power is not { } power)
        {
            if (_missing++ == 0)
            {
                _firstMissingLine = sample.Line;
            }

            return;
        }

        double watts = power.Watts;
        if (watts < 0)
        {
            // No meter reads a negative power (a sign error, a sensor fault): integrating it would subtract energy.
            Report(new TraceFault(FaultKind.InvalidValue, _file, sample.Line,
                $"device {_device}: power {watts.ToString("0.###", CultureInfo.InvariantCulture)} W is negative, which no meter reads; the sample is left out."));
            return;
        }

        long ticks = sample.Timestamp.Ticks;
        if (_used == 0)
        {
            _first = sample.Timestamp;
        }
        else
        {
            long dt = ticks - _prevTicks;
            if (dt < 0)
            {
                // Time went back (a clock set back, a log appended to twice): the samples until time passes the latest
                // integrated one again re-cover a span already integrated. They are left out; integrating them would
                // count that span twice (integrated time longer than the wall time).
                if (!_inRecovered)
                {
                    _inRecovered = true;
                    Report(new TraceFault(FaultKind.NonMonotonicTime, _file, sample.Line,
                        $"device {_device}: time stamp {Format(sample.Timestamp)} is {Seconds(-dt)} s before the latest sample's (line {_prevLine}); it and the samples up to that time again are left out, so no span is integrated twice."));
                }

                if (_recovered++ == 0)
                {
                    _firstRecoveredLine = sample.Line;
                }

                _lastRecoveredLine = sample.Line;
                return;
            }

            _inRecovered = false;
            bool gap = dt > _gapTicks;
            if (gap)
            {
                Report(new TraceFault(FaultKind.Gap, _file, sample.Line,
                    $"device {_device}: {Seconds(dt)} s without a sample between lines {_prevLine} and {sample.Line} (threshold {Seconds(_gapTicks)} s); " +
                    (_bridge ? "bridged (integrated as one interval)." : "not integrated: the energy covers only the sampled time.")));
            }

            if (!gap || _bridge)
            {
                double seconds = dt / (double)TimeSpan.TicksPerSecond;
                _joules += _trapezoid ? seconds * (_prevWatts + watts) * 0.5 : seconds * _prevWatts;
                _integratedTicks += dt;
            }
            else
            {
                _excludedTicks += dt;
            }
        }

        _used++;
        _sumWatts += watts;
        _maxWatts = Math.Max(_maxWatts, watts);
        _minWatts = Math.Min(_minWatts, watts);
        _last = sample.Timestamp;
        _prevTicks = ticks;
        _prevWatts = watts;
        _prevLine = sample.Line;
    }

    private void Report(TraceFault fault)
    {
        if (_faults.Count < MaxListedFaults)
        {
            _faults.Add(fault);
        }
        else
        {
            _unlisted++;
        }
    }

    private static string Seconds(long ticks) => (ticks / (double)TimeSpan.TicksPerSecond).ToString("0.###", CultureInfo.InvariantCulture);

    private static string Format(DateTime t) => t.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);
}
