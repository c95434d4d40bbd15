using TrainWatt.Core.Reference;
using TrainWatt.Core.Units;
using TrainWatt.Estimation;
using TrainWatt.Measurement.Pre;

namespace TrainWatt.Measurement.Probe;

/// <summary>
/// The baselines <c>estimate</c> prints, on the probe's projected duration: they need a time they cannot predict
/// themselves, and the probe measured one. Same formulas as <see cref="PreEstimation.Baselines"/>.
/// </summary>
public static class ProbeBaselines
{
    /// <summary>
    /// Green Algorithms and ML CO2 Impact on <paramref name="duration"/> for <paramref name="gpu"/>; FLOPs/TDP too when
    /// the run's description and epochs are given (it uses no measured time at all).
    /// </summary>
    public static IReadOnlyList<PreBaseline> For(GpuSpec gpu, double ramGigabytes, TimeSpan duration, RunDescription? run = null, double? epochs = null)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        double seconds = duration.TotalSeconds;
        double tdp = gpu.ThermalDesignPower.Watts;
        var list = new List<PreBaseline>
        {
            new("green_algorithms", Energy.FromJoules((tdp * 1.0 + PreEvaluation.GreenAlgorithmsWattsPerGigabyte * ramGigabytes) * seconds),
                "(TDP x 1.0 + 0.3725 W/GB x RAM) x the probe's projected duration"),
            new("ml_co2_impact", Energy.FromJoules(tdp * seconds), "TDP x the probe's projected duration"),
        };
        if (run is not null && epochs is double n)
        {
            double flopsPerEpoch = run.Gflops * 1e9 * (3.0 * run.TrainSamples + run.ValidationSamples);
            list.Add(new("flops_tdp", Energy.FromJoules(tdp * flopsPerEpoch * n / (gpu.Fp32Teraflops * 1e12)), "TDP x (3 x GFLOPs x train + GFLOPs x val) x epochs / FP32 peak"));
        }

        return list;
    }
}
