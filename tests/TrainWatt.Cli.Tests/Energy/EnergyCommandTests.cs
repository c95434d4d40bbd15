using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Energy;

/// <summary>
/// <c>trainwatt energy</c> end to end on small files written by each test. Expected energies are derived by hand in
/// the comments (trapezoid: Σ Δt × (P₁ + P₂) / 2).
/// </summary>
public class EnergyCommandTests
{
    private const string Header = "timestamp, index, name, power.draw [W], utilization.gpu [%]";

    internal static void WriteGzip(string path, string text)
    {
        using var file = File.Create(path);
        using var gz = new GZipStream(file, CompressionLevel.Optimal);
        gz.Write(Encoding.UTF8.GetBytes(text));
    }

    private static JsonElement[] ParseArray(string stdout)
    {
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(JsonValueKind.Array, doc.RootElement.ValueKind);
        return doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
    }

    [Fact]
    public void Should_Write_One_Json_Array_Sorted_By_File_With_One_Object_Per_Device()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("sub"));
        // b: one GPU, t = 0, 1, 3 s, P = 100, 200, 100 W → 150 + 300 = 450 J over 3 s; mean 133.33 W; max 200 W.
        File.WriteAllText(dir.File("gpu-power-b.csv"), Header + "\n" +
            "2024/01/01 00:00:00.000, 0, A100, 100.00 W, 50 %\n" +
            "2024/01/01 00:00:01.000, 0, A100, 200.00 W, 50 %\n" +
            "2024/01/01 00:00:03.000, 0, A100, 100.00 W, 50 %\n");
        // a (in sub/, gzip): two GPUs interleaved. GPU 0: 10 W then 30 W over 2 s → 40 J. GPU 1: 50 W constant over 2 s → 100 J.
        WriteGzip(Path.Combine(dir.File("sub"), "gpu-power-a.csv.gz"), Header + "\n" +
            "2024/01/01 00:00:00.000, 0, A100, 10.00 W, 1 %\n" +
            "2024/01/01 00:00:00.000, 1, A100, 50.00 W, 1 %\n" +
            "2024/01/01 00:00:02.000, 0, A100, 30.00 W, 1 %\n" +
            "2024/01/01 00:00:02.000, 1, A100, 50.00 W, 1 %\n");
        // Not a GPU trace by name: ignored when searching a directory.
        File.WriteAllText(dir.File("cpu-mem-usage-x.csv"), "timestamp,cpu usage (%)\n");

        var (code, stdout, stderr) = CliHarness.Run("energy", dir.Path, "--json");

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, stderr);
        var rows = ParseArray(stdout);
        Assert.Equal(3, rows.Length);
        // Sorted by path (ordinal): ".../gpu-power-b.csv" < ".../sub/gpu-power-a.csv.gz".
        Assert.EndsWith("gpu-power-b.csv", rows[0].GetProperty("file").GetString());
        Assert.EndsWith("gpu-power-a.csv.gz", rows[1].GetProperty("file").GetString());
        Assert.Equal("0", rows[1].GetProperty("device").GetString());
        Assert.Equal("1", rows[2].GetProperty("device").GetString());

        Assert.Equal(450.0, rows[0].GetProperty("energy_j").GetDouble(), 9);
        Assert.Equal(3, rows[0].GetProperty("samples").GetInt32());
        Assert.Equal(3.0, rows[0].GetProperty("duration_s").GetDouble(), 9);
        Assert.Equal(400.0 / 3, rows[0].GetProperty("mean_power_w").GetDouble(), 9);
        Assert.Equal(200.0, rows[0].GetProperty("max_power_w").GetDouble());
        Assert.Equal("sampled", rows[0].GetProperty("provenance").GetString());
        Assert.Equal("trapezoid", rows[0].GetProperty("method").GetString());
        Assert.Equal(0, rows[0].GetProperty("faults").GetArrayLength());
        Assert.Equal(40.0, rows[1].GetProperty("energy_j").GetDouble(), 9);
        Assert.Equal(100.0, rows[2].GetProperty("energy_j").GetDouble(), 9);
    }

    [Fact]
    public void Should_Report_Faults_In_Json_And_On_Stderr_And_Still_Succeed()
    {
        using var dir = new TempDirectory();
        // Line 3 is garbage, line 5 is half-written. Kept: t = 0, 2 at 10 W → 20 J.
        string path = dir.File("gpu-power-x.csv");
        File.WriteAllText(path, Header + "\n" +
            "2024/01/01 00:00:00.000, 0, A100, 10.00 W, 1 %\n" +
            "oops\n" +
            "2024/01/01 00:00:02.000, 0, A100, 10.00 W, 1 %\n" +
            "2024/01/01 00:00:03.000, 0, A1");

        var (code, stdout, stderr) = CliHarness.Run("energy", path, "--json");

        Assert.Equal(0, code);
        var row = Assert.Single(ParseArray(stdout));
        Assert.Equal(20.0, row.GetProperty("energy_j").GetDouble(), 9);
        var faults = row.GetProperty("faults").EnumerateArray().ToArray();
        Assert.Equal(["garbage", "truncated_line"], faults.Select(f => f.GetProperty("kind").GetString()));
        Assert.Equal([3, 5], faults.Select(f => f.GetProperty("line").GetInt32()));
        Assert.Contains("gpu-power-x.csv", stderr);
        Assert.Contains("line 5: half-written last line", stderr);
    }

    [Fact]
    public void Should_Reproduce_Seaa2023_Parity_On_A_Small_Trace()
    {
        using var dir = new TempDirectory();
        // 8 samples 1 s apart; parity drops 3 + 3, leaving t = 3, 4 with 10.9 W and 20.5 W → integer parts 10, 20 →
        // 1 s × (10 + 20) / 2 = 15 J. Plain (float, all 8): powers 1.5,1.5,1.5,10.9,20.5,1.5,1.5,1.5 →
        // 1.5 + 1.5 + 6.2 + 15.7 + 11 + 1.5 + 1.5 = 38.9 J.
        string path = dir.File("gpu-power-p.csv");
        var text = new StringBuilder("timestamp, power.draw [W]\n");
        double[] watts = [1.5, 1.5, 1.5, 10.9, 20.5, 1.5, 1.5, 1.5];
        for (int i = 0; i < watts.Length; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"2024/01/01 00:00:0{i}.000, {watts[i]:0.00} W\n");
        }

        File.WriteAllText(path, text.ToString());

        var parity = Assert.Single(ParseArray(CliHarness.Run("energy", path, "--json", "--parity", "seaa2023").Out));
        var plain = Assert.Single(ParseArray(CliHarness.Run("energy", path, "--json").Out));

        Assert.Equal(15.0, parity.GetProperty("energy_j").GetDouble(), 12);
        Assert.Equal(2, parity.GetProperty("samples").GetInt32());
        Assert.Equal("seaa2023", parity.GetProperty("parity").GetString());
        Assert.Equal(38.9, plain.GetProperty("energy_j").GetDouble(), 9);
    }

    [Fact]
    public void Should_Exclude_Gaps_Over_The_Threshold_And_Use_The_Left_Rule_On_Request()
    {
        using var dir = new TempDirectory();
        // t = 0, 1, 4 at 100, 100, 200 W. Threshold 2 s: the 3 s interval is excluded → 100 J (trapezoid or left).
        // Threshold 5 s: trapezoid 100 + 3 × 150 = 550 J; left 100 + 3 × 100 = 400 J.
        string path = dir.File("gpu-power-g.csv");
        File.WriteAllText(path, "timestamp, power.draw [W]\n2024/01/01 00:00:00.000, 100 W\n2024/01/01 00:00:01.000, 100 W\n2024/01/01 00:00:04.000, 200 W\n");

        var gap = Assert.Single(ParseArray(CliHarness.Run("energy", path, "--json", "--gap-threshold", "2s").Out));
        var trapezoid = Assert.Single(ParseArray(CliHarness.Run("energy", path, "--json").Out));
        var left = Assert.Single(ParseArray(CliHarness.Run("energy", path, "--json", "--method", "left", "--gap-threshold", "5000ms").Out));

        Assert.Equal(100.0, gap.GetProperty("energy_j").GetDouble(), 9);
        Assert.Equal(3.0, gap.GetProperty("excluded_gap_s").GetDouble(), 9);
        Assert.Equal("gap", Assert.Single(gap.GetProperty("faults").EnumerateArray()).GetProperty("kind").GetString());
        Assert.Equal(550.0, trapezoid.GetProperty("energy_j").GetDouble(), 9);
        Assert.Equal(400.0, left.GetProperty("energy_j").GetDouble(), 9);
        Assert.Equal("left", left.GetProperty("method").GetString());
    }

    [Fact]
    public void Should_Report_Gross_And_Net_Energy_With_An_Idle_Baseline()
    {
        using var dir = new TempDirectory();
        // t = 0..4 s, P = 20, 20, 20, 120, 120 W: gross 230 J. first:3 → 20 W → net 230 − 80 = 150 J. Given 10 W → 190 J.
        string path = dir.File("gpu-power-i.csv");
        File.WriteAllText(path, "timestamp, power.draw [W]\n" + string.Concat(
            new[] { 20, 20, 20, 120, 120 }.Select((w, i) => $"2024/01/01 00:00:0{i}.000, {w} W\n")));

        var measured = Assert.Single(ParseArray(CliHarness.Run("energy", path, "--json", "--idle", "first:3").Out));
        var given = Assert.Single(ParseArray(CliHarness.Run("energy", path, "--json", "--idle", "10W").Out));

        Assert.Equal(230.0, measured.GetProperty("energy_j").GetDouble(), 9);
        Assert.Equal(20.0, measured.GetProperty("idle_power_w").GetDouble(), 9);
        Assert.Equal(150.0, measured.GetProperty("net_energy_j").GetDouble(), 9);
        Assert.Equal("sampled", measured.GetProperty("idle_provenance").GetString());
        Assert.Equal(190.0, given.GetProperty("net_energy_j").GetDouble(), 9);
        Assert.Equal("user-given", given.GetProperty("idle_provenance").GetString());
    }

    [Fact]
    public void Should_Say_So_When_The_Trace_Is_Too_Short_For_The_Idle_Baseline()
    {
        using var dir = new TempDirectory();
        // 2 samples, first:5 asked: no baseline, no net energy, and a missing_value fault instead of silence.
        string path = dir.File("gpu-power-s.csv");
        File.WriteAllText(path, "timestamp, power.draw [W]\n2024/01/01 00:00:00.000, 20 W\n2024/01/01 00:00:01.000, 20 W\n");

        var row = Assert.Single(ParseArray(CliHarness.Run("energy", path, "--json", "--idle", "first:5").Out));

        Assert.False(row.TryGetProperty("net_energy_j", out _));
        var fault = Assert.Single(row.GetProperty("faults").EnumerateArray());
        Assert.Equal("missing_value", fault.GetProperty("kind").GetString());
        Assert.Contains("idle baseline", fault.GetProperty("message").GetString());
    }

    [Fact]
    public void Should_Print_A_Table_With_The_Energy_When_Not_Json()
    {
        using var dir = new TempDirectory();
        // 2 s at 250 W = 500 J.
        string path = dir.File("gpu-power-t.csv");
        File.WriteAllText(path, "timestamp, power.draw [W]\n2024/01/01 00:00:00.000, 250 W\n2024/01/01 00:00:02.000, 250 W\n");

        var (code, stdout, stderr) = CliHarness.Run("energy", path);

        Assert.Equal(0, code);
        Assert.Contains("gpu-power-t.csv", stdout);
        Assert.Contains("500.0", stdout);
        Assert.Contains("Energy J", stdout);
        Assert.Equal(string.Empty, stderr);
    }

    [Fact]
    public void Should_Write_Invariant_Numbers_Under_A_Comma_Culture()
    {
        using var dir = new TempDirectory();
        string path = dir.File("gpu-power-c.csv");
        // 1 s at 0.5 W = 0.5 J.
        File.WriteAllText(path, "timestamp, power.draw [W]\n2024/01/01 00:00:00.000, 0.50 W\n2024/01/01 00:00:01.000, 0.50 W\n");
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            var (_, stdout, _) = CliHarness.Run("energy", path, "--json");
            Assert.Contains("\"energy_j\": 0.5", stdout);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }
}
