using System.Text.RegularExpressions;
using TrainWatt.Core;
using TrainWatt.Core.Projection;
using TrainWatt.Core.Units;
using TrainWatt.Storage;
using TrainWatt.Storage.Sqlite;
using TrainWatt.Testing;

namespace TrainWatt.Reporting.Tests;

/// <summary>
/// The head of <c>report RUN</c>: each device's energy with its provenance and what it covers, the modelled banner, carbon
/// with its assumptions, the metrics, and the projection against the measured energy of the quantity it projects.
/// </summary>
public sealed class SingleRunReportTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// A 100 s run: gpu:0 a counter from 0 to 30 000 J; gpu:1 sampled at a constant 100 W (10 000 J by the trapezoid);
    /// ram modelled at a constant 2 W (200 J). One sample a second. With <paramref name="modelOnly"/> only the ram device.
    /// </summary>
    private static long CreateRun(IRunStore store, bool modelOnly)
    {
        long run = store.CreateRun(new NewRun("measure", T0, Command: "python train.py"));
        var samples = new List<SampleRecord>();
        if (!modelOnly)
        {
            long counter = store.RegisterDevice(run, new DeviceRegistration("gpu:0", "gpu", "Fake H200", Provenance.Counter));
            long sampled = store.RegisterDevice(run, new DeviceRegistration("gpu:1", "gpu", "Fake A100", Provenance.Sampled, Note: "NVML total energy counter not supported; sampling power"));
            samples.AddRange(Enumerable.Range(0, 101).Select(s => new SampleRecord(counter, T0.AddSeconds(s), Power.FromWatts(300), Energy.FromJoules(300 * s), 90, null, null, Provenance.Counter)));
            samples.AddRange(Enumerable.Range(0, 101).Select(s => new SampleRecord(sampled, T0.AddSeconds(s), Power.FromWatts(100), null, 50, null, null, Provenance.Sampled)));
        }

        long ram = store.RegisterDevice(run, new DeviceRegistration("ram", "ram", "process tree RAM", Provenance.Model, Note: "modelled: 0.375 W per GB of resident memory (RSS) of the process tree"));
        samples.AddRange(Enumerable.Range(0, 101).Select(s => new SampleRecord(ram, T0.AddSeconds(s), Power.FromWatts(2), null, null, null, null, Provenance.Model)));
        store.AppendSamples(run, samples);
        store.AddAnnotation(run, new AnnotationRecord("metric", "f1=0.5"));
        store.AddAnnotation(run, new AnnotationRecord("metric", "f1=0.93"));
        store.FinishRun(run, RunStatus.Completed, T0.AddSeconds(100), 0);
        return run;
    }

    /// <summary>The written page with HTML entities decoded (&#215; reads as ×).</summary>
    private static string Html(HtmlReport report, TempDirectory dir) => System.Net.WebUtility.HtmlDecode(File.ReadAllText(report.Write(dir.File("out"))));

    [Fact]
    public void Each_device_row_names_its_provenance_and_what_it_covers()
    {
        using var dir = new TempDirectory();
        using var store = SqliteRunStore.Open(dir.File("runs.db"));
        long run = CreateRun(store, modelOnly: false);
        string html = Html(RunReports.SingleRun(store, run), dir);

        // One row per device: key, name, energy, share of 40 200 J, provenance, how, what it covers.
        // gpu:0 30 000 J (74.6 %), gpu:1 10 000 J (24.9 %), ram 200 J (0.5 %): hand-computed shares.
        Assert.Matches(new Regex("<tr><td class=\"l\">gpu:0</td><td class=\"l\">Fake H200</td><td>30\\.00 kJ</td><td>74\\.6 %</td><td class=\"l\">counter</td><td class=\"l\">energy counter \\(last − first\\)</td><td class=\"l\">the whole GPU: every process on it</td>"), html);
        Assert.Matches(new Regex("<tr><td class=\"l\">gpu:1</td><td class=\"l\">Fake A100</td><td>10\\.00 kJ</td><td>24\\.9 %</td><td class=\"l\">sampled</td><td class=\"l\">power samples × time \\(trapezoid\\)</td><td class=\"l\">NVML total energy counter not supported; sampling power</td>"), html);
        Assert.Matches(new Regex("<tr><td class=\"l\">ram</td><td class=\"l\">process tree RAM</td><td>200\\.0 J</td><td>0\\.5 %</td><td class=\"l\">model</td>.*?<td class=\"l\">modelled: 0\\.375 W per GB"), html);
        Assert.Contains("sum of the devices (counter, sampled, model)", html, StringComparison.Ordinal);
        Assert.Contains("ram modelled, not measured; the other devices were measured.", html, StringComparison.Ordinal);
        Assert.DoesNotContain(SingleRunReport.ModelledBanner, html, StringComparison.Ordinal);

        // The job's metric: the last value of f1 wins.
        Assert.Contains("<tr><td class=\"l\">f1</td><td>0.93</td></tr>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_whose_every_energy_is_modelled_gets_the_banner()
    {
        using var dir = new TempDirectory();
        using var store = SqliteRunStore.Open(dir.File("runs.db"));
        long run = CreateRun(store, modelOnly: true);
        string html = Html(RunReports.SingleRun(store, run), dir);
        Assert.Contains("<div class=\"banner\">No hardware counter: modelled, not measured.", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Carbon_states_the_pue_and_grid_it_assumed_and_their_sources()
    {
        using var dir = new TempDirectory();
        using var store = SqliteRunStore.Open(dir.File("runs.db"));
        long run = CreateRun(store, modelOnly: false);

        // Given PUE 1.5 and a country: facility energy = 40 200 J x 1.5 = 60 300 J = 60.30 kJ.
        string html = Html(RunReports.SingleRun(store, run, new ReportRequest { RunId = run, Country = "DE", Pue = 1.5 }), dir);
        Assert.Contains("= facility energy</th><td>60.30 kJ</td>", html, StringComparison.Ordinal);
        Assert.Contains("(user-given)", html, StringComparison.Ordinal);
        Assert.Contains("× grid carbon intensity</th>", html, StringComparison.Ordinal);
        Assert.Matches(new Regex("grid carbon intensity</th><td>[^<]+</td><td class=\"l\">[^<]*(DE|Germany)"), html);

        // Without choices: the defaults, each marked as such.
        string defaults = Html(RunReports.SingleRun(store, run), new TempDirectory());
        Assert.Equal(2, Regex.Matches(defaults, "\\[default;").Count);
    }

    [Fact]
    public void Epoch_only_projections_are_compared_with_the_sum_of_the_epochs_not_the_whole_process()
    {
        using var dir = new TempDirectory();
        using var store = SqliteRunStore.Open(dir.File("runs.db"));
        long run = CreateRun(store, modelOnly: false);

        // Epochs 10 s .. 90 s: 8 epochs of 10 s; whole process 40 200 J over 100 s = 402 W, so epochs sum 8 x 4 020 J = 32 160 J.
        for (int k = 1; k <= 8; k++)
        {
            store.AddEpoch(run, new EpochRecord(k, T0.AddSeconds(10 * k), T0.AddSeconds((10 * k) + 10), Energy.FromJoules(4020), Provenance.Counter));
        }

        var epochsOnly = new ProjectionEntry(8, Energy.FromJoules(33_000), Energy.FromJoules(31_000), Energy.FromJoules(35_000), 0.9, "step", 3, 8, 8, T0);
        var details = store.GetRun(run)!;
        var measured = SingleRunReport.MeasuredLikeProjected(details, [epochsOnly])!.Value;
        Assert.Equal(32_160, measured.Energy.Joules, 6);
        Assert.Equal("measured sum of the epochs", measured.Name);

        // A whole-job projection (it carries its start-up energy) is compared with the whole process, 40 200 J.
        var wholeJob = epochsOnly with { StartupEnergy = Energy.FromJoules(4020) };
        Assert.Equal(40_200, SingleRunReport.MeasuredLikeProjected(details, [wholeJob])!.Value.Energy.Joules, 6);

        // In the page: error of the last projection against 32 160 J = (33 000 - 32 160) / 32 160 = +2.6 %.
        store.AddProjection(run, epochsOnly);
        string html = Html(RunReports.SingleRun(store, run), dir);
        Assert.Contains("The projections are of the sum of the epochs (start-up and tail not included)", html, StringComparison.Ordinal);
        Assert.Contains("<td>32.16 kJ</td><td>+2.6 %</td><td class=\"l\">yes</td>", html, StringComparison.Ordinal);
    }
}

public sealed class ReportRequestTests
{
    [Fact]
    public void Default_output_folder_is_named_after_what_is_reported()
    {
        Assert.Equal("trainwatt-report-run-12", new ReportRequest { RunId = 12 }.DefaultOutDirectory);
        Assert.Equal("trainwatt-report-lr_sweep_v2", new ReportRequest { Experiment = "lr sweep/v2" }.DefaultOutDirectory);
        Assert.Equal("trainwatt-report-seaa2023", new ReportRequest { Seaa2023 = new Measurement.Comparisons.RunSelection { Seaa2023Directory = "/x" } }.DefaultOutDirectory);
    }
}
