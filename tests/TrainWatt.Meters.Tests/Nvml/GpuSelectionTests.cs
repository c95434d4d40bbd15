using TrainWatt.Meters.Nvml;

namespace TrainWatt.Meters.Tests.Nvml;

/// <summary>Oracle for every case: the CUDA C++ Programming Guide, "CUDA Environment Variables" (indices, GPU- UUIDs
/// and unique prefixes, empty = no GPU, parsing stops at the first invalid entry), PyTorch's TestVisibleDeviceParses
/// (test/test_cuda.py: strtoul-like indices, negatives end the list, a repeated ordinal hides every GPU) and TrainWatt's
/// rules that --gpus wins and that CUDA ordinals need PCI bus order or a single GPU model.</summary>
public sealed class GpuSelectionTests
{
    private static readonly GpuIdentity[] Devices =
    [
        new(0, "GPU-aaaaaaaa-1111-2222-3333-444444444444", "NVIDIA A100", "00000000:01:00.0"),
        new(1, "GPU-bbbbbbbb-5555-6666-7777-888888888888", "NVIDIA A100", "00000000:02:00.0"),
        new(2, "GPU-bbbbcccc-9999-0000-1111-222222222222", "NVIDIA A100", "00000000:03:00.0"),
    ];

    private static readonly GpuIdentity[] SixSame = [.. Enumerable.Range(0, 6).Select(i => new GpuIdentity(i, $"GPU-{i}", "Tesla T4", $"00000000:0{i + 1}:00.0"))];

    [Fact]
    public void Should_Select_All_When_Nothing_Is_Given()
    {
        var s = GpuSelection.Resolve(Devices, null, null);
        Assert.Equal([0, 1, 2], s.Indices);
        Assert.Equal("all", s.Source);
        Assert.Null(s.Error);
    }

    [Fact]
    public void Should_Prefer_The_Gpus_Option_Over_Cuda_Visible_Devices()
    {
        var s = GpuSelection.Resolve(Devices, "2,0", "1");
        Assert.Equal([2, 0], s.Indices);
        Assert.Equal("--gpus", s.Source);
    }

    [Fact]
    public void Should_Accept_Uuids_With_Or_Without_Prefix_And_Unique_Prefixes()
    {
        Assert.Equal([1], GpuSelection.Resolve(Devices, "GPU-bbbbbbbb-5555-6666-7777-888888888888", null).Indices);
        Assert.Equal([0], GpuSelection.Resolve(Devices, "aaaaaaaa", null).Indices);
        Assert.Equal([2], GpuSelection.Resolve(Devices, null, "GPU-bbbbc").Indices);
    }

