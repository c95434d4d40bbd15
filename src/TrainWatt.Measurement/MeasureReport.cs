using System.Globalization;
using System.Text;
using TrainWatt.Core;
using TrainWatt.Core.Accounting;
using TrainWatt.Core.Footprint;
using TrainWatt.Core.Units;
using TrainWatt.Meters;
using TrainWatt.Meters.Sampling;

namespace TrainWatt.Measurement;

/// <summary>Text for the end-of-run summary (stderr) and the live status line; the <c>--summary-json</c> file is <see cref="MeasureSummaryDocument"/>.</summary>
public static class MeasureReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The human summary, one line per row, without the "trainwatt:" prefix of diagnostics.</summary>
    public static IEnumerable<string> Text(MeasurementOutcome outcome, FootprintResult? footprint, bool modelOnly, TimeSpan idle)
    {
        var s = outcome.Summary;
        string exit = s.ExitCode is int code ? $"exit code {code}" : "the command did not start";
        yield return string.Create(Invariant, $"run {outcome.RunId}: {exit} after {s.Duration.TotalSeconds:0.0} s");

        yield return "energy by component:";
        int width = Math.Max(5, s.Channels.Count == 0 ? 0 : s.Channels.Max(c => c.Channel.Id.Length));
        foreach (var c in s.Channels)
        {
            string energy = c.Valid ? c.Energy.ToString() : "no data";
            string note = c.Channel.Note ?? c.Channel.DeviceName;
            yield return $"  {c.Channel.Id.PadRight(width)}  {energy,12}  {ProvenanceText.Name(c.Channel.Provenance),-8}  {note}";
            if (c.Valid && c.SampledEnergy is Energy sampled && CounterCheck.RelativeDifference(c.Energy, sampled) is double diff)
            {
                string flag = CounterCheck.Disagrees(c.Energy, sampled) ? $"; they disagree by more than 5 %, the counter is reported" : string.Empty;
                yield return string.Create(Invariant, $"  {string.Empty.PadRight(width)}  {sampled,12}  sampled   the same GPU's sampled power, {diff * 100:+0.0;-0.0} % vs its counter{flag}");
            }

            if (c.Valid && c.Attribution is { } shared)
            {
                int others = shared.OtherProcesses.Count;
                yield return string.Create(Invariant,
                    $"  {string.Empty.PadRight(width)}  {shared.Of(c.Energy),12}  {GpuAttribution.ProvenanceName}  the run's share of {c.Channel.Id} ({shared.Share * 100:0.0} %, an estimate {shared.Basis}): ") +
                    string.Create(Invariant, $"{others} other process{(others == 1 ? "" : "es")} used this GPU (pid {string.Join(", ", shared.OtherProcesses)}); the line above is the whole GPU's");
            }
        }

        yield return $"  {"total".PadRight(width)}  {s.Energy,12}";
        if (s.Channels.Count == 0)
        {
            yield return "  (no meter was available: only time and epochs were recorded)";
        }

        if (s.NetEnergy is Energy net)
        {
            string baseline = string.Join(", ", s.Channels.Where(c => c.IdlePower is not null).Select(c => $"{c.Channel.Id} {c.IdlePower}"));
            yield return string.Create(Invariant, $"net of the idle baseline ({idle.TotalSeconds:0.#} s before the command: {baseline}): {net}");
        }

        if (modelOnly && s.Channels.Count > 0)
        {
            yield return "no GPU or RAPL counter was available: every figure above is modelled (CPU TDP × load, RAM 0.375 W/GB), not measured.";
        }

        if (s.Epochs.Count == 0)
        {
            yield return "epochs: none recognised (print \"##trainwatt epoch-end\" lines, or pass --framework / --epoch-pattern).";
        }
        else
        {
            string planned = s.TotalEpochs is int total ? $" of {total} planned" : string.Empty;
            yield return $"epochs ({s.Epochs.Count}{planned}):";
            yield return "  epoch   start_s     end_s  duration_s        energy";
            foreach (var e in s.Epochs)
            {
                string atExit = e.EndedAtExit ? "  (ended at exit)" : string.Empty;
                yield return string.Create(Invariant,
                    $"  {e.Number,5}  {e.Start.TotalSeconds,8:0.00}  {e.End.TotalSeconds,8:0.00}  {e.Duration.TotalSeconds,10:0.00}  {e.Energy,12}{atExit}");
            }

            if (MeasuredPhases.From(s) is { } phases)
            {
                yield return phases.Line();
            }
        }

        foreach (var (name, value) in s.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            yield return string.Create(Invariant, $"metric {name} = {value:R}");
        }

        if (footprint is not null && footprint.Emissions is CarbonMass carbon)
        {
            yield return $"carbon: {carbon} for {footprint.FacilityEnergy} at the facility (IT energy × PUE); assumptions: {string.Join("; ", footprint.Assumptions)}";
        }
    }

    /// <summary>A one-line live status.</summary>
    public static string Status(SamplerSnapshot snapshot)
    {
        var text = new StringBuilder();
        var t = snapshot.Elapsed;
        text.Append(string.Create(Invariant, $"{(int)t.TotalHours:00}:{t.Minutes:00}:{t.Seconds:00}"));
        int current = snapshot.OpenEpoch ?? (snapshot.EpochsEnded + 1);
        text.Append(" | epoch ").Append(current.ToString(Invariant));
        if (snapshot.TotalEpochs is int total)
        {
            text.Append('/').Append(total.ToString(Invariant));
        }

        var energy = Energy.Zero;
        foreach (var c in snapshot.Channels)
        {
            text.Append(" | ").Append(c.Channel.Id).Append(' ').Append(c.Power is Power p ? p.ToString() : "n/a");
            energy += c.Energy;
        }

        text.Append(" | ").Append(energy.ToString()).Append(" so far");
        return text.ToString();
    }
}
