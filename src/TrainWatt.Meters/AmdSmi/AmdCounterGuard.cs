using System.Globalization;

namespace TrainWatt.Meters.AmdSmi;

/// <summary>
/// Watches one GPU's AMD SMI energy counter for the faults seen on real AMD GPUs and says when it stops being
/// trustworthy: the counter going backwards (a firmware reset, or a counter narrower than its 64 bits), a jump that
/// implies more power than any AMD GPU draws, and a counter that stands still while the GPU reports power. From the
/// first fault on, the meter uses sampled power for this GPU. Pure logic: fed with the readings, no I/O.
/// </summary>
/// <param name="maxWatts">The most a GPU can draw: MI355X's board power is 1,400 W; 3,000 W leaves room for any spike.</param>
/// <param name="stillSeconds">How long a counter may stand still while power is above <paramref name="stillWatts"/> before it is distrusted.</param>
/// <param name="stillWatts">Power above which a still counter is a fault (an idle GPU still draws tens of watts).</param>
internal sealed class AmdCounterGuard(double maxWatts = 3000, double stillSeconds = 2, double stillWatts = 10)
{
    private bool _hasLast;
    private double _lastJoules;
    private double _lastSeconds;
    private double _stillSince = double.NaN;
    private double _stillEnergyJ;

    /// <summary>Why the counter is no longer used, null while it is.</summary>
    public string? Fault { get; private set; }

    /// <summary>The counter's energy at its last good reading (J, in the counter's own scale).</summary>
    public double LastGoodJoules => _lastJoules;

    /// <summary>
    /// Checks one reading. <paramref name="joules"/>: the counter × its resolution; <paramref name="seconds"/>: the
    /// reading's time (the counter's own timestamp when it gives one); <paramref name="watts"/>: the sampled power of the
    /// same reading, when known; <paramref name="at"/>: the reading's time since the meter opened, for the message.
    /// Returns false once the counter is at fault (then <see cref="Fault"/> says why).
    /// </summary>
    public bool Accept(double joules, double seconds, double? watts, double at)
    {
        if (Fault is not null)
        {
            return false;
        }

        if (!_hasLast)
        {
            (_hasLast, _lastJoules, _lastSeconds) = (true, joules, seconds);
            return true;
        }

        double dj = joules - _lastJoules;
        double dt = seconds - _lastSeconds;
        if (dj < 0)
        {
            Fault = string.Create(CultureInfo.InvariantCulture, $"the energy counter went backwards by {-dj:0.###} J at {at:0.0} s");
            return false;
        }

        if (dt > 0 && dj / dt > maxWatts)
        {
            Fault = string.Create(CultureInfo.InvariantCulture,
                $"the energy counter jumped by {dj:0.###} J in {dt * 1000:0.#} ms at {at:0.0} s ({dj / dt:0} W, more than the {maxWatts:0} W any AMD GPU draws)");
            return false;
        }

        if (dj == 0 && watts is double w && w > stillWatts)
        {
            if (double.IsNaN(_stillSince))
            {
                (_stillSince, _stillEnergyJ) = (_lastSeconds, 0);
            }

            _stillEnergyJ += w * Math.Max(dt, 0);
            if (seconds - _stillSince >= stillSeconds)
            {
                Fault = string.Create(CultureInfo.InvariantCulture,
                    $"the energy counter stood still for {seconds - _stillSince:0.0} s up to {at:0.0} s while the GPU reported {_stillEnergyJ / (seconds - _stillSince):0} W");
                return false;
            }
        }
        else if (dj > 0)
        {
            _stillSince = double.NaN;
        }

        (_lastJoules, _lastSeconds) = (joules, seconds);
        return true;
    }
}
