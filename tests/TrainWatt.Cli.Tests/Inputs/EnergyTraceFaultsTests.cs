using System.Globalization;
using System.Text.Json;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Inputs;

/// <summary>Issue 13: <c>energy</c> never integrates impossible samples into a silent wrong number.</summary>
public sealed class EnergyTraceFaultsTests
{
    private const string Header = "timestamp, index, name, pci.bus_id, power.draw [W]";

    private static string Line(int second, int index, string bus, string power)
        => string.Create(CultureInfo.InvariantCulture, $"2024/01/01 00:00:{second:00}.000, {index}, A100, {bus}, {power}");

    private static JsonElement[] Rows(string stdout) => JsonDocument.Parse(stdout).RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();

    [Fact]
    public void A_negative_power_is_a_fault_naming_its_line_not_minus_300_J()
    {
        // t = 0..3 s at 100 W except -300 W at t = 1 (line 3): left out, 3 s x 100 W = 300 J (as given: -100 J).
        using var dir = new TempDirectory();
        string trace = dir.File("gpu.csv");
        File.WriteAllLines(trace, [Header, Line(0, 0, "01", "100 W"), Line(1, 0, "01", "-300 W"), Line(2, 0, "01", "100 W"), Line(3, 0, "01", "100 W")]);
        var (code, stdout, stderr) = CliHarness.Run("energy", trace, "--json");
        Assert.True(code == 0, stderr);
        var row = Assert.Single(Rows(stdout));
        Assert.Equal(300.0, row.GetProperty("energy_j").GetDouble(), 9);
        var fault = Assert.Single(row.GetProperty("faults").EnumerateArray());
        Assert.Equal("invalid_value", fault.GetProperty("kind").GetString());
        Assert.Equal(3, fault.GetProperty("line").GetInt32());
    }

    [Fact]
    public void A_re_covered_span_is_integrated_once()
    {
        // 0..9 s at 100 W, then the same 10 s again: 9 s and 900 J, not 18 s and 1800 J.
        using var dir = new TempDirectory();
        string trace = dir.File("gpu.csv");
        File.WriteAllLines(trace, [Header, .. Enumerable.Range(0, 20).Select(i => Line(i % 10, 0, "01", "100 W"))]);
        var (code, stdout, stderr) = CliHarness.Run("energy", trace, "--json");
        Assert.True(code == 0, stderr);
        var row = Assert.Single(Rows(stdout));
        Assert.Equal(900.0, row.GetProperty("energy_j").GetDouble(), 9);
        Assert.Equal(9.0, row.GetProperty("integrated_duration_s").GetDouble(), 9);
        Assert.Contains(row.GetProperty("faults").EnumerateArray(), f => f.GetProperty("kind").GetString() == "non_monotonic_time");
    }

    [Fact]
    public void Two_gpus_sharing_index_0_are_two_rows()
    {
        // GPU on bus 01: 100 W over 1 s = 100 J; GPU on bus 02: 300 W over 1 s = 300 J (merged they would be one 200 W GPU).
        using var dir = new TempDirectory();
        string trace = dir.File("gpu.csv");
        File.WriteAllLines(trace, [Header, Line(0, 0, "01", "100 W"), Line(0, 0, "02", "300 W"), Line(1, 0, "01", "100 W"), Line(1, 0, "02", "300 W")]);
        var (code, stdout, stderr) = CliHarness.Run("energy", trace, "--json");
        Assert.True(code == 0, stderr);
        var rows = Rows(stdout);
        Assert.Equal(["0", "0/02"], rows.Select(r => r.GetProperty("device").GetString()));
        Assert.Equal([100.0, 300.0], rows.Select(r => r.GetProperty("energy_j").GetDouble()));
        Assert.Contains(rows[0].GetProperty("faults").EnumerateArray(), f => f.GetProperty("kind").GetString() == "shared_device_index");
    }

    [Fact]
    public void Interleaved_gpus_without_an_index_exit_65_saying_to_add_the_index_column()
    {
        using var dir = new TempDirectory();
        string trace = dir.File("gpu.csv");
        File.WriteAllLines(trace, ["timestamp, name, power.draw [W]", .. Enumerable.Range(0, 10).SelectMany(t => new[]
        {
            string.Create(CultureInfo.InvariantCulture, $"2024/01/01 00:00:{t:00}.000, A100, 100 W"),
            string.Create(CultureInfo.InvariantCulture, $"2024/01/01 00:00:{t:00}.000, A100, 300 W"),
        })]);
        var (code, stdout, stderr) = CliHarness.Run("energy", trace, "--json");
        Assert.Equal(65, code);
        Assert.Contains("add the index column", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }
}
