using System.Globalization;
using TrainWatt.Testing;

namespace TrainWatt.Meters.Tests.Rapl;

/// <summary>A powercap tree in a temp folder, laid out as /sys/class/powercap is on an Intel machine (flat zone folders).</summary>
internal sealed class FakePowercapTree : IDisposable
{
    private readonly TempDirectory _dir = new("trainwatt-powercap");

    public string Root => _dir.Path;

    public FakePowercapTree Zone(string zoneId, string name, ulong energyUj, ulong? maxRangeUj = 262143328850)
    {
        string dir = Path.Combine(Root, zoneId);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "name"), name + "\n");
        File.WriteAllText(Path.Combine(dir, "energy_uj"), energyUj.ToString(CultureInfo.InvariantCulture) + "\n");
        if (maxRangeUj is { } max)
        {
            File.WriteAllText(Path.Combine(dir, "max_energy_range_uj"), max.ToString(CultureInfo.InvariantCulture) + "\n");
        }

        return this;
    }

    public void SetEnergy(string zoneId, ulong energyUj)
        => File.WriteAllText(Path.Combine(Root, zoneId, "energy_uj"), energyUj.ToString(CultureInfo.InvariantCulture) + "\n");

    /// <summary>A typical single-socket client: package with core, uncore and dram sub-zones, plus psys.</summary>
    public static FakePowercapTree Client()
        => new FakePowercapTree()
            .Zone("intel-rapl:0", "package-0", 1_000_000)
            .Zone("intel-rapl:0:0", "core", 500_000)
            .Zone("intel-rapl:0:1", "uncore", 10_000)
            .Zone("intel-rapl:0:2", "dram", 200_000)
            .Zone("intel-rapl:1", "psys", 5_000_000);

    public void Dispose() => _dir.Dispose();
}
