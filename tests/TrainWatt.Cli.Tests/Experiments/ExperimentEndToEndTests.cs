using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Experiments;

/// <summary>
/// Acceptance: a 3-configuration x 3-repetition experiment of short Python commands, run as a real trainwatt process,
/// interrupted by SIGINT during its second run, resumed, and reported. Needs python3 on PATH (skips otherwise).
/// </summary>
public sealed class ExperimentEndToEndTests
{
    // Epoch work (busy seconds, wall clock) is 0.1 / 0.2 / 0.6 s: large costs 1.2 s of work more than medium, several
    // times the spread of Python's start-up on a loaded machine, so "medium is cheaper than large" holds by a wide margin.
    // The second child started in this folder (the run the test interrupts) waits after its first epoch for the SIGINT
    // instead of finishing on its own: on a slow machine the signal could otherwise arrive after the run was done.
    // (If no SIGINT ever comes it goes on after 60 s and finishes, and the test fails on the exit code.)
    private const string Script = """
        import os, sys, time
        m = sys.argv[1]
        work = {"small": 0.1, "medium": 0.2, "large": 0.6}[m]
        f1 = {"small": 0.95, "medium": 0.97, "large": 0.98}[m]
        starts = os.path.join(os.path.dirname(os.path.abspath(__file__)), "starts.log")
        with open(starts, "a") as log:
            log.write(m + "\n")
        with open(starts) as log:
            hold = len(log.read().split()) == 2
        for e in range(1, 4):
            t = time.time()
            while time.time() - t < work:
                pass
            print("##trainwatt epoch-end n=%d total=3" % e, flush=True)
            if hold and e == 1:
                time.sleep(60)
        print("##trainwatt metric f1=%.3f" % f1, flush=True)
        """;

    private static bool HasPython() => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Any(p => File.Exists(Path.Combine(p, "python3")));

