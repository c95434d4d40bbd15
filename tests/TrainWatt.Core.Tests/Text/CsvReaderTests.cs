using System.Globalization;
using System.Text;
using TrainWatt.Core.Text;
using TrainWatt.Testing;

namespace TrainWatt.Core.Tests.Text;

/// <summary>
/// The one CSV reader's rules, one hand-written case each. Oracle: RFC 4180 for the format, and the rule list in
/// <see cref="CsvReader"/>'s summary (issue 12) for the rest; every expected value below is worked out by hand.
/// </summary>
public class CsvReaderTests
{
    private static CsvReader Read(string text, CsvReaderOptions? options = null) => CsvReader.Create(new StringReader(text), "f.csv", options);

    private static List<CsvRow> Rows(string text, CsvReaderOptions? options = null)
    {
        using var csv = Read(text, options);
        return csv.ReadRows().ToList();
    }

    private static CsvFormatException Fails(string text, CsvReaderOptions? options = null)
        => Assert.Throws<CsvFormatException>(() => Rows(text, options));

    [Fact]
    public void A_Quoted_Field_May_Hold_Commas()
    {
        var row = Assert.Single(Rows("name,value\n\"Ember, yearly\",2\n"));
        Assert.Equal("Ember, yearly", row["name"]);
        Assert.Equal("2", row[1]);
    }

    [Fact]
    public void Doubled_Quotes_Inside_A_Quoted_Field_Are_One_Quote()
    {
        var row = Assert.Single(Rows("a,b\n\"say \"\"hi\"\"\",\"\"\"\"\n"));
        Assert.Equal("say \"hi\"", row["a"]);
        Assert.Equal("\"", row["b"]);
    }

    [Fact]
    public void A_Quoted_Field_May_Hold_Line_Breaks_And_Lines_Keep_Counting()
    {
        // Record 1 starts on line 2 and ends on line 4 (two line breaks inside quotes, one LF and one CRLF);
        // record 2 is therefore on line 5.
        var rows = Rows("a,b\n\"one\ntwo\r\nthree\",1\nx,2\n");
        Assert.Equal(2, rows.Count);
        Assert.Equal("one\ntwo\r\nthree", rows[0]["a"]);
        Assert.Equal(2, rows[0].Line);
        Assert.Equal(5, rows[1].Line);
    }

