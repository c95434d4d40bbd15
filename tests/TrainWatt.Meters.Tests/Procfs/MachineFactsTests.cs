using TrainWatt.Meters.Procfs;
using TrainWatt.Testing;

namespace TrainWatt.Meters.Tests.Procfs;

/// <summary>The machine facts emissions exports name (os, CPUs, CPU model, RAM), read from a fake procfs.</summary>
public class MachineFactsTests
{
    [Fact]
    public void Should_Read_The_Cpu_Model_And_Ram_From_Procfs()
    {
        using var proc = new TempDirectory();
        File.WriteAllText(proc.File("cpuinfo"), "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7763 64-Core Processor\n\nprocessor\t: 1\nmodel name\t: AMD EPYC 7763 64-Core Processor\n");
        File.WriteAllText(proc.File("meminfo"), "MemTotal:       131596288 kB\nMemFree:         1000 kB\n");

        var facts = MachineFacts.Read(proc.Path);

        Assert.Equal("AMD EPYC 7763 64-Core Processor", facts.CpuModel);
        Assert.Equal(131596288 / 1024.0 / 1024.0, facts.RamTotalGb); // kB / 1024² = GiB (125.5 GiB)
        Assert.Equal(Environment.ProcessorCount, facts.CpuCount);
        Assert.False(string.IsNullOrEmpty(facts.Os));
    }

    [Fact]
    public void Should_Leave_Unreadable_Facts_Null_Rather_Than_Guess()
    {
        using var proc = new TempDirectory();
        File.WriteAllText(proc.File("cpuinfo"), "processor\t: 0\nHardware\t: BCM2835\n"); // no "model name" (some ARM boards)

        var facts = MachineFacts.Read(proc.Path); // no meminfo at all

        Assert.Null(facts.CpuModel);
        Assert.Null(facts.RamTotalGb);
    }
}
