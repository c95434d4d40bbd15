using TrainWatt.Core.Accounting;
using TrainWatt.Core.Units;

namespace TrainWatt.Core.Tests.Accounting;

/// <summary>
/// <see cref="RunPhases.Split"/> on a hand-made run: 10 s in all; 2 s of start-up (300 J), epochs 1 (2-4 s, 400 J) and 2
/// (5-7 s, 500 J) with 1 s between them (150 J), then 3 s of tail. The run's energy is 300 J at the first epoch's start
/// and 300 + 400 + 150 + 500 = 1,350 J at the last epoch's end; the whole run 1,800 J.
/// </summary>
public class RunPhasesTests
{
    private static RunPhases? Hand() => RunPhases.Split(
        TimeSpan.FromSeconds(10),
        Energy.FromJoules(1800),
        [(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), Energy.FromJoules(400)), (TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(7), Energy.FromJoules(500))],
        Energy.FromJoules(300),
        Energy.FromJoules(1350),
        ["counter"]);

    [Fact]
    public void Should_Split_The_Run_Into_Phases_That_Add_Up_To_The_Whole_Process()
    {
        var phases = Hand()!;

        // Hand: startup 2 s / 300 J; epochs 4 s / 900 J; between 1 s / 1350 − 300 − 900 = 150 J; tail 3 s / 1800 − 1350 = 450 J
        Assert.Equal(
            [("startup", 2.0, 300.0), ("epochs", 4.0, 900.0), ("between_epochs", 1.0, 150.0), ("tail", 3.0, 450.0), ("whole_process", 10.0, 1800.0)],
            phases.All.Select(p => (p.Name, p.Duration.TotalSeconds, p.Energy.Joules)));
        Assert.Equal(2, phases.EpochCount);
    }

    [Fact]
    public void Should_Give_One_Line_With_The_Shared_Names_And_The_Provenance()
    {
        Assert.Equal(
            "phases (counter; split at the epoch boundaries' meter readings): startup 300.0 J (2.0 s), epochs 900.0 J (2, 4.0 s), between_epochs 150.0 J (1.0 s), tail 450.0 J (3.0 s), whole_process 1.80 kJ (10.0 s)",
            Hand()!.Line());
    }

    [Fact]
    public void Should_Have_No_Phases_Without_Epochs()
        => Assert.Null(RunPhases.Split(TimeSpan.FromSeconds(1), Energy.FromJoules(5), [], Energy.Zero, Energy.Zero, ["counter"]));
}
