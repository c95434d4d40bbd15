using TrainWatt.Testing;

namespace TrainWatt.Cli.Tests;

public sealed class ReportCommandTests
{
    private static (int Width, int Height) PngSize(byte[] png)
    {
        // PNG: 8-byte signature, then the IHDR chunk: length(4) "IHDR"(4) width(4, big-endian) height(4).
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        return ((png[16] << 24) | (png[17] << 16) | (png[18] << 8) | png[19], (png[20] << 24) | (png[21] << 16) | (png[22] << 8) | png[23]);
    }

    [Fact]
    public void Seaa_report_writes_a_self_contained_page_with_the_pareto_heat_map_box_and_trace_plots()
    {
        string seaa = SharedData.RequireSeaa2023();
        using var dir = new TempDirectory();
        var (code, stdout, stderr) = CliHarness.Run("report", "--seaa2023", seaa, "--out", dir.Path);
        Assert.True(code == 0, stderr);
        string html = File.ReadAllText(Path.Combine(dir.Path, "index.html"));
        Assert.Equal(4, html.Split("data:image/png;base64,").Length - 1);
        Assert.DoesNotContain("src=\"http", html, StringComparison.Ordinal);
        Assert.Contains("Recommended: mobilenet_v2 / Local ML Engineer/Gamer", html, StringComparison.Ordinal);
        Assert.Contains("81.66 %", html, StringComparison.Ordinal); // saving vs VGG16 on the RTX 3070 (golden 0.81657...)
        Assert.Equal((1000, 678), PngSize(File.ReadAllBytes(Path.Combine(dir.Path, "box-plots.png")))); // 150 px + 12 rows x 44 px
        Assert.Equal((1000, 640), PngSize(File.ReadAllBytes(Path.Combine(dir.Path, "pareto.png"))));
        Assert.Equal((920, 560), PngSize(File.ReadAllBytes(Path.Combine(dir.Path, "heat-map.png")))); // 260 + 3 columns x 220, 160 + 5 rows x 80
        Assert.Equal((900, 500), PngSize(File.ReadAllBytes(Path.Combine(dir.Path, "power-timeline.png"))));
        Assert.Equal(Path.Combine(dir.Path, "index.html") + "\n", stdout);
        Assert.Contains($"report written to {Path.Combine(dir.Path, "index.html")} (beside it: pareto.png, heat-map.png, box-plots.png, power-timeline.png, pairwise.csv)", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Predicted_points_add_an_estimate_vs_actual_plot_and_error_table()
    {
        string seaa = SharedData.RequireSeaa2023();
        using var dir = new TempDirectory();
        // Predictions: the journal's medians for the RTX 3090 (paper notes 6.1: VGG16 0.39 J/image, F1 0.99; ResNet50 0.28, 0.96).
        File.WriteAllText(dir.File("pre.json"), """
            {"configurations":[
              {"key":{"architecture":"vgg16","environment":"Cloud"},"cost":0.39,"score":0.99},
              {"key":{"architecture":"resnet50","environment":"Cloud"},"cost":0.28,"score":0.96}]}
            """);
        var (code, _, stderr) = CliHarness.Run("report", "--seaa2023", seaa, "--predicted", dir.File("pre.json"), "--out", dir.File("out"));
        Assert.True(code == 0, stderr);
        string html = File.ReadAllText(Path.Combine(dir.File("out"), "index.html"));
        Assert.Contains("<h2>Estimate vs actual</h2>", html, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(dir.File("out"), "estimate-vs-actual.png")));

        // Hand derivation against the golden medians (seaa2023.json): (0.39 - 0.340470)/0.340470 = +14.5 %;
        // (0.28 - 0.238388)/0.238388 = +17.5 %.
        Assert.Contains("<td>0.39</td><td>0.3405</td><td>+14.5 %</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>0.28</td><td>0.2384</td><td>+17.5 %</td>", html, StringComparison.Ordinal);
        Assert.Contains("vgg16 / Cloud (predicted)", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Single_run_report_shows_the_power_timeline_and_energy_per_epoch()
    {
        using var dir = new TempDirectory();
        string db = dir.File("runs.db");
        var (measured, _, measureErr) = CliHarness.Run("measure", "--db", db, "--meters", "process", "--interval", "50ms", "--",
            "bash", "-c", "for i in 1 2 3; do sleep 0.3; echo \"##trainwatt epoch-end n=$i total=3\"; done");
        Assert.True(measured == 0, measureErr);
        string outDir = dir.File("report");
        var (code, _, stderr) = CliHarness.Run("report", "1", "--db", db, "--out", outDir);
        Assert.True(code == 0, stderr);
        string html = File.ReadAllText(Path.Combine(outDir, "index.html"));
        Assert.Contains("<h2>Power timeline</h2>", html, StringComparison.Ordinal);
        Assert.Contains("<h2>Energy per epoch</h2>", html, StringComparison.Ordinal);
        Assert.Equal(2, html.Split("data:image/png;base64,").Length - 1);
        Assert.Equal((900, 500), PngSize(File.ReadAllBytes(Path.Combine(outDir, "energy-per-epoch.png"))));
    }

    [Fact]
    public void Single_run_report_names_each_devices_provenance_and_shows_the_pre_estimate_of_the_summary()
    {
        // Given: a fake RTX 3090 at a constant 200 W (with the fake's default energy counter) and the process meter (modelled CPU
        // and RAM), three marker epochs, the run described for PRE (the tags of MeasurePreTests).
        using var fake = FakeNvml.Create("""
            [device]
            name = NVIDIA GeForce RTX 3090
            uuid = GPU-aaaaaaaa-1111-2222-3333-444444444444
            power_w = 0:200
            """);
        using var dir = new TempDirectory();
        string db = dir.File("runs.db");
        var env = new Dictionary<string, string?> { ["TRAINWATT_MODELS"] = dir.File("models"), ["HOME"] = dir.Path, ["TRAINWATT_NVML_LIBRARY"] = fake.LibraryPath };
        var (measured, _, measureErr) = CliHarness.Run(env, "measure", "--db", db, "--meters", "nvml,process", "--summary-json", dir.File("summary.json"),
            "--tag", "architecture=vgg16", "--tag", "batch_size=32", "--tag", "input=128x128", "--tag", "train_samples=23807", "--tag", "val_samples=10203", "--tag", "ram_gb=16",
            "--", "bash", "-c", "for i in 1 2 3; do sleep 0.3; echo \"##trainwatt epoch-end n=$i total=3\"; done");
        Assert.True(measured == 0, measureErr);

        // When
        var (code, _, stderr) = CliHarness.Run(env, "report", "1", "--db", db, "--out", dir.File("out"));
        Assert.True(code == 0, stderr);
        string html = File.ReadAllText(Path.Combine(dir.File("out"), "index.html"));

        // Then: each device's row carries the provenance `runs show --json` gives it (oracle: the store's own reading).
        var (showCode, show, showErr) = CliHarness.Run("runs", "show", "1", "--db", db, "--json");
        Assert.True(showCode == 0, showErr);
        var devices = System.Text.Json.JsonDocument.Parse(show).RootElement.GetProperty("devices").EnumerateArray().ToArray();
        Assert.Equal(3, devices.Length); // gpu:0, cpu:model, ram
        foreach (var d in devices)
        {
            string key = d.GetProperty("key").GetString()!;
            string provenance = d.GetProperty("provenance").GetString()!;
            Assert.Matches(new System.Text.RegularExpressions.Regex($"<tr><td class=\"l\">{System.Text.RegularExpressions.Regex.Escape(key)}</td>(<td[^>]*>[^<]*</td>){{3}}<td class=\"l\">{provenance}</td>"), html);
        }

        Assert.Contains("<td class=\"l\">counter</td>", html, StringComparison.Ordinal); // the GPU's energy counter
        Assert.Contains("<td class=\"l\">model</td>", html, StringComparison.Ordinal); // CPU and RAM

        // The PRE table: the summary's estimate (the same MeasurePre comparison), measured average power = the fake's 200 W.
        var estimate = System.Text.Json.JsonDocument.Parse(File.ReadAllText(dir.File("summary.json"))).RootElement.GetProperty("estimate");
        double est = estimate.GetProperty("avg_power_w").GetProperty("estimate").GetDouble();
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"<tr><td class=\"l\">avg_power_w</td><td>{est:0.###}</td><td>200</td>"), html, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_needs_exactly_one_source_and_names_a_missing_run()
    {
        using var dir = new TempDirectory();
        var (none, _, noneErr) = CliHarness.Run("report", "--out", dir.Path);
        Assert.Equal(64, none);
        Assert.Contains("exactly one of RUN_ID, --experiment NAME or --seaa2023 DIR", noneErr, StringComparison.Ordinal);
        var (missing, _, missingErr) = CliHarness.Run("report", "42", "--db", dir.File("empty.db"), "--out", dir.File("out"));
        Assert.Equal(65, missing);
        Assert.Contains("Run 42 is not in the store", missingErr, StringComparison.Ordinal);
    }
}