    [Fact]
    public void A_Byte_Order_Mark_Is_Not_Part_Of_The_First_Name()
    {
        Assert.Equal("a", Read("\uFEFFa,b\n1,2\n").Header.Names[0]);

        // And from a file saved by a spreadsheet (EF BB BF on disk).
        using var temp = new TempDirectory();
        string path = temp.File("bom.csv");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("a,b\n1,2\n")]);
        using var csv = CsvReader.Open(path);
        Assert.Equal(["a", "b"], csv.Header.Names);
        Assert.Equal(1, Assert.Single(csv.ReadRows()).GetInt32("a"));
    }

    [Theory]
    [InlineData("a,b\r\n1,2\r\n3,4\r\n")]
    [InlineData("a,b\n1,2\n3,4\n")]
    [InlineData("a,b\r1,2\r3,4\r")]
    [InlineData("a,b\n1,2\r\n3,4")]
    public void Any_Line_End_Works_And_Never_Leaks_Into_A_Value(string text)
    {
        var rows = Rows(text);
        Assert.Equal([("1", "2", 2), ("3", "4", 3)], rows.Select(r => (r["a"], r["b"], r.Line)));
    }

    [Fact]
    public void The_Last_Line_Needs_No_Line_Break_And_Blank_Lines_Are_Skipped()
    {
        var unterminated = Assert.Single(Rows("a,b\n1,2"));
        Assert.False(unterminated.IsTerminated);
        Assert.Equal("2", unterminated["b"]);

        using var csv = Read("\n  \na,b\n\n1,2\n \t \n3,4\n\n\n");
        Assert.Equal(3, csv.Header.Line);
        var rows = csv.ReadRows().ToList();
        Assert.Equal([5, 7], rows.Select(r => r.Line));
        Assert.All(rows, r => Assert.True(r.IsTerminated));
    }

    [Fact]
    public void Header_Names_Are_Trimmed_And_Found_Whatever_Their_Case()
    {
        using var csv = Read(" Energy_J , gpu\n12.5,x\n");
        Assert.Equal(["Energy_J", "gpu"], csv.Header.Names);
        Assert.Equal(0, csv.Header.IndexOf("energy_j"));
        Assert.Equal(-1, csv.Header.IndexOf("power_w"));
        Assert.Equal(12.5, Assert.Single(csv.ReadRows()).GetDouble("ENERGY_J"));
    }

    [Fact]
    public void A_Column_Named_Twice_Is_Rejected_With_Both_Positions()
    {
        var ex = Fails("run,gpu,energy_j,b,c,d,energy_j\n");
        Assert.Equal("f.csv:1: column 'energy_j' appears twice (columns 3 and 7); rename one.", ex.Message);
        Assert.Equal((1, "energy_j"), (ex.Line, ex.Column));

        // Lookup ignores case, so differently cased names are the same column too.
        Assert.Equal(
            "f.csv:1: column 'Energy_J' appears twice (columns 1 and 2, as 'Energy_J' and 'energy_j'); rename one.",
            Fails("Energy_J,energy_j\n").Message);
    }

    [Fact]
    public void Missing_Required_Columns_Are_Named_Together_With_What_Is_Expected()
    {
        var options = new CsvReaderOptions { RequiredColumns = ["gpu", "energy_j", "power_w"] };
        var ex = Fails("\ngpu,other\n1,2\n", options);
        Assert.Equal("f.csv:2: the header lacks column(s) energy_j, power_w; expected: gpu,energy_j,power_w.", ex.Message);

        // A column read but never declared is the same error, at the header's line.
        using var csv = Read("gpu\nx\n");
        var row = Assert.Single(csv.ReadRows());
        Assert.Equal("f.csv:1: the header lacks column(s) energy_j; expected: energy_j.", Assert.Throws<CsvFormatException>(() => row.GetDouble("energy_j")).Message);
    }

    [Theory]
    [InlineData("", "f.csv: the file is empty; expected a header row.")]
    [InlineData("\n \r\n\t\n", "f.csv: the file is empty; expected a header row.")]
    [InlineData("\uFEFF", "f.csv: the file is empty; expected a header row.")]
    public void An_Empty_File_Says_A_Header_Is_Expected(string text, string message)
    {
        var ex = Fails(text);
        Assert.Equal(message, ex.Message);
        Assert.Equal(0, ex.Line);
        Assert.Equal("f.csv: the file is empty; expected a header row: a,b.", Fails(text, new CsvReaderOptions { RequiredColumns = ["a", "b"] }).Message);
    }

    [Fact]
    public void A_Row_With_The_Wrong_Number_Of_Fields_Is_Named_By_File_And_Line()
    {
        Assert.Equal("f.csv:3: 3 field(s) where the header has 2; quote values that contain commas.", Fails("a,b\n1,2\n1,2,3\n").Message);
        Assert.Equal("f.csv:2: 1 field(s) where the header has 2; quote values that contain commas.", Fails("a,b\n1\n").Message);
    }

    [Fact]
    public void Ragged_Rows_Can_Be_Let_Through_And_Fail_Only_Where_A_Field_Is_Missing()
    {
        var rows = Rows("a,b\n1\n1,2,3\n", new CsvReaderOptions { AllowRaggedRows = true });
        Assert.Equal([1, 3], rows.Select(r => r.FieldCount));
        Assert.Equal("1", rows[0]["a"]);
        Assert.Equal("f.csv:2: 1 field(s) where the header has 2; quote values that contain commas.", Assert.Throws<CsvFormatException>(() => rows[0]["b"]).Message);
        Assert.Equal("3", rows[1][2]);
    }

    [Theory]
    [InlineData("a,b\nx\"y,2\n", "f.csv:2: a quote inside an unquoted value; wrap the whole value in quotes and double inner quotes (\"\").")]
    [InlineData("a,b\n\"x\"y,2\n", "f.csv:2: text after a closing quote; a quoted value must end at a comma or the end of the line (write a quote inside it as \"\").")]
    [InlineData("a,b\n1,\"open\n", "f.csv:2: a quoted value is never closed.")]
    [InlineData("a,b\n1,2\n\"x\n\ny,1\n", "f.csv:3: a quoted value is never closed.")]
    public void Broken_Quoting_Names_The_Line(string text, string message) => Assert.Equal(message, Fails(text).Message);

    [Fact]
    public void White_Space_Around_A_Quoted_Field_Is_Ignored_But_Kept_Inside()
    {
        var row = Assert.Single(Rows("a,b\n  \" x \"  ,\t\"y\"\n"));
        Assert.Equal(" x ", row["a"]);
        Assert.Equal("y", row["b"]);
        Assert.Equal("x", row.GetString("a"));
    }

    [Fact]
    public void A_Quoted_Empty_Line_Is_A_Row_Not_A_Blank_Line()
    {
        var row = Assert.Single(Rows("a\n\"\"\n"));
        Assert.Equal("", row["a"]);
        Assert.Equal("f.csv:2: column 'a': is empty; every row needs a value here.", Assert.Throws<CsvFormatException>(() => row.GetRequiredString("a")).Message);
    }

    [Fact]
    public void A_Huge_Field_Fails_Clearly_Instead_Of_Exhausting_Memory()
    {
        string big = new('x', CsvReaderOptions.DefaultMaxRecordLength + 10);
        var ex = Fails("a,b\n1,2\n3," + big + "\n");
        Assert.Equal(3, ex.Line);
        Assert.StartsWith("f.csv:3: a record longer than 1,048,576 characters;", ex.Message, StringComparison.Ordinal);

        var quoted = Fails("a,b\n1,2\n3,\"" + big);
        Assert.Equal("f.csv:3: a quoted value runs past 1,048,576 characters without a closing quote; close it with \" or remove the stray quote.", quoted.Message);

        // Many tiny fields count too (separators are part of the record).
        Assert.Equal(2, Fails("a\n" + new string(',', 100), new CsvReaderOptions { MaxRecordLength = 50 }).Line);
    }

    [Fact]
    public void A_Stream_That_Never_Ends_Fails_At_The_Limit_With_Bounded_Memory()
    {
        // An endless unquoted line: the reader must stop at the limit, not read forever or grow without bound.
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<CsvFormatException>(() => CsvReader.Create(new EndlessReader("x"), "endless.csv"));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(1, ex.Line);
        Assert.True(allocated < 16L << 20, $"{allocated} bytes allocated for one record of at most 1 Mi characters");
    }

    [Fact]
    public void Rows_Are_Streamed_One_At_A_Time()
    {
        // An endless file of rows: taking the first three must return (nothing reads ahead to the end).
        using var csv = CsvReader.Create(new EndlessReader("1,2\n", prefix: "a,b\n"), "endless.csv");
        Assert.Equal([2, 3, 4], csv.ReadRows().Take(3).Select(r => r.Line));
        Assert.Throws<InvalidOperationException>(() => csv.ReadRows());
    }

    [Theory]
    [InlineData("1e309", "\"1e309\" is not a finite number")]
    [InlineData("-1e400", "\"-1e400\" is not a finite number")]
    [InlineData("NaN", "\"NaN\" is not a finite number")]
    [InlineData("Infinity", "\"Infinity\" is not a finite number")]
    [InlineData("-Infinity", "\"-Infinity\" is not a finite number")]
    [InlineData("∞", "\"∞\" is not a number")]
    [InlineData("12,5", "\"12,5\" is not a number")]
    [InlineData("350W", "\"350W\" is not a number")]
    [InlineData("0x10", "\"0x10\" is not a number")]
    [InlineData("1 000", "\"1 000\" is not a number")]
    public void Non_Finite_And_Malformed_Numbers_Are_Rejected_With_Their_Text(string value, string problem)
    {
        var row = Assert.Single(Rows($"x\n\"{value}\"\n"));
        var ex = Assert.Throws<CsvFormatException>(() => row.GetDouble("x"));
        Assert.Equal($"f.csv:2: column 'x': {problem}; write plain decimals with a '.' separator, e.g. 12.5.", ex.Message);
        Assert.Equal("x", ex.Column);
        Assert.IsAssignableFrom<FormatException>(ex); // the CLI maps FormatException to exit code 65
    }

    [Fact]
    public void Plain_Numbers_Parse_And_Minus_Zero_Is_Zero()
    {
        var row = Assert.Single(Rows("a,b,c,d,e,f\n-0, 1.5e3 ,.25,+7,-0.0,1e308\n"));
        Assert.Equal(0.0, row.GetDouble("a"));
        Assert.False(double.IsNegative(row.GetDouble("a")));
        Assert.False(double.IsNegative(row.GetDouble("e")));
        Assert.Equal(1500.0, row.GetDouble("b"));
        Assert.Equal(0.25, row.GetDouble("c"));
        Assert.Equal(7, row.GetInt32("d"));
        Assert.Equal(1e308, row.GetDouble("f"));
    }

    [Fact]
    public void Empty_Numbers_Are_Null_Or_An_Error_As_Asked()
    {
        var row = Assert.Single(Rows("a,b\n , \n"));
        Assert.Null(row.GetDoubleOrNull("a"));
        Assert.Null(row.GetInt32OrNull("b"));
        Assert.Equal("f.csv:2: column 'a': is empty; every row needs a number here.", Assert.Throws<CsvFormatException>(() => row.GetDouble("a")).Message);
        Assert.Equal("f.csv:2: column 'b': is empty; every row needs a whole number here.", Assert.Throws<CsvFormatException>(() => row.GetInt32("b")).Message);
    }

    [Theory]
    [InlineData("2.5", "\"2.5\" is not a whole number.")]
    [InlineData("2147483648", "\"2147483648\" is outside the range of whole numbers [-2147483648, 2147483647].")]
    [InlineData("-99999999999999999999", "\"-99999999999999999999\" is outside the range of whole numbers [-2147483648, 2147483647].")]
    [InlineData("1e3", "\"1e3\" is not a whole number.")]
    public void Whole_Numbers_Reject_Fractions_And_Overflow(string value, string problem)
    {
        var row = Assert.Single(Rows($"n\n{value}\n"));
        Assert.Equal($"f.csv:2: column 'n': {problem}", Assert.Throws<CsvFormatException>(() => row.GetInt32("n")).Message);
    }

    [Fact]
    public void Numbers_Ignore_The_Current_Culture()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("de-DE");
        try
        {
            var row = Assert.Single(Rows("a,b,c\n1.5,\"1,5\",-3\n"));
            Assert.Equal(1.5, row.GetDouble("a"));
            Assert.Equal(-3, row.GetInt32("c"));
            Assert.Equal("f.csv:2: column 'b': \"1,5\" is not a number; write plain decimals with a '.' separator, e.g. 12.5.", Assert.Throws<CsvFormatException>(() => row.GetDouble("b")).Message);
            Assert.Equal("f.csv:2: column 'a': \"1.5\" is not a whole number.", Assert.Throws<CsvFormatException>(() => row.GetInt32("a")).Message);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void A_Long_Value_Is_Cut_In_Messages()
    {
        string value = new string('7', 100) + "x";
        var row = Assert.Single(Rows($"a\n{value}\n"));
        var ex = Assert.Throws<CsvFormatException>(() => row.GetDouble("a"));
        Assert.Equal($"f.csv:2: column 'a': \"{new string('7', 57)}...\" (101 characters) is not a number; write plain decimals with a '.' separator, e.g. 12.5.", ex.Message);
    }

    [Fact]
    public void The_Exception_Carries_File_Line_Column_And_The_Message_Without_Location()
    {
        var row = Assert.Single(Rows("a\nx\n"));
        var ex = Assert.Throws<CsvFormatException>(() => row.GetDouble("a"));
        Assert.Equal(("f.csv", 2, "a"), (ex.File, ex.Line, ex.Column));
        Assert.Equal("column 'a': \"x\" is not a number; write plain decimals with a '.' separator, e.g. 12.5.", ex.Detail);
        Assert.Equal("column 'energy_j' appears twice (columns 1 and 2); rename one.", Fails("energy_j,energy_j\n").Detail);
    }

    [Fact]
    public void Disposing_Closes_The_Text_Unless_Asked_To_Leave_It_Open()
    {
        var text = new StringReader("a\n1\n");
        using (CsvReader.Create(text, "f.csv", leaveOpen: true))
        {
        }

        Assert.Equal(-1, text.Peek()); // still open (a disposed StringReader throws); the CSV reader had buffered all of it
        var closed = new StringReader("a\n1\n");
        CsvReader.Create(closed, "f.csv").Dispose();
        Assert.Throws<ObjectDisposedException>(() => closed.Peek());
    }

    /// <summary>Repeats <c>unit</c> for ever after <c>prefix</c>.</summary>
    private sealed class EndlessReader(string unit, string prefix = "") : TextReader
    {
        private long _position;

        public override int Read(char[] buffer, int index, int count)
        {
            for (int i = 0; i < count; i++)
            {
                buffer[index + i] = _position < prefix.Length ? prefix[(int)_position] : unit[(int)((_position - prefix.Length) % unit.Length)];
                _position++;
            }

            return count;
        }
    }
}
