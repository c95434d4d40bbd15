using System.Text;
using System.Text.Json;
using TrainWatt.Core;
using TrainWatt.Core.Units;
using TrainWatt.Storage.Export;
using TrainWatt.Storage.Sqlite;
using TrainWatt.Testing;

namespace TrainWatt.Storage.Tests.Export;

public class RunExporterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Should_Stream_A_Long_Run_As_Valid_Json_And_Csv_With_Every_Sample()
    {
        // Given: 20,000 samples (several 64 KiB JSON flushes), power k mod 500 W at T0 + 100 k ms.
        using var temp = new TempDirectory();
        using var store = SqliteRunStore.Open(temp.File("s.db"));
        long run = store.CreateRun(new NewRun("measure", T0));
        long device = store.RegisterDevice(run, new DeviceRegistration("gpu:0", "gpu", "GPU", Provenance.Sampled));
        store.AppendSamples(run, Enumerable.Range(0, 20_000)
            .Select(k => new SampleRecord(device, T0.AddMilliseconds(100.0 * k), Power.FromWatts(k % 500), null, null, null, null, Provenance.Sampled))
            .ToList());
        store.FinishRun(run, RunStatus.Completed, T0.AddSeconds(2000));
        var details = store.GetRun(run)!;

        // When
        using var json = new MemoryStream();
        RunExporter.WriteJson(json, details, store.EnumerateSamples(run));
        using var csv = new StringWriter();
        RunExporter.WriteSamplesCsv(csv, details, store.EnumerateSamples(run));

        // Then
        using var document = JsonDocument.Parse(json.ToArray());
        var samples = document.RootElement.GetProperty("samples");
        Assert.Equal(20_000, samples.GetArrayLength());
        Assert.Equal(19_999 % 500, samples[19_999].GetProperty("power_w").GetDouble());
        string[] lines = csv.ToString().TrimEnd('\n').Split('\n');
        Assert.Equal(20_001, lines.Length);
        Assert.Equal(RunExporter.SamplesHeader, lines[0]);
        Assert.EndsWith(",499,,,,,sampled,", lines[500]); // sample k = 499 is on line 500 (header is line 0)
        Assert.Equal(store.ReadSamples(run), store.EnumerateSamples(run).ToList());
    }

    [Fact]
    public void Should_Quote_Csv_Fields_That_Hold_Commas_Or_Quotes()
    {
        // Oracle: RFC 4180 section 2.6-2.7.
        Assert.Equal("plain", RunExporter.Csv("plain"));
        Assert.Equal("\"a,b\"", RunExporter.Csv("a,b"));
        Assert.Equal("\"say \"\"hi\"\"\"", RunExporter.Csv("say \"hi\""));
        Assert.Equal("", RunExporter.Csv(null));
    }

    [Fact]
    public void Should_Write_Numbers_Invariantly_Whatever_The_Culture()
    {
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            Assert.Equal("1234.5", RunExporter.Number(1234.5));
            Assert.Equal("6.9e-05", RunExporter.Number(6.9e-05));
            Assert.Equal("", RunExporter.Number(null));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }
}
