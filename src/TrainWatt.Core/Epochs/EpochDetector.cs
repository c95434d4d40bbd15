using System.Globalization;
using System.Text.RegularExpressions;

namespace TrainWatt.Core.Epochs;

/// <summary>
/// Finds epoch boundaries and metrics in a training command's output, one segment (line or <c>\r</c> redraw) at a time.
/// Pure: it never reads a clock; the caller stamps each returned event with the time the segment arrived.
/// </summary>
/// <remarks>
/// <para>Rules, per convention (numbers are reported 1-based):</para>
/// <list type="bullet">
/// <item><b>Marker</b> (any language): <c>##trainwatt epoch-end [n=] [total=] [samples=]</c> ends an epoch (the next
/// number when <c>n</c> is absent); <c>##trainwatt epoch-start [n=]</c> optionally starts one; <c>##trainwatt plan
/// epochs=N</c> announces the planned epochs (in every mode). Without a start, an
/// epoch starts where the previous one ended. <c>##trainwatt step n= total=</c> (progress within the epoch, read by
/// <see cref="StepProgressParser"/>) is accepted and ends nothing.</item>
/// <item><b>Keras</b>: <c>Epoch k/N</c> is printed when epoch k <i>starts</i>, so it starts epoch k and ends epoch k-1
/// if that is still open. Epoch k ends earlier at its final progress line (<c>S/S ... - loss: ...</c> ended by a
/// newline, written when training and validation of the epoch are done), so callbacks, evaluation and saving after
/// it are not part of the epoch. An epoch still open when the command exits ends at the exit.</item>
/// <item><b>Lightning</b>: the progress bar's description <c>Epoch e:</c> (tqdm) or <c>Epoch e/M</c> (rich, total
/// M+1) is 0-based; when e changes, epoch e+1 starts and the previous ends. The last epoch ends at the
/// <c>`Trainer.fit` stopped</c> line, or at exit. The planned total is read where Lightning prints it: the rich bar's
/// <c>/M</c> (M+1 epochs; <c>max_epochs=-1</c> shows <c>/-2</c>: no total), the warning <c>`max_epochs` was not set.
/// Setting it to 1000 epochs.</c> and the final <c>`Trainer.fit` stopped: `max_epochs=N` reached.</c> The default tqdm
/// bar (<c>Epoch e:</c>) prints none.</item>
/// <item><b>Hugging Face</b>: log dictionaries carry a fractional <c>'epoch'</c>; epoch n ends at the first one whose
/// value reaches n. Epoch 1 starts at the first bare tqdm bar (<c>  0%|   | 0/939 [...]</c>) when one is seen. The planned
/// total comes from the Trainer's <c>***** Running training *****</c> block (<see cref="Plan"/>, printed at log level info):
/// <c>Num Epochs = N</c>, less the last epoch when <c>Total optimization steps</c> is not a multiple of N (max_steps cuts
/// that epoch short, and a partial epoch is not recorded).</item>
/// <item><b>Custom</b>: every segment matching the user's regular expression ends an epoch; optional named groups
/// <c>n</c> and <c>total</c> give the numbers.</item>
/// </list>
/// <para>In <see cref="EpochFramework.Auto"/> mode the first convention recognised is kept for the rest of the run, so
/// a script that prints both Keras lines and markers is not counted twice (a note says what was ignored).
/// <c>##trainwatt metric</c> lines are read in every mode. ANSI escapes and backspaces are removed before matching.</para>
/// <para>Hostile output: the command's output is not ours, so every line costs a bounded time and yields a bounded
/// number of events, whatever it holds. A line longer than <see cref="MaxScannedLength"/> is scanned on its first
/// <see cref="MaxScannedLength"/> characters followed by <c>…</c> (so <c>$</c> does not match at the cut). The built-in
/// patterns run on the linear-time engine (<see cref="RegexOptions.NonBacktracking"/>), and so does a custom pattern
/// whenever its constructs allow; a custom match that still times out counts as no match (one note says so). Epoch
/// numbers are validated: a Hugging Face <c>'epoch'</c> value must be finite, non-negative and at most
/// <see cref="MaxEpochsPerLine"/> epochs past the last one ended (a far value is ignored, unless the next value continues
/// it: a resumed run); no number beyond <see cref="MaxEpochNumber"/> is accepted; an epoch that has already started or
/// ended is never started or ended again. The other conventions start or end at most one epoch per line.</para>
/// <para>Not thread-safe: feed both streams through one lock.</para>
/// </remarks>
public sealed partial class EpochDetector
{
    /// <summary>Lines longer than this are scanned on their first <see cref="MaxScannedLength"/> characters.</summary>
    public const int MaxScannedLength = 4096;

