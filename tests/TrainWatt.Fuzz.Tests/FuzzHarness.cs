using System.Diagnostics;
using System.Globalization;
using System.Text;

// The seeded fuzz suite of issue 13: 9 input kinds x 500-2,000 cases = 12,500 cases, 7 to 43 s on 2 cores (see README.md
// beside this file for the table of kinds, cases, mutations and the known bugs).
namespace TrainWatt.Fuzz.Tests;

/// <summary>One generated input: its index in the run, how it was made, and its bytes.</summary>
public sealed record FuzzCase(int Index, string How, byte[] Input)
{
    /// <summary>The input as a C# string literal (UTF-8 decoded; invalid bytes shown as \uFFFD), cut to <paramref name="max"/> characters.</summary>
    public string Preview(int max = 400)
    {
        string text = Encoding.UTF8.GetString(Input);
        var b = new StringBuilder("\"");
        foreach (char c in text.Length > max ? text[..max] : text)
        {
            b.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when c < ' ' || (c >= 0x7f && c < 0xa0) || char.IsSurrogate(c) || c == '\uFFFD' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        b.Append('"');
        if (text.Length > max)
        {
            b.Append(CultureInfo.InvariantCulture, $" + ... ({text.Length} chars, {Input.Length} bytes)");
        }

        return b.ToString();
    }
}

/// <summary>
/// A bug another area owns, already reported (issue 13): cases it matches are counted, not failed, and a
/// <c>[Fact(Skip = ...)]</c> in the kind's test class holds its exact input. Match narrowly (exception type and the
/// method that threw), so that a new bug is never taken for a known one.
/// </summary>
public sealed record KnownBug(string Id, Func<Exception, bool> Matches)
{
    /// <summary>
    /// Inputs that reach the bug without throwing (a case that takes far too long): counted as this bug and not run,
    /// because a case that overruns stops the run.
    /// </summary>
    public Func<FuzzCase, bool>? SkipInput { get; init; }

    /// <summary>A bug that shows as <typeparamref name="T"/> thrown with <paramref name="frame"/> (e.g. "TrainWatt.Storage.StoreRows.") on the stack.</summary>
    public static KnownBug Thrown<T>(string id, string frame)
        where T : Exception
        => new(id, e => e is T && (e.StackTrace ?? "").Contains(frame, StringComparison.Ordinal));

    /// <summary>As <see cref="Thrown{T}"/>, naming the type (for a driver type the test does not reference).</summary>
    public static KnownBug Thrown(string id, string typeFullName, string frame)
        => new(id, e => e.GetType().FullName == typeFullName && (e.StackTrace ?? "").Contains(frame, StringComparison.Ordinal));
}

/// <summary>What one kind's input should do: its cases, its documented exceptions, its known bugs.</summary>
/// <param name="Kind">Name in messages ("nvidia-smi CSV").</param>
/// <param name="Seed">The base seed; case i uses <c>new Random(Seed * 1_000_003 + i)</c>, so any case replays alone.</param>
/// <param name="Cases">How many cases.</param>
public sealed record FuzzSpec(string Kind, int Seed, int Cases)
{
    /// <summary>Documented failures: the reader's own exception types, which name the file and the fix.</summary>
    public Func<Exception, bool> Documented { get; init; } = _ => false;

    public IReadOnlyList<KnownBug> KnownBugs { get; init; } = [];

    /// <summary>
    /// Longest one case may take before it is called a hang: a guard with a wide margin, not a speed goal. The slowest
    /// case of each kind takes 9-55 ms on a quiet 2-core machine, but a YAML case of 100 KB of NUL bytes (seed 13005,
    /// case 622) took over 2 s, the former limit, while the whole solution's tests ran at a load average of about 50.
    /// </summary>
    public TimeSpan CaseTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Most bytes one case may allocate (on its thread): more means a length or count in the input was trusted.</summary>
    public long CaseAllocationLimit { get; init; } = 256L << 20;

    /// <summary>Most managed heap (after a collection) allowed at the end of a batch.</summary>
    public long HeapLimit { get; init; } = 300L << 20;

    /// <summary>Most the process's working set may grow during the run, checked at the end of each batch.</summary>
    public long WorkingSetGrowthLimit { get; init; } = 300L << 20;

    public int BatchSize { get; init; } = 100;

    /// <summary>How much of a failing input to show (characters); 0 for binary kinds, which show their length only (replay the case from its seed).</summary>
    public int PreviewChars { get; init; } = 300;
}

/// <summary>The counts of one fuzz run.</summary>
public sealed class FuzzTally
{
    public int Accepted { get; set; }

    public int Rejected { get; set; }

    public Dictionary<string, int> Known { get; } = new(StringComparer.Ordinal);

    /// <summary>Failures by signature (exception type and the method that threw): how many, and the first case.</summary>
    public Dictionary<string, (int Count, string First)> Failures { get; } = new(StringComparer.Ordinal);

    public int FailureCount => Failures.Values.Sum(f => f.Count);

