using TrainWatt.Core.Traces;
using TrainWatt.Storage.Import;
using TrainWatt.Testing;

namespace TrainWatt.Storage.Tests.Import;

/// <summary>runs.csv read by the shared CSV reader: quoted values, a ragged row ignored with a fault, a malformed file one fatal fault.</summary>
public sealed class SeaaRunsTableTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private SeaaRunsTable? Load(string text, out TraceFault? fault)
    {
        string path = _temp.File("runs.csv");
        File.WriteAllText(path, text);
        return SeaaRunsTable.Load(path, out fault);
    }

    [Fact]
    public void Quoted_Values_Are_Read_And_A_Ragged_Row_Is_Ignored_With_A_Fault()
    {
        var table = Load("training environment,architecture,run,gpu model\r\n\"Local ML Engineer, Gamer\",vgg16,0,\"RTX 3070\"\r\nCloud,vgg16,0\r\n", out var fault);
        Assert.NotNull(table);
        Assert.Equal(1, table.Count);
        var row = table.Find("vgg16", 0, "RTX 3070", "local-v2");
        Assert.Equal("Local ML Engineer, Gamer", SeaaRunsTable.EnvironmentLabel(row!));
        Assert.Equal((FaultKind.Garbage, 3), (fault!.Kind, fault.Line));
    }

    [Theory]
    [InlineData("", 0, "runs.csv is empty; run metadata is not recorded.")]
    [InlineData("training environment,run\nCloud,0\n", 1, "runs.csv has no 'architecture' column; run metadata is not recorded.")]
    [InlineData("training environment,architecture,run\nCloud,\"vgg16,0\n", 2, "a quoted value is never closed. Run metadata is not recorded.")]
    [InlineData("training environment,architecture,run,run\n", 1, "column 'run' appears twice (columns 3 and 4); rename one. Run metadata is not recorded.")]
    public void An_Unusable_File_Is_One_Fatal_Fault_Naming_Its_Line(string text, int line, string message)
    {
        Assert.Null(Load(text, out var fault));
        Assert.Equal((FaultKind.Fatal, line, message), (fault!.Kind, fault.Line, fault.Message));
    }
}
