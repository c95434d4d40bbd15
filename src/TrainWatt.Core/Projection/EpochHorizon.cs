namespace TrainWatt.Core.Projection;

/// <summary>
/// What is known about the total number of epochs N of a run: an exact count, or a range of equally likely values
/// (a uniform prior over the integers <see cref="Min"/>..<see cref="Max"/>).
/// </summary>
/// <param name="Min">Smallest possible N.</param>
/// <param name="Max">Largest possible N (equal to <see cref="Min"/> when N is known).</param>
/// <param name="Source">Where the bounds came from, for reports ("--total-epochs", "run finished", "early stopping").</param>
public sealed record EpochHorizon(int Min, int Max, string Source)
{
    public bool IsExact => Min == Max;

    /// <summary>The mean of the range: the N a point projection assumes.</summary>
    public double Assumed => (Min + Max) / 2.0;

    public static EpochHorizon Exactly(int total, string source) => new(total, total, source);

    /// <summary>
    /// Infers N from what the run tells. <paramref name="totalEpochs"/> (<c>--total-epochs</c>, a marker's or Keras'
    /// <c>Epoch k/N</c> total when there is no early stopping) fixes N. Otherwise, when the run has finished, N is
    /// the number of epochs seen. Otherwise <paramref name="maxEpochs"/> bounds N from above and the lower bound is the
    /// largest of: the epochs already finished (<paramref name="epochsSeen"/>), the patience + 1 (early stopping
    /// cannot stop earlier) and <paramref name="minEpochs"/>. Returns null with a reason when nothing bounds N.
    /// </summary>
    public static (EpochHorizon? Horizon, string? Error) Infer(
        int epochsSeen, bool runFinished, int? totalEpochs, int? maxEpochs, int? minEpochs, int? patience)
    {
        if (totalEpochs is { } total)
        {
            if (total < epochsSeen)
            {
                return (null, $"--total-epochs {total} is less than the {epochsSeen} epochs already finished.");
            }

            return (Exactly(total, "total epochs given"), null);
        }

        if (runFinished)
        {
            return (Exactly(epochsSeen, "run finished"), null);
        }

        if (maxEpochs is not { } max)
        {
            return (null, "the total number of epochs is unknown: pass --total-epochs N, or --max-epochs M (with --early-stopping-patience P or --min-epochs L when early stopping may end the run sooner).");
        }

        int lo = Math.Max(epochsSeen, Math.Max(patience is { } p ? p + 1 : 0, minEpochs ?? 0));
        if (lo > max)
        {
            return (null, $"the epoch bounds contradict each other: at least {lo} epochs (finished epochs, patience + 1, --min-epochs) but --max-epochs {max}.");
        }

        string source = patience is not null || minEpochs is not null ? "early stopping bounds" : "max epochs";
        return (new EpochHorizon(lo, max, source), null);
    }
}
