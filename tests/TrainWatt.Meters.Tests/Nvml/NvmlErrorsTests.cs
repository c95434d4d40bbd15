using TrainWatt.Meters.Nvml;

namespace TrainWatt.Meters.Tests.Nvml;

public sealed class NvmlErrorsTests
{
    [Fact]
    public void Should_Name_And_Describe_Every_Return_Code()
    {
        // Oracle: every member of NvmlReturn (the nvml.h enum) must map to its NVML_* constant, not the generic fallback.
        foreach (var code in Enum.GetValues<NvmlReturn>())
        {
            string name = NvmlErrors.ConstantName(code);
            Assert.StartsWith("NVML_", name);
            Assert.DoesNotContain("return code", name);
            Assert.False(string.IsNullOrWhiteSpace(NvmlErrors.Describe(code)));
        }

        Assert.Equal(31, Enum.GetValues<NvmlReturn>().Length - 1); // 0..30 plus 999 (nvml.h, NVML API 13 as vendored in NVIDIA/go-nvml)
        Assert.Equal("NVML_ERROR_RESET_TYPE_NOT_SUPPORTED", NvmlErrors.ConstantName((NvmlReturn)30));
    }

    [Fact]
    public void Should_Give_A_Fix_For_The_Codes_A_User_Can_Act_On()
    {
        NvmlReturn[] actionable = [NvmlReturn.DriverNotLoaded, NvmlReturn.NoPermission, NvmlReturn.LibRmVersionMismatch, NvmlReturn.GpuIsLost, NvmlReturn.FunctionNotFound];
        Assert.All(actionable, code => Assert.False(string.IsNullOrWhiteSpace(NvmlErrors.Fix(code))));
        Assert.Contains("NVIDIA_DRIVER_CAPABILITIES", NvmlErrors.Fix(NvmlReturn.DriverNotLoaded));
    }

    [Fact]
    public void Should_Fall_Back_To_The_Number_For_An_Unknown_Code()
        => Assert.Equal("NVML return code 12345", NvmlErrors.ConstantName((NvmlReturn)12345));
}