    private static Process Start(FakeNvml gpu, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            Environment = { ["TRAINWATT_NVML_LIBRARY"] = gpu.LibraryPath },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true, // not a terminal: the session forwards SIGINT to the child at once
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "trainwatt.dll"));
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        // The first attempt is interrupted by SIGINT: trainwatt and its Python children must not start with it ignored.
        return Process.Start(info.WithDefaultSigint())!;
    }

    [Fact]
    public async Task Three_by_three_runs_shuffled_survives_sigint_resumes_and_reports()
    {
        Assert.SkipUnless(HasPython(), "python3 is not on PATH");
        var ct = TestContext.Current.CancellationToken;

        // A fake GPU at a constant 200 W is the meter: a run's energy is 200 W x its duration, whatever else the machine
        // runs. (The process meter's CPU model is TDP x whole-machine load, which other test classes running in
        // parallel could raise during a medium run and lower during a large one, flipping the recommendation.)
        using var gpu = FakeNvml.ConstantGpu(200);
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("train.py"), Script);
        string plan = dir.File("plan.json");
        File.WriteAllText(plan, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["name"] = "accept",
            ["command"] = new[] { "python3", dir.File("train.py"), "{model}" },
            ["variables"] = new Dictionary<string, string[]> { ["model"] = ["small", "medium", "large"] },
            ["repetitions"] = 3,
            ["seed"] = 7,
            ["cooldown"] = "100ms",
            ["meters"] = "nvml",
            ["interval"] = "50ms",
        }));
        string db = dir.File("runs.db");

        // First attempt: SIGINT once the second run's child is running (its first epoch marker was seen).
        var firstLog = new List<string>();
        using (var first = Start(gpu, "experiment", "run", plan, "--db", db))
        {
            var stdoutTask = first.StandardOutput.ReadToEndAsync(ct);
            var log = firstLog;
            string? line;
            while ((line = await first.StandardError.ReadLineAsync(ct)) is not null)
            {
                log.Add(line);
                if (line.Contains("epochs: following", StringComparison.Ordinal) && log.Any(l => l.Contains("run 2/9:", StringComparison.Ordinal))
                    && log.Count(l => l.Contains("epochs: following", StringComparison.Ordinal)) == 2)
                {
                    using var kill = Process.Start(new ProcessStartInfo("kill", ["-INT", first.Id.ToString(CultureInfo.InvariantCulture)]))!;
                    await kill.WaitForExitAsync(ct);
                }
            }

            await first.WaitForExitAsync(ct);
            await stdoutTask;
            Assert.True(first.ExitCode == 130, $"exit {first.ExitCode}: {string.Join('\n', log)}");
            Assert.Contains(log, l => l.Contains("interrupted: stopping after the current run", StringComparison.Ordinal));
            Assert.DoesNotContain(log, l => l.Contains("run 3/9:", StringComparison.Ordinal));
        }

        var (statusCode, status, _) = CliHarness.Run("experiment", "status", plan, "--db", db);
        Assert.Equal(0, statusCode);
        // The interrupted child exits non-zero (Python's KeyboardInterrupt): only the first run counts as done.
        Assert.True(status.Contains("done 1/9", StringComparison.Ordinal), status + "\n" + string.Join("\n", firstLog));
        Assert.Single(firstLog, l => l.Contains(": exit 0,", StringComparison.Ordinal));

        // Resume: the done run is skipped, the interrupted one is run again, in the same shuffled order.
        using (var second = Start(gpu, "experiment", "run", plan, "--db", db))
        {
            var stdoutTask = second.StandardOutput.ReadToEndAsync(ct);
            string stderr = await second.StandardError.ReadToEndAsync(ct);
            await second.WaitForExitAsync(ct);
            await stdoutTask;
            Assert.True(second.ExitCode == 0, stderr);
            Assert.Contains("1 of 9 runs already done, 8 to go", stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("run 1/9:", stderr, StringComparison.Ordinal);
            var order = stderr.Split('\n').Where(l => l.Contains("/9: model=", StringComparison.Ordinal))
                .Select(l => l[(l.IndexOf("model=", StringComparison.Ordinal) + 6)..].Split(' ')[0]).ToArray();
            Assert.Equal(8, order.Length);

            // Shuffled: not grouped as small x3, medium x3, large x3 (the seed-7 order starts with large).
            Assert.NotEqual(order.Order(), order);
        }

        (statusCode, status, _) = CliHarness.Run("experiment", "status", plan, "--db", db);
        Assert.Contains("done 9/9 (complete)", status, StringComparison.Ordinal);

        // Nine good runs carry their tags and f1 metric: analyze --runs sees three groups of three.
        var (analyzeCode, analyzeJson, analyzeErr) = CliHarness.Run("analyze", "--runs", "experiment=accept", "--db", db, "--by", "model", "--metric", "f1", "--json");
        Assert.True(analyzeCode == 0, analyzeErr);
        using (var doc = JsonDocument.Parse(analyzeJson))
        {
            var groups = doc.RootElement.GetProperty("groups").EnumerateArray().ToArray();
            Assert.Equal(["large", "medium", "small"], groups.Select(g => g.GetProperty("key").GetProperty("model").GetString()));
            Assert.All(groups, g => Assert.Equal(3, g.GetProperty("n").GetInt32()));
            Assert.Equal(0.98, groups[0].GetProperty("median").GetDouble()); // the script prints f1=0.980 for large
        }

        // The report has its plots embedded.
        string outDir = dir.File("report");
        var (reportCode, reportOut, reportErr) = CliHarness.Run("report", "--experiment", "accept", "--db", db, "--out", outDir);
        Assert.True(reportCode == 0, reportErr);
        string html = File.ReadAllText(Path.Combine(outDir, "index.html"));
        Assert.Equal(4, html.Split("data:image/png;base64,").Length - 1); // box plots, Pareto, power timeline, energy per epoch
        Assert.Contains("9 completed runs", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.Contains("Recommended: model=medium", html, StringComparison.Ordinal); // f1 0.97 within 0.02 of 0.98, cheaper than large
        foreach (string png in new[] { "box-plots.png", "pareto.png", "power-timeline.png", "energy-per-epoch.png" })
        {
            var bytes = File.ReadAllBytes(Path.Combine(outDir, png));
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, bytes[..4]);
        }

        Assert.EndsWith("index.html\n", reportOut, StringComparison.Ordinal);
    }
}
