using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using TrainWatt.Storage;

namespace TrainWatt.Layering.Tests;

/// <summary>
/// Runs samples/dotnet/MeasureFromCode as a real process (dotnet MeasureFromCode.dll STORE) and checks what it stored.
/// </summary>
/// <remarks>
/// Oracle, by hand: the sample's meter reads a constant 50 W as a sampled channel, so the trapezoid rule over its
/// samples gives exactly 50 W × (last sample time − first sample time) = 50 W × the run's stored duration, whatever the
/// sampling jitter. The command prints "Epoch k/3" three times with a 1 s sleep after each line, so the run lasts a
/// little over 3 s (≈ 150 J) and the Keras rule gives 3 epochs: "Epoch k/3" starts epoch k and ends epoch k−1, the
/// command's exit ends epoch 3; each epoch's energy is then 50 W × its own duration.
/// </remarks>
public sealed partial class MeasureFromCodeSampleTests(ITestOutputHelper output)
{
    private const double Watts = 50;

    [Fact]
    public async Task Stores_one_run_of_three_epochs_at_50_W()
    {
        var ct = TestContext.Current.CancellationToken;
        string dir = Directory.CreateTempSubdirectory("trainwatt-sample-test-").FullName;
        try
        {
            string db = Path.Combine(dir, "sample.db");
            var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "MeasureFromCode.dll"));
            info.ArgumentList.Add(db);

            var wall = Stopwatch.StartNew();
            using var process = Process.Start(info)!;
            var stdoutTask = process.StandardOutput.ReadToEndAsync(ct);
            var stderrTask = process.StandardError.ReadToEndAsync(ct);
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                timeout.CancelAfter(TimeSpan.FromSeconds(30));
                try
                {
                    await process.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                    throw;
                }
            }

            wall.Stop();
            string stdout = await stdoutTask;
            string stderr = await stderrTask;
            output.WriteLine(stdout);
            output.WriteLine(stderr);
            Assert.True(process.ExitCode == 0, $"the sample exited with {process.ExitCode}:\n{stdout}\n{stderr}");

            using var store = RunStoreFactory.Open(db, TimeProvider.System);
            var run = Assert.Single(store.ListRuns());
            var details = store.GetRun(run.Id)!;
            Assert.Equal(RunStatus.Completed, run.Status);
            Assert.Equal(0, run.ExitCode);
            Assert.Equal([1, 2, 3], details.Epochs.Select(e => e.Number));

            // The run: 50 W over its stored duration, which is a little over the command's 3 × 1 s of sleep.
            double duration = run.Duration!.Value.TotalSeconds;
            double stored = details.TotalEnergy!.Value.Joules;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"stored: {stored:0.000} J over {duration:0.000} s = {stored / duration:0.000} W; oracle 50 W × {duration:0.000} s = {Watts * duration:0.000} J; wall {wall.Elapsed.TotalSeconds:0.000} s"));
            Assert.InRange(duration, 2.9, wall.Elapsed.TotalSeconds);
            Assert.InRange(stored, 0.95 * Watts * duration, 1.05 * Watts * duration);
            Assert.InRange(stored, 0.95 * Watts * 3, Watts * wall.Elapsed.TotalSeconds);

            // Each stored epoch: 50 W over the epoch's own duration; together they fit inside the run.
            foreach (var epoch in details.Epochs)
            {
                double seconds = (epoch.End - epoch.Start).TotalSeconds;
                Assert.True(seconds > 0.5, $"epoch {epoch.Number} lasted {seconds:0.000} s; each is a 1 s sleep");
                Assert.InRange(epoch.Energy!.Value.Joules, 0.95 * Watts * seconds, 1.05 * Watts * seconds);
            }

            Assert.True(details.Epochs.Sum(e => e.Energy!.Value.Joules) <= stored * 1.001, "the epochs hold more energy than the run");

            // What the sample printed from its typed MeasureResult agrees with the store.
            Assert.Equal(run.Id.ToString(CultureInfo.InvariantCulture), Printed(stdout, "run"));
            Assert.Equal("3", Printed(stdout, "epochs"));
            double printed = double.Parse(Printed(stdout, "energy").Split(' ')[0], CultureInfo.InvariantCulture);
            Assert.InRange(printed, 0.99 * stored, 1.01 * stored);
            Assert.Equal(3, ObserverEpochLine().Matches(stdout).Count);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string Printed(string stdout, string key)
    {
        var match = Regex.Match(stdout, "^" + Regex.Escape(key) + ": (.+)$", RegexOptions.Multiline | RegexOptions.CultureInvariant);
        Assert.True(match.Success, $"the sample printed no \"{key}:\" line:\n{stdout}");
        return match.Groups[1].Value.Trim();
    }

    [GeneratedRegex(@"^observer: epoch [123]/3 ended: ", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex ObserverEpochLine();
}
