using Microsoft.Extensions.Time.Testing;
using TrainWatt.Core;
using TrainWatt.Measurement.Spool;
using TrainWatt.Storage;
using TrainWatt.Storage.Sqlite;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Measure.Spool;

using Energy = TrainWatt.Core.Units.Energy;

/// <summary>
/// Issue 13 M3: a write the store refuses by its own rules (a UNIQUE violation: epoch 1 twice) is no outage. Waiting
/// cannot fix it, so it must not hold the later writes back, and the user must not be told the store is down.
/// </summary>
public class StoreConstraintTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Should_Skip_A_Write_That_Breaks_A_Constraint_With_One_Warning_And_Store_The_Writes_After_It()
    {
        // Given: a real SQLite store, and epoch 1 queued twice among other epochs
        using var dir = new TempDirectory();
        using var store = SqliteRunStore.Open(dir.File("runs.db"));
        long runId = store.CreateRun(new NewRun("measure", T0));
        var said = new List<string>();
        using var queue = new StoreWriteQueue(store, runId, new FakeTimeProvider(T0), said.Add, [dir.Path],
            () => new SpoolHeader(store.Location, runId, "uuid-1", "host-a", 4242));
        foreach (int n in new[] { 1, 1, 2, 3 })
        {
            queue.Enqueue(new StoreWrite.Epoch(new EpochRecord(n, T0.AddSeconds(n - 1), T0.AddSeconds(n), Energy.FromJoules(100), Provenance.Counter)));
        }

        // When
        var state = queue.Pump();

        // Then: drained at once (no retry, no outage), the three distinct epochs stored, one warning that names the refusal
        Assert.Equal(PumpState.Drained, state);
        Assert.False(queue.InOutage);
        Assert.False(queue.Failed);
        Assert.Equal([1, 2, 3], store.GetRun(runId)!.Epochs.Select(e => e.Number));
        var warning = Assert.Single(said);
        Assert.DoesNotContain("stopped answering", warning, StringComparison.Ordinal);
        Assert.Contains("refused", warning, StringComparison.Ordinal);
    }
}
