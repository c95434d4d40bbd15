using System.IO.Compression;
using System.Text;
using System.Text.Json;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Samples;

/// <summary>
/// The bundled sample trace (samples/traces/gpu-power-sample.csv.gz) is exactly what <see cref="SyntheticTrace"/>
/// generates, and the README's main command integrates it to the energy computed here from the generator's own
/// numbers (independent of the CSV parser). Regenerate the file with TRAINWATT_REGENERATE_SAMPLES=1 (see samples/README.md).
/// </summary>
public class SampleTraceTests
{
    private static string SamplePath => Path.Combine(SharedData.RepositoryRoot, "samples", "traces", "gpu-power-sample.csv.gz");

    [Fact]
    public void Committed_Sample_Equals_The_Generator_Output()
    {
        string expected = SyntheticTrace.ToCsv(SyntheticTrace.Generate());
        if (Environment.GetEnvironmentVariable("TRAINWATT_REGENERATE_SAMPLES") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(SamplePath)!);
            using var file = File.Create(SamplePath);
            using var gz = new GZipStream(file, CompressionLevel.SmallestSize);
            gz.Write(Encoding.UTF8.GetBytes(expected));
        }

        Assert.True(File.Exists(SamplePath), $"{SamplePath} is missing; run the tests once with TRAINWATT_REGENERATE_SAMPLES=1.");
        using var reader = new StreamReader(new GZipStream(File.OpenRead(SamplePath), CompressionMode.Decompress));
        Assert.Equal(expected, reader.ReadToEnd());
        Assert.True(new FileInfo(SamplePath).Length < 100_000, "the sample must stay under 100 KB");
    }

    [Fact]
    public void Readme_Main_Command_Integrates_The_Sample_To_The_Generator_Energy()
    {
        // Oracle: trapezoid over the generator's own (time, watts) list, rounded to 0.01 W as written in the file.
        var points = SyntheticTrace.Generate();
        double expected = 0;
        for (int i = 1; i < points.Count; i++)
        {
            double dt = (points[i].Timestamp - points[i - 1].Timestamp).TotalSeconds;
            expected += dt * (points[i].Watts + points[i - 1].Watts) / 2;
        }

        var (code, stdout, stderr) = CliHarness.Run("energy", Path.Combine(SharedData.RepositoryRoot, "samples", "traces"), "--json");

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var row = Assert.Single(doc.RootElement.EnumerateArray());
        Assert.Equal(points.Count, row.GetProperty("samples").GetInt32());
        Assert.Equal(expected, row.GetProperty("energy_j").GetDouble(), 6);
        // A realistic run: 10-20 minutes, mean power between idle and the 350 W limit.
        Assert.InRange(row.GetProperty("duration_s").GetDouble(), 600, 1200);
        Assert.InRange(row.GetProperty("mean_power_w").GetDouble(), 150, 300);
    }
}
