using System.Globalization;
using System.Text.Json;
using TrainWatt.Core;
using TrainWatt.Core.Units;
using TrainWatt.Meters;
using TrainWatt.Meters.Sampling;
using TrainWatt.Storage;
using TrainWatt.Storage.Export;
using TrainWatt.Storage.Sqlite;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests;

/// <summary>
/// Issue 12: a provenance is spelled one way in every output. Every <see cref="Provenance"/> value goes through every
/// output that writes one (measure summary JSON and text, run JSON and CSV exports, CodeCarbon extras, <c>runs show</c>
/// text and JSON) and must come out as <see cref="ProvenanceText.Name"/>, the documented spelling.
/// </summary>
public class ProvenanceSpellingTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private static readonly Provenance[] All = Enum.GetValues<Provenance>();

    // One component per provenance; "dram" counts as RAM in the CodeCarbon row.
    private static readonly string[] Components = ["gpu", "cpu", "ram", "dram"];

    // Oracle: README and docs: counter, sampled, model, user-given.
    private static readonly string[] Documented = ["counter", "sampled", "model", "user-given"];

    private static void AssertNoOtherSpelling(string output)
    {
        Assert.DoesNotContain("user_given", output, StringComparison.Ordinal);
        Assert.DoesNotContain("usergiven", output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_Central_Name_Should_Be_The_Documented_Spelling()
        => Assert.Equal(Documented, All.Select(ProvenanceText.Name));

    [Fact]
    public void Measure_Summary_Json_And_Text_Should_Use_The_Central_Name()
    {
        var channels = All.Select((p, i) => new MeterChannel($"{Components[i]}:0", Components[i], "device", p)).ToArray();
        var outcome = new MeasurementOutcome("1", new MeasurementSummary(
            ExitCode: 0,
            Duration: TimeSpan.FromSeconds(10),
            Channels: channels.Select(c => new ChannelTotal(c, Core.Units.Energy.FromJoules(100), true, null)).ToArray(),
            Epochs: [],
            Metrics: new Dictionary<string, double>(),
            TotalEpochs: null,
            Notes: []));

        string json = MeasureSummaryDocument.Create(outcome, [], null, null).ToJson();
        var components = JsonDocument.Parse(json).RootElement.GetProperty("components").EnumerateArray().ToArray();
        Assert.Equal(All.Select(ProvenanceText.Name), components.Select(c => c.GetProperty("provenance").GetString()));
        AssertNoOtherSpelling(json);

        var lines = MeasureReport.Text(outcome, footprint: null, modelOnly: false, TimeSpan.Zero).ToList();
        for (int i = 0; i < All.Length; i++)
        {
            string line = Assert.Single(lines, l => l.TrimStart().StartsWith(channels[i].Id + " ", StringComparison.Ordinal));
            Assert.Contains($" {ProvenanceText.Name(All[i])} ", line, StringComparison.Ordinal);
        }

        AssertNoOtherSpelling(string.Join('\n', lines));
    }

    [Fact]
    public void Run_Exports_And_Runs_Show_Should_Use_The_Central_Name()
    {
        // Given: a stored run with one device, two samples and one epoch per provenance.
        using var dir = new TempDirectory();
        string db = dir.File("runs.db");
        long run;
        using (var store = SqliteRunStore.Open(db))
        {
            run = store.CreateRun(new NewRun("measure", T0));
            var samples = new List<SampleRecord>();
            for (int i = 0; i < All.Length; i++)
            {
                long device = store.RegisterDevice(run, new DeviceRegistration($"{Components[i]}:0", Components[i], "device", All[i]));
                // A counter device's energy is counter energy only when it has counter readings (else it is sampled).
                Core.Units.Energy? counter = All[i] == Provenance.Counter ? Core.Units.Energy.Zero : null;
                samples.Add(new SampleRecord(device, T0, Power.FromWatts(10), counter, null, null, null, All[i]));
                samples.Add(new SampleRecord(device, T0.AddSeconds(1), Power.FromWatts(10), counter + Core.Units.Energy.FromJoules(10), null, null, null, All[i]));
            }

            store.AppendSamples(run, samples);
            for (int i = 0; i < All.Length; i++)
            {
                store.AddEpoch(run, new EpochRecord(i + 1, T0.AddSeconds(0.25 * i), T0.AddSeconds(0.25 * (i + 1)), Core.Units.Energy.FromJoules(1), All[i]));
            }

            store.FinishRun(run, RunStatus.Completed, T0.AddSeconds(1), exitCode: 0);
        }

        string[] expected = All.Select(ProvenanceText.Name).ToArray();
        using (var store = SqliteRunStore.Open(db))
        {
            var details = store.GetRun(run)!;

            // Run JSON export: devices (provenance, energy_provenance), epochs, samples.
            using var stream = new MemoryStream();
            RunExporter.WriteJson(stream, details, store.EnumerateSamples(run));
            var root = JsonDocument.Parse(stream.ToArray()).RootElement;
            Assert.Equal(expected, root.GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("provenance").GetString()));
            Assert.Equal(expected, root.GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("energy_provenance").GetString()));
            Assert.Equal(expected, root.GetProperty("epochs").EnumerateArray().Select(e => e.GetProperty("provenance").GetString()));
            Assert.Equal(expected.SelectMany(p => new[] { p, p }), root.GetProperty("samples").EnumerateArray().Select(s => s.GetProperty("provenance").GetString()));
            AssertNoOtherSpelling(System.Text.Encoding.UTF8.GetString(stream.ToArray()));

            // CSV exports: the provenance column of every sample and epoch row.
            using var samplesCsv = new StringWriter();
            RunExporter.WriteSamplesCsv(samplesCsv, details, store.EnumerateSamples(run));
            Assert.Equal(expected.SelectMany(p => new[] { p, p }), Column(samplesCsv.ToString(), "provenance"));
            using var epochsCsv = new StringWriter();
            RunExporter.WriteEpochsCsv(epochsCsv, details);
            Assert.Equal(expected, Column(epochsCsv.ToString(), "provenance"));

            // CodeCarbon extras: ram is ram + dram, joined in ordinal order.
            string row = CodeCarbonExporter.Row(details, new CarbonSettings(CarbonIntensity.FromGramsPerKilowattHour(400), ProvenanceText.Name(Provenance.UserGiven)));
            var cells = CodeCarbonExporter.Header.Split(',').Zip(row.Split(',')).ToDictionary(p => p.First, p => p.Second);
            Assert.Equal(("counter", "sampled", "model+user-given", "user-given"),
                (cells["gpu_energy_provenance"], cells["cpu_energy_provenance"], cells["ram_energy_provenance"], cells["carbon_intensity_source"]));
        }

        // CodeCarbon through the CLI: the source of a given intensity.
        var (exportCode, exportOut, exportErr) = CliHarness.Run("export", run.ToString(CultureInfo.InvariantCulture), "--format", "codecarbon", "--carbon-intensity", "400", "--db", db);
        Assert.True(exportCode == 0, exportErr);
        Assert.Equal("user-given", Column(exportOut, "carbon_intensity_source").Single());
        AssertNoOtherSpelling(exportOut);

        // runs show: the PROVENANCE columns of the device and epoch tables, and the JSON.
        var (textCode, text, textErr) = CliHarness.Run("runs", "show", run.ToString(CultureInfo.InvariantCulture), "--db", db);
        Assert.True(textCode == 0, textErr);
        for (int i = 0; i < All.Length; i++)
        {
            string deviceLine = Assert.Single(text.Split('\n'), l => l.TrimStart().StartsWith($"{Components[i]}:0 ", StringComparison.Ordinal));
            Assert.Contains($" {expected[i]} ", deviceLine, StringComparison.Ordinal);
        }

        Assert.Equal(All.Length, text.Split('\n').Count(l => expected.Any(p => l.TrimEnd().EndsWith(" " + p, StringComparison.Ordinal))));
        AssertNoOtherSpelling(text);

        var (jsonCode, json, jsonErr) = CliHarness.Run("runs", "show", run.ToString(CultureInfo.InvariantCulture), "--db", db, "--json");
        Assert.True(jsonCode == 0, jsonErr);
        var shown = JsonDocument.Parse(json).RootElement;
        Assert.Equal(expected, shown.GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("provenance").GetString()));
        Assert.Equal(expected, shown.GetProperty("epochs").EnumerateArray().Select(e => e.GetProperty("provenance").GetString()));
        AssertNoOtherSpelling(json);
    }

    /// <summary>The values of one column of a CSV without quoted fields.</summary>
    private static IEnumerable<string> Column(string csv, string name)
    {
        var lines = csv.TrimEnd('\n').Split('\n');
        int index = Array.IndexOf(lines[0].Split(','), name);
        Assert.True(index >= 0, $"no column {name}");
        return lines.Skip(1).Select(l => l.Split(',')[index]).ToArray();
    }
}
