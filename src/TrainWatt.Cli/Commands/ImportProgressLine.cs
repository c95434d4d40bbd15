using System.Globalization;
using TrainWatt.Storage.Import;

namespace TrainWatt.Cli.Commands;

/// <summary>
/// The one-line progress of a long import on stderr, rewritten in place (carriage return) at most four times a second,
/// and erased when the import ends. Shown only when stderr is a terminal: a redirected stderr gets no progress lines.
/// </summary>
internal sealed class ImportProgressLine : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private readonly CliContext _context;
    private readonly Lock _gate = new();
    private long? _shownAt;
    private int _width;

    private ImportProgressLine(CliContext context) => _context = context;

    /// <summary>A progress line for <paramref name="context"/>'s stderr, or null when stderr is not a terminal.</summary>
    public static ImportProgressLine? For(CliContext context) => context.ErrorIsTerminal ? new ImportProgressLine(context) : null;

    public void Report(ImportProgress progress)
    {
        long now = _context.Time.GetTimestamp();
        if (_shownAt is { } shown && _context.Time.GetElapsedTime(shown, now) < Interval)
        {
            return;
        }

        _shownAt = now;
        string percent = progress.Bytes is { } total ? string.Create(CultureInfo.InvariantCulture, $" {Math.Min(100, 100.0 * progress.BytesRead / total):0}%,") : ",";
        string text = string.Create(CultureInfo.InvariantCulture,
            $"importing {progress.Index + 1}/{progress.Count} {Path.GetFileName(progress.File)}:{percent} {progress.Samples:N0} samples");
        Write("\r" + text.PadRight(_width));
        _width = text.Length;
    }

    /// <summary>Any long work's progress (<c>evaluate step</c>: "evaluating 12/309 runs"), from any thread, at most four times a second.</summary>
    public void Show(string text)
    {
        lock (_gate)
        {
            long now = _context.Time.GetTimestamp();
            if (_shownAt is not { } shown || _context.Time.GetElapsedTime(shown, now) >= Interval)
            {
                (_shownAt, _width) = (now, Math.Max(_width, text.Length));
                Write("\r" + text.PadRight(_width));
            }
        }
    }

    public void Dispose()
    {
        if (_width > 0)
        {
            Write("\r" + new string(' ', _width) + "\r");
        }
    }

    private void Write(string text)
    {
        var writer = _context.Error.Profile.Out.Writer;
        writer.Write(text);
        writer.Flush();
    }
}