    public TimeSpan Elapsed { get; set; }

    public TimeSpan SlowestCase { get; set; }

    public long MostAllocated { get; set; }

    public long MostHeap { get; set; }

    public long MostWorkingSet { get; set; }

    public int Ran { get; set; }

    public string Summary(FuzzSpec spec) => string.Create(CultureInfo.InvariantCulture,
        $"{spec.Kind}: {Ran} cases (seed {spec.Seed}) in {Elapsed.TotalSeconds:0.0} s: {Accepted} accepted, {Rejected} rejected with a documented error" +
        $"{string.Concat(Known.Select(k => $", {k.Value} known bug {k.Key}"))}, {FailureCount} failures of {Failures.Count} kinds; slowest case {SlowestCase.TotalMilliseconds:0} ms, " +
        $"most allocated by one case {MostAllocated / 1024.0 / 1024:0.0} MiB, managed heap at most {MostHeap / 1024.0 / 1024:0} MiB, working set at most {MostWorkingSet / 1024.0 / 1024:0} MiB");
}

/// <summary>
/// Runs a <see cref="FuzzSpec"/>: generates each case from its own seeded <see cref="Random"/>, runs the reader on one
/// dedicated thread while this thread watches the clock (a case over <see cref="FuzzSpec.CaseTimeout"/> is a hang: the
/// run stops there and fails, naming the case; the stuck thread is a background thread and dies with the test host),
/// sorts each outcome (accepted, documented error, known bug, failure), and checks memory after every batch.
/// </summary>
public static class FuzzHarness
{
    private const int MaxListedFailures = 10;

    /// <summary>The random source of case <paramref name="index"/> of a run with <paramref name="seed"/>: replays one case alone.</summary>
    public static Random CaseRandom(int seed, int index) => new(unchecked((seed * 1_000_003) + index));

    /// <param name="spec">The kind, seed and limits.</param>
    /// <param name="generate">Makes case i from its random source.</param>
    /// <param name="check">Reads the input; returns normally when accepted, throws when rejected. May assert on what it read.</param>
    public static FuzzTally Run(FuzzSpec spec, Func<int, Random, FuzzCase> generate, Action<FuzzCase> check)
    {
        var tally = new FuzzTally();
        long workingSetAtStart = WorkingSet();
        var clock = Stopwatch.StartNew();
        long caseStarted = 0; // Stopwatch ticks; 0 while between cases
        int current = -1;
        FuzzCase? currentCase = null;
        Exception? harnessFailure = null;
        var done = new ManualResetEventSlim();
        // Deeply nested inputs recurse in some readers: give the worker the main thread's usual 8 MiB stack.
        var worker = new Thread(
            () =>
        {
            try
            {
                for (int i = 0; i < spec.Cases; i++)
                {
                    var fuzz = generate(i, CaseRandom(spec.Seed, i));
                    if (spec.KnownBugs.FirstOrDefault(b => b.SkipInput?.Invoke(fuzz) == true) is { } slow)
                    {
                        lock (tally)
                        {
                            tally.Ran++;
                            tally.Known[slow.Id] = tally.Known.GetValueOrDefault(slow.Id) + 1;
                        }

                        continue;
                    }

                    Volatile.Write(ref currentCase, fuzz);
                    Volatile.Write(ref current, i);
                    long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
                    long start = Stopwatch.GetTimestamp();
                    Volatile.Write(ref caseStarted, start);
                    Exception? thrown = null;
                    try
                    {
                        check(fuzz);
                    }
                    catch (Exception e)
                    {
                        thrown = e;
                    }

                    Volatile.Write(ref caseStarted, 0);
                    var took = Stopwatch.GetElapsedTime(start);
                    long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
                    lock (tally)
                    {
                        tally.Ran++;
                        tally.SlowestCase = took > tally.SlowestCase ? took : tally.SlowestCase;
                        tally.MostAllocated = Math.Max(tally.MostAllocated, allocated);
                        Sort(spec, fuzz, thrown, tally);
                        if (allocated > spec.CaseAllocationLimit)
                        {
                            Fail(tally, spec, fuzz, $"allocated {allocated / 1024 / 1024} MiB (limit {spec.CaseAllocationLimit / 1024 / 1024} MiB)");
                        }
                    }

                    if ((i + 1) % spec.BatchSize == 0 || i == spec.Cases - 1)
                    {
                        CheckMemory(spec, fuzz, tally, workingSetAtStart);
                    }
                }
            }
            catch (Exception e)
            {
                harnessFailure = e; // the generator itself failed: a test bug, reported as such
            }
            finally
            {
                done.Set();
            }
        },
            maxStackSize: 8 << 20)
        {
            IsBackground = true,
            Name = $"fuzz {spec.Kind}",
        };
        worker.Start();

        while (!done.Wait(TimeSpan.FromMilliseconds(50)))
        {
            long started = Volatile.Read(ref caseStarted);
            if (started != 0 && Stopwatch.GetElapsedTime(started) > spec.CaseTimeout)
            {
                var stuck = Volatile.Read(ref currentCase)!;
                lock (tally)
                {
                    Fail(tally, spec, stuck, $"still running after {spec.CaseTimeout.TotalSeconds:0.#} s (a hang)");
                    tally.Elapsed = clock.Elapsed;
                }

                return tally;
            }
        }

        tally.Elapsed = clock.Elapsed;
        if (harnessFailure is not null)
        {
            throw new InvalidOperationException($"{spec.Kind}: the fuzz harness failed at case {current}: {harnessFailure}", harnessFailure);
        }

        return tally;
    }

