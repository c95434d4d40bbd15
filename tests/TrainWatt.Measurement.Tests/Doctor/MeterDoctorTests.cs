using TrainWatt.Measurement.Doctor;
using TrainWatt.Meters;
using TrainWatt.Testing;

namespace TrainWatt.Measurement.Tests.Doctor;

/// <summary><see cref="MeterDoctor"/>: what auto selection would open, and a report with no GPU meter on a machine without one.</summary>
public sealed class MeterDoctorTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static MeterProbe Probe(string meter, bool available) => new(meter, available, []);

    [Theory]
    [InlineData(true, true, true, "nvml,rapl,process")]
    [InlineData(false, true, false, "nvidia-smi,process")]
    [InlineData(false, false, true, "rapl,process")]
    public void Auto_Selection_Takes_One_Gpu_Meter_Then_Rapl_And_Process(bool nvml, bool smi, bool rapl, string expected)
    {
        var probes = new[] { Probe("nvml", nvml), Probe("nvidia-smi", smi), Probe("rapl", rapl), Probe("process", true) };

        Assert.Equal(expected.Split(','), MeterDoctor.AutoSelection(probes));
    }

    [Theory]
    [InlineData(true, "nvml,process")]
    [InlineData(false, "amd-smi,process")]
    public void Auto_Selection_Takes_Amd_Smi_When_Nvml_Fails_Before_Nvidia_Smi(bool nvml, string expected)
    {
        // MeterFactory.Open's rule: NVML, else AMD SMI, else nvidia-smi.
        var probes = new[] { Probe("nvml", nvml), Probe("amd-smi", true), Probe("nvidia-smi", true), Probe("rapl", false), Probe("process", true) };
        Assert.Equal(expected.Split(','), MeterDoctor.AutoSelection(probes));
    }

    [Fact]
    public void Without_A_Gpu_Meter_The_Report_Gives_The_Environments_Fix()
    {
        Directory.CreateDirectory(_temp.File("fs"));
        File.WriteAllText(Path.Combine(_temp.File("fs"), ".dockerenv"), "");
        var host = new HostContext(TimeProvider.System, new Dictionary<string, string?>
        {
            ["TRAINWATT_NVML_LIBRARY"] = _temp.File("missing-libnvidia-ml.so.1"),
            ["TRAINWATT_NVIDIA_SMI"] = _temp.File("no-nvidia-smi"),
            ["TRAINWATT_AMDSMI_LIBRARY"] = _temp.File("no-libamd_smi.so"),
            ["TRAINWATT_POWERCAP_ROOT"] = _temp.File("no-powercap"),
            [MeterDoctor.FileSystemRootEnvironmentVariable] = _temp.File("fs"),
        });

        var report = MeterDoctor.Diagnose(null, host);

        Assert.Equal(["nvml", "amd-smi", "nvidia-smi", "rapl", "process"], report.Probes.Select(p => p.Meter));
        Assert.False(report.HasGpuMeter);
        Assert.True(report.Environment.InContainer);
        Assert.StartsWith("This container has no NVIDIA devices", report.GpuFix);
    }
}
