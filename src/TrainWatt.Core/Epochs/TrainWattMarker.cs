using System.Globalization;
using System.Text;

namespace TrainWatt.Core.Epochs;

/// <summary>
/// The explicit marker protocol any program can print so that <c>trainwatt measure</c> sees its epochs and metrics:
/// a line <c>##trainwatt epoch-end [n=3] [total=50] [samples=23807]</c>, optionally <c>##trainwatt epoch-start [n=3]</c>
/// (to leave set-up time between epochs out of the epoch), <c>##trainwatt step n=12 total=469</c> (progress within the
/// epoch, for <c>estimate --probe</c>), <c>##trainwatt plan epochs=50</c> (the planned epochs, before training), and
/// <c>##trainwatt metric name=value ...</c>.
/// </summary>
/// <remarks>
/// The marker must be the first thing on its line (leading spaces allowed) and be followed by a newline. Values are
/// invariant-culture numbers. <see cref="EpochEnd"/> and <see cref="Metric"/> write the line to standard output and
/// flush it, so the boundary is seen when it happens; the Python helper <c>samples/python/trainwatt_marker.py</c>
/// prints the same text.
/// </remarks>
public static class TrainWattMarker
{
    /// <summary>The prefix every marker line starts with.</summary>
    public const string Prefix = "##trainwatt";

    /// <summary>Formats an epoch-end marker line (without newline). Numbers must be positive when given.</summary>
    /// <param name="number">1-based epoch number; null lets TrainWatt count.</param>
    /// <param name="total">Total planned epochs, when known.</param>
    /// <param name="samples">Training samples processed in this epoch, when known.</param>
    public static string FormatEpochEnd(int? number = null, int? total = null, long? samples = null)
    {
        var text = new StringBuilder(Prefix).Append(" epoch-end");
        AppendPositive(text, "n", number);
        AppendPositive(text, "total", total);
        AppendPositive(text, "samples", samples);
        return text.ToString();
    }

    /// <summary>Formats an epoch-start marker line (without newline).</summary>
    public static string FormatEpochStart(int? number = null, int? total = null)
    {
        var text = new StringBuilder(Prefix).Append(" epoch-start");
        AppendPositive(text, "n", number);
        AppendPositive(text, "total", total);
        return text.ToString();
    }

    /// <summary>
    /// Formats a step marker line (without newline): step <paramref name="number"/> of the current epoch's
    /// <paramref name="total"/> steps, for <c>estimate --probe</c> on epochs longer than the probe. Both must be positive.
    /// </summary>
    public static string FormatStep(long number, long total)
    {
        var text = new StringBuilder(Prefix).Append(" step");
        AppendPositive(text, "n", number);
        AppendPositive(text, "total", total);
        return text.ToString();
    }

    /// <summary>Formats a plan marker line (without newline): <c>##trainwatt plan epochs=N</c>, the planned epochs, printed before training.</summary>
    public static string FormatPlan(int epochs)
    {
        var text = new StringBuilder(Prefix).Append(" plan");
        AppendPositive(text, "epochs", epochs);
        return text.ToString();
    }

    /// <summary>
    /// The planned epochs of a cleaned marker line <c>##trainwatt plan epochs=N</c> (N positive, at most
    /// <see cref="EpochDetector.MaxEpochNumber"/>); null for any other line or a malformed one.
    /// </summary>
    public static int? ParsePlan(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts is [Prefix, "plan", var epochs] && epochs.StartsWith("epochs=", StringComparison.Ordinal)
            && int.TryParse(epochs.AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n is > 0 and <= EpochDetector.MaxEpochNumber
            ? n
            : null;
    }

    /// <summary>Formats a metric marker line. Names are letters, digits, '_', '.', '-', '/'; values must be finite.</summary>
    public static string FormatMetric(string name, double value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        foreach (char c in name)
        {
            if (!IsMetricNameChar(c))
            {
                throw new ArgumentException($"Metric name \"{name}\" contains '{c}'; use letters, digits, '_', '.', '-' or '/'.", nameof(name));
            }
        }

        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"Metric \"{name}\" must be finite.");
        }

        return $"{Prefix} metric {name}={value.ToString("R", CultureInfo.InvariantCulture)}";
    }

    /// <summary>Prints an epoch-end marker line to standard output and flushes it.</summary>
    public static void EpochEnd(int? number = null, int? total = null, long? samples = null)
        => WriteLine(FormatEpochEnd(number, total, samples));

    /// <summary>Prints an epoch-start marker line to standard output and flushes it.</summary>
    public static void EpochStart(int? number = null, int? total = null) => WriteLine(FormatEpochStart(number, total));

    /// <summary>Prints a step marker line to standard output and flushes it.</summary>
    public static void Step(long number, long total) => WriteLine(FormatStep(number, total));

    /// <summary>Prints a metric marker line to standard output and flushes it.</summary>
    public static void Metric(string name, double value) => WriteLine(FormatMetric(name, value));

    internal static bool IsMetricNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' or '/';

    private static void WriteLine(string line)
    {
        // The marker is meant for the measured program's own stdout, which trainwatt reads through a pipe.
        var stdout = Console.Out;
        stdout.Write(line + "\n");
        stdout.Flush();
    }

    private static void AppendPositive(StringBuilder text, string key, long? value)
    {
        if (value is null)
        {
            return;
        }

        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(key, value, $"Marker value {key} must be positive.");
        }

        text.Append(' ').Append(key).Append('=').Append(value.Value.ToString(CultureInfo.InvariantCulture));
    }
}
