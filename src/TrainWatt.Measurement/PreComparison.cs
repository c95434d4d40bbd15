using System.Globalization;
using System.Text.Json;
using TrainWatt.Core.Units;
using TrainWatt.Estimation;
using TrainWatt.Storage.Export;

namespace TrainWatt.Measurement;

/// <summary>
/// A PRE estimate of a measured run next to what was measured: energy over the run's recorded epochs, average GPU
/// power, epoch energy and epoch duration. Signed errors are (estimate − measured) / measured. Shared by
/// <c>estimate --run ID</c> and the end of <c>measure</c>, so both print the same numbers.
/// </summary>
public sealed record PreComparison(long RunId, int Epochs, IPreEstimator Model, PreRow Row, PreEstimate Estimate)
{
    /// <summary>The compared quantities (name as in JSON, estimate, measured), in W, J or s as the name says.</summary>
    public IReadOnlyList<(string Name, double Estimate, double Measured)> Pairs =>
    [
        ("energy_j", Estimate.Total(Epochs).Joules, MeasuredEnergy.Joules),
        ("avg_power_w", Estimate.AveragePower.Watts, Row.AveragePower.Watts),
        ("epoch_energy_j", Estimate.EpochEnergy.Joules, Row.EpochEnergy.Joules),
        ("epoch_duration_s", Estimate.EpochDuration.TotalSeconds, Row.EpochDuration.TotalSeconds),
    ];

    /// <summary>Measured energy over the recorded epochs: mean epoch energy × epochs.</summary>
    public Energy MeasuredEnergy => Row.EpochEnergy * Epochs;

    public Energy Lower => Estimate.Lower(Epochs);

    public Energy Upper => Estimate.Upper(Epochs);

    public bool Inside => MeasuredEnergy >= Lower && MeasuredEnergy <= Upper;

    /// <summary>Estimates <paramref name="row"/> (a stored run read by <see cref="PreStoreRows.ReadOne"/>) with <paramref name="model"/>.</summary>
    public static PreComparison Compute(long runId, PreRow row, int epochs, IPreEstimator model)
        => new(runId, epochs, model, row, model.Estimate(row.Run));

    public static double ErrorPercent(double estimate, double measured) => 100 * (estimate - measured) / measured;

    /// <summary>The comparison's properties (<see cref="EstimateJson"/>), written into the JSON object that is open on <paramref name="w"/>.</summary>
    public void WriteProperties(Utf8JsonWriter w) => JsonMembers.Write(w, EstimateJson.From(this)!, MeasurementJsonContext.Default.EstimateJson);

    /// <summary>One line per compared quantity, then the interval line (no trailing newlines).</summary>
    public IEnumerable<string> TextLines()
    {
        var ci = CultureInfo.InvariantCulture;
        foreach (var (name, est, act) in Pairs)
        {
            yield return string.Create(ci, $"  {name,-17} estimate {est,12:0.###}  measured {act,12:0.###}  error {ErrorPercent(est, act),+7:+0.0;-0.0} %");
        }

        yield return string.Create(ci, $"  measured energy {(Inside ? "inside" : "OUTSIDE")} the interval [{Kwh(Lower)} .. {Kwh(Upper)}] kWh");
    }

    private static string Kwh(Energy e) => Math.Abs(e.KilowattHours) >= 0.01 || e.KilowattHours == 0
        ? e.KilowattHours.ToString("0.####", CultureInfo.InvariantCulture)
        : e.KilowattHours.ToString("0.###E+0", CultureInfo.InvariantCulture);
}
