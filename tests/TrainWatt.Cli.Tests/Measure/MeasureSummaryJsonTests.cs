using System.Globalization;
using TrainWatt.Core;
using TrainWatt.Core.Projection;
using TrainWatt.Core.Reference;
using TrainWatt.Core.Units;
using TrainWatt.Estimation;
using TrainWatt.Meters;
using TrainWatt.Meters.Sampling;
using TrainWatt.Storage;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Measure;

using Energy = TrainWatt.Core.Units.Energy;

/// <summary>
/// The <c>measure --summary-json</c> document, byte for byte, for representative outcomes built in memory (golden files
/// under Measure/Golden, captured from the string-splicing writer before the typed document replaced it; scripts read
/// these keys). Written under de-DE to prove the numbers stay invariant.
/// </summary>
public class MeasureSummaryJsonTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.FromHours(1));
    private static readonly MeterChannel Gpu0 = new("gpu:0", "gpu", "NVIDIA Fake A100", Provenance.Counter, "GPU-aaaa", null);
    private static readonly MeterChannel Gpu1 = new("gpu:1", "gpu", "NVIDIA Fake TITAN", Provenance.Sampled);
    private static readonly MeterChannel Cpu = new("cpu", "cpu", "Fake CPU", Provenance.Model, Note: "TDP 65 W × load");
    private static readonly MeterChannel Ram = new("ram", "ram", "process tree RAM", Provenance.Model);
    private static readonly MeterChannel Given = new("wall", "other", "wall meter", Provenance.UserGiven);

    /// <summary>Counter, sampled and model channels, an idle baseline on two of them, a channel without data, three epochs (the last open at exit), metrics.</summary>
    internal static MeasurementOutcome Full() => new("42", new MeasurementSummary(
        ExitCode: 0,
        Duration: TimeSpan.FromSeconds(123.456789),
        Channels:
        [
            new ChannelTotal(Gpu0, Energy.FromJoules(25_000.125), true, Power.FromWatts(55.5)),
            new ChannelTotal(Gpu1, Energy.FromJoules(0.1 + 0.2), true, null),
            new ChannelTotal(Cpu, Energy.FromJoules(6.9e-05), true, Power.FromWatts(1.0 / 3)),
            new ChannelTotal(Ram, Energy.Zero, false, null),
            new ChannelTotal(Given, Energy.FromJoules(12), true, null),
        ],
        Epochs:
        [
            new MeasuredEpoch(1, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(40), [Energy.FromJoules(8000), Energy.FromJoules(0.1), Energy.FromJoules(1e-04), Energy.Zero, Energy.FromJoules(4)], 50_000, 3, false)
            {
                RunEnergyAtStart = [Energy.Zero, Energy.Zero, Energy.Zero, Energy.Zero, Energy.Zero],
            },
            new MeasuredEpoch(2, TimeSpan.FromSeconds(40), TimeSpan.FromSeconds(80.25), [Energy.FromJoules(8100.5), Energy.FromJoules(0.1), Energy.Zero, Energy.Zero, Energy.FromJoules(4)], null, 3, false)
            {
                RunEnergyAtStart = [Energy.FromJoules(8000), Energy.FromJoules(0.1), Energy.FromJoules(1e-04), Energy.Zero, Energy.FromJoules(4)],
            },
            new MeasuredEpoch(3, TimeSpan.FromSeconds(80.25), TimeSpan.FromSeconds(123.456789), [Energy.FromJoules(8899.625), Energy.FromJoules(0.1), Energy.FromJoules(6.9e-05 - 1e-04), Energy.Zero, Energy.FromJoules(4)], null, 3, true)
            {
                // The run's energy per channel when epoch 3 started: the sums of epochs 1 and 2 (the epochs are contiguous).
                RunEnergyAtStart = [Energy.FromJoules(16_100.5), Energy.FromJoules(0.2), Energy.FromJoules(1e-04), Energy.Zero, Energy.FromJoules(8)],
            },
        ],
        Metrics: new Dictionary<string, double> { ["f1"] = 0.97, ["loss"] = 1.0 / 7 },
        TotalEpochs: 3,
        Notes: ["meter ram: no data"]), Readings: 1234);

    /// <summary>Two projections, the first without a stable window or N, the second of the whole job.</summary>
    internal static IReadOnlyList<ProjectionEntry> History() =>
    [
        new ProjectionEntry(1, Energy.FromJoules(24_000), Energy.FromJoules(20_000.5), Energy.FromJoules(28_000), 0.9, "step", null, null, null, T0.AddSeconds(40.123456)),
        new ProjectionEntry(2, Energy.FromJoules(25_500.75), Energy.FromJoules(24_000), Energy.FromJoules(1e16), 0.95, "step-power", 1, 3, 5, T0.AddSeconds(80.25))
        {
            // Issue 14: what a whole-job projection holds (start-up, tail prior) and its drift prior.
            StartupEnergy = Energy.FromJoules(1500.25), TailEnergy = Energy.FromJoules(400), TailPriorSource = "default",
            DriftPrior = 0.01, DriftPriorSource = "default",
        },
    ];

    /// <summary>A PRE comparison with a fake model whose description needs escaping.</summary>
    internal static PreComparison Estimate()
    {
        var gpu = new GpuSpec("RTX 3090", ["NVIDIA GeForce RTX 3090"], "geforce", "Ampere", 10496, 24, "GDDR6X", 936, 1395, 1695, Power.FromWatts(350), 35.58, 71, "tensor", 2020, "datasheet");
        var run = new RunDescription(10.0288, gpu, 32, 128, 128, 23807, 10203, 16);
        var row = new PreRow(run, "vgg16", Power.FromWatts(212.5), Energy.FromJoules(8333.4), TimeSpan.FromSeconds(41.1), "run 42");
        return PreComparison.Compute(42, row, 3, new FakeEstimator());
    }

    /// <summary>What <c>measure</c> writes to <c>--summary-json</c>.</summary>
    internal static string Summary(MeasurementOutcome outcome, IReadOnlyList<ProjectionEntry> history, ProjectionErrorSummary? error, PreComparison? estimate)
        => MeasureSummaryDocument.Create(outcome, history, error, estimate).ToJson();

    /// <summary>The golden documents: file name and text.</summary>
    internal static IEnumerable<(string Name, string Json)> Documents()
    {
        var full = Full();
        var history = History();
        var error = LiveProjection.FinalError(history, full.Summary.Energy);
        Assert.NotNull(error);
        // With RAPL under --cpu-attribution process: 10 J of the machine's 80 J charged (share 0.125).
        var cpu = new CpuAttributionResult(TrainWatt.Core.Attribution.CpuAttribution.Process, Provenance.Counter, Energy.FromJoules(80), Energy.FromJoules(10));
        yield return ("summary-full.json", (MeasureSummaryDocument.Create(full, history, error, Estimate()) with { CpuAttribution = CpuAttributionJson.From(cpu) }).ToJson());

        // No estimate, no idle baseline (no net_energy_j, no idle_power_w), no projection, a run id that is not a number.
        var plain = new MeasurementOutcome("job-7/rank 0 <a&b>", full.Summary with
        {
            Channels = [.. full.Summary.Channels.Select(c => c with { IdlePower = null })],
            Epochs = [full.Summary.Epochs[0]],
        }, 10);
        yield return ("summary-no-estimate.json", Summary(plain, [], null, null));

        // Projections but no estimate, and an error that missed (the measured total outside the last interval). The
        // counter GPU's sampled power integrates to 28,000 J: (28,000 − 30,000) / 30,000 = −6.67 %, over the 5 % flag.
        var unstable = new MeasurementOutcome("7", full.Summary with
        {
            Channels = [new ChannelTotal(Gpu0, Energy.FromJoules(30_000), true, null) { SampledEnergy = Energy.FromJoules(28_000) }],
        }, 99);
        yield return ("summary-projections.json", Summary(unstable, history, LiveProjection.FinalError(history, unstable.Summary.Energy), null));

        // Issue 17: a counter GPU another process used: 1,000 J for the device, the run's share 60 / (60 + 20) = 0.75 by
        // SM utilisation, so attributed_energy_j = 750 (hand derivation).
        var shared = new MeasurementOutcome("9", full.Summary with
        {
            Channels =
            [
                new ChannelTotal(Gpu0, Energy.FromJoules(1000), true, null)
                {
                    Attribution = new GpuAttribution("gpu:0", 0.75, [4242], "by SM utilisation (nvmlDeviceGetProcessUtilization)"),
                },
            ],
            Epochs = [],
        }, 20);
        yield return ("summary-shared-gpu.json", Summary(shared, [], null, null));

        // The command never started: no exit code, no meter, no epoch, no reading.
        var never = new MeasurementOutcome("8", new MeasurementSummary(null, TimeSpan.Zero, [], [], new Dictionary<string, double>(), null, ["cannot start"]));
        yield return ("summary-never-started.json", Summary(never, [], null, null));

        // `estimate --run ID --json` writes the same properties as the summary's "estimate", compact.
        yield return ("estimate-run.json", JsonOutput.Object(Estimate().WriteProperties));
    }

    [Theory]
    [InlineData("summary-full.json")]
    [InlineData("summary-no-estimate.json")]
    [InlineData("summary-projections.json")]
    [InlineData("summary-never-started.json")]
    [InlineData("summary-shared-gpu.json")]
    [InlineData("estimate-run.json")]
    public void Summary_Json_Is_Byte_For_Byte_The_Golden_Document(string name)
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("de-DE");
            GoldenFile.Verify(Documents().Single(d => d.Name == name).Json, name);
        }
        finally
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = previous;
        }
    }

    private sealed class FakeEstimator : IPreEstimator
    {
        public string Name => "fake v1 (ü)";

        public string Description => "fitted on <3> runs & 'tests' + \"quotes\"\tand a tab";

        public PreEstimate Estimate(RunDescription run) => new(Power.FromWatts(230.25), Energy.FromJoules(9000.5), TimeSpan.FromSeconds(39.0625), 0.75, 1.5, "fake");
    }
}