    [Fact]
    public void Should_Need_The_Gpu_Prefix_In_Cuda_Visible_Devices_Like_Cuda()
    {
        // "aaaaaaaa" is neither an index nor a GPU- UUID: CUDA stops there, so nothing is visible
        var s = GpuSelection.Resolve(Devices, null, "aaaaaaaa,0");
        Assert.Empty(s.Indices);
        Assert.Contains(s.Warnings, w => w.Contains("neither a CUDA index nor a GPU-/MIG- UUID", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_Refuse_An_Ambiguous_Uuid_Prefix()
    {
        var s = GpuSelection.Resolve(Devices, "GPU-bbbb", null);
        Assert.Contains("matches 2 GPUs", s.Error);
    }

    [Fact]
    public void Should_Hide_Every_Gpu_When_Cuda_Visible_Devices_Is_Empty()
    {
        var s = GpuSelection.Resolve(Devices, null, "");
        Assert.Empty(s.Indices);
        Assert.Null(s.Error);
        Assert.Contains(s.Warnings, w => w.Contains("empty", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_Stop_At_The_First_Invalid_Cuda_Entry_Like_Cuda()
    {
        var s = GpuSelection.Resolve(Devices, null, "1,7,0");
        Assert.Equal([1], s.Indices);
        Assert.Contains(s.Warnings, w => w.Contains("\"7\"", StringComparison.Ordinal) && w.Contains("\"7,0\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("1gpu2,2ampere", new[] { 1, 2 })] // rest of the string is ignored
    [InlineData("0, 1, 2, -1, 3", new[] { 0, 1, 2 })] // negatives abort parsing
    [InlineData("0, 1, 2, 1", new int[0])] // double mention of an ordinal: empty set
    [InlineData("2, +3, -0, 5", new[] { 2, 3, 0, 5 })] // unary pluses and minuses
    [InlineData("one,two,3,4", new int[0])] // a random string ends the list at once
    [InlineData("4,3,two,one", new[] { 4, 3 })]
    public void Should_Parse_Cuda_Visible_Devices_As_Pytorch_Pins_The_Driver(string value, int[] expected)
        => Assert.Equal(expected, GpuSelection.Resolve(SixSame, null, value, "PCI_BUS_ID").Indices);

    [Fact]
    public void Should_Say_That_A_Repeated_Gpu_Hides_Every_Gpu()
    {
        var s = GpuSelection.Resolve(Devices, null, "0,GPU-aaaa");
        Assert.Empty(s.Indices);
        Assert.Contains(s.Warnings, w => w.Contains("names GPU 0 twice", StringComparison.Ordinal) && w.Contains("no GPU", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_Map_Ordinals_By_Pci_Bus_Id_Not_Nvml_Index()
    {
        GpuIdentity[] devices = [new(0, "GPU-a", "A100", "00000000:02:00.0"), new(1, "GPU-b", "T4", "00000000:01:00.0")];
        Assert.Equal([0], GpuSelection.Resolve(devices, null, "1", "PCI_BUS_ID").Indices);
        Assert.Equal([1, 0], GpuSelection.Resolve(devices, null, "0,1", "PCI_BUS_ID").Indices);
        var refused = GpuSelection.Resolve(devices, null, "1");
        Assert.Contains("CUDA_DEVICE_ORDER=PCI_BUS_ID", refused.Error, StringComparison.Ordinal);
        Assert.Contains("UUIDs in CUDA_VISIBLE_DEVICES", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Not_Count_Unreadable_Gpus_As_Cuda_Ordinals()
    {
        GpuIdentity[] devices = [new(0, "(index 0, unreadable)", Unreadable: "NO_PERMISSION"), new(1, "GPU-b", "T4", "00000000:02:00.0")];
        Assert.Equal([1], GpuSelection.Resolve(devices, null, "0").Indices);
        Assert.Equal([0, 1], GpuSelection.Resolve(devices, null, null).Indices);
    }

    [Fact]
    public void Should_Measure_The_Parent_Of_A_Legacy_Mig_Device_With_A_Warning()
    {
        var s = GpuSelection.Resolve(Devices, null, "MIG-GPU-bbbbbbbb-5555-6666-7777-888888888888/1/0");
        Assert.Equal([1], s.Indices);
        Assert.Contains(s.Warnings, w => w.Contains("shared by every MIG instance", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_Refuse_Mig_Instances_With_A_Fix()
    {
        var s = GpuSelection.Resolve(Devices, null, "MIG-4f5e6d7c-1234-5678-9abc-def012345678");
        Assert.NotNull(s.Error);
        Assert.Contains("MIG", s.Error);
        Assert.Contains("--gpus", s.Error);
    }

    [Fact]
    public void Should_Accept_Ordinals_When_Every_Gpu_Is_The_Same_Model()
    {
        // One model: CUDA's fastest-first order and the PCI order agree up to identical GPUs, so ordinals are accepted
        Assert.Equal([0, 1], GpuSelection.Resolve(Devices, null, "0,1").Indices);
        Assert.Empty(GpuSelection.Resolve(Devices, null, "0,1", "PCI_BUS_ID").Warnings);
        Assert.Empty(GpuSelection.Resolve(Devices, null, "GPU-aaaa").Warnings);
    }

    [Fact]
    public void Should_Name_The_Bad_Entry_And_List_Available_Gpus()
    {
        var s = GpuSelection.Resolve(Devices, "0,,1", null);
        Assert.Contains("empty entry", s.Error);
        var t = GpuSelection.Resolve(Devices, "9", null);
        Assert.Contains("\"9\"", t.Error);
        Assert.Contains("0 (GPU-aaaaaaaa", t.Error);
    }

    [Fact]
    public void Should_Remove_Duplicates_Keeping_Order()
        => Assert.Equal([1, 0], GpuSelection.Resolve(Devices, "1,GPU-bbbbbbbb,0", null).Indices);
}
