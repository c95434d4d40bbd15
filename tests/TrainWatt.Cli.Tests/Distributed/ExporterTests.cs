using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TrainWatt.Telemetry;
using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests.Distributed;

/// <summary>Prometheus /metrics, the Pushgateway push and MLflow logging of a real measure process.</summary>
[Collection(ProcessHeavyCollection.Name)]
public class ExporterTests
{
    private const string OneGpu = """
        [device]
        name = NVIDIA Fake A100
        uuid = GPU-cccccccc-0000-0000-0000-000000000000
        energy_counter = yes
        power_w = 0:120, 1:240, 3:180
        """;

    [Fact]
    public async Task Should_Serve_Valid_Prometheus_Text_With_A_Monotonic_Energy_Counter_That_Ends_At_The_Summary()
    {
        // Given: a measure run with a metrics port (0: a free one, printed on stderr) and a Pushgateway stand-in
        using var fake = FakeNvml.Create(OneGpu);
        using var dir = new TempDirectory();
        using var pushgateway = new RecordingHttpServer();
        string summaryPath = dir.File("summary.json");
        using var measure = TrainWattProcess.Start(new Dictionary<string, string?> { ["TRAINWATT_NVML_LIBRARY"] = fake.LibraryPath },
            "measure", "--db", dir.File("runs.db"), "--meters", "nvml", "--progress", "quiet", "--metrics-port", "0", "--pushgateway", pushgateway.Url,
            "--summary-json", summaryPath, "--", "sleep", "4");
        string line = await measure.WaitForStderrLineAsync(l => l.Contains("metrics at ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        string url = line[(line.IndexOf("metrics at ", StringComparison.Ordinal) + "metrics at ".Length)..].Trim();
        Assert.StartsWith("http://127.0.0.1:", url, StringComparison.Ordinal);

        // When: scraped every 250 ms while the run lasts. The process stops its metrics server only after it has written
        // the summary file, and exits after that: once scraping has begun, a refused connection means the run is over
        // (checked below through the summary file), not a failure, however long the process then takes to exit.
        using var http = new HttpClient();
        var scrapes = new List<double>();
        var clock = Stopwatch.StartNew();
        var lastScrapeSentAt = TimeSpan.Zero;
        TimeSpan endSeenAt;
        while (true)
        {
            if (measure.HasExited)
            {
                endSeenAt = clock.Elapsed;
                break;
            }

            var sentAt = clock.Elapsed;
            try
            {
                using var response = await http.GetAsync(url, TestContext.Current.CancellationToken);
                Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
                var (types, samples) = PrometheusText.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
                Assert.Equal("counter", types["trainwatt_energy_joules_total"]);
                Assert.Equal("gauge", types["trainwatt_power_watts"]);
                Assert.Equal("gauge", types["trainwatt_epoch"]);
                Assert.Equal("gauge", types["trainwatt_projected_energy_joules"]);
                var energy = samples.SingleOrDefault(s => s.Name == "trainwatt_energy_joules_total");
                if (energy is null)
                {
                    // Scraped before the run began (the server starts first): no device yet, only the families' HELP/TYPE and the epoch.
                    Assert.Empty(scrapes);
                    await Task.Delay(100, TestContext.Current.CancellationToken);
                    continue;
                }

                Assert.Equal("gpu:0", energy.Labels["device"]);
                Assert.Equal("gpu", energy.Labels["component"]);
                scrapes.Add(energy.Value);
                lastScrapeSentAt = sentAt;
            }
            catch (HttpRequestException) when (measure.HasExited || scrapes.Count > 0)
            {
                endSeenAt = clock.Elapsed;
                Assert.True(File.Exists(summaryPath), "the metrics server went away before the run wrote its summary");
                break;
            }

            await Task.Delay(250, TestContext.Current.CancellationToken);
        }

        var (code, _, stderr) = await measure.WaitAsync(TimeSpan.FromSeconds(60));

        // Then: the counter never decreases, every scrape is at most the final summary, and the push carries the summary's energy
        Assert.True(code == 0, stderr);
        Assert.True(scrapes.Count >= 5, $"only {scrapes.Count} scrapes");
        Assert.All(scrapes.Zip(scrapes.Skip(1)), pair => Assert.True(pair.Second >= pair.First, $"counter went from {pair.First} to {pair.Second}"));
        using var summary = JsonDocument.Parse(File.ReadAllText(summaryPath));
        double total = summary.RootElement.GetProperty("energy_j").GetDouble();
        Assert.True(scrapes[^1] <= total + 1e-9, $"last scrape {scrapes[^1]} J > summary {total} J");

        // And every scrape is the sampler's energy as flushed: the counter value of one stored sample (or the final
        // total). The last scrape is that of a sample close to the end of the run. Oracle (the sampler's flush rule, 0.5 s
        // for measure's 100 ms interval): the sample shown at the last scrape was flushed, and the next flush (at most
        // 0.5 s plus one gap between stored samples after it) came after that scrape; the run's last sample came before
        // the test saw the run end. So (last sample - shown sample) <= (end seen - last scrape sent) + 0.5 s + the largest
        // gap between stored samples, plus 0.25 s for the time between a reading and its flush. Every term is measured on
        // this run, so a loaded machine widens the bound only as much as it delayed the run; a counter that stops
        // following the samples (the "scraped to the end" bug) fails it.
        using var store = TrainWatt.Storage.Sqlite.SqliteRunStore.Open(dir.File("runs.db"));
        var stored = store.ReadSamples(summary.RootElement.GetProperty("run_id").GetInt64());
        Assert.All(stored, s => Assert.NotNull(s.CumulativeEnergy));
        int IndexOf(double joules) => Math.Abs(joules - total) <= 1e-9 * Math.Max(1, total)
            ? stored.Count - 1
            : stored.ToList().FindIndex(s => Math.Abs(s.CumulativeEnergy!.Value.Joules - joules) <= 1e-9 * Math.Max(1, joules));
        Assert.All(scrapes, v => Assert.True(IndexOf(v) >= 0, $"scraped {v} J is no stored sample's counter value"));
        var shown = stored[IndexOf(scrapes[^1])].Timestamp;
        double behind = (stored[^1].Timestamp - shown).TotalSeconds;
        double largestGap = stored.Zip(stored.Skip(1), (a, b) => (b.Timestamp - a.Timestamp).TotalSeconds).Max();
        double allowed = (endSeenAt - lastScrapeSentAt).TotalSeconds + 0.5 + largestGap + 0.25;
        Assert.True(behind <= allowed, $"the last scrape showed a sample {behind:F3} s before the run's last one; allowed {allowed:F3} s (largest sample gap {largestGap:F3} s)");
        var push = pushgateway.Requests[^1]; // the final push (a run longer than 15 s also pushes on the way)
        Assert.All(pushgateway.Requests, r => Assert.Equal(("PUT", push.Path), (r.Method, r.Path)));
        string runId = summary.RootElement.GetProperty("run_id").GetInt64().ToString(CultureInfo.InvariantCulture);
        Assert.Equal($"/metrics/job/trainwatt/run_id/{runId}", push.Path);
        var pushed = PrometheusText.Parse(push.Body).Samples.Single(s => s.Name == "trainwatt_energy_joules_total");
        Assert.Equal(total, pushed.Value, 9);
        Assert.Equal(runId, pushed.Labels["run_id"]);
    }

    [Fact]
    public async Task Should_Log_Each_Epoch_And_The_Summary_To_Mlflow_Retrying_A_Failed_Request()
    {
        // Given: an MLflow stand-in whose first answer is 503 (the client must retry it)
        using var fake = FakeNvml.Create(OneGpu);
        using var dir = new TempDirectory();
        using var mlflow = new RecordingHttpServer(503);
        string summaryPath = dir.File("summary.json");

        // When: a command with two marked epochs, MLflow given through the environment as MLflow's own clients do
        using var measure = TrainWattProcess.Start(
            new Dictionary<string, string?> { ["TRAINWATT_NVML_LIBRARY"] = fake.LibraryPath, ["MLFLOW_TRACKING_URI"] = mlflow.Url, ["MLFLOW_RUN_ID"] = "abc123" },
            "measure", "--db", dir.File("runs.db"), "--meters", "nvml", "--progress", "quiet", "--framework", "marker", "--summary-json", summaryPath, "--",
            "bash", "-c", "sleep 0.6; echo '##trainwatt epoch-end'; sleep 0.6; echo '##trainwatt epoch-end'; sleep 0.2");
        var (code, _, stderr) = await measure.WaitAsync(TimeSpan.FromSeconds(90));

        // Then: every request is a log-batch POST for run abc123; the first (the run's tags) was sent twice
        Assert.True(code == 0, stderr);
        var requests = mlflow.Requests;
        Assert.All(requests, r =>
        {
            Assert.Equal("POST", r.Method);
            Assert.Equal("/api/2.0/mlflow/runs/log-batch", r.Path);
            Assert.StartsWith("application/json", r.ContentType, StringComparison.Ordinal);
            Assert.Equal("abc123", JsonDocument.Parse(r.Body).RootElement.GetProperty("run_id").GetString());
        });
        Assert.Equal(5, requests.Count); // tags (503), tags again, epoch 1, epoch 2, summary
        Assert.Equal(503, requests[0].Status);
        Assert.Equal(requests[0].Body, requests[1].Body);

        // Epoch metrics: step = epoch, values from the summary's epochs (oracle: the process's own --summary-json)
        using var summary = JsonDocument.Parse(File.ReadAllText(summaryPath));
        var epochs = summary.RootElement.GetProperty("epochs").EnumerateArray().ToList();
        Assert.Equal(2, epochs.Count);
        double cumulative = 0;
        for (int e = 0; e < 2; e++)
        {
            var metrics = JsonDocument.Parse(requests[2 + e].Body).RootElement.GetProperty("metrics").EnumerateArray().ToList();
            Assert.Equal(["trainwatt_epoch_energy_j", "trainwatt_epoch_mean_power_w", "trainwatt_energy_j"], metrics.Select(m => m.GetProperty("key").GetString()));
            Assert.All(metrics, m => Assert.Equal(e + 1, m.GetProperty("step").GetInt64()));
            double energy = epochs[e].GetProperty("energy_j").GetDouble();
            double seconds = epochs[e].GetProperty("end_s").GetDouble() - epochs[e].GetProperty("start_s").GetDouble();
            cumulative += energy;
            Assert.Equal(energy, metrics[0].GetProperty("value").GetDouble(), 9);
            Assert.Equal(energy / seconds, metrics[1].GetProperty("value").GetDouble(), 6);
            Assert.Equal(cumulative, metrics[2].GetProperty("value").GetDouble(), 9);
        }

        // Summary: metrics (never params: immutable, a reused run gets HTTP 400) carry the total energy exactly as the summary
        var last = JsonDocument.Parse(requests[4].Body).RootElement;
        Assert.False(last.TryGetProperty("params", out _));
        var totals = last.GetProperty("metrics").EnumerateArray().ToDictionary(p => p.GetProperty("key").GetString()!, p => p.GetProperty("value").GetDouble());
        Assert.Equal(summary.RootElement.GetProperty("energy_j").GetDouble(), totals["trainwatt_total_energy_j"]);
        Assert.Equal(2, totals["trainwatt_total_epochs"]);
        Assert.Contains(last.GetProperty("tags").EnumerateArray(), t => t.GetProperty("key").GetString() == "trainwatt.exit_code" && t.GetProperty("value").GetString() == "0");
    }

    [Fact]
    public async Task Should_Keep_Measuring_And_Store_The_Run_When_The_Tracker_Is_Down()
    {
        using var dir = new TempDirectory();
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        int port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop(); // nobody listens there now

        using var measure = TrainWattProcess.Start(new Dictionary<string, string?>(),
            "measure", "--db", dir.File("runs.db"), "--meters", "process", "--progress", "quiet", "--framework", "marker",
            "--mlflow-uri", $"http://127.0.0.1:{port}", "--mlflow-run-id", "r1", "--", "bash", "-c", "echo '##trainwatt epoch-end'; sleep 0.3; exit 3");
        var (code, _, stderr) = await measure.WaitAsync(TimeSpan.FromSeconds(90));

        // The command's exit code passes through; one warning names the tracker; the run is stored.
        Assert.True(code == 3, stderr);
        Assert.Contains($"warning: MLflow logging to http://127.0.0.1:{port} failed", stderr, StringComparison.Ordinal);
        var (listCode, listOut, _) = CliHarness.Run("runs", "list", "--db", dir.File("runs.db"), "--json");
        Assert.Equal(0, listCode);
        Assert.Equal(1, JsonDocument.Parse(listOut).RootElement.GetArrayLength());
    }

    [Fact]
    public void Should_Escape_Label_Values_And_Reject_Invalid_Exposition_Text()
    {
        // Oracle: the exposition format's escapes (backslash, quote, line feed).
        Assert.Equal("a\\\\b\\\"c\\nd", LiveMetrics.Escape("a\\b\"c\nd"));
        Assert.Throws<FormatException>(() => PrometheusText.Parse("x_total 1\n")); // sample without TYPE
        Assert.Throws<FormatException>(() => PrometheusText.Parse("# TYPE x counter\nx 1\n")); // counter without _total
        Assert.Throws<FormatException>(() => PrometheusText.Parse("# TYPE x gauge\nx{a=\"1\"} 1\nx{a=\"1\"} 2\n")); // duplicate series
        Assert.Throws<FormatException>(() => PrometheusText.Parse("# TYPE x gauge\nx 1")); // no final line feed
        var (_, samples) = PrometheusText.Parse("# HELP x_total h\n# TYPE x_total counter\nx_total{a=\"q\\\"z\"} 1.5e3\n");
        Assert.Equal("q\"z", samples[0].Labels["a"]);
        Assert.Equal(1500, samples[0].Value);
    }
}

public class LiveMetricsTests
{
    [Fact]
    public void Should_Expose_A_Projection_With_Its_Three_Bounds_Once_The_Projector_Gives_One()
    {
        // Given: a run with one channel, a sample and an epoch with a projection (values chosen by hand)
        var metrics = new LiveMetrics();
        var channel = new TrainWatt.Meters.MeterChannel("gpu:0", "gpu", "A100", TrainWatt.Core.Provenance.Counter, "GPU-1", null);
        metrics.Begin("7", new TrainWatt.Meters.Sampling.MeasurementRunInfo(DateTimeOffset.UnixEpoch, ["x"], new Dictionary<string, string>(), [channel], TimeSpan.FromSeconds(1), null, TimeSpan.Zero, null));
        metrics.Samples([new TrainWatt.Meters.Sampling.ChannelSample(0, TimeSpan.FromSeconds(1), DateTimeOffset.UnixEpoch, TrainWatt.Core.Units.Power.FromWatts(250), null, TrainWatt.Core.Units.Energy.FromJoules(1234.5), null, null, null)]);
        metrics.Epoch(new TrainWatt.Meters.Sampling.MeasuredEpoch(2, TimeSpan.Zero, TimeSpan.FromSeconds(1), [], null, 10, false),
            new TrainWatt.Core.Projection.ProjectionEntry(2, TrainWatt.Core.Units.Energy.FromJoules(5000), TrainWatt.Core.Units.Energy.FromJoules(4500), TrainWatt.Core.Units.Energy.FromJoules(5600), 0.9, "step", 1, 10, 10, DateTimeOffset.UnixEpoch));

        // When
        var (_, samples) = PrometheusText.Parse(metrics.Render());

        // Then: each value is exposed as given, with the run's labels
        Assert.Equal(1234.5, samples.Single(s => s.Name == "trainwatt_energy_joules_total").Value);
        Assert.Equal(250, samples.Single(s => s.Name == "trainwatt_power_watts").Value);
        Assert.Equal(2, samples.Single(s => s.Name == "trainwatt_epoch").Value);
        var projection = samples.Where(s => s.Name == "trainwatt_projected_energy_joules").ToDictionary(s => s.Labels["bound"], s => s.Value);
        Assert.Equal(new Dictionary<string, double> { ["estimate"] = 5000, ["lower"] = 4500, ["upper"] = 5600 }, projection);
        Assert.All(samples, s => Assert.Equal("7", s.Labels["run_id"]));
    }
}

public class LivePhaseMetricsTests
{
    [Fact]
    public void Should_Expose_The_Epochs_Next_To_The_Whole_Process_Live_And_All_Phases_Once_Finished()
    {
        // Given: one counter channel; an epoch from 2 s to 4 s of 400 J that started when the run had used 300 J; the
        // run ends at 10 s with 1,800 J (hand: startup 300 J / 2 s, epochs 400 J / 2 s, between 0, tail 1,100 J / 6 s).
        var metrics = new LiveMetrics();
        var channel = new TrainWatt.Meters.MeterChannel("gpu:0", "gpu", "A100", TrainWatt.Core.Provenance.Counter, "GPU-1", null);
        metrics.Begin("7", new TrainWatt.Meters.Sampling.MeasurementRunInfo(DateTimeOffset.UnixEpoch, ["x"], new Dictionary<string, string>(), [channel], TimeSpan.FromSeconds(1), null, TimeSpan.Zero, null));
        metrics.Samples([new TrainWatt.Meters.Sampling.ChannelSample(0, TimeSpan.FromSeconds(4), DateTimeOffset.UnixEpoch, null, TrainWatt.Core.Units.Energy.FromJoules(700), TrainWatt.Core.Units.Energy.FromJoules(700), null, null, null)]);
        var epoch = new TrainWatt.Meters.Sampling.MeasuredEpoch(1, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), [TrainWatt.Core.Units.Energy.FromJoules(400)], null, 1, false)
        {
            RunEnergyAtStart = [TrainWatt.Core.Units.Energy.FromJoules(300)],
        };
        metrics.Epoch(epoch, null);

        // When: scraped during the run, then after the summary
        var (types, live) = PrometheusText.Parse(metrics.Render());
        metrics.Finish(new TrainWatt.Meters.Sampling.MeasurementSummary(0, TimeSpan.FromSeconds(10),
            [new TrainWatt.Meters.Sampling.ChannelTotal(channel, TrainWatt.Core.Units.Energy.FromJoules(1800), true, null)], [epoch], new Dictionary<string, double>(), 1, []));
        var (_, done) = PrometheusText.Parse(metrics.Render());

        // Then: gauges labelled by the phase names; live only what is known (the finished epochs, the run so far)
        Assert.Equal("gauge", types["trainwatt_phase_energy_joules"]);
        Assert.Equal("gauge", types["trainwatt_phase_duration_seconds"]);
        Assert.Equal(new Dictionary<string, double> { ["epochs"] = 400, ["whole_process"] = 700 },
            live.Where(s => s.Name == "trainwatt_phase_energy_joules").ToDictionary(s => s.Labels["phase"], s => s.Value));
        Assert.DoesNotContain(live, s => s.Name == "trainwatt_phase_duration_seconds");
        Assert.Equal(new Dictionary<string, double> { ["startup"] = 300, ["epochs"] = 400, ["between_epochs"] = 0, ["tail"] = 1100, ["whole_process"] = 1800 },
            done.Where(s => s.Name == "trainwatt_phase_energy_joules").ToDictionary(s => s.Labels["phase"], s => s.Value));
        Assert.Equal(new Dictionary<string, double> { ["startup"] = 2, ["epochs"] = 2, ["between_epochs"] = 0, ["tail"] = 6, ["whole_process"] = 10 },
            done.Where(s => s.Name == "trainwatt_phase_duration_seconds").ToDictionary(s => s.Labels["phase"], s => s.Value));
        Assert.All(done, s => Assert.Equal("7", s.Labels["run_id"]));
    }
}

public class LiveProjectionTests
{
    [Fact]
    public void Should_Project_Twenty_Epochs_Of_Constant_Energy_To_Twenty_Times_The_Epoch_Energy_Once_Stable()
    {
        // Given: epochs of 100 J each (small alternating noise) over 10 s, N = 20 from --total-epochs; STEP answers
        // once it has seen 2 × 5 epochs (docs/step.md), so 12 epochs are fed
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var projection = new LiveProjection(new TrainWatt.Core.Projection.LiveProjectorOptions(TotalEpochs: 20), time);
        TrainWatt.Core.Projection.ProjectionEntry? project(TrainWatt.Meters.Sampling.MeasuredEpoch e) => projection.Observe(e).Projection;
        TrainWatt.Core.Projection.ProjectionEntry? last = null;
        for (int n = 1; n <= 12; n++)
        {
            time.Advance(TimeSpan.FromSeconds(10));
            var energy = TrainWatt.Core.Units.Energy.FromJoules(n % 2 == 0 ? 101 : 99);
            last = project(new TrainWatt.Meters.Sampling.MeasuredEpoch(n, TimeSpan.FromSeconds(10 * (n - 1)), TimeSpan.FromSeconds(10 * n), [energy], null, 10, false)) ?? last;
        }

        // Then: hand derivation: 20 epochs × 100 J = 2000 J, inside the interval
        Assert.NotNull(last);
        Assert.Equal(2000, last.Projected.Joules, 2000 * 0.02);
        Assert.InRange(2000, last.Lower.Joules, last.Upper.Joules);

        // An out-of-sequence epoch number gives no projection rather than an error
        Assert.Null(project(new TrainWatt.Meters.Sampling.MeasuredEpoch(42, TimeSpan.Zero, TimeSpan.FromSeconds(1), [], null, 10, false)));
    }
}

public class PipelineSinkTests
{
    private sealed class FailingStoreSink : TrainWatt.Meters.Sampling.IMeasurementSink
    {
        public int Appends { get; private set; }

