using System.Globalization;
using System.Text.RegularExpressions;

namespace TrainWatt.Cli.Tests.Distributed;

/// <summary>
/// A strict parser of the Prometheus text exposition format 0.0.4 (as specified in Prometheus' "Exposition formats"
/// document): HELP/TYPE comments, samples <c>name{label="value",...} value</c>, label escapes \\ \" \n, one TYPE per
/// family before its samples, no duplicate series, counters named *_total, final line feed. Throws
/// <see cref="FormatException"/> naming the line on any violation.
/// </summary>
internal static partial class PrometheusText
{
    internal sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();

    public static (IReadOnlyDictionary<string, string> Types, IReadOnlyList<Sample> Samples) Parse(string text)
    {
        if (text.Length > 0 && !text.EndsWith('\n'))
        {
            throw new FormatException("The exposition must end with a line feed.");
        }

        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var helps = new HashSet<string>(StringComparer.Ordinal);
        var samples = new List<Sample>();
        var series = new HashSet<string>(StringComparer.Ordinal);
        string[] lines = text.Split('\n');
        for (int n = 0; n < lines.Length - 1; n++)
        {
            string line = lines[n];
            string where = $"line {n + 1} \"{line}\"";
            if (line.StartsWith('#'))
            {
                string[] parts = line.Split(' ', 4);
                if (parts.Length >= 3 && parts[1] == "HELP")
                {
                    Require(MetricName().IsMatch(parts[2]) && helps.Add(parts[2]), $"{where}: bad or repeated HELP");
                }
                else if (parts.Length == 4 && parts[1] == "TYPE")
                {
                    Require(MetricName().IsMatch(parts[2]), $"{where}: bad metric name");
                    Require(parts[3] is "counter" or "gauge" or "histogram" or "summary" or "untyped", $"{where}: unknown type");
                    Require(!types.ContainsKey(parts[2]), $"{where}: second TYPE");
                    Require(samples.All(s => s.Name != parts[2]), $"{where}: TYPE after samples");
                    Require(parts[3] != "counter" || parts[2].EndsWith("_total", StringComparison.Ordinal), $"{where}: a counter's name must end in _total");
                    types[parts[2]] = parts[3];
                }

                continue;
            }

            Require(line.Length > 0, $"{where}: empty line");
            int i = 0;
            while (i < line.Length && line[i] != '{' && line[i] != ' ')
            {
                i++;
            }

            string name = line[..i];
            Require(MetricName().IsMatch(name), $"{where}: bad metric name");
            var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
            if (i < line.Length && line[i] == '{')
            {
                i++;
                while (line[i] != '}')
                {
                    int eq = line.IndexOf('=', i);
                    Require(eq > i, $"{where}: label without =");
                    string label = line[i..eq];
                    Require(LabelName().IsMatch(label) && !label.StartsWith("__", StringComparison.Ordinal), $"{where}: bad label name {label}");
                    Require(line[eq + 1] == '"', $"{where}: label value not quoted");
                    var value = new System.Text.StringBuilder();
                    int j = eq + 2;
                    for (; line[j] != '"'; j++)
                    {
                        if (line[j] == '\\')
                        {
                            j++;
                            value.Append(line[j] switch
                            {
                                '\\' => '\\',
                                '"' => '"',
                                'n' => '\n',
                                _ => throw new FormatException($"{where}: bad escape"),
                            });
                        }
                        else
                        {
                            value.Append(line[j]);
                        }
                    }

                    Require(labels.TryAdd(label, value.ToString()), $"{where}: repeated label");
                    i = j + 1;
                    if (line[i] == ',')
                    {
                        i++;
                    }
                    else
                    {
                        Require(line[i] == '}', $"{where}: expected , or }}");
                    }
                }

                i++;
            }

            Require(i < line.Length && line[i] == ' ', $"{where}: expected a space before the value");
            string[] rest = line[(i + 1)..].Split(' ');
            Require(rest.Length is 1 or 2, $"{where}: expected value [timestamp]");
            double number = rest[0] switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                _ => double.TryParse(rest[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : throw new FormatException($"{where}: bad value"),
            };
            Require(types.ContainsKey(name), $"{where}: sample without a TYPE line before it");
            Require(series.Add(name + "{" + string.Join(",", labels.Select(l => l.Key + "=" + l.Value)) + "}"), $"{where}: duplicate series");
            samples.Add(new Sample(name, labels, number));
        }

        return (types, samples);
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new FormatException(message);
        }
    }
}
