using System.Globalization;
using System.Text.Json;
using TrainWatt.Core;
using TrainWatt.Core.Units;
using TrainWatt.Storage.Export;
using TrainWatt.Storage.Sqlite;
using TrainWatt.Testing;

namespace TrainWatt.Storage.Tests.Export;

/// <summary>CodeCarbon 3.x emissions.csv, BoAmps report and model card of one stored run.</summary>
public class EmissionsReportTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 4, 8, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// 20 s run: gpu:0 counter 0 → 7200 J, cpu 50 W sampled (1000 J), ram 6 W modelled (120 J); metadata with the machine
    /// and <paramref name="attribution"/>; tags project, experiment, task, model, dataset; a metric accuracy=0.91.
    /// </summary>
    private RunDetails Run(string? attribution = "process", bool withMachine = true)
    {
        using var store = SqliteRunStore.Open(_temp.File(Guid.NewGuid().ToString("N") + ".db"));
        string machine = withMachine ? "\"machine\":{\"os\":\"Linux 6.8.0 x64\",\"cpu_count\":16,\"cpu_model\":\"AMD EPYC 7763\",\"ram_total_gb\":125.5}," : "";
        string cpuAttribution = attribution is null ? "" : $"\"cpu_attribution\":\"{attribution}\",";
        string metadata = "{" + machine + cpuAttribution + "\"interval_ms\":1000,\"idle_s\":10,\"idle_power_w\":{\"gpu:0\":60,\"cpu:package-0\":20}}";
        var tags = new Dictionary<string, string> { ["project"] = "demo", ["experiment"] = "exp-7", ["task"] = "image classification", ["model"] = "mobilenet_v2", ["dataset"] = "cifar10" };
        long run = store.CreateRun(new NewRun("measure", T0, Command: "python train.py", Tags: tags, Metadata: metadata));
        long gpu = store.RegisterDevice(run, new DeviceRegistration("gpu:0", "gpu", "NVIDIA H100 80GB HBM3", Provenance.Counter, "GPU-1"));
        long cpu = store.RegisterDevice(run, new DeviceRegistration("cpu:package-0", "cpu", "CPU package 0", Provenance.Sampled));
        long ram = store.RegisterDevice(run, new DeviceRegistration("ram", "ram", "RAM", Provenance.Model));
        double[] counter = [0, 1500, 3000, 5000, 7200];
        var samples = new List<SampleRecord>();
        for (int k = 0; k < counter.Length; k++)
        {
            var t = T0.AddSeconds(5 * k);
            samples.Add(new SampleRecord(gpu, t, Power.FromWatts(360), Energy.FromJoules(counter[k]), null, null, null, Provenance.Counter));
            samples.Add(new SampleRecord(cpu, t, Power.FromWatts(50), null, null, null, null, Provenance.Sampled));
            samples.Add(new SampleRecord(ram, t, Power.FromWatts(6), null, null, null, null, Provenance.Model));
        }

        store.AppendSamples(run, samples);
        store.AddEpoch(run, new EpochRecord(1, T0, T0.AddSeconds(10), Energy.FromJoules(4000), Provenance.Counter, 1000));
        store.AddEpoch(run, new EpochRecord(2, T0.AddSeconds(10), T0.AddSeconds(20), Energy.FromJoules(4320), Provenance.Counter, 1000));
        store.AddAnnotation(run, new AnnotationRecord("metric", "accuracy=0.91"));
        store.FinishRun(run, RunStatus.Completed, T0.AddSeconds(20), exitCode: 0);
        return store.GetRun(run)!;
    }

    private static CarbonSettings France(double pue) => new(CarbonIntensity.FromGramsPerKilowattHour(56), "FR table", pue, "France", "FRA");

    private static Dictionary<string, string> Row(RunDetails run, CarbonSettings settings)
    {
        using var writer = new StringWriter();
        CodeCarbonExporter.Write(writer, [run], settings);
        string[] lines = writer.ToString().TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        return lines[0].Split(',').Zip(lines[1].Split(',')).ToDictionary(p => p.First, p => p.Second);
    }

    [Fact]
    public void Should_Write_CodeCarbon_3_Columns_In_Its_Order()
    {
        // Oracle: mlco2/codecarbon tag 3.3.0, codecarbon/output_methods/emissions_data.py, EmissionsData's fields in
        // declaration order (FileOutput writes them as the CSV header); the same in 3.2.7-3.2.9.
        const string upstream = "timestamp,project_name,run_id,experiment_id,duration,emissions,emissions_rate,cpu_power,gpu_power,ram_power,"
            + "cpu_energy,gpu_energy,ram_energy,energy_consumed,water_consumed,country_name,country_iso_code,region,cloud_provider,"
            + "cloud_region,os,python_version,codecarbon_version,cpu_count,cpu_model,gpu_count,gpu_model,longitude,latitude,"
            + "ram_total_size,tracking_mode,cpu_utilization_percent,gpu_utilization_percent,ram_utilization_percent,ram_used_gb,"
            + "on_cloud,pue,wue";
        Assert.StartsWith(upstream + ",trainwatt_run_id,", CodeCarbonExporter.Header, StringComparison.Ordinal);
        Assert.Equal(38, CodeCarbonExporter.CodeCarbonColumns.Count);
    }

    [Fact]
    public void Should_Multiply_Each_Component_By_The_Pue_So_They_Add_Up_To_Energy_Consumed()
    {
        var row = Row(Run(), France(1.5));
        double Value(string column) => double.Parse(row[column], CultureInfo.InvariantCulture);

        // Hand derivation: gpu 7200 J, cpu 50 W x 20 s = 1000 J, ram 6 W x 20 s = 120 J; each x 1.5 (CodeCarbon 3.x
        // multiplies every component's energy by the PUE); 1 kWh = 3.6e6 J. Powers stay IT powers (no PUE).
        Assert.Equal(7200 * 1.5 / 3.6e6, Value("gpu_energy"), 15);
        Assert.Equal(1000 * 1.5 / 3.6e6, Value("cpu_energy"), 15);
        Assert.Equal(120 * 1.5 / 3.6e6, Value("ram_energy"), 15);
        Assert.Equal(Value("cpu_energy") + Value("gpu_energy") + Value("ram_energy"), Value("energy_consumed"), 15);
        Assert.Equal(8320 * 1.5 / 3.6e6 * 56 / 1000, Value("emissions"), 15);
        Assert.Equal((360.0, 50.0, 6.0), (Value("gpu_power"), Value("cpu_power"), Value("ram_power")));
        Assert.Equal(8320 / 3.6e6, Value("it_energy_kwh"), 15);
        Assert.Equal(("1.5", "0", "0"), (row["pue"], row["wue"], row["water_consumed"]));
    }

    [Fact]
    public void Should_Fill_The_Machine_Country_Cloud_And_Tracking_Mode_Columns()
    {
        var row = Row(Run("process"), France(1.0));

        Assert.Equal("N", row["on_cloud"]);
        Assert.Equal("process", row["tracking_mode"]);
        Assert.Equal(("France", "FRA"), (row["country_name"], row["country_iso_code"]));
        Assert.Equal(("Linux 6.8.0 x64", "16", "AMD EPYC 7763", "125.5"), (row["os"], row["cpu_count"], row["cpu_model"], row["ram_total_size"]));
        Assert.Equal(("1", "1 x NVIDIA H100 80GB HBM3"), (row["gpu_count"], row["gpu_model"]));
        Assert.Equal(("demo", "exp-7"), (row["project_name"], row["experiment_id"]));
        Assert.Equal("", row["python_version"]); // unknown to a stored run: empty, not guessed
    }

    [Theory]
    [InlineData("machine", "machine")]
    [InlineData(null, "machine")]
    public void Should_Say_Machine_Unless_The_Run_Attributed_Cpu_Energy_To_The_Process(string? attribution, string expected)
        => Assert.Equal(expected, Row(Run(attribution, withMachine: false), France(1.0))["tracking_mode"]);

    [Fact]
    public void Should_Leave_Machine_Columns_Empty_For_A_Run_That_Does_Not_Know_Them()
    {
        var row = Row(Run(withMachine: false), France(1.0));

        Assert.Equal(("", "", ""), (row["os"], row["cpu_count"], row["ram_total_size"]));
        Assert.Equal("CPU package 0", row["cpu_model"]); // the CPU device's name
    }

    private static JsonElement BoAmps(RunDetails run, CarbonSettings settings, out JsonDocument document)
    {
        using var buffer = new MemoryStream();
        BoAmpsExporter.Write(buffer, run, settings);
        document = JsonDocument.Parse(buffer.ToArray());
        return document.RootElement;
    }

    [Fact]
    public void Should_Write_A_BoAmps_Report_With_The_Schema_Required_Fields_And_Enum_Values()
    {
        var root = BoAmps(Run(), France(1.5), out var document);
        using (document)
        {
            // Oracle: Boavizta/BoAmps model/*.json (commit 3bfefec, 2026-04-08): report requires task, measures,
            // infrastructure; task requires taskStage, taskFamily, algorithms (>= 1), dataset (>= 1, each dataUsage in
            // {input, output} and dataType in its enum); measure requires measurementMethod and powerConsumption (kWh);
            // infrastructure requires infraType in {publicCloud, privateCloud, onPremise, other} and components (>= 1,
            // each componentType and integer nbComponent); environment requires country; header requires
            // reportDatetime and publisher.confidentialityLevel in {public, internal, confidential, secret};
            // quality in {high, medium, low}.
            var task = root.GetProperty("task");
            Assert.Equal(("training", "image classification"), (task.GetProperty("taskStage").GetString(), task.GetProperty("taskFamily").GetString()));
            var algorithm = Assert.Single(task.GetProperty("algorithms").EnumerateArray());
            Assert.Equal("mobilenet_v2", algorithm.GetProperty("algorithmName").GetString());
            Assert.Equal(2, algorithm.GetProperty("epochsNumber").GetInt32());
            var dataset = Assert.Single(task.GetProperty("dataset").EnumerateArray());
            Assert.Equal(("input", "other"), (dataset.GetProperty("dataUsage").GetString(), dataset.GetProperty("dataType").GetString()));
            Assert.Equal(0.91, task.GetProperty("measuredAccuracy").GetDouble());

            var measure = Assert.Single(root.GetProperty("measures").EnumerateArray());
            Assert.Equal("trainwatt", measure.GetProperty("measurementMethod").GetString());
            Assert.Equal(8320 * 1.5 / 3.6e6, measure.GetProperty("powerConsumption").GetDouble(), 15);
            Assert.Equal(20.0, measure.GetProperty("measurementDuration").GetDouble());
            Assert.Equal("2026-05-04 08:00:00", measure.GetProperty("measurementDateTime").GetString());
            // Idle calibration: (60 + 20) W x 10 s = 800 J = 800 / 3.6e6 kWh
            Assert.Equal(800 / 3.6e6, measure.GetProperty("powerCalibrationMeasurement").GetDouble(), 15);
            Assert.Equal(10.0, measure.GetProperty("durationCalibrationMeasurement").GetDouble());
            Assert.Equal(("sampled", "counter"), (measure.GetProperty("cpuTrackingMode").GetString(), measure.GetProperty("gpuTrackingMode").GetString()));

            var infrastructure = root.GetProperty("infrastructure");
            Assert.Equal("other", infrastructure.GetProperty("infraType").GetString());
            var components = infrastructure.GetProperty("components").EnumerateArray().ToList();
            Assert.Equal(["gpu", "cpu", "ram"], components.Select(c => c.GetProperty("componentType").GetString()));
            Assert.All(components, c => Assert.True(c.GetProperty("nbComponent").TryGetInt32(out int n) && n >= 1));
            Assert.Equal("1 x NVIDIA H100 80GB HBM3", components[0].GetProperty("componentName").GetString());
            Assert.Equal("AMD EPYC 7763", components[1].GetProperty("componentName").GetString());
            Assert.Equal(125.5, components[2].GetProperty("memorySize").GetDouble());

            Assert.Equal("France", root.GetProperty("environment").GetProperty("country").GetString());
            Assert.Equal(56, root.GetProperty("environment").GetProperty("powerSourceCarbonIntensity").GetDouble());
            Assert.Contains(root.GetProperty("header").GetProperty("publisher").GetProperty("confidentialityLevel").GetString(), (string[])["public", "internal", "confidential", "secret"]);
            Assert.False(string.IsNullOrEmpty(root.GetProperty("header").GetProperty("reportDatetime").GetString()));
            Assert.Equal("Linux 6.8.0 x64", root.GetProperty("system").GetProperty("os").GetString());
            // ram (120 J of 8320) is modelled: not all counter/sampled, modelled share 1.4 % <= 50 %: medium.
            Assert.Equal("medium", root.GetProperty("quality").GetString());
        }
    }

    [Fact]
    public void Should_Leave_The_Environment_Out_When_The_Country_Is_Unknown()
    {
        var root = BoAmps(Run(), new CarbonSettings(CarbonIntensity.FromGramsPerKilowattHour(0), "none"), out var document);
        using (document)
        {
            Assert.False(root.TryGetProperty("environment", out _)); // BoAmps requires environment.country
            Assert.Equal(8320 / 3.6e6, root.GetProperty("measures")[0].GetProperty("powerConsumption").GetDouble(), 15);
        }
    }

    [Fact]
    public void Should_Write_A_Model_Card_With_Hugging_Face_Metadata_In_Grams()
    {
        using var writer = new StringWriter();
        ModelCardExporter.Write(writer, Run(), France(1.5));
        string card = writer.ToString();
        string[] lines = card.Split('\n');

        // Oracle: huggingface.co/docs/hub/model-cards-co2: co2_eq_emissions.emissions in grams of CO2; fields source,
        // training_type, geographical_location, hardware_used. 8320 J x 1.5 / 3.6e6 x 56 g/kWh = 0.194133... g.
        Assert.Equal("---", lines[0]);
        Assert.Equal("co2_eq_emissions:", lines[1]);
        Assert.StartsWith("  emissions: ", lines[2], StringComparison.Ordinal);
        Assert.Equal(8320 * 1.5 / 3.6e6 * 56, double.Parse(lines[2]["  emissions: ".Length..], CultureInfo.InvariantCulture), 12);
        Assert.Contains("  training_type: \"pre-training\"", lines);
        Assert.Contains("  geographical_location: \"France\"", lines);
        Assert.Contains("  hardware_used: \"1 x NVIDIA H100 80GB HBM3, AMD EPYC 7763\"", lines);
        Assert.Contains("| energy (IT) | 0.002311 kWh, measured: gpu:0 counter, cpu:package-0 sampled, ram model |", lines);
        Assert.Contains("| energy uncertainty | medium (±25 %, part of the energy is modelled) |", lines);
        Assert.Contains("| training compute | not recorded |", lines);
    }
}
