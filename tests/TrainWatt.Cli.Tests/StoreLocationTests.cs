using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests;

/// <summary>
/// Where the store lives, observed through the CLI: --db, then TRAINWATT_DB, then $XDG_DATA_HOME/trainwatt/trainwatt.db,
/// then ~/.local/share/trainwatt/trainwatt.db (oracle: XDG Base Directory Specification, "$XDG_DATA_HOME defines the base
/// directory ... If $XDG_DATA_HOME is either not set or empty, a default equal to $HOME/.local/share should be used";
/// relative paths are invalid and ignored).
/// </summary>
public class StoreLocationTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private int RunList(Dictionary<string, string?> env, params string[] extra)
        => CliHarness.Run(env, ["runs", "list", .. extra]).ExitCode;

    [Fact]
    public void Should_Prefer_The_Db_Option_Over_The_Environment()
    {
        var env = new Dictionary<string, string?> { ["TRAINWATT_DB"] = _temp.File("env.db"), ["HOME"] = _temp.Path };

        Assert.Equal(0, RunList(env, "--db", _temp.File("option.db")));

        Assert.True(File.Exists(_temp.File("option.db")));
        Assert.False(File.Exists(_temp.File("env.db")));
    }

    [Fact]
    public void Should_Use_TRAINWATT_DB_Before_The_Data_Directory()
    {
        var env = new Dictionary<string, string?> { ["TRAINWATT_DB"] = _temp.File("env.db"), ["XDG_DATA_HOME"] = _temp.File("xdg") };

        Assert.Equal(0, RunList(env));

        Assert.True(File.Exists(_temp.File("env.db")));
        Assert.False(Directory.Exists(_temp.File("xdg")));
    }

    [Fact]
    public void Should_Use_XDG_DATA_HOME_When_Absolute()
    {
        var env = new Dictionary<string, string?> { ["XDG_DATA_HOME"] = _temp.File("xdg"), ["HOME"] = _temp.File("home") };

        Assert.Equal(0, RunList(env));

        Assert.True(File.Exists(Path.Combine(_temp.Path, "xdg", "trainwatt", "trainwatt.db")));
    }

    [Fact]
    public void Should_Fall_Back_To_Home_Local_Share_When_XDG_DATA_HOME_Is_Relative_Or_Unset()
    {
        var env = new Dictionary<string, string?> { ["XDG_DATA_HOME"] = "relative/dir", ["HOME"] = _temp.File("home") };

        Assert.Equal(0, RunList(env));

        Assert.True(File.Exists(Path.Combine(_temp.Path, "home", ".local", "share", "trainwatt", "trainwatt.db")));
    }
}
