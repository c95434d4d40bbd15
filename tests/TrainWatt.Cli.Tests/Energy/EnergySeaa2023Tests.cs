using System.Globalization;
using System.Text.Json;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Energy;

/// <summary>
/// The issue's acceptance commands on ../shared/data/seaa2023 (skipped when absent). Oracles: crosscheck.csv
/// <c>processed_energy_J</c> (the authors' energy) and trace-index.csv <c>energy_J</c> (plain trapezoid, float watts).
/// </summary>
public class EnergySeaa2023Tests
{
    private static Dictionary<string, Dictionary<string, string>> ReadTable(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        return lines.Skip(1).Where(l => l.Length > 0)
            .Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal))
            .ToDictionary(r => $"{r["environment"]}/{r["model"]}/gpu-power-{r["file_timestamp"]}.csv.gz", StringComparer.Ordinal);
    }

    private static Dictionary<string, JsonElement> RunEnergy(string traces, params string[] extra)
    {
        var (code, stdout, _) = CliHarness.Run(["energy", traces, "--json", .. extra]);
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        return doc.RootElement.EnumerateArray().ToDictionary(
            e => Path.GetRelativePath(traces, e.GetProperty("file").GetString()!).Replace('\\', '/'),
            e => e.Clone(),
            StringComparer.Ordinal);
    }

    [Fact]
    public void Parity_Json_Matches_Processed_Energy_Of_All_309_Traces_Within_1e9()
    {
        string root = SharedData.RequireSeaa2023();
        string traces = Path.Combine(root, "traces");
        var expected = ReadTable(Path.Combine(root, "crosscheck.csv"));
        var rows = RunEnergy(traces, "--parity", "seaa2023");

        Assert.Equal(309, rows.Count);
        foreach (var (file, row) in rows)
        {
            double want = double.Parse(expected[file]["processed_energy_J"], CultureInfo.InvariantCulture);
            double got = row.GetProperty("energy_j").GetDouble();
            Assert.True(Math.Abs(got - want) <= 1e-9 * want, $"{file}: {got:R} J vs {want:R} J");
        }
    }

    [Fact]
    public void Plain_Json_Matches_Trace_Index_Energy_Within_1e6_And_Reports_48_Half_Written_Lines()
    {
        string root = SharedData.RequireSeaa2023();
        string traces = Path.Combine(root, "traces");
        var expected = ReadTable(Path.Combine(root, "trace-index.csv"));
        var rows = RunEnergy(traces);

        Assert.Equal(309, rows.Count);
        int truncated = 0;
        foreach (var (file, row) in rows)
        {
            double want = double.Parse(expected[file]["energy_J"], CultureInfo.InvariantCulture);
            double got = row.GetProperty("energy_j").GetDouble();
            Assert.True(Math.Abs(got - want) <= 1e-6 * want, $"{file}: {got:R} J vs {want:R} J");
            truncated += row.GetProperty("faults").EnumerateArray().Count(f => f.GetProperty("kind").GetString() == "truncated_line");
        }

        Assert.Equal(48, truncated);
    }
}
