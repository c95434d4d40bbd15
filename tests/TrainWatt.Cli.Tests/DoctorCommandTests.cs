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
    public void Should_Show_The_Cpu_And_Warn_When_A_Vm_Slice_Would_Be_Charged_A_Whole_Default_Socket()
    {
        // Given: a 2-vCPU VM (cpuinfo's hypervisor flag) whose model name has no model number, as this project's VM
        // reports it, with no RAPL: the CPU model would charge the default 85 W of a whole CPU.
        using var nvml = FakeNvml.Create("init = 18\n");
        var env = Env(nvml.LibraryPath);
        string cpuinfo = string.Concat(Enumerable.Range(0, 2).Select(i => $"processor\t: {i}\nmodel name\t: AMD EPYC\nphysical id\t: 0\ncore id\t\t: {i}\nflags\t\t: fpu hypervisor\n\n"));
        File.WriteAllText(Path.Combine(env["TRAINWATT_PROC_ROOT"]!, "cpuinfo"), cpuinfo);
        env["TRAINWATT_SYS_ROOT"] = _dir.File("sys");

        var (code, stdout, _) = CliHarness.Run(env, "doctor");
        var (_, json, _) = CliHarness.Run(env, "doctor", "--json");

        // Then: the identity, the TDP with its reason, what the model assumes, and the warning with the fix.
        Assert.Equal(0, code);
        Assert.Contains("cpu: AMD EPYC; 1 socket(s), 2 cores, 2 threads (VM: virtual CPUs); 2 available to us (affinity unknown, cgroup quota none)", stdout);
        Assert.Contains("cpu TDP: default TDP 85 W (CPU \"AMD EPYC\" is not in data/cpus.csv; give --cpu-tdp for your CPU)", stdout);
        Assert.Contains("cpu model: assumes 85 W × the utilisation of 2 CPUs (no RAPL counter)", stdout);
        Assert.Contains("cpu:model CPU (model): modelled:", stdout); // the provenance once, not "CPU (model) (model)"
        Assert.Contains("warning: CPU \"AMD EPYC\" is not in data/cpus.csv, and this is a VM slice of 2 CPUs", stdout);
        var process = JsonDocument.Parse(json).RootElement.GetProperty("meters").EnumerateArray().Single(m => m.GetProperty("meter").GetString() == "process");
        Assert.Contains("--cpu-tdp", Assert.Single(process.GetProperty("warnings").EnumerateArray()).GetString());

        // A known part in the same VM: its per-thread share, and no warning. Xeon Platinum 8380: 270 W / 80 threads × 2 = 6.75 W.
        File.WriteAllText(Path.Combine(env["TRAINWATT_PROC_ROOT"]!, "cpuinfo"), cpuinfo.Replace("AMD EPYC", "Intel(R) Xeon(R) Platinum 8380 CPU @ 2.30GHz", StringComparison.Ordinal));
        var (_, known, _) = CliHarness.Run(env, "doctor");
        Assert.Contains("a VM with 2 virtual CPUs, each one thread: 3.38 W × 2 = 6.75 W", known);
        Assert.Contains("cpu model: assumes 6.75 W × the utilisation of 2 CPUs", known);
        Assert.DoesNotContain("warning: CPU", known);
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
