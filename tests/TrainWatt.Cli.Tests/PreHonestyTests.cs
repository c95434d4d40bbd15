using System.Text.Json;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests;

/// <summary>Issue 15: descriptor-only estimates that know their limits, and honest evaluation (in-process CLI).</summary>
public sealed class PreHonestyTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private Dictionary<string, string?> Env() => new() { ["TRAINWATT_MODELS"] = Path.Combine(_temp.Path, "models"), ["HOME"] = _temp.Path };

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_Small_Cpu_Sized_Job_Is_Warned_Of_Being_Far_From_The_Training_Data()
    {
        // Oracle: the journal set's ranges (journal README): images 75-224 px, 3,059-23,807 training and 6,084-10,203
        // validation samples. 32x32 inputs and 384 + 128 samples lie outside all three; main printed no warning.
        var (code, stdout, stderr) = CliHarness.Run(Env(),
            ["estimate", "--arch", "resnet18", "--gpu", "RTX 3090", "--batch-size", "32", "--input", "32x32", "--train-samples", "384", "--val-samples", "128", "--epochs", "3", "--json"]);
        Assert.True(code == 0, stderr);
        Assert.Contains("warning: input 32x32 is outside the training data's 75-224 px", stderr, StringComparison.Ordinal);
        Assert.Contains("warning: 384 training samples is outside the training data's 3,059-23,807", stderr, StringComparison.Ordinal);
        var r = JsonDocument.Parse(stdout).RootElement;
        var warnings = r.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToArray();
        Assert.Equal(3, warnings.Length); // input, training and validation samples; batch 32 is inside 32-256
        // resnet18 is not one of the journal's architectures: the interval is the leave-architecture-out one.
        Assert.Equal("leave-architecture-out", r.GetProperty("interval_protocol").GetString());
        Assert.Equal(21, r.GetProperty("run").GetProperty("layers").GetInt32()); // torchvision ResNet-18: 20 convolutions + 1 fc
    }

    [Fact]
    public void A_Tiny_Epoch_Is_Not_Printed_As_0_s_Or_0_gCO2e()
    {
        // Issue 15: the small job's text said "0 s" per epoch and "0 gCO2e". Values below 1 now keep three significant
        // digits: the text must show the JSON's epoch duration and emissions so rounded.
        string[] run = ["estimate", "--arch", "resnet18", "--gpu", "RTX 3090", "--batch-size", "32", "--input", "32x32", "--train-samples", "384", "--val-samples", "128", "--epochs", "3"];
        var (code, text, stderr) = CliHarness.Run(Env(), run);
        Assert.True(code == 0, stderr);
        var json = JsonDocument.Parse(CliHarness.Run(Env(), [.. run, "--json"]).Out).RootElement;
        double seconds = json.GetProperty("epoch_duration_s").GetDouble();
        double grams = json.GetProperty("footprint").GetProperty("emissions_g").GetDouble();
        Assert.InRange(seconds, 1e-6, 0.999);
        Assert.InRange(grams, 1e-9, 0.999);
        Assert.Contains($" kJ, {seconds.ToString("G3", System.Globalization.CultureInfo.InvariantCulture)} s;", text, StringComparison.Ordinal);
        Assert.Contains($"Emissions:  {grams.ToString("G3", System.Globalization.CultureInfo.InvariantCulture)} gCO2e", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_Readme_Example_Interval_Is_Narrower_Than_72x_And_States_Its_Held_Out_Coverage()
    {
        // Oracle: issue 15 measured the default 90 % interval of the README's example on main: 0.028-2.04 kWh, a x72 span.
        // VGG16 on an RTX 3090 is a configuration whose architecture and GPU the journal set holds, so the interval is
        // the grouped-kfold one, and its coverage on held-out configurations is reported with any shortfall stated.
        var (code, stdout, stderr) = CliHarness.Run(Env(),
            ["estimate", "--arch", "vgg16", "--gpu", "RTX 3090", "--batch-size", "32", "--input", "128x128", "--train-samples", "23807", "--val-samples", "10203",
             "--epochs", "80", "--ram-gb", "16", "--country", "ES", "--json"]);
        Assert.True(code == 0, stderr);
        var r = JsonDocument.Parse(stdout).RootElement;
        double span = r.GetProperty("upper_j").GetDouble() / r.GetProperty("lower_j").GetDouble();
        Assert.InRange(span, 1, 72);
        Assert.Equal("grouped-kfold", r.GetProperty("interval_protocol").GetString());
        double coverage = r.GetProperty("interval_coverage").GetDouble();
        string note = r.GetProperty("interval").GetString()!;
        Assert.Contains(coverage >= 0.9 ? "(nominal 90 %)" : "points short of the nominal 90 %", note, StringComparison.Ordinal);
        Assert.Empty(r.GetProperty("warnings").EnumerateArray());
    }

    [Fact]
    public void Evaluate_Pre_Leave_Architecture_Out_Duration_Marks_The_Default_Within_150_Percent_With_Groups()
    {
        // Oracle: issue 15 acceptance (the default family <= 150 % MAPE; 390 % on main) and the journal README (six architectures).
        string csv = Path.Combine(SharedData.RequireJournalPre(), "training-set.csv");
        var (code, stdout, stderr) = CliHarness.Run(Env(), ["evaluate", "pre", "--dataset", csv, "--target", "epoch-duration", "--protocol", "leave-architecture-out", "--json"]);
        Assert.True(code == 0, stderr);
        var r = JsonDocument.Parse(stdout).RootElement;
        var results = r.GetProperty("results").EnumerateArray().ToArray();
        var d = Assert.Single(results, e => e.GetProperty("default").GetBoolean());
        Assert.InRange(d.GetProperty("mape").GetDouble(), 0, 150);
        var groups = d.GetProperty("groups").EnumerateArray().ToArray();
        Assert.Equal(6, groups.Length);
        Assert.Equal(groups.Max(g => g.GetProperty("mape").GetDouble()), d.GetProperty("worst_group").GetProperty("mape").GetDouble());
        Assert.Equal(857, groups.Sum(g => g.GetProperty("n").GetInt32()));
        Assert.Equal("architecture", r.GetProperty("grouped_by").GetString());
        Assert.Equal(0.0, r.GetProperty("configuration_overlap").GetDouble());
        Assert.All(results, e => Assert.True(e.GetProperty("groups").GetArrayLength() == 6));
        var interval = d.GetProperty("interval");
        Assert.Equal(0.9, interval.GetProperty("nominal").GetDouble());
        Assert.Equal(6, interval.GetProperty("calibration_groups").GetInt32());
    }

    [Fact]
    public void Evaluate_Pre_Help_Lists_Every_Protocol_With_The_Grouped_One_As_Default()
    {
        var (code, stdout, _) = CliHarness.Run(Env(), ["evaluate", "pre", "--help"]);
        Assert.Equal(0, code);
        foreach (string p in new[] { "grouped-kfold", "leave-architecture-out", "leave-gpu-out", "leave-image-size-out", "leave-batch-out", "paper-split", "kfold" })
        {
            Assert.Contains(p, stdout, StringComparison.Ordinal);
        }

        Assert.Contains("[default: grouped-kfold]", stdout, StringComparison.Ordinal);
        Assert.Contains("paper parity only", stdout, StringComparison.Ordinal);
    }
}
