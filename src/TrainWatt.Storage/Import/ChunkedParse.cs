using System.Collections.Concurrent;
using TrainWatt.Core.Traces;

namespace TrainWatt.Storage.Import;

/// <summary>
/// A parse that runs on its own thread and hands what it parses to the single writer in chunks, through a bounded
/// queue: the parser waits when the writer is behind, so memory holds a few chunks whatever the input's size. Chunks
/// are recycled, so a long input allocates no new ones. (Its own thread, not a pool thread: a parser waiting for the
/// writer must not hold up other work.)
/// </summary>
/// <typeparam name="TItem">One parsed row.</typeparam>
/// <typeparam name="TResult">What the parse returns at its end (faults, counts).</typeparam>
internal sealed class ChunkedParse<TItem, TResult> : IDisposable
{
    /// <summary>Rows per chunk.</summary>
    public const int ChunkSize = 1024;

    /// <summary>Full chunks the queue holds before the parser waits.</summary>
    private const int QueuedChunks = 8;

    private readonly BlockingCollection<Chunk> _full = new(new ConcurrentQueue<Chunk>(), QueuedChunks);
    private readonly ConcurrentBag<Chunk> _free = [];
    private readonly CancellationTokenSource _cancel = new();
    private readonly Task<TResult> _task;
    private long _bytesRead;

    /// <param name="parse">The parse: gets an <see cref="Emitter"/> to add rows to, returns its result.</param>
    public ChunkedParse(Func<Emitter, TResult> parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var emitter = new Emitter(this);
        _task = Task.Factory.StartNew(
            () =>
            {
                try
                {
                    var result = parse(emitter);
                    emitter.Flush();
                    return result;
                }
                finally
                {
                    _full.CompleteAdding();
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }

    /// <summary>Input bytes the parser has read so far (as its reader reports them; 0 when it does not).</summary>
    public long BytesRead => Volatile.Read(ref _bytesRead);

    /// <summary>The parsed rows in order, a chunk at a time; each chunk is valid until the next one is asked for.</summary>
    public IEnumerable<ReadOnlyMemory<TItem>> Chunks()
    {
        Chunk? previous = null;
        foreach (var chunk in _full.GetConsumingEnumerable())
        {
            if (previous is not null)
            {
                _free.Add(previous);
            }

            previous = chunk;
            yield return chunk.Items.AsMemory(0, chunk.Count);
        }
    }

    /// <summary>The parse's result; call after <see cref="Chunks"/> was read to its end. Rethrows what the parse threw.</summary>
    public TResult Result => _task.GetAwaiter().GetResult();

    /// <summary>
    /// Stops a parse whose rows are no longer wanted: it ends at its next row. It is not waited for: a parse blocked
    /// on its input (a pipe nobody writes to) must not hold up the report of the failure that ended the import.
    /// </summary>
    public void Dispose()
    {
        _cancel.Cancel();
        if (_task.IsCompleted)
        {
            _ = _task.Exception; // observed: a parse cancelled or failed after its rows stopped being wanted
            _cancel.Dispose();
            _full.Dispose();
        }
        else
        {
            _ = _task.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private sealed class Chunk
    {
        public TItem[] Items { get; } = new TItem[ChunkSize];

        public int Count { get; set; }
    }

    /// <summary>The parser's side: rows go in with <see cref="Add"/>; the reader's progress with <see cref="OnBytesRead"/>.</summary>
    public sealed class Emitter(ChunkedParse<TItem, TResult> owner) : ITraceReadProgress
    {
        private Chunk? _current;

        public void Add(in TItem item)
        {
            var chunk = _current ??= Take();
            chunk.Items[chunk.Count++] = item;
            if (chunk.Count == ChunkSize)
            {
                Flush();
            }
        }

        public void OnBytesRead(long total) => Volatile.Write(ref owner._bytesRead, total);

        private Chunk Take()
        {
            if (owner._free.TryTake(out var free))
            {
                free.Count = 0;
                return free;
            }

            return new Chunk();
        }

        internal void Flush()
        {
            if (_current is { Count: > 0 } chunk)
            {
                _current = null;
                owner._full.Add(chunk, owner._cancel.Token); // waits while the writer is behind; throws once disposed
            }
        }
    }
}

/// <summary>Runs one parse per input ahead of the writer: at most one per processor at once, handed to the writer in input order.</summary>
internal static class ParseAhead
{
    public static void Run<TIn, TParse>(IReadOnlyList<TIn> inputs, Func<TIn, TParse> start, Action<TIn, TParse> write)
        where TParse : IDisposable
    {
        int degree = Math.Max(1, Environment.ProcessorCount);
        var started = new Queue<TParse>();
        int next = 0;
        try
        {
            for (int i = 0; i < inputs.Count; i++)
            {
                while (next < inputs.Count && next < i + degree)
                {
                    started.Enqueue(start(inputs[next++]));
                }

                using var current = started.Dequeue();
                write(inputs[i], current);
            }
        }
        finally
        {
            while (started.TryDequeue(out var pending))
            {
                pending.Dispose();
            }
        }
    }
}