    /// <summary>Runs <see cref="Run"/> and asserts: no failure, and both outcomes seen (or the mutations prove nothing).</summary>
    public static FuzzTally RunAndAssert(FuzzSpec spec, Func<int, Random, FuzzCase> generate, Action<FuzzCase> check, int minAccepted = 1, int minRejected = 1)
    {
        var tally = Run(spec, generate, check);
        string summary = tally.Summary(spec);
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        Assert.True(tally.Failures.Count == 0, summary + "\n" + string.Join("\n", tally.Failures.Take(MaxListedFailures).Select(f => $"[{f.Value.Count} x] {f.Value.First}"))
            + (tally.Failures.Count > MaxListedFailures ? $"\n... and {tally.Failures.Count - MaxListedFailures} more kinds" : ""));
        Assert.True(tally.Ran == spec.Cases, summary);
        Assert.True(tally.Accepted >= minAccepted, $"too few inputs were accepted for the fuzzing to reach past the first checks: {summary}");
        Assert.True(tally.Rejected >= minRejected, $"too few inputs were rejected for the mutations to matter: {summary}");
        return tally;
    }

    private static void Sort(FuzzSpec spec, FuzzCase fuzz, Exception? thrown, FuzzTally tally)
    {
        if (thrown is null)
        {
            tally.Accepted++;
        }
        else if (spec.Documented(thrown))
        {
            tally.Rejected++;
        }
        else if (spec.KnownBugs.FirstOrDefault(b => b.Matches(thrown)) is { } known)
        {
            tally.Known[known.Id] = tally.Known.GetValueOrDefault(known.Id) + 1;
        }
        else
        {
            Fail(tally, spec, fuzz, Describe(thrown), Signature(thrown));
        }
    }

    private static long WorkingSet()
    {
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }

    private static void CheckMemory(FuzzSpec spec, FuzzCase fuzz, FuzzTally tally, long workingSetAtStart)
    {
        long heap = GC.GetTotalMemory(forceFullCollection: false);
        if (heap > spec.HeapLimit)
        {
            heap = GC.GetTotalMemory(forceFullCollection: true); // garbage is not growth: look again after a collection
        }

        long workingSet = WorkingSet();

        lock (tally)
        {
            tally.MostHeap = Math.Max(tally.MostHeap, heap);
            tally.MostWorkingSet = Math.Max(tally.MostWorkingSet, workingSet);
            if (heap > spec.HeapLimit)
            {
                Fail(tally, spec, fuzz, $"managed heap {heap / 1024 / 1024} MiB after the batch ending here (limit {spec.HeapLimit / 1024 / 1024} MiB)");
            }

            if (workingSet - workingSetAtStart > spec.WorkingSetGrowthLimit)
            {
                Fail(tally, spec, fuzz, $"working set grew from {workingSetAtStart / 1024 / 1024} to {workingSet / 1024 / 1024} MiB by the batch ending here (limit: {spec.WorkingSetGrowthLimit / 1024 / 1024} MiB of growth)");
            }
        }
    }

    private static void Fail(FuzzTally tally, FuzzSpec spec, FuzzCase fuzz, string what, string? signature = null)
    {
        signature ??= what;
        string input = spec.PreviewChars > 0 ? fuzz.Preview(spec.PreviewChars) : $"{fuzz.Input.Length} bytes";
        tally.Failures[signature] = tally.Failures.TryGetValue(signature, out var seen)
            ? (seen.Count + 1, seen.First)
            : (1, $"{spec.Kind}, seed {spec.Seed}, case {fuzz.Index} ({fuzz.How}): {what}\n  input: {input}");
    }

    /// <summary>The exception's type, message and first frames (and those of its inner exception).</summary>
    private static string Describe(Exception e)
    {
        var frames = (e.StackTrace ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Take(6);
        string text = $"{e.GetType().FullName}: {e.Message}\n    {string.Join("\n    ", frames)}";
        return e.InnerException is { } inner ? text + "\n  inner: " + Describe(inner) : text;
    }

    /// <summary>The exception's type and the first frame of its stack: one bug, however many inputs reach it.</summary>
    private static string Signature(Exception e)
    {
        string frame = e.StackTrace?.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
        int cut = frame.IndexOf(" in ", StringComparison.Ordinal);
        return $"{e.GetType().FullName} {(cut > 0 ? frame[..cut] : frame)}";
    }
}
