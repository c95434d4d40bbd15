using System.Runtime.CompilerServices;
using TrainWatt.Meters.Nvml;

namespace TrainWatt.Meters.Tests.Nvml;

public sealed class NvmlLibraryTests
{
    [Fact]
    public void Should_Lay_Out_Structs_As_Nvml_H_Does()
    {
        // Oracle: nvml.h — nvmlPciInfo_t = char[16] + 5 × unsigned int + char[32] = 68 bytes;
        // nvmlUtilization_t = 2 × unsigned int = 8; nvmlMemory_t = 3 × unsigned long long = 24.
        Assert.Equal(68, Unsafe.SizeOf<NvmlPciInfo>());
        Assert.Equal(8, Unsafe.SizeOf<NvmlUtilization>());
        Assert.Equal(24, Unsafe.SizeOf<NvmlMemory>());
    }

    [Fact]
    public void Should_Try_The_Versioned_Library_Name_First()
        => Assert.Equal(OperatingSystem.IsWindows() ? "nvml.dll" : "libnvidia-ml.so.1", NvmlLibrary.DefaultCandidates[0]);
}
