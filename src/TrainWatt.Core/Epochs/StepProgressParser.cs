using System.Globalization;
using System.Text.RegularExpressions;

namespace TrainWatt.Core.Epochs;

/// <summary>What a step count counts: the steps of the current epoch, or of the whole run.</summary>
public enum ProgressScope
{
    /// <summary>Step <c>n</c> of the <c>total</c> steps of the current epoch (Keras, Lightning, a per-epoch tqdm bar, the step marker).</summary>
    Epoch,

    /// <summary>Step <c>n</c> of the <c>total</c> optimisation steps of the whole run (the Hugging Face Trainer's bar).</summary>
    Run,
}

/// <summary>One progress reading from the command's output.</summary>
/// <param name="Step">Steps done (at most <paramref name="Total"/>).</param>
/// <param name="Total">Steps in the epoch or the run.</param>
/// <param name="Scope">What the steps count.</param>
/// <param name="Epoch">The 1-based epoch the line names (Lightning's bar), or null: the epoch in progress.</param>
public sealed record StepProgress(long Step, long Total, ProgressScope Scope, int? Epoch = null);

/// <summary>
/// Reads progress within an epoch (or a run) from a training command's output, one segment (line or <c>\r</c> redraw)
/// at a time; pure, like <see cref="EpochDetector"/>, which finds the epochs themselves.
/// </summary>
/// <remarks>
/// <para>Conventions (the first three are what the frameworks print on their own):</para>
/// <list type="bullet">
/// <item><b>Keras</b>: <c>12/45 [=====&gt;....] - ETA: 4s - loss: ...</c> (Keras 2) or <c>12/45 ━━━━━━ 4s ...</c>
/// (Keras 3): step 12 of the epoch's 45.</item>
/// <item><b>tqdm and Lightning</b>: <c>Epoch 2:  45%|████▌     | 45/100 [00:10&lt;00:12, 4.50it/s]</c> (Lightning,
/// 0-based epoch in the description), <c>Epoch 2/9 ━━━━ 45/100 0:00:10 • 0:00:12 4.50it/s</c> (Lightning's rich bar),
/// or a bare <c>45%|████▌     | 45/100 [...]</c>. A bare bar whose total is the Hugging Face Trainer's
/// <c>Total optimization steps</c> counts the run's steps; otherwise the first bare bar's total is taken as the epoch's
/// steps, and bare bars with another total (evaluation loops) are ignored. Bars with any other description
/// (<c>Validation DataLoader 0:</c>) are ignored.</item>
/// <item><b>Hugging Face</b>: <c>Total optimization steps = 1,000</c> gives <see cref="PlannedSteps"/>, and
/// <c>Num Epochs = 3</c> gives <see cref="PlannedEpochs"/>.</item>
/// <item><b>Marker</b>: <c>##trainwatt step n=12 total=45</c> (the Python helper's <c>step(n, total)</c>): step 12 of
/// the current epoch's 45; <c>##trainwatt plan epochs=50</c> gives <see cref="PlannedEpochs"/>.</item>
/// </list>
/// <para>Every pattern is anchored or on the linear-time engine, and a segment is scanned on its first
/// <see cref="EpochDetector.MaxScannedLength"/> characters, so a hostile line costs a bounded time.</para>
/// </remarks>
public sealed partial class StepProgressParser
{
    private long? _epochBarTotal;

    /// <summary>The run's planned optimisation steps, from the Hugging Face Trainer's <c>Total optimization steps</c>.</summary>
    public long? PlannedSteps { get; private set; }

    /// <summary>The run's planned epochs from the Hugging Face Trainer's <c>Num Epochs</c> or the marker <c>##trainwatt plan epochs=N</c>.</summary>
    public int? PlannedEpochs { get; private set; }

