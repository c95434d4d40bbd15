using TrainWatt.Measurement.Spool;
using TrainWatt.Testing;

namespace TrainWatt.Measurement.Tests.Spool;

/// <summary>The input checks of <see cref="SpoolReplay.Replay"/> (replays into a real store run end to end in the CLI's StoreOutageTests).</summary>
public sealed class SpoolReplayTests : IDisposable
{
    private static readonly HostContext Host = new(TimeProvider.System, new Dictionary<string, string?>());
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_Missing_Spool_File_Says_Where_Spool_Files_Are()
    {
        var e = Assert.Throws<FileNotFoundException>(() => SpoolReplay.Replay(_temp.File("spool.db"), null, Host));

        Assert.StartsWith($"the spool file {_temp.File("spool.db")} does not exist.", e.Message);
    }

    [Fact]
    public void A_File_That_Is_Not_A_Spool_Is_Invalid_Data()
    {
        File.WriteAllText(_temp.File("notes.txt"), "not a database\n");

        var e = Assert.Throws<InvalidDataException>(() => SpoolReplay.Replay(_temp.File("notes.txt"), null, Host));

        Assert.StartsWith($"{_temp.File("notes.txt")} is not a TrainWatt spool file (", e.Message);
    }
}