        public bool Finished { get; private set; }

        public string BeginRun(TrainWatt.Meters.Sampling.MeasurementRunInfo run) => "5";

        public void AppendSamples(ReadOnlySpan<TrainWatt.Meters.Sampling.ChannelSample> samples)
        {
            Appends++;
            if (Appends >= 2)
            {
                throw new TrainWatt.Storage.StoreException("postgres://u:***@h/d", "The PostgreSQL store postgres://u:***@h/d failed: connection reset.");
            }
        }

        public void RecordEpoch(TrainWatt.Meters.Sampling.MeasuredEpoch epoch) => throw new InvalidOperationException("not called after a failure");

        public void RecordMetric(string name, double value, TimeSpan elapsed) => throw new InvalidOperationException("not called after a failure");

        public void FinishRun(TrainWatt.Meters.Sampling.MeasurementSummary summary) => Finished = true;
    }

    [Fact]
    public void Should_Keep_Feeding_The_Metrics_When_The_Store_Fails_Mid_Run_And_Warn_Once()
    {
        // Given: a store that fails from its second batch on
        var inner = new FailingStoreSink();
        var metrics = new LiveMetrics();
        var warnings = new List<string>();
        var observer = new TelemetryObserver(metrics, null, TimeProvider.System, "postgres://u:***@h/d", warnings.Add);
        var sink = new TrainWatt.Measurement.Pipeline.PipelineSink(
            inner, _ => { }, new LiveProjection(new TrainWatt.Core.Projection.LiveProjectorOptions(), TimeProvider.System),
            new TrainWatt.Measurement.Pipeline.ObserverSet([observer], warnings.Add), warnings.Add);
        var channel = new TrainWatt.Meters.MeterChannel("gpu:0", "gpu", "A100", TrainWatt.Core.Provenance.Counter);
        sink.BeginRun(new TrainWatt.Meters.Sampling.MeasurementRunInfo(DateTimeOffset.UnixEpoch, ["x"], new Dictionary<string, string>(), [channel], TimeSpan.FromSeconds(1), null, TimeSpan.Zero, null));
        TrainWatt.Meters.Sampling.ChannelSample Sample(double joules) => new(0, TimeSpan.Zero, DateTimeOffset.UnixEpoch, null, null, TrainWatt.Core.Units.Energy.FromJoules(joules), null, null, null);

        // When: three batches, an epoch and a metric
        sink.AppendSamples([Sample(10)]);
        sink.AppendSamples([Sample(20)]);
        sink.AppendSamples([Sample(30)]);
        sink.RecordEpoch(new TrainWatt.Meters.Sampling.MeasuredEpoch(1, TimeSpan.Zero, TimeSpan.FromSeconds(1), [], null, null, false));
        sink.RecordMetric("f1", 0.9, TimeSpan.Zero);

        // Then: the store got 2 calls (the failing one included) and no more; the metrics saw all three batches
        Assert.Equal(2, inner.Appends);
        Assert.Equal(30, metrics.TotalJoules());
        Assert.Equal(1, PrometheusText.Parse(metrics.Render()).Samples.Single(s => s.Name == "trainwatt_epoch").Value);
        var warning = Assert.Single(warnings);
        Assert.Contains("samples are no longer saved", warning, StringComparison.Ordinal);
        Assert.Contains("postgres://u:***@h/d", warning, StringComparison.Ordinal);
    }
}
