using System.Globalization;
using SkiaSharp;
using TrainWatt.Core;
using TrainWatt.Core.Units;
using TrainWatt.Storage;
using TrainWatt.Storage.Sqlite;
using TrainWatt.Testing;

using TrainWatt.Core.Projection;

namespace TrainWatt.Cli.Tests;

/// <summary>
/// <c>report RUN_ID</c> with the run's live STEP projection history: the band plot, the final projection error, and the
/// line that replaces the plot when a run has no projection.
/// </summary>
public sealed class ReportProjectionBandTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// A hand-made run: one sampled device at a constant 200 W, a sample every second from T0 to T0 + 200 s, 20 epochs of
    /// 10 s (2000 J each). Measured total by the trapezoid rule: 200 W x 200 s = 40 000 J. With <paramref name="projected"/>,
    /// projections after epochs 10..20: projected(k) = 40 000 J x (1 + 0.01 (21 - k)), interval ±5 % of it.
    /// </summary>
    private static long CreateRun(IRunStore store, bool projected, bool finish)
    {
        long run = store.CreateRun(new NewRun("measure", T0, Command: "python train.py --epochs 20"));
        long gpu = store.RegisterDevice(run, new DeviceRegistration("gpu:0", "gpu", "Fake GPU", Provenance.Sampled));
        store.AppendSamples(run, Enumerable.Range(0, 201)
            .Select(s => new SampleRecord(gpu, T0.AddSeconds(s), Power.FromWatts(200), null, 90, null, null, Provenance.Sampled))
            .ToList());
        for (int k = 1; k <= 20; k++)
        {
            store.AddEpoch(run, new EpochRecord(k, T0.AddSeconds(10 * (k - 1)), T0.AddSeconds(10 * k), Core.Units.Energy.FromJoules(2000), Provenance.Sampled));
            if (projected && k >= 10)
            {
                double p = 40_000 * (1 + (0.01 * (21 - k)));
                store.AddProjection(run, new ProjectionEntry(k, Core.Units.Energy.FromJoules(p), Core.Units.Energy.FromJoules(p * 0.95), Core.Units.Energy.FromJoules(p * 1.05), 0.9, "step", 6, 20, 20, T0.AddSeconds(10 * k)));
            }
        }

        if (finish)
        {
            store.FinishRun(run, RunStatus.Completed, T0.AddSeconds(200), 0);
        }

        return run;
    }

    /// <summary>Pixels close to the band's fill: DarkOrange (255, 140, 0) at alpha 0.25 over white = (255, 226, 191).</summary>
    private static int BandPixels(SKBitmap bitmap)
    {
        int count = 0;
        for (int y = 0; y < bitmap.Height; y++)
        {
            for (int x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                if (c.Red >= 245 && Math.Abs(c.Green - 226) <= 12 && Math.Abs(c.Blue - 191) <= 12)
                {
                    count++;
                }
            }
        }

        return count;
    }

    [Fact]
    public void Completed_run_report_draws_the_projection_band_and_states_the_final_projection_error()
    {
        using var dir = new TempDirectory();
        string db = dir.File("runs.db");
        long run;
        using (var store = SqliteRunStore.Open(db))
        {
            run = CreateRun(store, projected: true, finish: true);
        }

        string outDir = dir.File("report");
        var (code, stdout, stderr) = CliHarness.Run("report", run.ToString(System.Globalization.CultureInfo.InvariantCulture), "--db", db, "--out", outDir);
        Assert.True(code == 0, stderr);
        Assert.Equal(Path.Combine(outDir, "index.html") + "\n", stdout);
        string html = File.ReadAllText(Path.Combine(outDir, "index.html"));

        // The band plot is embedded (power timeline, projection band, energy per epoch: three images) and saved beside the page.
        Assert.Contains("<h2>Live STEP projection</h2>\n<img alt=\"Live STEP projection\" src=\"data:image/png;base64,", html, StringComparison.Ordinal);
        Assert.Equal(3, html.Split("data:image/png;base64,").Length - 1);
        Assert.Contains("(also saved as projection-band.png)", html, StringComparison.Ordinal);
        Assert.DoesNotContain("No STEP projection", html, StringComparison.Ordinal);

        // Final error, by hand: last projection (epoch 20) 40 400 J vs measured 40 000 J → +1.0 %, interval [38 380, 42 420]
        // holds it; 11 projections from epoch 10; mean |error| = (11 + 10 + ... + 1)/11 % = 6.0 %; intervals hold
        // 40 000 J when 0.95 x 40 000 (1 + 0.01 (21 - k)) <= 40 000, i.e. k >= 16: 5 of 11 = 45 %.
        Assert.Contains(
            "<h2>Final projection error</h2>\n<p>Final projection error: the last (epoch 20) was +1.0 % off the measured 40.00 kJ (interval held it); 11 projections from epoch 10, mean |error| 6.0 %, 45 % of the intervals held the measured total.</p>",
            html,
            StringComparison.Ordinal);

        // The PNG: a valid 900 x 500 PNG (decodes), of non-trivial size, with the shaded band drawn in it.
        byte[] png = File.ReadAllBytes(Path.Combine(outDir, "projection-band.png"));
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.True(png.Length > 10_000, $"projection-band.png is only {png.Length} bytes");
        using var bitmap = SKBitmap.Decode(png);
        Assert.NotNull(bitmap);
        Assert.Equal((900, 500), (bitmap.Width, bitmap.Height));

        // The band spans epochs 10..20 on a 1..20 axis and ~±5 % of 40-44 kJ on a 0-48 kJ axis: about half the data
        // area wide and a tenth of it high, i.e. thousands of fill pixels (the fill colour appears nowhere else).
        int band = BandPixels(bitmap);
        Assert.True(band > 3000, $"only {band} band-coloured pixels in projection-band.png");
    }

    [Fact]
    public void Running_run_draws_the_band_but_has_no_final_error_yet()
    {
        using var dir = new TempDirectory();
        string db = dir.File("runs.db");
        long run;
        using (var store = SqliteRunStore.Open(db))
        {
            run = CreateRun(store, projected: true, finish: false);
        }

        var (code, _, stderr) = CliHarness.Run("report", run.ToString(System.Globalization.CultureInfo.InvariantCulture), "--db", db, "--out", dir.File("out"));
        Assert.True(code == 0, stderr);
        string html = File.ReadAllText(Path.Combine(dir.File("out"), "index.html"));
        Assert.Contains("(also saved as projection-band.png)", html, StringComparison.Ordinal);
        Assert.Contains("no final measured total to score the 11 projections against", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Final projection error: ", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_without_projections_says_why_instead_of_an_empty_plot()
    {
        using var dir = new TempDirectory();
        string db = dir.File("runs.db");
        long run;
        using (var store = SqliteRunStore.Open(db))
        {
            run = CreateRun(store, projected: false, finish: true);
        }

        string outDir = dir.File("out");
        var (code, _, stderr) = CliHarness.Run("report", run.ToString(System.Globalization.CultureInfo.InvariantCulture), "--db", db, "--out", outDir);
        Assert.True(code == 0, stderr);
        string html = File.ReadAllText(Path.Combine(outDir, "index.html"));

        // 10 = ChangePointOptions' default EpochsNeeded: 2 x MinStableEpochs (5).
        Assert.Contains("<h2>Live STEP projection</h2>\n<p>No STEP projection (run not yet stable / fewer than 10 epochs", html, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(outDir, "projection-band.png")));
        Assert.Equal(2, html.Split("data:image/png;base64,").Length - 1); // power timeline and energy per epoch only
    }

    [Fact]
    public void Measured_run_with_live_projections_gets_the_band_and_the_error_computed_from_its_stored_history()
    {
        // Given: measure (fake NVML GPU at a constant 200 W) around 24 marker epochs with total=24, as h/live's
        // LiveProjectionTests do: STEP projects once the level is shown flat (from epoch 10 on) and the history is stored with the run.
        using var fake = FakeNvml.ConstantGpu(200);
        using var dir = new TempDirectory();
        string db = dir.File("runs.db");
        var env = new Dictionary<string, string?> { ["TRAINWATT_NVML_LIBRARY"] = fake.LibraryPath };
        var (measured, _, measureErr) = CliHarness.Run(env, "measure", "--db", db, "--meters", "nvml", "--", "bash", "-c",
            "exec 3<> <(:); for i in $(seq 1 24); do read -t 0.25 -u 3; echo \"##trainwatt epoch-end n=$i total=24\"; done"); // 0.25 s epochs without a fork each (see LiveProjectionTests)
        Assert.True(measured == 0, measureErr);

        // When
        string outDir = dir.File("report");
        var (code, _, stderr) = CliHarness.Run("report", "1", "--db", db, "--out", outDir);

        // Then: the band is drawn, and the error line's figures are those of the stored history against the stored total,
        // computed here by hand: (last projected - measured) / measured, in percent with one decimal.
        Assert.True(code == 0, stderr);
        string html = File.ReadAllText(Path.Combine(outDir, "index.html"));
        Assert.Contains("<h2>Live STEP projection</h2>\n<img ", html, StringComparison.Ordinal);
        Assert.True(new FileInfo(Path.Combine(outDir, "projection-band.png")).Length > 10_000);
        using var store = SqliteRunStore.Open(db);
        var details = store.GetRun(1)!;
        var history = store.GetProjections(1);
        Assert.NotEmpty(history);
        var last = history[^1];
        double error = (last.Projected.Joules - details.TotalEnergy!.Value.Joules) / details.TotalEnergy!.Value.Joules * 100;
        Assert.Contains(
            string.Create(CultureInfo.InvariantCulture, $"Final projection error: the last (epoch {last.Epoch}) was {error:+0.0;-0.0;0.0} % off the measured {details.TotalEnergy}"),
            html,
            StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"{history.Count} projections from epoch {history[0].Epoch}"), html, StringComparison.Ordinal);
    }
}
