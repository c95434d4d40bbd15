using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Inputs;

/// <summary>Issue 13: <c>import nvidia-smi</c> never stores a run that would read as 0 J.</summary>
public sealed class ImportWithoutEnergyCliTests
{
    [Fact]
    public void A_trace_of_n_a_powers_is_refused_with_exit_65_and_no_run_is_stored()
    {
        using var dir = new TempDirectory();
        string trace = dir.File("gpu-power-na.csv");
        File.WriteAllText(trace, "timestamp, index, name, power.draw [W]\n" +
            "2024/06/03 14:00:00.000, 0, G, [N/A]\n2024/06/03 14:00:01.000, 0, G, [N/A]\n2024/06/03 14:00:02.000, 0, G, [N/A]\n");
        string db = dir.File("runs.db");

        var (code, _, stderr) = CliHarness.Run("import", "nvidia-smi", trace, "--db", db);
        Assert.Equal(65, code);
        Assert.Contains("gpu-power-na.csv", stderr, StringComparison.Ordinal);
        Assert.Contains("not imported: a run without energy would read as 0 J.", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);

        var (_, list, _) = CliHarness.Run("runs", "list", "--db", db);
        Assert.DoesNotContain("gpu-power-na.csv", list, StringComparison.Ordinal);
    }
}
