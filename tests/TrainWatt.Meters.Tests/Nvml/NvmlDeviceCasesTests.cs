using System.Diagnostics;
using TrainWatt.Core;
using TrainWatt.Meters.Nvml;
using TrainWatt.Testing;

namespace TrainWatt.Meters.Tests.Nvml;

/// <summary>
/// Real-machine cases through the real P/Invoke path against the fake NVML (issue 16). Oracle for every return code,
/// signature and layout: nvml.h of NVML API 13 (NVIDIA/go-nvml, gen/nvml/nvml.h): nvmlDeviceGetCount_v2 counts GPUs
/// whose nvmlDeviceGetHandleByIndex_v2 answers NVML_ERROR_NO_PERMISSION (4); GPU_IS_LOST is 15; nvmlDeviceGetMigMode
/// returns NVML_DEVICE_MIG_ENABLE (1) or DISABLE (0), NOT_SUPPORTED before Ampere; NVML_FI_DEV_POWER_INSTANT is field 186.
/// </summary>
public sealed class NvmlDeviceCasesTests
{
    private const string UuidA = "GPU-aaaaaaaa-1111-2222-3333-444444444444";
    private const string UuidB = "GPU-bbbbbbbb-5555-6666-7777-888888888888";

    private static NvmlMeter Open(FakeNvml fake, string? cudaVisibleDevices = null, string? order = null, string? gpus = null)
        => NvmlMeter.Open(new NvmlMeterOptions(fake.LibraryPath, gpus, cudaVisibleDevices, order), TimeProvider.System);

    [Fact]
    public void Should_Measure_The_Readable_Gpu_And_Name_The_One_Whose_Handle_Is_Refused()
    {
        using var fake = FakeNvml.Create($"""
            [device]
            uuid = {UuidA}
            [device]
            uuid = {UuidB}
            fail.nvmlDeviceGetHandleByIndex_v2 = 4
            """);

        using var meter = Open(fake);

        Assert.Equal([0], meter.Devices.Select(d => d.Index));
        Assert.Equal(Provenance.Counter, meter.Channels[0].Provenance);
        var skipped = Assert.Single(meter.Skipped);
        Assert.Equal(1, skipped.Index);
        Assert.Contains("NVML_ERROR_NO_PERMISSION (4)", skipped.Reason, StringComparison.Ordinal);
        Assert.Contains(meter.Warnings, w => w.StartsWith("gpu:1 is not measured", StringComparison.Ordinal));
        Assert.NotNull(meter.Read().Channels[0].CumulativeEnergy);
    }

