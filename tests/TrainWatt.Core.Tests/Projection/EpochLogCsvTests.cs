using TrainWatt.Core.Projection;

namespace TrainWatt.Core.Tests.Projection;

/// <summary>The epoch log is read by the shared CSV reader: its format rules apply and its errors are fatal faults at their line.</summary>
public class EpochLogCsvTests
{
    private static EpochLogReadResult Read(string text) => EpochLog.Read(new StringReader(text), "epochs.csv");

    [Fact]
    public void A_Spreadsheet_Export_With_Bom_Crlf_Quotes_And_Other_Column_Order_Reads()
    {
        var log = Read("\uFEFFEnd_Time,Epoch,loss\r\n\"2022-12-05T09:56:30.125\",0,\"1,5\"\r\n2022-12-05T09:57:30,1,0.9\r\n");
        Assert.False(log.IsFatal);
        Assert.Equal([2, 3], log.Epochs.Select(e => e.Line));
        Assert.Equal(new DateTime(2022, 12, 5, 9, 56, 30, 125), log.Epochs[0].End);
    }

    [Theory]
    [InlineData("epoch,end_time\n0,2022-12-05T09:56:30\n1\n", 3, "1 field(s) where the header has 2; quote values that contain commas.")]
    [InlineData("epoch,end_time\n0,\"2022-12-05T09:56:30\n", 2, "a quoted value is never closed.")]
    [InlineData("epoch,end_time,epoch\n", 1, "column 'epoch' appears twice (columns 1 and 3); rename one.")]
    public void A_Format_Error_Is_One_Fatal_Fault_At_Its_Line(string text, int line, string message)
    {
        var fault = Assert.Single(Read(text).Faults);
        Assert.Equal((line, message), (fault.Line, fault.Message));
    }
}
