namespace TrainWatt.Storage.Import;

/// <summary>
/// Parses inputs in parallel and hands the results, in input order, to a single writer on the calling thread. Inputs
/// are taken in chunks and the next chunk is parsed while the current one is written, so memory holds at most two
/// chunks of parsed data however many inputs there are.
/// </summary>
internal static class ParseWritePipeline
{
    public static void Run<TIn, TParsed>(IReadOnlyList<TIn> inputs, Func<TIn, TParsed> parse, Action<TIn, TParsed> write, int chunkSize = 16)
    {
        if (inputs.Count == 0)
        {
            return;
        }

        int degree = Math.Max(1, Environment.ProcessorCount);
        List<TParsed> ParseChunk(int start) => inputs
            .Skip(start)
            .Take(chunkSize)
            .AsParallel()
            .AsOrdered()
            .WithDegreeOfParallelism(degree)
            .Select(parse)
            .ToList();

        var next = Task.Run(() => ParseChunk(0));
        for (int start = 0; start < inputs.Count; start += chunkSize)
        {
            var current = next.GetAwaiter().GetResult();
            if (start + chunkSize < inputs.Count)
            {
                int following = start + chunkSize;
                next = Task.Run(() => ParseChunk(following));
            }

            for (int i = 0; i < current.Count; i++)
            {
                write(inputs[start + i], current[i]);
            }
        }
    }
}