    [Fact]
    public void Should_Fail_With_Every_Reason_When_No_Selected_Gpu_Can_Be_Read()
    {
        using var fake = FakeNvml.Create("""
            [device]
            fail.nvmlDeviceGetHandleByIndex_v2 = 4
            [device]
            fail.nvmlDeviceGetTotalEnergyConsumption = 15
            """);

        var e = Assert.Throws<MeterUnavailableException>(() => Open(fake));

        Assert.Contains("gpu:0: nvmlDeviceGetHandleByIndex_v2(index 0) returned NVML_ERROR_NO_PERMISSION", e.Message, StringComparison.Ordinal);
        Assert.Contains("gpu:1: nvmlDeviceGetTotalEnergyConsumption returned NVML_ERROR_GPU_IS_LOST (15)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Mark_A_Gpu_Lost_During_The_Run_And_Stop_Asking_It()
    {
        // Given: gpu:1 answers GPU_IS_LOST to every call from 3 s after the origin on
        long origin = Stopwatch.GetTimestamp();
        using var fake = FakeNvml.Create($"""
            {FakeNvml.TimeOriginLine(origin)}
            [device]
            uuid = {UuidA}
            [device]
            uuid = {UuidB}
            fail.* = 15 @ 3
            """);
        using var meter = NvmlMeter.Open(new NvmlMeterOptions(fake.LibraryPath), TimeProvider.System, origin);
        var first = meter.Read();
        Assert.SkipWhen(Stopwatch.GetElapsedTime(origin) > TimeSpan.FromSeconds(2.5), "the machine is too loaded to read before the loss at 3 s");
        Assert.NotNull(first.Channels[1].CumulativeEnergy);

        // When: reading until the loss (hang guard 60 s)
        MeterReading reading;
        do
        {
            Thread.Sleep(100);
            reading = meter.Read();
        }
        while (reading.Channels[1].Error is null && Stopwatch.GetElapsedTime(origin) < TimeSpan.FromSeconds(60));

        // Then: gpu:1 is marked lost (not 0 W), gpu:0 still reads, and the mark stays
        var lost = reading.Channels[1];
        Assert.Null(lost.Power);
        Assert.Null(lost.CumulativeEnergy);
        Assert.Contains("gpu:1 lost at", lost.Error, StringComparison.Ordinal);
        Assert.Contains("NVML_ERROR_GPU_IS_LOST (15)", lost.Error, StringComparison.Ordinal);
        Assert.NotNull(reading.Channels[0].CumulativeEnergy);
        Assert.Equal(lost.Error, meter.Read().Channels[1].Error);
    }

    [Fact]
    public void Should_Keep_Reading_After_A_Transient_Failure()
    {
        // Given: gpu:0's power call fails with UNKNOWN in [0, 1) s only
        long origin = Stopwatch.GetTimestamp();
        using var fake = FakeNvml.Create($"""
            {FakeNvml.TimeOriginLine(origin)}
            [device]
            uuid = {UuidA}
            energy_counter = no
            power_instant = no
            fail.nvmlDeviceGetPowerUsage = 999 @ 0 - 1
            """);
        using var meter = NvmlMeter.Open(new NvmlMeterOptions(fake.LibraryPath), TimeProvider.System, origin);
        var during = meter.Read();
        Assert.SkipWhen(Stopwatch.GetElapsedTime(origin) > TimeSpan.FromSeconds(0.9), "the machine is too loaded to read inside the 1 s failure window");

        // Then: the failing reading is marked, not zero; a later one has power again
        Assert.Null(during.Channels[0].Power);
        Assert.Contains("NVML_ERROR_UNKNOWN (999)", during.Channels[0].Error, StringComparison.Ordinal);
        while (Stopwatch.GetElapsedTime(origin) < TimeSpan.FromSeconds(1.1))
        {
            Thread.Sleep(50);
        }

        Assert.Equal(100, meter.Read().Channels[0].Power!.Value.Watts, 6);
    }

    [Fact]
    public void Should_Label_A_Mig_Gpu_As_Shared_By_All_Instances()
    {
        using var fake = FakeNvml.Create($"""
            [device]
            uuid = {UuidA}
            mig = enabled
            [device]
            uuid = {UuidB}
            mig = disabled
            """);

        using var meter = Open(fake);

        Assert.Equal([true, false], meter.Devices.Select(d => d.MigEnabled));
        Assert.Contains("shared by all its MIG instances", meter.Channels[0].Note, StringComparison.Ordinal);
        Assert.Contains("no per-instance power", meter.Channels[0].Note, StringComparison.Ordinal);
        Assert.DoesNotContain("MIG", meter.Channels[1].Note, StringComparison.Ordinal);
        Assert.Contains(meter.Warnings, w => w.StartsWith("gpu:0 has MIG mode enabled", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_Leave_Mig_Unknown_Where_Nvml_Does_Not_Support_It()
    {
        using var fake = FakeNvml.Create($"[device]\nuuid = {UuidA}\n");
        using var meter = Open(fake);
        Assert.Null(meter.Devices[0].MigEnabled);
        Assert.DoesNotContain(meter.Warnings, w => w.Contains("MIG", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_Read_Instant_Power_And_Fall_Back_To_Power_Usage_Without_The_Field()
    {
        // Given: a ramp 100 W → 300 W over 10 s; gpu:0 reports power usage as a 1 s average (Ampere), gpu:1 lacks the instant field
        long origin = Stopwatch.GetTimestamp();
        using var fake = FakeNvml.Create($"""
            {FakeNvml.TimeOriginLine(origin)}
            [device]
            uuid = {UuidA}
            power_w = 0:100, 10:300
            power_average_s = 1
            [device]
            uuid = {UuidB}
            power_w = 0:100, 10:300
            power_instant = no
            """);
        using var meter = NvmlMeter.Open(new NvmlMeterOptions(fake.LibraryPath), TimeProvider.System, origin);
        Thread.Sleep(1200);

        long before = Stopwatch.GetTimestamp();
        var reading = meter.Read();
        double after = Stopwatch.GetElapsedTime(origin).TotalSeconds;
        double start = Stopwatch.GetElapsedTime(origin, before).TotalSeconds;

        // Then: gpu:0 uses the instant field (the curve at the read time: 100 + 20 W/s × t), not the 1 s average
        // (which lags it by 10 W); gpu:1 uses nvmlDeviceGetPowerUsage (instantaneous here, no averaging set)
        Assert.Equal([true, false], meter.Devices.Select(d => d.InstantPower));
        Assert.InRange(reading.Channels[0].Power!.Value.Watts, 100 + (20 * start) - 0.01, 100 + (20 * after) + 0.01);
        Assert.InRange(reading.Channels[1].Power!.Value.Watts, 100 + (20 * start) - 0.01, 100 + (20 * after) + 0.01);
        Assert.Contains("NVML_FI_DEV_POWER_INSTANT", meter.Channels[0].Note, StringComparison.Ordinal);
        Assert.Contains("1 s average", meter.Channels[1].Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Label_A_Grace_Superchip_Counter_As_Module_Energy()
    {
        using var fake = FakeNvml.Create($"""
            [device]
            name = NVIDIA GH200 480GB
            uuid = {UuidA}
            [device]
            name = NVIDIA H100 80GB HBM3
            uuid = {UuidB}
            """);

        using var meter = Open(fake);

        Assert.Equal([true, false], meter.Devices.Select(d => d.ModuleEnergy));
        Assert.Contains("whole module (GPU, Grace CPU and memory)", meter.Channels[0].Note, StringComparison.Ordinal);
        Assert.Contains(meter.Warnings, w => w.StartsWith("gpu:0 (NVIDIA GH200 480GB) is a Grace superchip", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_Read_Pci_Bus_Ids_Names_And_Uuids()
    {
        using var fake = FakeNvml.Create($"""
            [device]
            name = NVIDIA A100-SXM4-80GB
            uuid = {UuidA}
            bus_id = 00000000:C1:00.0
            """);
        using var meter = Open(fake);
        var d = Assert.Single(meter.Devices);
        Assert.Equal(("NVIDIA A100-SXM4-80GB", UuidA, "00000000:C1:00.0"), (d.Name, d.Uuid, d.PciBusId));
    }

    /// <summary>NVML index order and PCI bus order differ here on purpose: A100 is NVML index 0 on bus 02, T4 index 1 on bus 01.</summary>
    private const string MixedModels = $"""
        [device]
        name = NVIDIA A100-SXM4-40GB
        uuid = {UuidA}
        bus_id = 00000000:02:00.0
        [device]
        name = Tesla T4
        uuid = {UuidB}
        bus_id = 00000000:01:00.0
        """;

    [Fact]
    public void Should_Refuse_Cuda_Ordinals_On_Mixed_Models_Without_Pci_Bus_Order()
    {
        using var fake = FakeNvml.Create(MixedModels);
        var e = Assert.Throws<GpuSelectionException>(() => Open(fake, "1"));
        Assert.Contains("CUDA_DEVICE_ORDER=PCI_BUS_ID", e.Message, StringComparison.Ordinal);
        Assert.Contains("Tesla T4", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Map_Cuda_Ordinals_Through_The_Pci_Bus_Id()
    {
        using var fake = FakeNvml.Create(MixedModels);
        using var meter = Open(fake, "1", "PCI_BUS_ID");
        var d = Assert.Single(meter.Devices);
        Assert.Equal((0, "NVIDIA A100-SXM4-40GB"), (d.Index, d.Name));
    }

    [Fact]
    public void Should_Select_By_Gpu_Uuid_Prefix_Whatever_The_Order()
    {
        using var fake = FakeNvml.Create(MixedModels);
        using var meter = Open(fake, "GPU-bbbb");
        Assert.Equal("Tesla T4", Assert.Single(meter.Devices).Name);
    }
}
