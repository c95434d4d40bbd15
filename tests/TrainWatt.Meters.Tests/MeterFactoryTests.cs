using TrainWatt.Core;
using TrainWatt.Meters.Tests.NvidiaSmi;
using TrainWatt.Meters.Tests.Procfs;
using TrainWatt.Meters.Tests.Rapl;
using TrainWatt.Testing;

namespace TrainWatt.Meters.Tests;

/// <summary>Oracle for every case: the resolution rules documented on <see cref="MeterFactory.Open"/>.</summary>
public sealed class MeterFactoryTests
{
    private static Func<string, string?> Env(params (string Key, string Value)[] vars)
    {
        var map = vars.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
        return key => map.TryGetValue(key, out var v) ? v : null;
    }

    private static FakeProcTree Proc() => new FakeProcTree().System(100, 0, 100, 800).Process(100, 1, 10, 10, 1000);

    private static string Missing(TempDirectory dir, string name) => dir.File(name);

    [Fact]
    public void Should_Pick_Nvml_Rapl_And_Process_Without_Cpu_Model_When_All_Work()
    {
        using var nvml = FakeNvml.Create("[device]\nname = Fake GPU\n");
        using var rapl = FakePowercapTree.Client();
        using var proc = Proc();
        using var set = MeterFactory.Open(new MeterRequest(MeterKinds.Auto,
            Env(("TRAINWATT_NVML_LIBRARY", nvml.LibraryPath), ("TRAINWATT_POWERCAP_ROOT", rapl.Root), ("TRAINWATT_PROC_ROOT", proc.Root)),
            TimeProvider.System));

        Assert.Equal(["nvml", "rapl", "process"], set.Meters.Select(m => m.Name));
        Assert.Equal(["gpu:0", "cpu:package-0", "dram:package-0", "ram"], set.Channels.Select(c => c.Id));
        Assert.All(set.Probes, p => Assert.True(p.Available));
        Assert.NotNull(set.Process);
    }

