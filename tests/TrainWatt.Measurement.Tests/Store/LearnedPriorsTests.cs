using TrainWatt.Core;
using TrainWatt.Core.Projection;
using TrainWatt.Core.Units;
using TrainWatt.Measurement;
using TrainWatt.Storage;
using TrainWatt.Storage.Sqlite;
using TrainWatt.Testing;

namespace TrainWatt.Measurement.Tests.Store;

/// <summary>
/// Issue 14: measure's projection priors come from the store's finished runs when it holds enough of them
/// (<see cref="LiveProjectionSetup.WithLearnedPriors"/>), else the documented defaults; a given --drift-prior wins.
/// </summary>
public sealed class LearnedPriorsTests : IDisposable
{
    private const string Command = "python train.py";
    private static readonly DateTimeOffset T0 = new(2026, 5, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Stores a finished run: epochs of 60 s from 5 s after its start, ended <paramref name="tailSeconds"/> after the last.</summary>
    private static void Store(IRunStore store, string command, IReadOnlyList<double> joules, double tailSeconds, RunStatus status = RunStatus.Completed, int offsetHours = 0)
    {
        var start = T0.AddHours(offsetHours);
        long id = store.CreateRun(new NewRun("measure", start, Command: command));
        for (int k = 0; k < joules.Count; k++)
        {
            store.AddEpoch(id, new EpochRecord(k + 1, start.AddSeconds(5 + 60 * k), start.AddSeconds(5 + 60 * (k + 1)), Energy.FromJoules(joules[k]), Provenance.Counter));
        }

        store.FinishRun(id, status, start.AddSeconds(5 + 60 * joules.Count + tailSeconds), status == RunStatus.Completed ? 0 : 1);
    }

    [Fact]
    public void An_Empty_Store_Leaves_The_Documented_Defaults()
    {
        using var store = SqliteRunStore.Open(_temp.File("empty.db"));
        var options = LiveProjectionSetup.WithLearnedPriors(LiveProjectionSetup.Options(20, null, null), store, Command, driftGiven: false);
        Assert.Equal(DriftPrior.Default, options.Drift);
        Assert.Equal(TailPrior.Default, options.Tail);
        Assert.Equal(20, options.TotalEpochs);
    }

    [Fact]
    public void The_Tail_Is_Learned_From_Three_Finished_Runs_Of_The_Same_Command()
    {
        // Hand: tails 1, 2 and 3 s -> mean 2 s, sample sd 1 s. A failed run (tail 50 s) and another command's run
        // (tail 40 s) are not used; two runs are not enough for the drift prior (10 needed): it stays the default.
        using var store = SqliteRunStore.Open(_temp.File("tail.db"));
        double[] flat = [.. Enumerable.Repeat(1000.0, 12)];
        Store(store, Command, flat, 1, offsetHours: 0);
        Store(store, Command, flat, 2, offsetHours: 1);
        Store(store, Command, flat, 50, RunStatus.Failed, offsetHours: 2);
        Store(store, "python other.py", flat, 40, offsetHours: 3);
        var two = LiveProjectionSetup.WithLearnedPriors(LiveProjectionSetup.Options(12, null, null), store, Command, driftGiven: false);
        Assert.Equal(TailPrior.Default, two.Tail);

        Store(store, Command, flat, 3, offsetHours: 4);
        var options = LiveProjectionSetup.WithLearnedPriors(LiveProjectionSetup.Options(12, null, null), store, Command, driftGiven: false);

        Assert.Equal(2, options.Tail!.Mean.TotalSeconds, 1e-9);
        Assert.Equal(1, options.Tail.Sd.TotalSeconds, 1e-9);
        Assert.Equal("learned from 3 finished runs of this command", options.Tail.Source);
        Assert.Equal(DriftPrior.Default, options.Drift);
    }

    [Fact]
    public void The_Drift_Prior_Is_Learned_From_Ten_Or_More_Finished_Runs_Unless_Given()
    {
        // Twelve finished runs whose level drifts (the issue-14 generator, seeds 1001-1012): tau is learned as the 90 %
        // quantile of the drift each run's first live projection needed (DriftPrior.Learn), a positive value with its source.
        using var store = SqliteRunStore.Open(_temp.File("drift.db"));
        for (int seed = 1001; seed <= 1012; seed++)
        {
            Store(store, Command, DriftingRuns.Generate(seed).Epochs.Select(e => e.Energy.Joules).ToArray(), 1, offsetHours: seed - 1000);
        }

        var learned = LiveProjectionSetup.WithLearnedPriors(LiveProjectionSetup.Options(60, null, null), store, Command, driftGiven: false);
        var given = LiveProjectionSetup.WithLearnedPriors(LiveProjectionSetup.Options(60, null, null, DriftPrior.Given(0.02)), store, Command, driftGiven: true);

        Assert.Equal("learned from 12 finished runs", learned.Drift!.Source);
        Assert.InRange(learned.Drift.RelativeSd, 0.001, 0.2);
        Assert.Equal(new DriftPrior(0.02, "--drift-prior"), given.Drift);
    }
}
