using System.Text;

namespace TrainWatt.Analysis.Data;

/// <summary>A minimal RFC 4180 reader (quoted fields, doubled quotes) that reports line numbers.</summary>
internal static class Csv
{
    public static IEnumerable<(int Line, string[] Fields)> Read(string path)
    {
        int lineNumber = 0;
        foreach (string raw in File.ReadLines(path))
        {
            lineNumber++;
            string line = lineNumber == 1 ? raw.TrimStart('\uFEFF') : raw;
            if (line.Length == 0)
            {
                continue;
            }

            yield return (lineNumber, Split(line, path, lineNumber));
        }
    }

    private static string[] Split(string line, string path, int lineNumber)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        if (quoted)
        {
            throw new AnalysisDataException($"{path}:{lineNumber}: unterminated quoted field; fix or remove the line.");
        }

        fields.Add(current.ToString());
        return fields.ToArray();
    }
}
