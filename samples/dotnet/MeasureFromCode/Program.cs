// MeasureFromCode: runs a three-epoch "training" command through TrainWatt's measurement pipeline from .NET code, with a
// fake meter that always reads 50 W, stores the run in an SQLite file and prints the typed result.
//
//   dotnet run --project samples/dotnet/MeasureFromCode [-- path/to/store.db]
//
// Without a path the store is created in a new folder under the system temp folder. Exit code: the command's own.
using System.Globalization;
using TrainWatt.Core.Epochs;
using TrainWatt.Core.Units;
using TrainWatt.Measurement;
using TrainWatt.Measurement.Pipeline;
using TrainWatt.Samples.MeasureFromCode;
using TrainWatt.Storage;

var inv = CultureInfo.InvariantCulture;
string storePath = args.Length > 0
    ? Path.GetFullPath(args[0])
    : Path.Combine(Path.GetTempPath(), "trainwatt-sample-" + Guid.NewGuid().ToString("N")[..8], "trainwatt.db");
Directory.CreateDirectory(Path.GetDirectoryName(storePath)!);

// The clock and the environment come from this process (tests pass a fake TimeProvider instead).
var host = HostContext.FromProcess();

// The caller opens (and disposes) the store and the meters; the pipeline only uses them.
using IRunStore store = RunStoreFactory.Open(storePath, host.Time);
using var meters = new MeterSetup([new ConstantMeter(Power.FromWatts(50))]);

// The command's stdout/stderr go on to ours; TrainWatt's own one-line diagnostics get a "sample: " prefix.
var console = new MeasurementConsole(Console.Out, Console.Error, line => Console.Error.WriteLine("sample: " + line));
var pipeline = new MeasurementPipeline(store, meters, host, console, observers: [new PrintingObserver(Console.Out)]);

// Keras convention: "Epoch k/N" starts epoch k (and ends epoch k-1); the command's exit ends the last one.
var options = new MeasureOptions(["sh", "-c", "for i in 1 2 3; do echo Epoch $i/3; sleep 1; done"])
{
    Framework = EpochFramework.Keras,
    TotalEpochs = 3,
    Tags = new Dictionary<string, string>(StringComparer.Ordinal) { ["source"] = "samples/dotnet/MeasureFromCode" },
};

Console.WriteLine($"store: {store.Location}");
Console.WriteLine($"meters: {meters.Describe()}");
MeasureResult result = pipeline.Run(options);

// The typed result: everything below is also in the store under result.RunId.
var summary = result.Summary;
Console.WriteLine($"run: {result.RunId}");
Console.WriteLine($"exit code: {result.ExitCode}");
Console.WriteLine(string.Create(inv, $"duration: {summary.Duration.TotalSeconds:0.000} s"));
Console.WriteLine(string.Create(inv, $"energy: {summary.Energy.Joules:0.000} J"));
Console.WriteLine(string.Create(inv, $"mean power: {(summary.Duration > TimeSpan.Zero ? summary.Energy.Joules / summary.Duration.TotalSeconds : 0):0.000} W"));
Console.WriteLine($"epochs: {summary.Epochs.Count}");
foreach (var epoch in summary.Epochs)
{
    Console.WriteLine(string.Create(inv,
        $"  epoch {epoch.Number}: {epoch.Duration.TotalSeconds:0.000} s, {epoch.Energy.Joules:0.000} J{(epoch.EndedAtExit ? " (ended by the command's exit)" : "")}"));
}

Console.WriteLine($"projections: {result.Projections.Count}");
Console.WriteLine(result.Unwritten is null ? "stored: everything" : $"stored: not everything ({result.Unwritten.Writes} writes left)");
return result.ExitCode;
