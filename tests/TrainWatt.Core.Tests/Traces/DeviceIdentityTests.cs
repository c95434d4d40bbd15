using TrainWatt.Core.Traces;
using static TrainWatt.Core.Tests.Traces.NvidiaSmiCsvTests;

namespace TrainWatt.Core.Tests.Traces;

/// <summary>
/// Issue 13: lines of different GPUs are never merged into one device. Two GPUs that share an index (two machines'
/// traces joined, a renumbering) are kept apart; interleaved GPUs without an index column are refused.
/// </summary>
public sealed class DeviceIdentityTests
{
    [Fact]
    public void Two_gpus_sharing_index_0_with_different_bus_ids_are_split_and_reported()
    {
        var result = ReadText("timestamp, index, name, pci.bus_id, power.draw [W]\n" +
            "2024/01/01 00:00:00.000, 0, A100, 00000000:01:00.0, 100.00 W\n" +
            "2024/01/01 00:00:00.000, 0, A100, 00000000:02:00.0, 300.00 W\n" +
            "2024/01/01 00:00:01.000, 0, A100, 00000000:01:00.0, 100.00 W\n" +
            "2024/01/01 00:00:01.000, 0, A100, 00000000:02:00.0, 300.00 W\n");

        Assert.Equal(["0", "0/00000000:02:00.0"], result.Devices.Select(d => d.Device));
        Assert.Equal([100.0, 100.0], result.Devices[0].Samples.Select(s => s.Power!.Value.Watts));
        Assert.Equal([300.0, 300.0], result.Devices[1].Samples.Select(s => s.Power!.Value.Watts));
        var fault = Assert.Single(result.Faults);
        Assert.Equal(FaultKind.SharedDeviceIndex, fault.Kind);
        Assert.Equal(3, fault.Line);
        Assert.Equal(
            "index 0 is used by two GPUs: pci.bus_id 00000000:01:00.0 (line 2) and 00000000:02:00.0 (this line); " +
            "the second is kept apart as device '0/00000000:02:00.0'. Were traces of two machines joined?",
            fault.Message);
    }

    [Fact]
    public void Two_gpus_sharing_an_index_with_different_uuids_or_names_are_split()
    {
        var byUuid = ReadText("timestamp, index, uuid, power.draw [W]\n" +
            "2024/01/01 00:00:00.000, 0, GPU-aaaa, 100.00 W\n" +
            "2024/01/01 00:00:00.000, 0, GPU-bbbb, 300.00 W\n");
        Assert.Equal(["0", "0/GPU-bbbb"], byUuid.Devices.Select(d => d.Device));

        var byName = ReadText("timestamp, index, name, power.draw [W]\n" +
            "2024/01/01 00:00:00.000, 0, A100, 100.00 W\n" +
            "2024/01/01 00:00:00.000, 0, H100, 300.00 W\n");
        Assert.Equal(["0", "0/H100"], byName.Devices.Select(d => d.Device));
        Assert.Equal("H100", byName.Devices[1].GpuName);
    }

    [Fact]
    public void The_same_gpu_on_every_line_is_one_device_without_faults()
    {
        var result = ReadText("timestamp, index, name, pci.bus_id, uuid, power.draw [W]\n" +
            "2024/01/01 00:00:00.000, 0, A100, 00000000:01:00.0, GPU-aaaa, 100.00 W\n" +
            "2024/01/01 00:00:00.000, 1, A100, 00000000:02:00.0, GPU-bbbb, 300.00 W\n" +
            "2024/01/01 00:00:01.000, 0, A100, 00000000:01:00.0, GPU-aaaa, 100.00 W\n" +
            "2024/01/01 00:00:01.000, 1, A100, 00000000:02:00.0, GPU-bbbb, 300.00 W\n");

        Assert.Empty(result.Faults);
        Assert.Equal(["0", "1"], result.Devices.Select(d => d.Device));
    }

    [Fact]
    public void Interleaved_gpus_without_an_index_column_are_refused_with_the_fix()
    {
        // Two GPUs, one line each per tick, same time stamp: read as one device their powers would alternate and
        // the trapezoid would average them (200 W "per GPU" instead of 100 W + 300 W).
        var text = "timestamp, name, power.draw [W]\n" + string.Concat(Enumerable.Range(0, 10).Select(t =>
            $"2024/01/01 00:00:{t:00}.000, A100, 100.00 W\n2024/01/01 00:00:{t:00}.000, A100, 300.00 W\n"));
        var result = ReadText(text);

        Assert.Empty(result.Devices);
        var fault = Assert.Single(result.Faults);
        Assert.Equal(FaultKind.Fatal, fault.Kind);
        Assert.Equal(
            "t.csv: has no index column, but its lines interleave several GPUs (10 of 19 intervals between lines are " +
            "0 s or under a tenth of a neighbouring interval, first at line 3): read as one device their powers would be averaged. " +
            "Record with --query-gpu=timestamp,index,pci.bus_id,power.draw,... (add the index column), or split the file per GPU.",
            fault.ToString());
    }

    [Fact]
    public void Gpu_names_changing_without_an_index_column_are_refused()
    {
        var result = ReadText("timestamp, name, power.draw [W]\n" +
            "2024/01/01 00:00:00.000, A100, 100.00 W\n" +
            "2024/01/01 00:00:00.500, H100, 300.00 W\n" +
            "2024/01/01 00:00:01.000, A100, 100.00 W\n");

        Assert.Empty(result.Devices);
        var fault = Assert.Single(result.Faults);
        Assert.Equal(FaultKind.Fatal, fault.Kind);
        Assert.Equal(3, fault.Line);
        Assert.Contains("GPU name changes from 'A100' (line 2) to 'H100'", fault.Message, StringComparison.Ordinal);
        Assert.Contains("add the index column", fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_single_gpu_sampled_with_jitter_is_not_taken_for_interleaved_gpus()
    {
        // 1 Hz with ±30 ms jitter and one repeated time stamp (a duplicated line): one device, no fault.
        var random = new Random(7);
        var lines = Enumerable.Range(0, 100).Select(t => new DateTime(2024, 1, 1).AddSeconds(t).AddMilliseconds(random.Next(-30, 30))).ToList();
        lines.Insert(50, lines[50]);
        var text = "timestamp, name, power.draw [W]\n" + string.Concat(lines.Select(t => $"{t:yyyy/MM/dd HH:mm:ss.fff}, A100, 100.00 W\n"));
        var result = ReadText(text);

        Assert.Empty(result.Faults);
        Assert.Equal(101, Assert.Single(result.Devices).Samples.Count);
    }
}
