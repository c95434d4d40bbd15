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

        // nvmlFieldValue_t = 2 × unsigned int + 2 × long long + nvmlValueType_t + nvmlReturn_t + 8-byte nvmlValue_t = 40
        Assert.Equal(40, Unsafe.SizeOf<NvmlFieldValue>());
    }

    [Theory]
    [InlineData(0, 1, 0.0)] // NVML_VALUE_TYPE_DOUBLE: the bits of the double
    [InlineData(1, 0xFFFF_FFFF_0001_86A0UL, 100_000.0)] // UNSIGNED_INT: the low 32 bits only (100 W in mW)
    [InlineData(5, 0x0000_0000_FFFF_FFFFUL, -1.0)] // SIGNED_INT
    [InlineData(6, 0x0000_0000_0001_0002UL, 2.0)] // UNSIGNED_SHORT: the low 16 bits
    public void Should_Read_A_Field_Value_By_Its_Type(int type, ulong raw, double expected)
    {
        var value = new NvmlFieldValue { ValueType = type, Value = type == 0 ? (ulong)BitConverter.DoubleToInt64Bits(expected) : raw };
        Assert.Equal(expected, value.Number);
    }

    [Fact]
    public void Should_Look_For_Nvml_Dll_In_System32_Then_In_The_Nvsmi_Folder_On_Windows()
    {
        // Oracle: the DCH driver installs nvml.dll in System32; older drivers in %ProgramFiles%\NVIDIA Corporation\NVSMI
        var candidates = NvmlLibrary.WindowsCandidates("SYS", "PF");
        Assert.Equal(["nvml.dll", Path.Combine("SYS", "nvml.dll"), Path.Combine("PF", "NVIDIA Corporation", "NVSMI", "nvml.dll")], candidates);
        Assert.Equal(["nvml.dll"], NvmlLibrary.WindowsCandidates("", ""));
    }

    [Fact]
    public void Should_Try_The_Versioned_Library_Name_First()
        => Assert.Equal(OperatingSystem.IsWindows() ? "nvml.dll" : "libnvidia-ml.so.1", NvmlLibrary.DefaultCandidates[0]);
}
