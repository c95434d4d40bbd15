using System.Diagnostics;
using System.Text.Json;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests;

/// <summary>
/// scripts/device-check.sh without a GPU: its argument handling, and its report against the fake NVML (through the real
/// CLI and P/Invoke path) and a fake nvidia-smi that agrees or disagrees with it. The load step needs a real GPU and
/// is only checked for being skipped with its reason.
/// </summary>
public class DeviceCheckScriptTests
{
    private static readonly string Script = Path.Combine(SharedData.RepositoryRoot, "scripts", "device-check.sh");

    private static (int Code, string Out, string Err) RunScript(IReadOnlyDictionary<string, string?> env, params string[] args)
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "device-check.sh is a Linux script.");
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Script);
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (key, value) in env)
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(5)), "device-check.sh hung (hang guard 5 min)");
        return (process.ExitCode, stdout, stderr.GetAwaiter().GetResult());
    }

    private static string Executable(TempDirectory dir, string name, string body)
    {
        string path = dir.File(name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return path;
    }

    /// <summary>The built CLI behind an executable name, as a self-contained publish would give it.</summary>
    private static string TrainWatt(TempDirectory dir)
        => Executable(dir, "trainwatt", $"exec \"{Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet"}\" \"{Path.Combine(AppContext.BaseDirectory, "trainwatt.dll")}\" \"$@\"");

    [Theory]
    [InlineData("--load-seconds", "abc", "not a whole number")]
    [InlineData("--load-seconds", "600", "out of range")]
    [InlineData("--bogus", "", "unknown argument \"--bogus\"")]
    public void Should_Refuse_Bad_Arguments_With_A_Usage_Exit(string option, string value, string message)
    {
        using var dir = new TempDirectory();
        string[] args = value.Length == 0 ? [option] : [option, value];
        var (code, _, err) = RunScript(new Dictionary<string, string?>(), args);
        Assert.Equal(64, code);
        Assert.Contains(message, err, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Say_How_To_Get_Trainwatt_When_It_Is_Missing()
    {
        using var dir = new TempDirectory();
        var (code, _, err) = RunScript(new Dictionary<string, string?>(), "--trainwatt", dir.File("none"), "--out", dir.File("out"));
        Assert.Equal(69, code);
        Assert.Contains("dotnet publish src/TrainWatt.Cli -c Release -r linux-x64 --self-contained", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00000000:01:00.0", true)]
    [InlineData("00000000:81:00.0", false)] // nvidia-smi disagrees on the bus id: the report says so
    public void Should_Compare_Nvml_Readings_With_Nvidia_Smi_And_Write_The_Report(string smiBusId, bool busAgrees)
    {
        using var fake = FakeNvml.Create("""
            [device]
            name = NVIDIA A100-SXM4-40GB
            uuid = GPU-11111111-2222-3333-4444-555555555555
            bus_id = 00000000:01:00.0
            power_limit_w = 400
            enforced_power_limit_w = 400
            """);
        using var dir = new TempDirectory();
        string smi = Executable(dir, "nvidia-smi", $"""
            case "$*" in
              *--query-gpu=index,name*) echo "0, NVIDIA A100-SXM4-40GB, GPU-11111111-2222-3333-4444-555555555555, {smiBusId}, 400.00, 400.00, 100.00";;
              -q) echo "==============NVSMI LOG=============="; echo "Attached GPUs : 1";;
              *) exit 2;;
            esac
            """);
        string outDir = dir.File("out");
        var env = new Dictionary<string, string?> { ["TRAINWATT_NVML_LIBRARY"] = fake.LibraryPath, ["TRAINWATT_NVIDIA_SMI"] = smi };

        var (code, stdout, err) = RunScript(env, "--trainwatt", TrainWatt(dir), "--nvidia-smi", smi, "--out", outDir, "--no-load");

        Assert.True(code == 0, err);
        Assert.Equal(Path.Combine(outDir, "report.md"), stdout.Trim());
        var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "report.json"))).RootElement;
        var gpu = Assert.Single(report.GetProperty("gpus").EnumerateArray());
        var checks = gpu.GetProperty("checks");
        Assert.True(checks.GetProperty("name").GetBoolean());
        Assert.True(checks.GetProperty("uuid").GetBoolean());
        Assert.True(checks.GetProperty("enforced_power_limit_w").GetBoolean());
        Assert.Equal(busAgrees, checks.GetProperty("pci_bus_id").GetBoolean());
        Assert.True(gpu.GetProperty("trainwatt").GetProperty("energy_counter").GetBoolean());
        Assert.Equal("skipped (--no-load)", report.GetProperty("load").GetProperty("state").GetString());
        Assert.Equal(busAgrees, !File.ReadAllText(Path.Combine(outDir, "report.md")).Contains("**differs**", StringComparison.Ordinal));
    }
}
