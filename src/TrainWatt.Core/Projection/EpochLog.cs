using System.Globalization;
using TrainWatt.Core.Text;
using TrainWatt.Core.Traces;

namespace TrainWatt.Core.Projection;

/// <summary>One row of an epoch log: a 0-based epoch index and the wall-clock time the epoch ended.</summary>
/// <param name="Index">0-based epoch index, as the log's <c>epoch</c> column writes it (the paper's format).</param>
/// <param name="End">End time in the trace's clock, without a zone (<see cref="DateTimeKind.Unspecified"/>).</param>
/// <param name="Line">1-based line in the source file (0 when not read from a file).</param>
public readonly record struct EpochEnd(int Index, DateTime End, int Line);

/// <summary>The rows of an epoch log, or why it could not be used.</summary>
/// <param name="Epochs">The rows in file order; empty when <see cref="Faults"/> holds a fatal fault.</param>
/// <param name="Faults">Every problem found, located by file and line.</param>
public sealed record EpochLogReadResult(IReadOnlyList<EpochEnd> Epochs, IReadOnlyList<TraceFault> Faults)
{
    public bool IsFatal => Faults.Any(f => f.Kind == FaultKind.Fatal);
}

/// <summary>
/// Reads and writes the paper's epoch log: header <c>epoch,end_time</c>, one row per finished epoch, 0-based epoch,
/// ISO-8601 end time in the GPU trace's clock. A time with a zone offset keeps its clock digits and drops the offset
/// (the nvidia-smi trace has no zone either). Epochs must be consecutive from 0 and times must increase; anything
/// else is a fatal fault naming the line, because a projection over misnumbered epochs would be silently wrong.
/// The file is read by <see cref="CsvReader"/> (quoting, BOM, line ends, field counts), whose errors become fatal faults.
/// </summary>
public static class EpochLog
{
    public const string Header = "epoch,end_time";

    /// <summary>
    /// The most epochs a log may hold: far more than any training run has (the SEAA 2023 runs have at most a few dozen),
    /// and few enough that a projection over them stays within about 150 MB. A longer log is refused at the first row
    /// beyond it, so its size never decides the memory used.
    /// </summary>
    public const int MaxEpochs = 100_000;

    public static EpochLogReadResult ReadFile(string path)
    {
        if (!File.Exists(path))
        {
            return Fatal(path, 0, "the epoch log does not exist.");
        }

        using var reader = new StreamReader(path);
        return Read(reader, path);
    }

    public static EpochLogReadResult Read(TextReader reader, string file)
    {
        try
        {
            using var csv = CsvReader.Create(reader, file, leaveOpen: true);
            if (!csv.Header.Contains("epoch") || !csv.Header.Contains("end_time"))
            {
                return Fatal(file, csv.Header.Line, $"expected the header \"{Header}\", found \"{string.Join(",", csv.Header.Names)}\".");
            }

            var epochs = new List<EpochEnd>();
            foreach (var row in csv.ReadRows())
            {
                string epochText = row.GetString("epoch"), endText = row.GetString("end_time");
                if (!int.TryParse(epochText, NumberStyles.Integer, CultureInfo.InvariantCulture, out int epoch))
                {
                    return Fatal(file, row.Line, $"epoch \"{epochText}\" is not an integer.");
                }

                if (!TryParseTime(endText, out DateTime end))
                {
                    return Fatal(file, row.Line, $"end_time \"{endText}\" is not an ISO-8601 time such as 2022-12-05T09:56:30.125.");
                }

                if (epochs.Count == MaxEpochs)
                {
                    return Fatal(file, row.Line, string.Create(CultureInfo.InvariantCulture,
                        $"more than {MaxEpochs:N0} epochs, more than a training run has; write one row per finished epoch (not per step or batch)."));
                }

                if (epoch != epochs.Count)
                {
                    return Fatal(file, row.Line, NumberingFault(epoch, epochs.Count));
                }

                if (epochs.Count > 0 && end <= epochs[^1].End)
                {
                    return Fatal(file, row.Line, TimeFault(epoch, endText, end, epochs[^1]));
                }

                epochs.Add(new EpochEnd(epoch, end, row.Line));
            }

            return epochs.Count == 0
                ? Fatal(file, csv.Header.Line, "the epoch log has a header but no epochs.")
                : new EpochLogReadResult(epochs, []);
        }
        catch (CsvFormatException e) when (e.Line == 0)
        {
            return Fatal(file, 0, $"the epoch log is empty; expected the header \"{Header}\".");
        }
        catch (CsvFormatException e)
        {
            return Fatal(file, e.Line, e.Detail);
        }
    }

    /// <summary>Writes <paramref name="ends"/> as an epoch log (invariant culture, ISO-8601 with milliseconds).</summary>
    public static void Write(TextWriter writer, IEnumerable<DateTime> ends)
    {
        writer.Write(Header + "\n");
        int epoch = 0;
        foreach (DateTime end in ends)
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"{epoch},{end:yyyy-MM-ddTHH:mm:ss.fff}\n"));
            epoch++;
        }
    }

    /// <summary>Parses an ISO-8601 time keeping its clock digits; a zone offset, if any, is dropped.</summary>
    public static bool TryParseTime(string text, out DateTime time)
    {
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal, out var offset))
        {
            time = DateTime.SpecifyKind(offset.DateTime, DateTimeKind.Unspecified);
            return true;
        }

        time = default;
        return false;
    }

    private static string NumberingFault(int epoch, int expected)
    {
        const string Rule = "one row per finished epoch, numbered 0, 1, 2, ... in the order the epochs ended";
        if (epoch < expected)
        {
            return $"epoch {epoch} where epoch {expected} was expected: the log goes back to an epoch it already has (a resumed or appended run?); keep {Rule}.";
        }

        return epoch == expected + 1
            ? $"epoch {epoch} where epoch {expected} was expected: epoch {expected} is missing; keep {Rule}."
            : $"epoch {epoch} where epoch {expected} was expected: epochs {expected}-{epoch - 1} are missing; keep {Rule}.";
    }

    private static string TimeFault(int epoch, string endText, DateTime end, EpochEnd previous)
    {
        if (end == previous.End)
        {
            return $"end_time {endText} of epoch {epoch} equals epoch {previous.Index}'s (line {previous.Line}): a zero-length epoch, which no training has; write each epoch's own end time (two rows for one epoch?).";
        }

        double back = (previous.End - end).TotalSeconds;
        return string.Create(CultureInfo.InvariantCulture,
            $"end_time {endText} of epoch {epoch} is {back:0.###} s before epoch {previous.Index}'s end (line {previous.Line}): the log goes backwards in time; write the end times in the trace's clock, in the order the epochs ended.");
    }

    private static EpochLogReadResult Fatal(string file, int line, string message)
        => new([], [new TraceFault(FaultKind.Fatal, file, line, message)]);
}
