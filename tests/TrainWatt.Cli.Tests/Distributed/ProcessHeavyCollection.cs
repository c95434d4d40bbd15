namespace TrainWatt.Cli.Tests.Distributed;

/// <summary>
/// Tests that start several measure processes at once: they run alone (after the parallel tests), so that their CPU
/// load does not disturb the timing-sensitive accuracy tests of measure, nor theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessHeavyCollection
{
    public const string Name = "measure processes";
}
