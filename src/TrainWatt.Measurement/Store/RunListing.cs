using System.Globalization;
using TrainWatt.Core.Units;
using TrainWatt.Storage;

namespace TrainWatt.Measurement.Store;

/// <summary>
/// Which runs <c>runs list</c> shows: every filter given must hold. <see cref="Tags"/>: key=value, all of them;
/// <see cref="Outcome"/>: one of <see cref="RunOutcome.Names"/>; <see cref="Since"/>: started at or after;
/// <see cref="Limit"/>: the newest N of those that match (still listed oldest first).
/// </summary>
public sealed record RunListQuery
{
    public IReadOnlyList<string> Tags { get; init; } = [];

    public string? Outcome { get; init; }

    public DateTimeOffset? Since { get; init; }

    public int? Limit { get; init; }

    /// <summary>What is wrong with the query, one message per option (empty when it is valid).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        foreach (string tag in Tags)
        {
            if (tag.IndexOf('=', StringComparison.Ordinal) <= 0)
            {
                problems.Add($"--tag \"{tag}\" must look like key=value (e.g. --tag experiment=demo).");
            }
        }

        if (Outcome is { } outcome && !RunOutcome.Names.Contains(outcome, StringComparer.OrdinalIgnoreCase))
        {
            problems.Add($"--status \"{outcome}\" is unknown; use {string.Join(", ", RunOutcome.Names)}.");
        }

        if (Limit is <= 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"--limit must be a whole number >= 1 (the newest N runs), got {Limit}."));
        }

        return problems;
    }

    /// <summary>
    /// <c>--since</c>: a date or time (<c>2026-12-01</c>, <c>2026-12-01T09:00</c>; UTC unless it carries an offset) or a
    /// duration back from <paramref name="now"/> (<c>2h</c>, <c>30m</c>, <c>7d</c>).
    /// </summary>
    /// <exception cref="FormatException">Neither; the message shows both forms.</exception>
    public static DateTimeOffset ParseSince(string text, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        if (trimmed.EndsWith('d') && double.TryParse(trimmed[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double days)
            && days >= 0 && days < 100_000)
        {
            return now - TimeSpan.FromDays(days);
        }

        if (DurationText.TryParse(trimmed, out var ago) && ago < TimeSpan.FromDays(100_000))
        {
            return now - ago;
        }

        if (DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time;
        }

        throw new FormatException($"--since \"{text}\" is neither a date (2026-12-01, 2026-12-01T09:00Z) nor a time back from now (2h, 30m, 7d).");
    }

    /// <summary>True when <paramref name="run"/> passes every filter but the limit.</summary>
    public bool Matches(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return (Outcome is null || string.Equals(RunOutcome.Of(run), Outcome, StringComparison.OrdinalIgnoreCase))
            && (Since is not { } since || run.Started >= since)
            && Tags.All(tag =>
            {
                int eq = tag.IndexOf('=', StringComparison.Ordinal);
                return eq > 0 && run.Tags.TryGetValue(tag[..eq], out string? value) && value == tag[(eq + 1)..];
            });
    }
}

/// <summary>
/// A run's outcome as <c>runs list</c> shows it: the stored status, except that a completed run whose command exited
/// non-zero is <c>failed</c> (a training that failed with exit 2 is not a success), as is a run whose measurement failed.
/// </summary>
public static class RunOutcome
{
    /// <summary>running, completed, failed, incomplete.</summary>
    public static IReadOnlyList<string> Names { get; } = ["running", "completed", "failed", "incomplete"];

    public static string Of(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.Status switch
        {
            RunStatus.Completed when run.ExitCode is not (null or 0) => "failed",
            RunStatus.Running => "running",
            RunStatus.Completed => "completed",
            RunStatus.Failed => "failed",
            _ => "incomplete",
        };
    }

    /// <summary>The outcome with why a run failed: <c>failed (exit 2)</c>, <c>failed (measurement)</c>.</summary>
    public static string Text(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return Of(run) switch
        {
            "failed" when run.Status == RunStatus.Failed => "failed (measurement)",
            "failed" => string.Create(CultureInfo.InvariantCulture, $"failed (exit {run.ExitCode})"),
            var other => other,
        };
    }
}

/// <summary>One listed run: the record, its energy (sum over its devices, as <c>runs show</c>; null when none has one) and outcome.</summary>
public sealed record RunListEntry(RunRecord Run, Energy? Energy)
{
    public string Outcome => RunOutcome.Of(Run);
}

/// <summary>The runs a <see cref="RunListQuery"/> selected, oldest first; <see cref="Matched"/> counts them before the limit.</summary>
public sealed record RunListing(string Store, IReadOnlyList<RunListEntry> Runs, int Matched, int Total);
