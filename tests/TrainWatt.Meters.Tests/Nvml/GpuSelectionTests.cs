using TrainWatt.Meters.Nvml;

namespace TrainWatt.Meters.Tests.Nvml;

/// <summary>Oracle for every case: the CUDA documentation of CUDA_VISIBLE_DEVICES (indices, UUIDs with or without the
/// GPU- prefix and unique prefixes, empty = no GPU, parsing stops at the first invalid entry) and TrainWatt's rule
/// that --gpus wins.</summary>
public sealed class GpuSelectionTests
{
    private static readonly GpuIdentity[] Devices =
    [
        new(0, "GPU-aaaaaaaa-1111-2222-3333-444444444444"),
        new(1, "GPU-bbbbbbbb-5555-6666-7777-888888888888"),
        new(2, "GPU-bbbbcccc-9999-0000-1111-222222222222"),
    ];

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
        Assert.Equal([0], GpuSelection.Resolve(Devices, null, "aaaaaaaa").Indices);
        Assert.Equal([2], GpuSelection.Resolve(Devices, null, "GPU-bbbbc").Indices);
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

    [Fact]
    public void Should_Refuse_Mig_Instances_With_A_Fix()
    {
        var s = GpuSelection.Resolve(Devices, null, "MIG-4f5e6d7c-1234-5678-9abc-def012345678");
        Assert.NotNull(s.Error);
        Assert.Contains("MIG", s.Error);
        Assert.Contains("--gpus", s.Error);
    }

    [Fact]
    public void Should_Warn_About_Cuda_Device_Order_Only_For_Numeric_Entries_Without_Pci_Bus_Order()
    {
        Assert.Contains(GpuSelection.Resolve(Devices, null, "0,1").Warnings, w => w.Contains("CUDA_DEVICE_ORDER", StringComparison.Ordinal));
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