    /// <summary>The most epochs one Hugging Face log line may end (a sparse log skips epochs; a far jump is ignored).</summary>
    public const int MaxEpochsPerLine = 100;

    /// <summary>The largest epoch number accepted from the output (nine digits).</summary>
    public const int MaxEpochNumber = 999_999_999;

    /// <summary>Appended to a line cut at <see cref="MaxScannedLength"/>.</summary>
    internal const char CutMark = '\u2026';

    /// <summary>How long a custom pattern may take on one line when its caller set no timeout.</summary>
    private static readonly TimeSpan DefaultMatchTimeout = TimeSpan.FromMilliseconds(100);

    private readonly List<DetectorEvent> _events = [];
    private readonly Regex? _custom;
    private EpochFramework? _locked;
    private int? _open;
    private int _lastEnded;
    private int _numberOffset;
    private bool _tentativeStartSent;
    private bool _ignoredNoteSent;
    private bool _implausibleNoteSent;
    private bool _timeoutNoteSent;
    private long? _resumeCandidate;
    private string _line = string.Empty;
    private bool _planOpen;

    /// <param name="framework">The convention to follow; <see cref="EpochFramework.Custom"/> needs <paramref name="customPattern"/>.</param>
    /// <param name="customPattern">The user's pattern for <see cref="EpochFramework.Custom"/>.</param>
    public EpochDetector(EpochFramework framework = EpochFramework.Auto, Regex? customPattern = null)
    {
        if (framework == EpochFramework.Custom && customPattern is null)
        {
            throw new ArgumentException("The custom epoch convention needs a pattern (--epoch-pattern).", nameof(customPattern));
        }

        Framework = customPattern is null ? framework : EpochFramework.Custom;
        _custom = customPattern is null ? null : Linear(customPattern);
        _locked = Framework == EpochFramework.Auto ? null : Framework;
    }

    /// <summary>
    /// Runs throwaway detectors over one line of each convention, so that the command's first real line does not pay
    /// for compiling the patterns: a non-backtracking regex builds its automaton on first use, and on a loaded machine
    /// that stamped epoch 1 about 150 ms after its line. Call it before the command starts; it changes no state of any
    /// detector in use.
    /// </summary>
    public static void Prepare(EpochFramework framework = EpochFramework.Auto, Regex? customPattern = null)
    {
        string[] lines =
        [
            "Epoch 1/2", "1/10 [==>...........................] - ETA: 1s - loss: 0.5", "{'loss': 0.5, 'learning_rate': 0.001, 'epoch': 1.0}",
            "Epoch 0: 100%|##########| 10/10 [00:01<00:00, 9.5it/s]", "  Num Epochs = 3", "\u001b[2KEpoch 1/4 \u001b[0m", "##trainwatt epoch-end n=1",
            " 50%|#####     | 5/10 [00:01<00:01,  4.9it/s]", "`Trainer.fit` stopped: `max_epochs=2` reached.",
        ];
        foreach (string line in lines)
        {
            var warm = new EpochDetector(framework, customPattern);
            _ = warm.Scan(line, endsLine: true);
            _ = warm.Complete();
        }
    }

    /// <summary>The convention asked for.</summary>
    public EpochFramework Framework { get; }

    /// <summary>The convention in use: the one asked for, or in auto mode the one recognised first (null until then).</summary>
    public EpochFramework? Detected => _locked;

    /// <summary>Total planned epochs as printed by the command (Keras <c>k/N</c>, marker <c>total=</c>, rich <c>e/M</c>).</summary>
    public int? Total { get; private set; }

