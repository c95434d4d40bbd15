using System.Text.Json.Serialization;
using TrainWatt.Core;
using TrainWatt.Core.Footprint;
using TrainWatt.Core.Projection;
using TrainWatt.Measurement.Pre;
using TrainWatt.Measurement.Probe;

namespace TrainWatt.Cli.Commands;

/// <summary>
/// <c>estimate --probe --json</c>: <c>estimate</c>'s keys (energy_j, lower_j, upper_j, avg_power_w, epoch_energy_j,
/// epoch_duration_s, duration_s, epochs, interval, baselines, footprint) from the probe's projection, plus
/// <c>duration_lower_s</c>/<c>duration_upper_s</c>, <c>provenance</c>, the <c>probe</c> object and, when the description
/// options were given, the descriptor-only estimate as <c>descriptor</c> (the document <c>estimate --json</c> prints).
/// A run that ended within the probe has its measured totals and <c>probe.finished_within_probe</c> true.
/// </summary>
internal sealed record ProbeJson(
    double EnergyJ, double LowerJ, double UpperJ, double AvgPowerW,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? EpochEnergyJ,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? EpochDurationS,
    double DurationS, double DurationLowerS, double DurationUpperS,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Epochs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Steps,
    string Interval, string Provenance, IReadOnlyDictionary<string, double> Baselines, FootprintJson Footprint, ProbeDetailJson Probe,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] EstimateJson? Descriptor)
{
    public static ProbeJson From(ProbeResult result, ProbeRequest request, IReadOnlyList<PreBaseline> baselines, FootprintResult f, PreEstimateReport? descriptor)
    {
        var footprint = new FootprintJson(f.FacilityEnergy.Joules, f.Pue.Pue.Ratio, f.Emissions?.Grams, f.Cost?.Amount, f.Cost?.Currency, f.Assumptions);
        var baselineJson = baselines.ToDictionary(b => b.Name + "_j", b => b.Energy.Joules);
        string provenance = ProvenanceText.Name(result.Provenance);
        var descriptorJson = descriptor is null ? null : EstimateJson.From(descriptor);
        if (result.Projection is not { } p)
        {
            var (e, d) = result.MeasuredTotals;
            double seconds = d.TotalSeconds;
            return new ProbeJson(
                e.Joules, e.Joules, e.Joules, seconds > 0 ? e.Joules / seconds : 0, null, null, seconds, seconds, seconds,
                result.Measured.Summary.Epochs.Count, null, "measured: the command ended within the probe", provenance, baselineJson, footprint,
                ProbeDetailJson.Finished(result, request), descriptorJson);
        }

        bool epochs = p.Unit == ProbeUnit.Epoch;
        double planned = (p.PlannedMin + p.PlannedMax) / 2;
        return new ProbeJson(
            p.Energy.Joules, p.EnergyLower.Joules, p.EnergyUpper.Joules, p.SteadyPower.Watts, epochs ? p.JoulesPerUnit : null, epochs ? p.SecondsPerUnit : null,
            p.Duration.TotalSeconds, p.DurationLower.TotalSeconds, p.DurationUpper.TotalSeconds, epochs ? planned : null, epochs ? null : planned,
            $"probe: 90 % interval from the probe's spread, {(p.Parts.Band == ProbeBand.Steady ? "drift" : "drift and later phases")} (SEAA traces) and unseen validation",
            provenance, baselineJson, footprint, ProbeDetailJson.From(result, request, p), descriptorJson);
    }
}

/// <summary>The probe itself: what ran, how it was stopped, the warm-up, the steady window and the interval's parts.</summary>
internal sealed record ProbeDetailJson(
    string RunId, double LengthS, bool Stopped, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? StopSignal, bool FinishedWithinProbe,
    int LeftoversEnded, double MeasuredEnergyJ, double MeasuredDurationS,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Unit,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? PlannedMin,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? PlannedMax,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PlannedSource,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? WarmupEndS,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? WarmupRule,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? WindowEndS,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? ProgressAtWarmup,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? ProgressAtEnd,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Batches,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? SecondsPerUnit,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? JoulesPerUnit,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? SpreadEnergy,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? SpreadDuration,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Band,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? BandLow,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? BandHigh,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Validation)
{
    public static ProbeDetailJson Finished(ProbeResult r, ProbeRequest request)
        => new(r.Measured.RunId, request.Length.TotalSeconds, r.Stopped, r.StopSignal, r.FinishedWithinProbe, r.LeftoversEnded,
            r.MeasuredTotals.Energy.Joules, r.MeasuredTotals.Duration.TotalSeconds,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

    public static ProbeDetailJson From(ProbeResult r, ProbeRequest request, ProbeProjection p)
        => new(r.Measured.RunId, request.Length.TotalSeconds, r.Stopped, r.StopSignal, r.FinishedWithinProbe, r.LeftoversEnded,
            r.MeasuredTotals.Energy.Joules, r.MeasuredTotals.Duration.TotalSeconds, ProbeProjector.Name(p.Unit), p.PlannedMin, p.PlannedMax, p.PlannedSource,
            p.WarmupEnd.TotalSeconds, p.WarmupRule, p.WindowEnd.TotalSeconds, p.ProgressAtWarmup, p.ProgressAtEnd, p.Batches, p.SecondsPerUnit, p.JoulesPerUnit,
            p.Parts.EnergySpread, p.Parts.DurationSpread, p.Parts.Band.ToString().ToLowerInvariant(), p.Parts.BandLow, p.Parts.BandHigh, p.Parts.Validation);
}