    /// <summary>Scans one segment; returns the progress it shows, or null.</summary>
    public StepProgress? Scan(string segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        string text = EpochDetector.Clean(EpochDetector.Bound(segment));
        if (text.Length == 0)
        {
            return null;
        }

        if (text.StartsWith(TrainWattMarker.Prefix, StringComparison.Ordinal))
        {
            PlannedEpochs = TrainWattMarker.ParsePlan(text) ?? PlannedEpochs;
            return Marker(text);
        }

        if (KerasStep().Match(text) is { Success: true } keras)
        {
            return Reading(keras.Groups[1].Value, keras.Groups[2].Value, ProgressScope.Epoch, null);
        }

        if (LightningRich().Match(text) is { Success: true } rich)
        {
            return Reading(rich.Groups[3].Value, rich.Groups[4].Value, ProgressScope.Epoch, ZeroBasedEpoch(rich.Groups[1].Value));
        }

        if (TqdmBar.Match(text) is { Success: true } bar)
        {
            return Bar(text[..bar.Index].Trim(), bar.Groups[1].Value, bar.Groups[2].Value);
        }

        if (HuggingFaceTotalSteps().Match(text) is { Success: true } steps && Number(steps.Groups[1].Value) is long planned and > 0)
        {
            PlannedSteps = planned;
        }
        else if (HuggingFaceEpochs().Match(text) is { Success: true } epochs && Number(epochs.Groups[1].Value) is long n and > 0 and <= EpochDetector.MaxEpochNumber)
        {
            PlannedEpochs = (int)n;
        }

        return null;
    }

    private StepProgress? Bar(string description, string step, string total)
    {
        if (LightningDescription().Match(description) is { Success: true } lightning)
        {
            return Reading(step, total, ProgressScope.Epoch, ZeroBasedEpoch(lightning.Groups[1].Value));
        }

        if (description.Length > 0 || Number(total) is not long t)
        {
            return null; // a validation or test bar, or a bar of something else
        }

        if (PlannedSteps == t)
        {
            return Reading(step, total, ProgressScope.Run, null);
        }

        _epochBarTotal ??= t;
        return _epochBarTotal == t ? Reading(step, total, ProgressScope.Epoch, null) : null;
    }

    private static StepProgress? Marker(string text)
    {
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || parts[0] != TrainWattMarker.Prefix || parts[1] != "step")
        {
            return null;
        }

        string? n = null, total = null;
        foreach (string part in parts.Skip(2))
        {
            if (part.StartsWith("n=", StringComparison.Ordinal))
            {
                n = part[2..];
            }
            else if (part.StartsWith("total=", StringComparison.Ordinal))
            {
                total = part[6..];
            }
        }

        return n is null || total is null ? null : Reading(n, total, ProgressScope.Epoch, null);
    }

    private static StepProgress? Reading(string step, string total, ProgressScope scope, int? epoch)
        => Number(step) is long s and >= 0 && Number(total) is long t and > 0 && s <= t ? new StepProgress(s, t, scope, epoch) : null;

    private static int? ZeroBasedEpoch(string digits)
        => Number(digits) is long e and < EpochDetector.MaxEpochNumber ? (int)e + 1 : null;

    /// <summary>A non-negative integer, thousands separators (<c>1,000</c>) allowed; null when it is not one or too large.</summary>
    private static long? Number(string digits)
        => long.TryParse(digits.Replace(",", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out long value)
           && value < 1_000_000_000_000 ? value : null;

    [GeneratedRegex(@"^(\d{1,12})/(\d{1,12})\s+(?:\[|━)", RegexOptions.CultureInvariant)]
    private static partial Regex KerasStep();

    /// <summary>Lightning's rich bar: the epoch (0-based) and its last index, the bar, then <c>done/total</c>.</summary>
    [GeneratedRegex(@"^Epoch (\d{1,9})/(\d{1,9})\s+\S+\s+(\d{1,12})/(\d{1,12})\s", RegexOptions.CultureInvariant)]
    private static partial Regex LightningRich();

    [GeneratedRegex(@"^Epoch (\d{1,9}):?$", RegexOptions.CultureInvariant)]
    private static partial Regex LightningDescription();

    [GeneratedRegex(@"Total optimization steps\s*=\s*([\d,]{1,20})\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex HuggingFaceTotalSteps();

    [GeneratedRegex(@"Num Epochs\s*=\s*([\d,]{1,12})\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex HuggingFaceEpochs();

    /// <summary>Steps done (group 1) and total (2) of a tqdm bar <c>45%|███ | 45/100 [</c>; the description is what precedes the match.</summary>
    private static readonly Regex TqdmBar = new(
        @"\d{1,3}%\|[^|]*\|\s*(\d{1,12})/(\d{1,12})\s*\[", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    /// <summary>The patterns, for the linear-time tests.</summary>
    internal static IReadOnlyList<Regex> Patterns =>
        [KerasStep(), LightningRich(), LightningDescription(), HuggingFaceTotalSteps(), HuggingFaceEpochs(), TqdmBar];
}