    /// <summary>
    /// What the Hugging Face Trainer's <c>***** Running training *****</c> block announced (the last block seen; null
    /// before one). <see cref="Total"/> follows its <c>Num Epochs</c>.
    /// </summary>
    public TrainingPlan? Plan { get; private set; }

    /// <summary>The number of epochs ended so far.</summary>
    public int EpochsEnded => _lastEnded;

    /// <summary>
    /// Scans one segment. The returned list is reused by the next call: copy what you keep.
    /// </summary>
    /// <param name="segment">Text of one line or one <c>\r</c> redraw, without its terminator.</param>
    /// <param name="endsLine">True when a newline (not a carriage return) ended the segment.</param>
    public IReadOnlyList<DetectorEvent> Scan(string segment, bool endsLine)
    {
        ArgumentNullException.ThrowIfNull(segment);
        _events.Clear();
        string text = Clean(Bound(segment));
        if (text.Length == 0)
        {
            return _events;
        }

        _line = text;
        if (text.StartsWith(TrainWattMarker.Prefix, StringComparison.Ordinal))
        {
            ScanMarker(text);
            return _events;
        }

        if (ScanAnnouncedTotal(text))
        {
            return _events;
        }

        switch (_locked)
        {
            case null:
                ScanAuto(text, endsLine);
                break;
            case EpochFramework.Keras:
                ScanKeras(text, endsLine);
                break;
            case EpochFramework.Lightning:
                ScanLightning(text);
                break;
            case EpochFramework.HuggingFace:
                ScanHuggingFace(text);
                break;
            case EpochFramework.Custom:
                ScanCustom(text);
                break;
            case EpochFramework.Marker:
            default:
                break;
        }

        return _events;
    }

    /// <summary>The command has exited: ends an epoch that is still open (Keras, Lightning, explicit starts).</summary>
    public IReadOnlyList<DetectorEvent> Complete()
    {
        _events.Clear();
        if (_open is int open)
        {
            _open = null;
            _lastEnded = open;
            _events.Add(new EpochEnded(open, Total, null, AtExit: true));
        }

        return _events;
    }

    private void ScanAuto(string text, bool endsLine)
    {
        if (KerasEpochLine().IsMatch(text))
        {
            Lock(EpochFramework.Keras, "Keras \"Epoch k/N\" lines");
            ScanKeras(text, endsLine);
        }
        else if (LightningEpoch().IsMatch(text))
        {
            Lock(EpochFramework.Lightning, "PyTorch Lightning \"Epoch e:\" progress bars");
            ScanLightning(text);
        }
        else if (!ScanHuggingFace(text))
        {
            MaybeTentativeStart(text);
        }
    }

    private void Lock(EpochFramework framework, string what, bool onlyInAuto = false)
    {
        if (onlyInAuto && _locked is not null)
        {
            return;
        }

        _locked = framework;
        _events.Add(new DetectorNote($"epochs: following {what} (--framework {Name(framework)})."));
    }

    private void ScanKeras(string text, bool endsLine)
    {
        var line = KerasEpochLine().Match(text);
        if (line.Success)
        {
            int k = Int(line.Groups[1].Value);
            int n = Int(line.Groups[2].Value);
            if (n > 0)
            {
                Total = n;
            }

            StartEpoch(Renumber(k));
            return;
        }

        if (endsLine && _open is not null)
        {
            var progress = KerasFinalProgress().Match(text);
            if (progress.Success && progress.Groups[1].Value == progress.Groups[2].Value)
            {
                EndEpoch(_open.Value, null);
            }
        }
    }

    private void ScanLightning(string text)
    {
        var match = LightningEpoch().Match(text);
        if (match.Success)
        {
            int n = Int(match.Groups[1].Value) + 1; // Lightning counts epochs from 0
            if (match.Groups[2].Success && match.Groups[2].ValueSpan[0] != '-')
            {
                Total = Int(match.Groups[2].Value) + 1; // rich shows "Epoch e/max_epochs-1" ("/-2" for max_epochs=-1: no limit)
            }

            if (_open != n && n > _lastEnded)
            {
                StartEpoch(n);
            }

            return;
        }

        if (_open is int open && text.Contains("`Trainer.fit` stopped", StringComparison.Ordinal))
        {
            var stopped = LightningMaxEpochsReached().Match(text);
            if (stopped.Success && Int(stopped.Groups[1].Value) is > 0 and <= MaxEpochNumber and var max)
            {
                Total = max; // "`Trainer.fit` stopped: `max_epochs=N` reached."
            }

            EndEpoch(open, null);
        }
    }

