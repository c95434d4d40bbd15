using System.Globalization;
using System.Text;
using TrainWatt.Core.Units;
using TrainWatt.Meters.Sampling;
using TrainWatt.Measurement;

using TrainWatt.Core.Accounting;
using TrainWatt.Core.Projection;

namespace TrainWatt.Telemetry;


/// <summary>
/// The live state of one measured run as Prometheus exposes it: energy and power per channel, the epoch, the
/// projection. Updated from the measurement sink's thread, read by the HTTP server's thread (one lock).
/// </summary>
internal sealed class LiveMetrics
{
    private readonly Lock _lock = new();
    private string _runId = "";
    private (string Device, string Component)[] _channels = [];
    private double[] _energyJ = [];
    private double?[] _powerW = [];
    private int _epoch;
    private ProjectionEntry? _projection;
    private double _epochsJ;
    private RunPhases? _phases;

    public void Begin(string runId, MeasurementRunInfo run)
    {
        lock (_lock)
        {
            _runId = runId;
            _channels = run.Channels.Select(c => (c.Id, c.Component)).ToArray();
            _energyJ = new double[_channels.Length];
            _powerW = new double?[_channels.Length];
        }
    }

    public void Samples(ReadOnlySpan<ChannelSample> samples)
    {
        lock (_lock)
        {
            foreach (ref readonly var s in samples)
            {
                // Counter semantics: never decrease (a late sample of a channel cannot move it back).
                _energyJ[s.ChannelIndex] = Math.Max(_energyJ[s.ChannelIndex], s.Energy.Joules);
                if (s.Power is { } p)
                {
                    _powerW[s.ChannelIndex] = p.Watts;
                }
            }
        }
    }

    public void Epoch(MeasuredEpoch epoch, ProjectionEntry? projection)
    {
        lock (_lock)
        {
            _epoch = Math.Max(_epoch, epoch.Number);
            _projection = projection ?? _projection;
            _epochsJ += epoch.Energy.Joules;
        }
    }

    /// <summary>Final totals from the summary (so a push at the end carries exactly the summary's energy).</summary>
    public void Finish(MeasurementSummary summary)
    {
        lock (_lock)
        {
            for (int i = 0; i < summary.Channels.Count && i < _energyJ.Length; i++)
            {
                if (summary.Channels[i].Valid)
                {
                    _energyJ[i] = summary.Channels[i].Energy.Joules;
                }
            }

            _phases = MeasuredPhases.From(summary);
        }
    }

    /// <summary>The Prometheus text exposition format (version 0.0.4) of the current state.</summary>
    public string Render()
    {
        lock (_lock)
        {
            var text = new StringBuilder();
            string runId = Escape(_runId);
            text.Append("# HELP trainwatt_energy_joules_total Energy used by the device since the run started, in joules.\n");
            text.Append("# TYPE trainwatt_energy_joules_total counter\n");
            for (int i = 0; i < _channels.Length; i++)
            {
                text.Append(CultureInfo.InvariantCulture, $"trainwatt_energy_joules_total{{device=\"{Escape(_channels[i].Device)}\",component=\"{Escape(_channels[i].Component)}\",run_id=\"{runId}\"}} {Number(_energyJ[i])}\n");
            }

            text.Append("# HELP trainwatt_power_watts Last power reading of the device, in watts.\n");
            text.Append("# TYPE trainwatt_power_watts gauge\n");
            for (int i = 0; i < _channels.Length; i++)
            {
                if (_powerW[i] is double w)
                {
                    text.Append(CultureInfo.InvariantCulture, $"trainwatt_power_watts{{device=\"{Escape(_channels[i].Device)}\",component=\"{Escape(_channels[i].Component)}\",run_id=\"{runId}\"}} {Number(w)}\n");
                }
            }

            text.Append("# HELP trainwatt_epoch Number of the last finished epoch (0 before the first).\n");
            text.Append("# TYPE trainwatt_epoch gauge\n");
            text.Append(CultureInfo.InvariantCulture, $"trainwatt_epoch{{run_id=\"{runId}\"}} {_epoch}\n");
            text.Append("# HELP trainwatt_projected_energy_joules Projected energy of the whole run, in joules (estimate and interval bounds).\n");
            text.Append("# TYPE trainwatt_projected_energy_joules gauge\n");
            if (_projection is { } p)
            {
                foreach (var (bound, value) in new[] { ("estimate", p.Projected), ("lower", p.Lower), ("upper", p.Upper) })
                {
                    text.Append(CultureInfo.InvariantCulture, $"trainwatt_projected_energy_joules{{bound=\"{bound}\",run_id=\"{runId}\"}} {Number(value.Joules)}\n");
                }
            }

            RenderPhases(text, runId);
            return text.ToString();
        }
    }

    /// <summary>
    /// The phases side by side (<see cref="RunPhaseNames"/> as the <c>phase</c> label): while the run goes on, the
    /// finished epochs' energy and the whole process's so far; once it has finished, all five with their durations.
    /// </summary>
    private void RenderPhases(StringBuilder text, string runId)
    {
        text.Append(CultureInfo.InvariantCulture, $"# HELP trainwatt_phase_energy_joules Energy of each phase of the run over all devices, in joules: {string.Join(", ", PhaseNames)} (split at {RunPhaseNames.Split}; provenance as trainwatt_energy_joules_total's devices). While the run goes on: epochs (finished ones) and whole_process so far.\n");
        text.Append("# TYPE trainwatt_phase_energy_joules gauge\n");
        IEnumerable<(string Name, double Joules)> energies = _phases is { } done
            ? done.All.Select(p => (p.Name, p.Energy.Joules))
            : [(RunPhaseNames.Epochs, _epochsJ), (RunPhaseNames.WholeProcess, _energyJ.Sum())];
        foreach (var (name, joules) in energies)
        {
            text.Append(CultureInfo.InvariantCulture, $"trainwatt_phase_energy_joules{{phase=\"{name}\",run_id=\"{runId}\"}} {Number(joules)}\n");
        }

        text.Append("# HELP trainwatt_phase_duration_seconds Duration of each phase of the finished run, in seconds (same phases).\n");
        text.Append("# TYPE trainwatt_phase_duration_seconds gauge\n");
        foreach (var phase in _phases?.All ?? [])
        {
            text.Append(CultureInfo.InvariantCulture, $"trainwatt_phase_duration_seconds{{phase=\"{phase.Name}\",run_id=\"{runId}\"}} {Number(phase.Duration.TotalSeconds)}\n");
        }
    }

    private static readonly string[] PhaseNames = [RunPhaseNames.Startup, RunPhaseNames.Epochs, RunPhaseNames.BetweenEpochs, RunPhaseNames.Tail, RunPhaseNames.WholeProcess];

    /// <summary>Sum of the energy counters (tests and the push).</summary>
    public double TotalJoules()
    {
        lock (_lock)
        {
            return _energyJ.Sum();
        }
    }

    public string RunId
    {
        get
        {
            lock (_lock)
            {
                return _runId;
            }
        }
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Label value escaping of the exposition format: backslash, double quote and line feed.</summary>
    internal static string Escape(string value)
        => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
