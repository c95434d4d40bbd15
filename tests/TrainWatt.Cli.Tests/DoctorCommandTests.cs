using System.Text.Json;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests;

/// <summary>`trainwatt doctor` against the fake NVML, a fake powercap tree and a fake /proc (oracle: the fixtures' contents).</summary>
public sealed class DoctorCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new("trainwatt-doctor");

    public void Dispose() => _dir.Dispose();

    private string FakeProc()
    {
        string root = _dir.File("proc");
        Directory.CreateDirectory(Path.Combine(root, "100"));
        File.WriteAllText(Path.Combine(root, "stat"), "cpu  100 0 100 800 0 0 0 0 0 0\ncpu0 1 1 1 1 1 1 1 1 0 0\n");
        return root;
    }

    private string FakePowercap()
    {
        string zone = Path.Combine(_dir.File("powercap"), "intel-rapl:0");
        Directory.CreateDirectory(zone);
        File.WriteAllText(Path.Combine(zone, "name"), "package-0\n");
        File.WriteAllText(Path.Combine(zone, "energy_uj"), "12345\n");
        File.WriteAllText(Path.Combine(zone, "max_energy_range_uj"), "262143328850\n");
        return _dir.File("powercap");
    }

    private Dictionary<string, string?> Env(string nvmlLibrary, string? powercap = null) => new()
    {
        ["TRAINWATT_NVML_LIBRARY"] = nvmlLibrary,
        ["TRAINWATT_NVIDIA_SMI"] = _dir.File("no-nvidia-smi"),
        ["TRAINWATT_AMDSMI_LIBRARY"] = _dir.File("no-libamd_smi.so"),
        ["TRAINWATT_POWERCAP_ROOT"] = powercap ?? _dir.File("no-powercap"),
        ["TRAINWATT_PROC_ROOT"] = FakeProc(),
        ["TRAINWATT_FS_ROOT"] = _dir.File("fs"),
    };

    [Fact]
    public void Should_List_Fake_Gpus_And_Rapl_And_Explain_The_Missing_Nvidia_Smi()
    {
        using var nvml = FakeNvml.Create("driver_version = 550.54.15\n[device]\nname = NVIDIA Fake H100\n[device]\nname = NVIDIA Fake V100\nenergy_counter = no\n");
        var (code, stdout, stderr) = CliHarness.Run(Env(nvml.LibraryPath, FakePowercap()), "doctor");

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, stderr);
        Assert.Contains("[ok] nvml: available", stdout);
        Assert.Contains("driver 550.54.15", stdout);
        Assert.Contains("gpu:0 NVIDIA Fake H100", stdout);
        Assert.Contains("gpu:1 NVIDIA Fake V100", stdout);
        Assert.Contains("no energy counter (power sampled)", stdout);
        Assert.Contains("[--] nvidia-smi: unavailable", stdout);
        Assert.Contains("fix: Install the NVIDIA driver", stdout);
        Assert.Contains("[ok] rapl: available", stdout);
        Assert.Contains("intel-rapl:0 package-0: measured", stdout);
        Assert.Contains("will use: nvml, rapl, process", stdout);
    }

    [Fact]
    public void Should_Give_The_Driver_Fix_When_Nvml_Init_Fails()
    {
        using var nvml = FakeNvml.Create("init = 9\n");
        var (code, stdout, _) = CliHarness.Run(Env(nvml.LibraryPath), "doctor");
        Assert.Equal(0, code);
        Assert.Contains("[--] nvml: unavailable", stdout);
        Assert.Contains("reason: nvmlInit_v2 returned NVML_ERROR_DRIVER_NOT_LOADED (9)", stdout);
        Assert.Contains("sudo modprobe nvidia", stdout);
        Assert.Contains("will use: process", stdout);
        Assert.Contains("CPU and RAM only", stdout);
    }

    [Fact]
    public void Should_Point_A_Container_Without_Devices_To_Gpus_All()
    {
        Directory.CreateDirectory(_dir.File("fs"));
        File.WriteAllText(Path.Combine(_dir.File("fs"), ".dockerenv"), "");
        var (_, stdout, _) = CliHarness.Run(Env(_dir.File("missing-libnvidia-ml.so.1")), "doctor");
        Assert.Contains("running in a container", stdout);
        Assert.Contains("No GPU meter works. This container has no NVIDIA devices: start it with `docker run --gpus all", stdout);
    }

    [Fact]
    public void Should_Write_Json_With_Every_Meter()
    {
        using var nvml = FakeNvml.Create("init = 18\n");
        var (code, stdout, _) = CliHarness.Run(Env(nvml.LibraryPath), "doctor", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        var meters = doc.RootElement.GetProperty("meters").EnumerateArray().ToList();
        Assert.Equal(["nvml", "amd-smi", "nvidia-smi", "rapl", "process"], meters.Select(m => m.GetProperty("meter").GetString()));
        Assert.False(meters[0].GetProperty("available").GetBoolean());
        Assert.Contains("NVML_ERROR_LIB_RM_VERSION_MISMATCH", meters[0].GetProperty("reason").GetString());
        Assert.Contains("reboot", meters[0].GetProperty("fix").GetString());
        Assert.True(meters[4].GetProperty("available").GetBoolean());
        Assert.Equal(["process"], doc.RootElement.GetProperty("auto_meters").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(1, doc.RootElement.GetProperty("schema_version").GetInt32());
    }
}
