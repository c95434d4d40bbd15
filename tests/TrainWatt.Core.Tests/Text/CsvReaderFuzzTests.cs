using System.Diagnostics;
using System.Text;
using CsCheck;
using TrainWatt.Core.Text;

namespace TrainWatt.Core.Tests.Text;

/// <summary>
/// Seeded random input for <see cref="CsvReader"/>: text made of the characters that matter to CSV (quotes, commas, CR,
/// LF, white space, a BOM, number characters) must read or fail with <see cref="CsvFormatException"/> only, quickly;
/// and any table written with RFC 4180 quoting must read back exactly.
/// </summary>
public class CsvReaderFuzzTests
{
    private const string Seed = "0N0XIzNsQ0O2";

    /// <summary>Any sequence of the characters that matter (mostly malformed).</summary>
    private static readonly Gen<string> RawText =
        Gen.Select(
            Gen.Int[0, 2],
            Gen.Char["ab1.,\"\r\n \te-+N\uFEFF"].Array[0, 300],
            (header, chars) => (header switch { 0 => "", 1 => "a,b,c\n", _ => "\"a\",b\r\n" }) + new string(chars));

    /// <summary>Records of well-formed tokens (numbers, non-finite numbers, quoted commas, quotes and line breaks), 2 to 4 fields under a 3-column header.</summary>
    private static readonly Gen<string> TokenText =
        Gen.Select(
            Gen.OneOf<string>("1.5", "-0", "1e309", "NaN", "x", "\"a,b\"", "\"q\"\"q\"", "", "  ", "\"\"", "\"line\nbreak\"", "2147483648", "-7").Array[2, 4].Array[0, 12],
            Gen.OneOf<string>("\n", "\r\n", "\r"),
            Gen.Bool,
            (records, newline, bom) => (bom ? "\uFEFF" : "") + "a,B,c" + newline + string.Concat(records.Select(r => string.Join(",", r) + newline)));

    private static readonly Gen<string> CsvText = Gen.Frequency((1, RawText), (2, TokenText));

    [Fact]
    public void Random_Text_Reads_Or_Fails_With_The_Csv_Exception_Only_And_Quickly()
    {
        // 2,000 cases with a fixed seed; each one is read to the end and every value is also read as a number, so the
        // typed accessors are fuzzed too. Any exception other than CsvFormatException fails the test (and is shrunk).
        var gen = Gen.Select(CsvText, Gen.Bool, Gen.Int[4, 400]);
        var slowest = TimeSpan.Zero;
        int read = 0, rejected = 0;
        var total = Stopwatch.StartNew();
        gen.Sample((text, ragged, maxRecord) =>
        {
            var one = Stopwatch.StartNew();
            try
            {
                using var csv = CsvReader.Create(new StringReader(text), "fuzz.csv", new CsvReaderOptions { AllowRaggedRows = ragged, MaxRecordLength = maxRecord });
                foreach (var row in csv.ReadRows())
                {
                    Assert.True(row.Line >= 1);
                    foreach (string column in csv.Header.Names.Where(n => n.Length > 0))
                    {
                        Try(() => row.GetDoubleOrNull(column));
                        Try(() => row.GetInt32OrNull(column));
                    }
                }

                read++;
            }
            catch (CsvFormatException e)
            {
                Assert.StartsWith("fuzz.csv", e.Message, StringComparison.Ordinal);
                Assert.True(e.Line >= 0);
                rejected++;
            }

            if (one.Elapsed > slowest)
            {
                slowest = one.Elapsed;
            }
        }, seed: Seed, iter: 2000, threads: 1);
        total.Stop();

        Assert.True(total.Elapsed < TimeSpan.FromSeconds(5), $"2,000 cases took {total.Elapsed.TotalSeconds:F2} s (slowest {slowest.TotalMilliseconds:F0} ms)");
        Assert.True(slowest < TimeSpan.FromSeconds(1), $"one case took {slowest.TotalMilliseconds:F0} ms");
        Assert.True(read > 200 && rejected > 200, $"{read} read, {rejected} rejected: the generator should exercise both");
    }

    [Fact]
    public void Any_Table_Written_With_Quotes_Reads_Back_Exactly_With_Its_Line_Numbers()
    {
        // Oracle: the writer below (RFC 4180: every field quoted, inner quotes doubled) and a line-break count of the
        // text written before each record (CRLF, CR and LF each end one line).
        var field = Gen.Char["ab ,\"\r\n\t;é"].Array[0, 12].Select(c => new string(c));
        var gen = Gen.Int[1, 4].SelectMany(columns => Gen.Select(field.Array[columns].Array[0, 8], Gen.Bool, (rows, crlf) => (columns, rows, crlf)));
        gen.Sample(t =>
        {
            string newline = t.crlf ? "\r\n" : "\n";
            var text = new StringBuilder();
            text.Append(string.Join(",", Enumerable.Range(0, t.columns).Select(i => "c" + i))).Append(newline);
            var lines = new List<int>();
            foreach (var record in t.rows)
            {
                lines.Add(1 + LineBreaks(text.ToString()));
                text.Append(string.Join(",", record.Select(f => "\"" + f.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""))).Append(newline);
            }

            using var csv = CsvReader.Create(new StringReader(text.ToString()), "round-trip.csv");
            var read = csv.ReadRows().ToList();
            Assert.Equal(t.rows.Length, read.Count);
            for (int r = 0; r < read.Count; r++)
            {
                Assert.Equal(t.rows[r], read[r].ToArray());
                Assert.Equal(lines[r], read[r].Line);
            }
        }, seed: Seed, iter: 1000, threads: 1);
    }

    private static int LineBreaks(string text)
    {
        int count = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.Length || text[i + 1] != '\n')))
            {
                count++;
            }
        }

        return count;
    }

    private static void Try<T>(Func<T> read)
    {
        try
        {
            read();
        }
        catch (CsvFormatException)
        {
            // the only failure allowed
        }
    }
}
