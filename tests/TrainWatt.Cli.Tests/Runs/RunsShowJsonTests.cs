using System.Globalization;
using System.Text;
using System.Text.Json;
using TrainWatt.Core;
using TrainWatt.Core.Accounting;
using TrainWatt.Core.Projection;
using TrainWatt.Core.Units;
using TrainWatt.Storage;
using TrainWatt.Storage.Export;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Runs;

using Energy = TrainWatt.Core.Units.Energy;

/// <summary>
/// The document of <c>runs show --json</c>, byte for byte (golden files under Golden, captured from the hand-written
/// writer before the typed records replaced it): the run's details, its projection history and how it fared.
/// </summary>
public class RunsShowJsonTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 11, 0, 0, TimeSpan.Zero);

    internal static RunDetails Details()
    {
        var run = new RunRecord(
            5, "uuid-5", "measure", null, T0, T0.AddSeconds(90.5), RunStatus.Failed, RunStatus.Failed, 137, "bash -c 'sleep 1'",
            new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" }, null, "host", 99, """{"k":[1.0,"x"]}""", 1, 3, 1);
        var gpu = new StoredDevice(1, 5, "gpu:0", "gpu", "GPU", Provenance.Sampled, null, null);
        return new RunDetails(
            run,
            [gpu],
            [new StoredDeviceEnergy(gpu, 3, T0, T0.AddSeconds(90), Energy.FromJoules(9000.000001), Provenance.Sampled, Power.FromWatts(100), Power.FromWatts(120.5), TimeSpan.FromSeconds(45), TimeSpan.Zero)],
            [new EpochRecord(1, T0.AddSeconds(1), T0.AddSeconds(45.5), Energy.FromJoules(4450), Provenance.Sampled, 10)],
            [new AnnotationRecord("exit", "killed by signal 9")]);
    }

    /// <summary>A run whose one GPU has 4 samples and no power or energy value (an import where every power was [N/A]).</summary>
    internal static RunDetails DetailsWithoutEnergy()
    {
        var run = new RunRecord(
            6, "uuid-6", "import:nvidia-smi", "trace.csv#0", T0, T0.AddSeconds(3), RunStatus.Completed, RunStatus.Completed, null, null,
            new Dictionary<string, string>(), null, "host", 99, null, 1, 4, 0);
        var gpu = new StoredDevice(2, 6, "gpu:0", "gpu", "GPU", Provenance.Sampled, null, null);
        return new RunDetails(run, [gpu], [new StoredDeviceEnergy(gpu, 4, T0, T0.AddSeconds(3), null, Provenance.Sampled, null, null, TimeSpan.FromSeconds(1), TimeSpan.Zero)], [], []);
    }

    /// <summary>
    /// <see cref="Details"/> with a counter GPU whose power samples integrate to 9,450 J beside the counter's 9,000 J:
    /// +5.0000001 %, just over the 5 % flag (hand: 450 / 9,000.000001).
    /// </summary>
    internal static RunDetails CounterDetails()
    {
        var details = Details();
        var gpu = details.Devices[0] with { Provenance = Provenance.Counter };
        return details with
        {
            Devices = [gpu],
            Energy = [details.Energy[0] with { Device = gpu, Provenance = Provenance.Counter, SampledEnergy = Energy.FromJoules(9450.0000011) }],
        };
    }

    internal static IReadOnlyList<ProjectionEntry> History() =>
    [
        new ProjectionEntry(1, Energy.FromJoules(9100), Energy.FromJoules(8000), Energy.FromJoules(10_000), 0.9, "carbontracker", 1, 2, 2, T0.AddSeconds(45.5)),
        new ProjectionEntry(2, Energy.FromJoules(9300), Energy.FromJoules(8900), Energy.FromJoules(9700), 0.9, "step", 1, 2, 2, T0.AddSeconds(50.25))
        {
            // Issue 14: a whole-job projection says what it holds and where its priors came from.
            StartupEnergy = Energy.FromJoules(600.5), TailEnergy = Energy.FromJoules(400), TailPriorSource = "default",
            DriftPrior = 0.0256, DriftPriorSource = "learned from 30 finished runs",
        },
    ];

    /// <summary>
    /// The run's phases as <see cref="StoredRunPhases"/> would split it, by hand: 1 s of start-up at 100 W before the
    /// epoch (100 J), the epoch's 4,450 J from 1 s to 45.5 s, then the tail to 90.5 s: 9,000.000001 − 4,550 = 4,450.000001 J.
    /// </summary>
    internal static RunPhases Phases() => RunPhases.Split(
        TimeSpan.FromSeconds(90.5), Energy.FromJoules(9000.000001), [(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(45.5), Energy.FromJoules(4450))],
        Energy.FromJoules(100), Energy.FromJoules(4550), ["sampled"])!;

    /// <summary>What <c>runs show --json</c> writes (RunsCommand.ShowJson's composition).</summary>
    internal static string Show(RunDetails details, IReadOnlyList<ProjectionEntry> projections, ProjectionErrorSummary? error, RunPhases? phases = null)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            RunJson.WriteDetailsMembers(json, details);
            RunJson.WritePhases(json, phases);
            ProjectionJson.WriteMembers(json, projections, error);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    internal static string Document(string name) => name switch
    {
        "runs-show.json" => Show(CounterDetails(), History(), LiveProjection.FinalError(History(), CounterDetails().TotalEnergy!.Value), Phases()),
        "runs-show-no-projection.json" => Show(Details(), [], null),
        "runs-show-no-energy.json" => Show(DetailsWithoutEnergy(), [], null),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    [Theory]
    [InlineData("runs-show.json")]
    [InlineData("runs-show-no-projection.json")]
    [InlineData("runs-show-no-energy.json")]
    public void Runs_Show_Json_Is_Byte_For_Byte_The_Golden_Document(string name)
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("de-DE");
            GoldenFile.Verify(Document(name), name);
        }
        finally
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = previous;
        }
    }
}
