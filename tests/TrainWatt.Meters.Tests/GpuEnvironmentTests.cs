using TrainWatt.Testing;

namespace TrainWatt.Meters.Tests;

/// <summary>Oracle: the NVIDIA Container Toolkit documentation (NVIDIA_VISIBLE_DEVICES void/none hides GPUs;
/// NVIDIA_DRIVER_CAPABILITIES needs "utility" for NVML and nvidia-smi) and the device nodes the driver creates.</summary>
public sealed class GpuEnvironmentTests
{
    private static Func<string, string?> Env(params (string Key, string Value)[] vars)
        => key => vars.FirstOrDefault(v => v.Key == key).Value;

    [Fact]
    public void Should_Tell_A_Container_Without_Devices_To_Use_Gpus_All()
    {
        using var root = new TempDirectory();
        File.WriteAllText(root.File(".dockerenv"), "");
        var env = GpuEnvironment.Detect(Env(), root.Path);
        Assert.True(env.InContainer);
        Assert.False(env.HasDeviceNodes);
        Assert.Contains("--gpus all", env.GpuFix());
        Assert.Contains("--device /dev/nvidiactl", env.GpuFix());
    }

    [Fact]
    public void Should_Spot_Hidden_Gpus_And_Missing_Utility_Capability()
    {
        using var root = new TempDirectory();
        File.WriteAllText(root.File(".dockerenv"), "");
        Directory.CreateDirectory(root.File("dev"));
        File.WriteAllText(Path.Combine(root.Path, "dev", "nvidiactl"), "");

        Assert.Contains("NVIDIA_VISIBLE_DEVICES=void", GpuEnvironment.Detect(Env(("NVIDIA_VISIBLE_DEVICES", "void")), root.Path).GpuFix());
        var caps = GpuEnvironment.Detect(Env(("NVIDIA_DRIVER_CAPABILITIES", "compute")), root.Path);
        Assert.Contains("NVIDIA_DRIVER_CAPABILITIES=compute,utility", caps.GpuFix());
        Assert.Null(GpuEnvironment.Detect(Env(("NVIDIA_DRIVER_CAPABILITIES", "compute,utility")), root.Path).GpuFix());
    }

    [Fact]
    public void Should_Report_The_Kernel_Driver_Version_Or_Say_It_Is_Not_Loaded()
    {
        using var root = new TempDirectory();
        var none = GpuEnvironment.Detect(Env(), root.Path);
        Assert.Contains("modprobe nvidia", none.GpuFix());

        Directory.CreateDirectory(Path.Combine(root.Path, "proc", "driver", "nvidia"));
        File.WriteAllText(Path.Combine(root.Path, "proc", "driver", "nvidia", "version"), "NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.15\nGCC version: 12\n");
        var loaded = GpuEnvironment.Detect(Env(), root.Path);
        Assert.Contains("kernel driver: NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.15", loaded.Facts());
        Assert.Null(loaded.GpuFix());
    }
}
