using System.Globalization;

namespace TrainWatt.Core.Projection;

/// <summary>
/// The epoch counts a user gives (<c>--total-epochs</c>, <c>--max-epochs</c>) checked against the epochs a run already
/// has (issue 14, "Bad input"): a total below them is a contradiction, and a projection from it would be nonsense. Each
/// problem is one sentence naming the option, the count and the fix.
/// </summary>
public static class EpochInputCheck
{
    /// <summary>
    /// Why <paramref name="totalEpochs"/> or <paramref name="maxEpochs"/> cannot be the run's N when
    /// <paramref name="epochsSeen"/> epochs <paramref name="where"/> exist ("already finished", "in FILE"); null when they can.
    /// </summary>
    public static string? BelowSeen(int epochsSeen, int? totalEpochs, int? maxEpochs, string where)
    {
        if (totalEpochs is int total && total < epochsSeen)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"--total-epochs {total} is less than the {epochsSeen} epochs {where}; give the run's planned total (--total-epochs {epochsSeen} or more), or --max-epochs M with --early-stopping-patience P when early stopping decides.");
        }

        if (maxEpochs is int max && max < epochsSeen)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"--max-epochs {max} is less than the {epochsSeen} epochs {where}; give the run's real limit (--max-epochs {epochsSeen} or more).");
        }

        return null;
    }

    /// <summary>
    /// <c>trainwatt project</c>: the epoch log holds <paramref name="logEpochs"/> finished epochs, so N is at least that,
    /// whatever <see cref="TraceProjectionRequest.AfterEpoch"/> uses.
    /// </summary>
    /// <exception cref="ArgumentException">A total or maximum below the log's epochs (a usage error).</exception>
    public static void ThrowIfBelowLog(TraceProjectionRequest request, int logEpochs)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (BelowSeen(logEpochs, request.TotalEpochs, request.MaxEpochs, $"in {request.EpochLogPath}") is { } problem)
        {
            throw new ArgumentException(problem);
        }
    }
}