    [Fact]
    public void Should_Fall_Back_To_Nvidia_Smi_When_Nvml_Cannot_Load_And_Record_Why()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "the fake nvidia-smi is a shell script");
        using var dir = new TempDirectory();
        using var smi = FakeNvidiaSmi.TwoGpus();
        using var proc = Proc();
        using var set = MeterFactory.Open(new MeterRequest(MeterKinds.Auto,
            Env(("TRAINWATT_NVML_LIBRARY", Missing(dir, "libnvidia-ml.so.1")), ("TRAINWATT_NVIDIA_SMI", smi.Executable),
                ("TRAINWATT_AMDSMI_LIBRARY", Missing(dir, "libamd_smi.so")),
                ("TRAINWATT_POWERCAP_ROOT", Missing(dir, "powercap")), ("TRAINWATT_PROC_ROOT", proc.Root)),
            TimeProvider.System));

        Assert.Equal(["nvidia-smi", "process"], set.Meters.Select(m => m.Name));
        Assert.Equal(["nvml", "amd-smi", "nvidia-smi", "rapl", "process"], set.Probes.Select(p => p.Meter));
        Assert.False(set.Probes[0].Available);
        Assert.Contains("TRAINWATT_NVML_LIBRARY", set.Probes[0].Fix);
        Assert.False(set.Probes[1].Available);
        Assert.Contains("TRAINWATT_AMDSMI_LIBRARY", set.Probes[1].Fix);
        Assert.False(set.Probes[3].Available);

        // Without RAPL the process meter adds the labelled CPU model.
        Assert.Equal(["ram", "cpu:model"], set.Process!.Channels.Select(c => c.Id));
        Assert.All(set.Process.Channels, c => Assert.Equal(Provenance.Model, c.Provenance));
    }

    [Fact]
    public void Should_Still_Measure_With_Models_Only_On_A_Machine_Without_Gpu_Or_Rapl()
    {
        using var dir = new TempDirectory();
        using var proc = Proc();
        using var set = MeterFactory.Open(new MeterRequest(MeterKinds.Auto,
            Env(("TRAINWATT_NVML_LIBRARY", Missing(dir, "nvml.so")), ("TRAINWATT_NVIDIA_SMI", Missing(dir, "nvidia-smi")),
                ("TRAINWATT_AMDSMI_LIBRARY", Missing(dir, "libamd_smi.so")),
                ("TRAINWATT_POWERCAP_ROOT", Missing(dir, "powercap")), ("TRAINWATT_PROC_ROOT", proc.Root)),
            TimeProvider.System));
        Assert.Equal(["process"], set.Meters.Select(m => m.Name));
        Assert.Equal(4, set.Probes.Count(p => !p.Available));
    }

    [Fact]
    public void Should_Fail_When_An_Explicitly_Requested_Meter_Is_Unavailable()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<MeterUnavailableException>(() => MeterFactory.Open(new MeterRequest(MeterKinds.Rapl | MeterKinds.Process,
            Env(("TRAINWATT_POWERCAP_ROOT", Missing(dir, "powercap"))), TimeProvider.System)));
        Assert.Equal("rapl", e.Meter);
        Assert.Contains("No RAPL powercap zone", e.Message);
    }

    [Fact]
    public void Should_Open_Only_The_Listed_Meters()
    {
        using var rapl = FakePowercapTree.Client();
        using var set = MeterFactory.Open(new MeterRequest(MeterKinds.Rapl, Env(("TRAINWATT_POWERCAP_ROOT", rapl.Root)), TimeProvider.System));
        Assert.Equal(["rapl"], set.Meters.Select(m => m.Name));
    }

    [Theory]
    [InlineData("auto", MeterKinds.None)]
    [InlineData("", MeterKinds.None)]
    [InlineData("nvml", MeterKinds.Nvml)]
    [InlineData("NVML, rapl,process", MeterKinds.Nvml | MeterKinds.Rapl | MeterKinds.Process)]
    [InlineData("nvidia-smi", MeterKinds.NvidiaSmi)]
    [InlineData("amd-smi,process", MeterKinds.AmdSmi | MeterKinds.Process)]
    public void Should_Parse_Meter_Lists(string text, MeterKinds expected) => Assert.Equal(expected, MeterFactory.Parse(text));

    [Fact]
    public void Should_Name_An_Unknown_Meter_And_List_The_Valid_Ones()
    {
        var e = Assert.Throws<ArgumentException>(() => MeterFactory.Parse("nvml,gpu"));
        Assert.Contains("\"gpu\"", e.Message);
        Assert.Contains("nvml, amd-smi, nvidia-smi, rapl, process", e.Message);
    }

    [Fact]
    public void Should_Probe_Every_Technology()
    {
        using var nvml = FakeNvml.Create("[device]\n[device]\nenergy_counter = no\n");
        using var proc = Proc();
        using var dir = new TempDirectory();
        var probes = MeterFactory.ProbeAll(new MeterRequest(MeterKinds.Auto,
            Env(("TRAINWATT_NVML_LIBRARY", nvml.LibraryPath), ("TRAINWATT_NVIDIA_SMI", Missing(dir, "nvidia-smi")),
                ("TRAINWATT_AMDSMI_LIBRARY", Missing(dir, "libamd_smi.so")),
                ("TRAINWATT_POWERCAP_ROOT", Missing(dir, "powercap")), ("TRAINWATT_PROC_ROOT", proc.Root)),
            TimeProvider.System));
        Assert.Equal(["nvml", "amd-smi", "nvidia-smi", "rapl", "process"], probes.Select(p => p.Meter));
        Assert.Equal([true, false, false, false, true], probes.Select(p => p.Available));
        Assert.Contains(probes[4].Found, f => f.StartsWith("cpu:model", StringComparison.Ordinal));
    }
}