    /// <summary>Reads a Hugging Face log line; false when it has no <c>'epoch'</c> value (then it may be a progress bar).</summary>
    private bool ScanHuggingFace(string text)
    {
        var match = HuggingFaceEpoch.Match(text);
        if (!match.Success)
        {
            if (_locked == EpochFramework.HuggingFace)
            {
                MaybeTentativeStart(text);
            }

            return false;
        }

        string raw = match.Groups[1].Value;
        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out double epoch)
            || !double.IsFinite(epoch) || epoch < 0 || epoch >= MaxEpochNumber)
        {
            Implausible($"epochs: ignored 'epoch': {raw} in {Quote(text)}: not a number of epochs (finite, below {MaxEpochNumber + 1L}).");
            return true;
        }

        // 'epoch' is fractional progress; float noise (0.9999999) still means the epoch is done.
        long reached = (long)Math.Floor(epoch + 1e-6);
        if (reached - _lastEnded > MaxEpochsPerLine)
        {
            if (_resumeCandidate is long resumed && reached >= resumed && reached - resumed <= MaxEpochsPerLine)
            {
                // Two lines agree: a run resumed from a checkpoint, whose earlier epochs ran before this command.
                _resumeCandidate = null;
                Lock(EpochFramework.HuggingFace, "Hugging Face Trainer log lines with 'epoch'", onlyInAuto: true);
                _lastEnded = (int)resumed;
                _events.Add(new DetectorNote($"epochs: 'epoch' continues from {resumed} (a resumed run?); counting on from epoch {resumed + 1}."));
            }
            else
            {
                _resumeCandidate = reached;
                Implausible($"epochs: ignored 'epoch': {raw} in {Quote(text)}: {reached - _lastEnded} epochs past the last one ended ({_lastEnded}); one line ends at most {MaxEpochsPerLine}.");
                return true;
            }
        }
        else
        {
            _resumeCandidate = null;
            Lock(EpochFramework.HuggingFace, "Hugging Face Trainer log lines with 'epoch'", onlyInAuto: true);
        }

        while (_lastEnded < reached)
        {
            EndEpoch(_lastEnded + 1, null);
        }

        return true;
    }

    /// <summary>
    /// Reads a planned total the output announces outside the epoch lines: the Hugging Face Trainer's
    /// <c>***** Running training *****</c> block and Lightning's <c>`max_epochs` was not set</c> warning. Only in auto mode
    /// (before a convention is recognised) or under the convention that prints it. True when the line was one of them.
    /// </summary>
    private bool ScanAnnouncedTotal(string text)
    {
        if (_locked is null or EpochFramework.HuggingFace)
        {
            if (text.EndsWith(RunningTraining, StringComparison.Ordinal))
            {
                _planOpen = true; // a second train() prints a new block: it replaces the first
                Plan = new TrainingPlan(null, null, null, null, null, null);
                return true;
            }

            if (_planOpen && Plan is { } plan && HuggingFacePlanLine.Match(text) is { Success: true } line)
            {
                ReadPlanLine(plan, line.Groups[1].Value, line.Groups[2].Value);
                return true;
            }
        }

        if (_locked is null or EpochFramework.Lightning && LightningDefaultMaxEpochs().Match(text) is { Success: true } max
            && Int(max.Groups[1].Value) is > 0 and <= MaxEpochNumber and var m)
        {
            Total = m;
            _events.Add(new DetectorNote($"epochs: Lightning runs at most {m} epochs (`max_epochs` was not set); pass --total-epochs N when the run stops sooner."));
            return true;
        }

        return false;
    }

    private void ReadPlanLine(TrainingPlan plan, string key, string digits)
    {
        // The Trainer formats its numbers with thousands separators ({:,}): "60,000".
        string plain = digits.Replace(",", string.Empty, StringComparison.Ordinal);
        long? value = long.TryParse(plain, NumberStyles.None, CultureInfo.InvariantCulture, out long v) ? v : null;
        switch (key)
        {
            case "Num examples":
                Plan = plan with { Examples = value };
                break;
            case "Num Epochs":
                Plan = plan with { Epochs = value };
                if (value is > 0 and <= MaxEpochNumber)
                {
                    Total = (int)value.Value;
                }
                else
                {
                    _events.Add(new DetectorNote($"epochs: \"Num Epochs = {digits}\" is no planned epoch count (an iterable dataset without a length runs until max_steps); pass --total-epochs N for a projection."));
                }

                break;
            case "Gradient Accumulation steps":
                Plan = plan with { GradientAccumulation = value };
                break;
            case "Total optimization steps":
                Plan = plan with { OptimizationSteps = value };
                _planOpen = false;
                PlanComplete(Plan);
                break;
            case string k when k.StartsWith("Total train batch size", StringComparison.Ordinal):
                Plan = plan with { TotalBatchSize = value };
                break;
            default: // "Instantaneous batch size per device" (per GPU in old versions)
                Plan = plan with { BatchSizePerDevice = value };
                break;
        }
    }

    /// <summary>Says what the block announced; the last epoch does not count when max_steps cuts it short.</summary>
    private void PlanComplete(TrainingPlan plan)
    {
        if (plan.Epochs is not (> 0 and <= MaxEpochNumber) || plan.OptimizationSteps is not long steps)
        {
            return;
        }

        long n = plan.Epochs.Value;
        var details = new List<string> { string.Create(CultureInfo.InvariantCulture, $"{steps:N0} optimization steps") };
        if (plan.Examples is long examples)
        {
            details.Add(string.Create(CultureInfo.InvariantCulture, $"{examples:N0} examples"));
        }

        if (plan.BatchSizePerDevice is long batch)
        {
            details.Add(string.Create(CultureInfo.InvariantCulture, $"batch {batch:N0} per device"));
        }

        if (plan.GradientAccumulation is long accumulation)
        {
            details.Add(string.Create(CultureInfo.InvariantCulture, $"gradient accumulation {accumulation:N0}"));
        }

        string said = string.Join(", ", details);
        if (steps % n == 0)
        {
            _events.Add(new DetectorNote(string.Create(CultureInfo.InvariantCulture,
                $"epochs: the Hugging Face Trainer plans {n} epochs ({said}); the projection uses N = {n} unless --total-epochs says otherwise.")));
            return;
        }

        // Every full epoch has the same number of optimization steps u, so N full epochs would make steps = N × u: a
        // remainder means the last epoch stops early (max_steps, or a fractional num_train_epochs). It never reaches its
        // whole 'epoch' value, so it is not recorded as an epoch: the run records N - 1.
        int full = (int)(n - 1);
        Total = full > 0 ? full : null;
        _events.Add(new DetectorNote(string.Create(CultureInfo.InvariantCulture,
            $"epochs: the Hugging Face Trainer plans {n} epochs ({said}); {steps:N0} steps is not a multiple of {n}, so the last epoch stops early and is not recorded: N = {full} full epochs{(full > 0 ? string.Empty : "; pass --total-epochs N for a projection")}.")));
    }

    private void Implausible(string message)
    {
        if (!_implausibleNoteSent)
        {
            _implausibleNoteSent = true;
            _events.Add(new DetectorNote(message + " Later implausible values are ignored without a note."));
        }
    }

    private void ScanCustom(string text)
    {
        Match match;
        try
        {
            match = _custom!.Match(text);
        }
        catch (RegexMatchTimeoutException e)
        {
            if (!_timeoutNoteSent)
            {
                _timeoutNoteSent = true;
                _events.Add(new DetectorNote(
                    $"epochs: --epoch-pattern timed out after {e.MatchTimeout.TotalMilliseconds:0} ms on a line of {text.Length} characters; such lines count as no match (this note is shown once). A simpler pattern avoids it."));
            }

            return;
        }

        if (!match.Success)
        {
            return;
        }

        var total = match.Groups["total"];
        if (total.Success && int.TryParse(total.ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out int t) && t > 0)
        {
            Total = t;
        }

        var number = match.Groups["n"];
        int n = number.Success && int.TryParse(number.ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed)
            ? parsed
            : _lastEnded + 1;
        if (n > _lastEnded && n <= MaxEpochNumber)
        {
            EndEpoch(n, null);
        }
    }

    private void ScanMarker(string text)
    {
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts[0] != TrainWattMarker.Prefix || parts.Length < 2)
        {
            return;
        }

        string verb = parts[1];
        if (verb == "metric")
        {
            for (int i = 2; i < parts.Length; i++)
            {
                int eq = parts[i].IndexOf('=');
                string name = eq > 0 ? parts[i][..eq] : parts[i];
                if (eq > 0 && name.All(TrainWattMarker.IsMetricNameChar)
                    && double.TryParse(parts[i].AsSpan(eq + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
                    && double.IsFinite(value))
                {
                    _events.Add(new MetricReported(name, value));
                }
                else
                {
                    _events.Add(new DetectorNote($"ignored metric \"{parts[i]}\" in \"{text}\": expected name=number with an invariant number (0.97)."));
                }
            }

            return;
        }

        if (verb == "step")
        {
            return; // progress within the epoch: StepProgressParser reads it (estimate --probe)
        }

        if (verb == "plan")
        {
            // "##trainwatt plan epochs=N": the planned epochs, announced before any epoch ends (read in every mode, like
            // the frameworks' own announcements); it starts and ends nothing.
            if (TrainWattMarker.ParsePlan(text) is int planned)
            {
                Total = planned;
            }
            else
            {
                _events.Add(new DetectorNote($"ignored {Quote(text)}: expected \"##trainwatt plan epochs=N\" with a positive N."));
            }

            return;
        }

        if (verb is not ("epoch-end" or "epoch-start"))
        {
            _events.Add(new DetectorNote($"ignored unknown marker \"{text}\": expected epoch-end, epoch-start, step, plan or metric."));
            return;
        }

        if (_locked is null)
        {
            Lock(EpochFramework.Marker, "##trainwatt markers");
        }
        else if (_locked != EpochFramework.Marker)
        {
            if (!_ignoredNoteSent)
            {
                _ignoredNoteSent = true;
                _events.Add(new DetectorNote(
                    $"epochs: ignoring ##trainwatt {verb} markers because epochs already follow {Name(_locked.Value)} output; pass --framework marker to use the markers instead."));
            }

            return;
        }

        int? n = null;
        long? samples = null;
        for (int i = 2; i < parts.Length; i++)
        {
            int eq = parts[i].IndexOf('=');
            if (eq <= 0 || !long.TryParse(parts[i].AsSpan(eq + 1), NumberStyles.None, CultureInfo.InvariantCulture, out long value) || value <= 0)
            {
                _events.Add(new DetectorNote($"ignored \"{parts[i]}\" in \"{text}\": expected n=, total= or samples= with a positive integer."));
                continue;
            }

            switch (parts[i][..eq])
            {
                case "n" when value <= int.MaxValue:
                    n = (int)value;
                    break;
                case "total" when value <= int.MaxValue:
                    Total = (int)value;
                    break;
                case "samples":
                    samples = value;
                    break;
                default:
                    _events.Add(new DetectorNote($"ignored \"{parts[i]}\" in \"{text}\": expected n=, total= or samples=."));
                    break;
            }
        }

        if (verb == "epoch-start")
        {
            StartEpoch(n ?? _lastEnded + 1);
            return;
        }

        int ended = n ?? _open ?? _lastEnded + 1;
        if (ended <= _lastEnded)
        {
            _events.Add(new DetectorNote($"ignored {Quote(text)}: epoch {ended} has already ended (last ended: {_lastEnded})."));
            return;
        }

        if (ended > MaxEpochNumber)
        {
            _events.Add(new DetectorNote($"ignored {Quote(text)}: epoch numbers go up to {MaxEpochNumber}."));
            return;
        }

        EndEpoch(ended, samples);
    }

    private void MaybeTentativeStart(string text)
    {
        // A bare tqdm bar (no description) is how the Hugging Face Trainer shows its training loop. It is the best
        // available start of epoch 1; the consumer uses it only if nothing starts epoch 1 explicitly.
        if (!_tentativeStartSent && _open is null && _lastEnded == 0 && BareProgressBar.IsMatch(text))
        {
            _tentativeStartSent = true;
            _events.Add(new EpochStarted(1, Total) { Tentative = true });
        }
    }

    private int Renumber(int reported)
    {
        // A second fit() restarts at "Epoch 1/N": keep counting instead of reusing numbers.
        long n = (long)reported + _numberOffset;
        int highest = Math.Max(_lastEnded, _open ?? 0);
        if (n <= highest)
        {
            _numberOffset = highest - reported + 1;
            n = highest + 1L;
            _events.Add(new DetectorNote($"epochs: numbering restarted at {reported}; counting on as epoch {n}."));
        }

        return (int)Math.Min(n, MaxEpochNumber + 1L); // beyond the largest number: StartEpoch ignores it
    }

    private void StartEpoch(int n)
    {
        // An epoch is started once and ended once: a repeated start (a script printing "epoch-start n=1" twice) would
        // otherwise end the open epoch and store the same epoch number twice.
        int highest = Math.Max(_lastEnded, _open ?? 0);
        if (n <= highest || n > MaxEpochNumber)
        {
            string why = n > MaxEpochNumber ? $"epoch numbers go up to {MaxEpochNumber}"
                : n == _open ? $"epoch {n} has already started"
                : $"epoch {n} has already {(n <= _lastEnded ? "ended" : "been passed")} (last started or ended: {highest})";
            _events.Add(new DetectorNote($"ignored the start of epoch {n} in {Quote(_line)}: {why}."));
            return;
        }

        if (_open is int open)
        {
            EndEpoch(open, null);
        }

        _open = n;
        _events.Add(new EpochStarted(n, Total));
    }

    private void EndEpoch(int n, long? samples)
    {
        if (n <= _lastEnded || n > MaxEpochNumber)
        {
            return; // the callers check first; this keeps "each epoch ends once" true whatever they do
        }

        _open = null;
        _lastEnded = Math.Max(_lastEnded, n);
        _events.Add(new EpochEnded(n, Total, samples));
    }

    private static string Name(EpochFramework framework) => framework switch
    {
        EpochFramework.HuggingFace => "hf",
        _ => framework.ToString().ToLowerInvariant(),
    };

    private static int Int(string digits)
        => int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int value) ? value : int.MaxValue;

    /// <summary>
    /// A custom pattern on the linear-time engine when its constructs allow (back-references, look-arounds and atomic
    /// groups do not), else the pattern itself with a match timeout (<see cref="DefaultMatchTimeout"/> when it has none).
    /// </summary>
    private static Regex Linear(Regex pattern)
    {
        var timeout = pattern.MatchTimeout == Regex.InfiniteMatchTimeout ? DefaultMatchTimeout : pattern.MatchTimeout;
        if ((pattern.Options & RegexOptions.NonBacktracking) != 0 && pattern.MatchTimeout == timeout)
        {
            return pattern;
        }

        try
        {
            return new Regex(pattern.ToString(), (pattern.Options & ~RegexOptions.Compiled) | RegexOptions.NonBacktracking, timeout);
        }
        catch (Exception e) when (e is NotSupportedException or ArgumentException)
        {
            return pattern.MatchTimeout == timeout ? pattern : new Regex(pattern.ToString(), pattern.Options, timeout);
        }
    }

    /// <summary>The segment, or its first <see cref="MaxScannedLength"/> characters and <see cref="CutMark"/> when it is longer.</summary>
    internal static string Bound(string segment)
    {
        if (segment.Length <= MaxScannedLength || (segment.Length == MaxScannedLength + 1 && segment[^1] == CutMark))
        {
            return segment;
        }

        return string.Concat(segment.AsSpan(0, MaxScannedLength), [CutMark]);
    }

    /// <summary>A line quoted in a note: at most 120 characters of it.</summary>
    private static string Quote(string text)
        => text.Length <= 120 ? $"\"{text}\"" : $"\"{text.AsSpan(0, 120)}{CutMark}\"";

    /// <summary>Removes ANSI escape sequences and backspaces, then surrounding white space.</summary>
    internal static string Clean(string segment)
    {
        string text = segment;
        if (text.Contains('\x1b'))
        {
            text = AnsiEscape.Replace(text, string.Empty);
        }

        if (text.Contains('\b'))
        {
            text = text.Replace("\b", string.Empty, StringComparison.Ordinal);
        }

        return text.Trim();
    }

    // Every built-in pattern is linear in the line's length: anchored at the start, or on the non-backtracking engine
    // (issue 13 M2: "\{.*'epoch'" backtracked quadratically, 14.6 s for one 200 KB line of "{'epoch': ").
    [GeneratedRegex(@"^Epoch (\d{1,9})/(\d{1,9})$", RegexOptions.CultureInvariant)]
    private static partial Regex KerasEpochLine();

    [GeneratedRegex(@"^(\d{1,12})/(\d{1,12})\s", RegexOptions.CultureInvariant)]
    private static partial Regex KerasFinalProgress();

    [GeneratedRegex(@"^Epoch (\d{1,9})(?::|/(-?\d{1,9})\s+\S)", RegexOptions.CultureInvariant)]
    private static partial Regex LightningEpoch();

    /// <summary>The header of the Hugging Face Trainer's plan (transformers/trainer.py, <c>logger.info("***** Running training *****")</c>).</summary>
    private const string RunningTraining = "***** Running training *****";

    // One line of that block, after any logging prefix ("[INFO|trainer.py:2414] 2024-05-01 10:00:00,123 >> ").
    private static readonly Regex HuggingFacePlanLine = new(
        @"(?:^|\s)(Num examples|Num Epochs|Instantaneous batch size per (?:device|GPU)|Total train batch size \(w\. parallel, distributed & accumulation\)|Gradient Accumulation steps|Total optimization steps) = ([0-9][0-9,]{0,30})$",
        RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    [GeneratedRegex(@"`max_epochs` was not set\. Setting it to (\d{1,9}) epochs", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex LightningDefaultMaxEpochs();

    [GeneratedRegex(@"`Trainer\.fit` stopped: `max_epochs=(\d{1,9})` reached", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex LightningMaxEpochsReached();

    private static readonly Regex HuggingFaceEpoch = new(
        @"\{.*['""]epoch['""]\s*:\s*([0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?)", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    private static readonly Regex BareProgressBar = new(@"^\d{1,3}%\|.*\|\s*\d+/\d+", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    private static readonly Regex AnsiEscape = new(
        @"\x1B(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1B]*(?:\x07|\x1B\\)|[@-Z\\-_])", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    /// <summary>The built-in patterns, for the linear-time tests.</summary>
    internal static IReadOnlyList<Regex> BuiltInPatterns =>
        [KerasEpochLine(), KerasFinalProgress(), LightningEpoch(), HuggingFaceEpoch, BareProgressBar, AnsiEscape, HuggingFacePlanLine, LightningDefaultMaxEpochs(), LightningMaxEpochsReached()];
}

/// <summary>
/// The Hugging Face Trainer's <c>***** Running training *****</c> block, as printed (null where a line was not seen).
/// </summary>
/// <param name="Examples"><c>Num examples</c>.</param>
/// <param name="Epochs"><c>Num Epochs</c> (the Trainer's epoch loop bound; huge for an iterable dataset without a length).</param>
/// <param name="BatchSizePerDevice"><c>Instantaneous batch size per device</c>.</param>
/// <param name="TotalBatchSize"><c>Total train batch size (w. parallel, distributed &amp; accumulation)</c>.</param>
/// <param name="GradientAccumulation"><c>Gradient Accumulation steps</c>.</param>
/// <param name="OptimizationSteps"><c>Total optimization steps</c>.</param>
public sealed record TrainingPlan(
    long? Examples, long? Epochs, long? BatchSizePerDevice, long? TotalBatchSize, long? GradientAccumulation, long? OptimizationSteps);
