using TrainWatt.Core;
using TrainWatt.Core.Attribution;
using TrainWatt.Core.Units;

namespace TrainWatt.Meters;

/// <summary>
/// The CPU energy a meter has seen since it was opened, both ways: the whole machine's and the process tree's share of
/// it. Both only grow; a run's figures are the difference between two snapshots.
/// </summary>
/// <param name="Machine">The CPU's energy (RAPL packages, or the TDP model on the machine's utilisation).</param>
/// <param name="Process">The process tree's share: per interval, the CPU energy × the tree's share of the machine's CPU time.</param>
public readonly record struct CpuEnergyTotals(Energy Machine, Energy Process)
{
    /// <summary>What was added between <paramref name="before"/> and this snapshot.</summary>
    public CpuEnergyTotals Since(CpuEnergyTotals before) => new(Machine - before.Machine, Process - before.Process);
}

/// <summary>
/// A meter whose CPU channels can be charged to the run whole (<see cref="CpuAttribution.Machine"/>) or by the process
/// tree's share of the machine's CPU time (<see cref="CpuAttribution.Process"/>): the RAPL meter wrapped by
/// <see cref="Procfs.CpuAttributedRaplMeter"/> and the CPU model of <see cref="Procfs.ProcessTreeMeter"/>.
/// </summary>
public interface ICpuAttributedMeter
{
    /// <summary>How the CPU channels' energy is charged from the next reading on; set it between runs, not during one.</summary>
    CpuAttribution Attribution { get; set; }

    /// <summary>How the CPU figures are obtained: <see cref="Provenance.Counter"/> (RAPL) or <see cref="Provenance.Model"/>.</summary>
    Provenance CpuProvenance { get; }

    /// <summary>The CPU energy since the meter was opened, both ways, as of the last reading.</summary>
    CpuEnergyTotals CpuTotals { get; }
}
