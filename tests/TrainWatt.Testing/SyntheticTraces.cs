using System.Globalization;
using System.Text;

namespace TrainWatt.Testing;

/// <summary>
/// Writes small, fully known traces in the formats TrainWatt imports, so tests can derive expected values by hand.
/// </summary>
public static class SyntheticTraces
{
    public const string NvidiaSmiHeader = "timestamp, index, name, utilization.gpu [%], memory.used [MiB], power.draw [W], temperature.gpu";

    public const string ProcessHeader = "timestamp,cpu usage (%),memory usage (MB),temperature (Celsius)";

    /// <summary>
    /// nvidia-smi text with one row per second from <paramref name="start"/>: power of row k is <c>power(k)</c> W,
    /// utilisation k % 100, memory 1000 + k MiB, temperature 40, device index <paramref name="index"/>.
    /// </summary>
    public static string NvidiaSmi(DateTime start, int rows, Func<int, double> power, int index = 0, string name = "NVIDIA Test GPU", bool header = true)
    {
        var text = new StringBuilder();
        if (header)
        {
            text.Append(NvidiaSmiHeader).Append('\n');
        }

        for (int k = 0; k < rows; k++)
        {
            text.Append(NvidiaSmiRow(start.AddSeconds(k), index, name, k % 100, 1000 + k, power(k), 40)).Append('\n');
        }

        return text.ToString();
    }

    public static string NvidiaSmiRow(DateTime time, int index, string name, int utilization, int memory, double power, int temperature)
        => string.Create(CultureInfo.InvariantCulture,
            $"{time:yyyy/MM/dd HH:mm:ss.fff}, {index}, {name}, {utilization} %, {memory} MiB, {power:0.00} W, {temperature}");

    /// <summary>Process-trace text with one row per second from <paramref name="start"/>: cpu k %, memory 500 MB, 50 °C.</summary>
    public static string Process(DateTime start, int rows)
    {
        var text = new StringBuilder(ProcessHeader).Append('\n');
        for (int k = 0; k < rows; k++)
        {
            text.Append(string.Create(CultureInfo.InvariantCulture, $"{start.AddSeconds(k):yyyy-MM-dd'T'HH:mm:ss.ffffff},{k},500.0,50.0\n"));
        }

        return text.ToString();
    }
}
