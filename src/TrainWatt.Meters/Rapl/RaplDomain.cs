namespace TrainWatt.Meters.Rapl;

/// <summary>One powercap zone (a RAPL domain) found under the powercap root.</summary>
/// <param name="ZoneId">Directory name: "intel-rapl:0", "intel-rapl:0:2".</param>
/// <param name="Directory">Full path of the zone directory.</param>
/// <param name="Name">Contents of <c>name</c>: "package-0", "core", "uncore", "dram", "psys".</param>
/// <param name="ParentZoneId">The package zone for a sub-zone ("intel-rapl:0" for "intel-rapl:0:2"), else null.</param>
/// <param name="MaxEnergyRangeMicrojoules">Contents of <c>max_energy_range_uj</c>: where <c>energy_uj</c> wraps; 0 when unknown.</param>
public sealed record RaplDomain(string ZoneId, string Directory, string Name, string? ParentZoneId, ulong MaxEnergyRangeMicrojoules)
{
    /// <summary>Path of the counter file <c>energy_uj</c>.</summary>
    public string EnergyFile => Path.Combine(Directory, "energy_uj");
}
