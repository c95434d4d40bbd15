using System.Globalization;
using System.Text;
using System.Text.Json;
using TrainWatt.Core;
using TrainWatt.Core.Units;
using TrainWatt.Storage.Export;
using TrainWatt.Testing;

using TrainWatt.Core.Projection;

namespace TrainWatt.Storage.Tests.Export;

/// <summary>
/// The run JSON of <c>runs list --json</c> and <c>export --format json</c>, byte for byte, for runs built in memory
/// (golden files under Export/Golden, captured from the hand-written Utf8JsonWriter code before the typed records
/// replaced it). Written under de-DE to prove the numbers and times stay invariant.
/// </summary>
public class RunJsonGoldenTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.FromHours(1));

    /// <summary>A finished measured run with tags, metadata, a job, every device state, epochs with and without energy, annotations.</summary>
    internal static RunDetails Measured()
    {
        var run = new RunRecord(
            17, "0b7f6c1e-8d6a-4f0e-9a55-3c2e1d0f9a77", "measure", null, T0, T0.AddSeconds(123.456789), RunStatus.Completed, RunStatus.Completed, 0,
            "python train.py --lr 0.001 <a&b> 'ü'",
            new Dictionary<string, string> { ["zeta"] = "last", ["architecture"] = "vgg16", ["Batch_size"] = "32", ["note"] = "+1 <x>" },
            "job-7", "node-01", 4242,
            """{"framework":"keras","epochs":[1,2.50,3e2],"nested":{"ok":true,"none":null,"text":"ä\u00e9"}}""",
            3, 1200, 2);
        var gpu = new StoredDevice(101, 17, "gpu:0", "gpu", "NVIDIA A100-SXM4-80GB", Provenance.Counter, "GPU-aaaa", null);
        var ram = new StoredDevice(102, 17, "ram", "ram", null, Provenance.Model, null, "0.375 W/GB × 16 GB");
        var dead = new StoredDevice(103, 17, "gpu:1", "gpu", "NVIDIA Fake", Provenance.Sampled, null, null);
        return new RunDetails(
            run,
            [gpu, ram, dead],
            [
                new StoredDeviceEnergy(gpu, 1000, T0, T0.AddSeconds(123.4), Energy.FromJoules(25_000.125), Provenance.Counter, Power.FromWatts(202.59), Power.FromWatts(1.0 / 3 * 1000), TimeSpan.FromSeconds(0.15), TimeSpan.Zero),
                new StoredDeviceEnergy(ram, 200, T0.AddSeconds(0.1), T0.AddSeconds(120), Energy.FromJoules(6.9e-05), Provenance.Model, Power.FromWatts(6), Power.FromWatts(6), TimeSpan.FromSeconds(31.5), TimeSpan.FromSeconds(30.25)),
                new StoredDeviceEnergy(dead, 0, null, null, null, Provenance.Sampled, null, null, null, TimeSpan.Zero),
            ],
            [
                new EpochRecord(1, T0.AddSeconds(0.5), T0.AddSeconds(40), Energy.FromJoules(8004.1001), Provenance.Counter, 50_000),
                new EpochRecord(2, T0.AddSeconds(40), T0.AddSeconds(80.123456), null, Provenance.Sampled),
            ],
            [
                new AnnotationRecord("meter", "gpu:1 gave no data \"at all\"", null, null, 103),
                new AnnotationRecord("import", "line skipped", "trace.csv", 12, null),
            ]);
    }

    /// <summary>A run still running: nothing ended, no tags, no metadata, no device.</summary>
    internal static RunDetails Running() => new(
        new RunRecord(18, "uuid-18", "import", "seaa2023/run.csv", T0.AddDays(1), null, RunStatus.Incomplete, RunStatus.Running, null, null,
            new Dictionary<string, string>(), null, null, null, null, 0, 0, 0),
        [], [], [], []);

    internal static IReadOnlyList<ProjectionEntry> History() =>
    [
        new ProjectionEntry(1, Energy.FromJoules(24_000), Energy.FromJoules(20_000.5), Energy.FromJoules(28_000), 0.9, "step", null, null, null, T0.AddSeconds(40.123456)),
        new ProjectionEntry(2, Energy.FromJoules(25_500.75), Energy.FromJoules(24_000), Energy.FromJoules(1e16), 0.95, "step-power", 1, 3, 5, T0.AddSeconds(80.25)),
    ];

    private static IEnumerable<SampleRecord> Samples() =>
    [
        new SampleRecord(101, T0, Power.FromWatts(200.5), Energy.FromJoules(0), 99.5, 40_000, 61, Provenance.Counter),
        new SampleRecord(102, T0.AddSeconds(0.1), Power.FromWatts(6), null, null, null, null, Provenance.Model, 7),
    ];

    /// <summary>What <c>runs list --json</c> writes (RunsCommand.ListJson's composition).</summary>
    private static string List(IEnumerable<RunRecord> runs)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var run in runs)
            {
                // runs list adds energy_j (the run's energy, null when it has none) and outcome to each run
                RunJson.WriteListEntry(json, run, run.Status == RunStatus.Completed ? 2345.678 : null, run.Status == RunStatus.Completed ? "completed" : "running");
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static string Export(RunDetails details, IEnumerable<SampleRecord> samples, IReadOnlyList<ProjectionEntry>? projections)
    {
        using var stream = new MemoryStream();
        RunExporter.WriteJson(stream, details, samples, projections);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    internal static string Document(string name) => name switch
    {
        "runs-list.json" => List([Measured().Run, Running().Run]),
        "export-measured.json" => Export(Measured(), Samples(), History()),
        "export-running.json" => Export(Running(), [], null),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    [Theory]
    [InlineData("runs-list.json")]
    [InlineData("export-measured.json")]
    [InlineData("export-running.json")]
    public void Run_Json_Is_Byte_For_Byte_The_Golden_Document(string name)
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
