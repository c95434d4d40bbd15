namespace TrainWatt.Estimation.Tests;

/// <summary>
/// The PRE dataset is read by the shared CSV reader (TrainWatt.Core.Text.CsvReader): its quoting, line-end and number
/// rules apply, and its errors arrive as <see cref="PreDatasetException"/> naming file, line and column.
/// </summary>
public sealed class DatasetCsvTests
{
    private const string Header = "batch_size,ram_gb,training_size,validation_size,gflops,image_height,image_width,gpu,avg_gpu_power_w,avg_epoch_energy_kj";

    private static IReadOnlyList<PreRow> Parse(string text) => PreDataset.Parse(new StringReader(text), "runs.csv");

    [Fact]
    public void A_Quoted_Value_With_A_Comma_A_Bom_And_Crlf_Read_As_In_Any_Spreadsheet_Export()
    {
        // Hand: the architecture holds a comma, so it is quoted; 2.5 kJ / 250 W = 10 s.
        var row = Assert.Single(Parse("\uFEFF" + Header + ",architecture\r\n32,16,100,50,1.5,128,128,\"RTX 3090\",250,2.5,\"resnet, v2\"\r\n"));
        Assert.Equal("resnet, v2", row.Architecture);
        Assert.Equal(10.0, row.EpochDuration.TotalSeconds, 12);
        Assert.Equal("runs.csv:2", row.Source);
    }

    [Theory]
    [InlineData("1e309", "runs.csv:2: column 'avg_gpu_power_w': \"1e309\" is not a finite number; write plain decimals with a '.' separator, e.g. 12.5.")]
    [InlineData("NaN", "runs.csv:2: column 'avg_gpu_power_w': \"NaN\" is not a finite number; write plain decimals with a '.' separator, e.g. 12.5.")]
    [InlineData("-5", "runs.csv:2: column 'avg_gpu_power_w': must be a number > 0 and at most 100,000 W; got '-5'.")]
    public void A_Bad_Target_Names_Line_And_Column(string power, string message)
    {
        var ex = Assert.Throws<PreDatasetException>(() => Parse($"{Header}\n32,16,100,50,1.5,128,128,RTX 3090,{power},2.5\n"));
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void A_Column_Named_Twice_Is_Rejected()
    {
        var ex = Assert.Throws<PreDatasetException>(() => Parse(Header + ",gflops\n"));
        Assert.Equal("runs.csv:1: column 'gflops' appears twice (columns 5 and 11); rename one.", ex.Message);
    }

    [Fact]
    public void A_Row_With_An_Extra_Field_Names_Its_Line()
    {
        var ex = Assert.Throws<PreDatasetException>(() => Parse($"{Header}\n32,16,100,50,1.5,128,128,RTX 3090,250,2.5\n32,16,100,50,1,5,128,128,RTX 3090,250,2.5\n"));
        Assert.Equal("runs.csv:3: 11 field(s) where the header has 10; quote values that contain commas.", ex.Message);
    }
}
