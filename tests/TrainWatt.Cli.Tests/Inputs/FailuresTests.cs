using Spectre.Console.Testing;

namespace TrainWatt.Cli.Tests.Inputs;

/// <summary>Issue 13: the exception map never prints a stack trace (nor build paths) unless TRAINWATT_DEBUG is set.</summary>
public sealed class FailuresTests
{
    private static (int Code, string Err) Report(Exception e, IReadOnlyDictionary<string, string?>? env = null)
    {
        var stdout = new TestConsole();
        var stderr = new TestConsole();
        stderr.Profile.Width = 400;
        var context = new CliContext(stdout, stderr, TimeProvider.System, env ?? new Dictionary<string, string?>());
        int code = Failures.Run(context, () => throw e);
        return (code, stderr.Output);
    }

    private static Exception Thrown(Exception e)
    {
        try
        {
            throw e;
        }
        catch (Exception caught)
        {
            return caught;
        }
    }

    [Fact]
    public void A_bug_is_one_line_without_a_stack_trace_unless_debugging()
    {
        var bug = Thrown(new NullReferenceException("boom"));
        var (code, err) = Report(bug);
        Assert.Equal(70, code);
        Assert.Equal("error: internal error (NullReferenceException: boom). This is a bug in TrainWatt: please report it with the command line.\n", err);

        var (debugCode, debugErr) = Report(bug, new Dictionary<string, string?> { ["TRAINWATT_DEBUG"] = "1" });
        Assert.Equal(70, debugCode);
        Assert.Contains("   at ", debugErr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_debug_stack_trace_names_product_sources_relative_to_the_repository_root()
    {
        // Given: a bug inside a product assembly (the store's "no such run" check, reached by finishing run 42 of an
        // empty store) while a command runs, with TRAINWATT_DEBUG set
        using var dir = new TrainWatt.Testing.TempDirectory();
        using var store = TrainWatt.Storage.Sqlite.SqliteRunStore.Open(dir.File("runs.db"));
        var stderr = new TestConsole();
        stderr.Profile.Width = 400;
        var context = new CliContext(new TestConsole(), stderr, TimeProvider.System, new Dictionary<string, string?> { ["TRAINWATT_DEBUG"] = "1" });

        int code = Failures.Run(context, () =>
        {
            store.FinishRun(42, TrainWatt.Storage.RunStatus.Completed, DateTimeOffset.UnixEpoch);
            return 0;
        });

        // Then: every frame of a product assembly (src/) names its file relative to the repository root, with its line
        // (Directory.Build.props maps the root away: PathMap); only this test's own frame keeps the build folder.
        Assert.Equal(70, code);
        var frames = System.Text.RegularExpressions.Regex.Matches(stderr.Output, @"   at (TrainWatt\.\S+?)\(.*\) in (.+):line \d+")
            .Where(m => !m.Groups[1].Value.StartsWith("TrainWatt.Cli.Tests.", StringComparison.Ordinal))
            .Select(m => (Method: m.Groups[1].Value, File: m.Groups[2].Value))
            .ToList();
        Assert.Contains(("TrainWatt.Storage.Sqlite.SqliteRunStore.RequireRow", "src/TrainWatt.Storage/Sqlite/SqliteRunStore.cs"), frames);
        Assert.Contains(("TrainWatt.Cli.Failures.Run", "src/TrainWatt.Cli/Failures.cs"), frames);
        Assert.All(frames, f => Assert.StartsWith("src/TrainWatt.", f.File, StringComparison.Ordinal));
        Assert.DoesNotContain(TrainWatt.Testing.SharedData.RepositoryRoot + "/src", stderr.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_multi_line_library_message_is_printed_on_one_line()
    {
        var (code, err) = Report(Thrown(new ArgumentOutOfRangeException("value", double.PositiveInfinity, "Energy must be finite.")));
        Assert.Equal(64, code);
        Assert.Single(err.TrimEnd('\n').Split('\n'));
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cancellation_is_one_line_not_an_unhandled_exception()
    {
        var (code, err) = Report(Thrown(new TaskCanceledException("A task was canceled.")));
        Assert.Equal(70, code);
        Assert.StartsWith("error: internal error (TaskCanceledException: A task was canceled.)", err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }
}
