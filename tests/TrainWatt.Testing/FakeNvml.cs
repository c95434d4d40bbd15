using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace TrainWatt.Testing;

/// <summary>
/// A private copy of the fake NVML library (native/fake-nvml, built into native/build by the test build) with its own
/// scenario file beside it. Each instance is loaded by the OS as a separate library, so tests can run in parallel with
/// different scenarios. Point the product at <see cref="LibraryPath"/> through <c>TRAINWATT_NVML_LIBRARY</c>.
/// </summary>
public sealed class FakeNvml : IDisposable
{
    private readonly TempDirectory _directory;

    private FakeNvml(TempDirectory directory, string libraryPath, string scenarioPath)
    {
        _directory = directory;
        LibraryPath = libraryPath;
        ScenarioPath = scenarioPath;
    }

    /// <summary>The built fake library (native/build/libnvidia-ml.so.1).</summary>
    public static string BuiltLibrary => Path.Combine(SharedData.RepositoryRoot, "native", "build", "libnvidia-ml.so.1");

    /// <summary>Path of this instance's library copy: use as <c>TRAINWATT_NVML_LIBRARY</c>.</summary>
    public string LibraryPath { get; }

    /// <summary>The scenario file the copy reads (fake-nvml-scenario.txt beside it; see fake_nvml.c for the format).</summary>
    public string ScenarioPath { get; }

    /// <summary>Folder holding the copy; tests may put other files here.</summary>
    public string Directory => _directory.Path;

    /// <summary>Copies the fake library into a fresh folder with <paramref name="scenario"/> beside it; skips the test when the fake was not built (no gcc, not Linux).</summary>
    public static FakeNvml Create(string scenario)
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "The fake NVML library is built on Linux only.");
        Assert.SkipUnless(File.Exists(BuiltLibrary),
            $"The fake NVML library {BuiltLibrary} was not built (gcc and make are needed: `make -C native/fake-nvml`).");
        var directory = new TempDirectory("trainwatt-fake-nvml");
        string library = directory.File("libnvidia-ml.so.1");
        File.Copy(BuiltLibrary, library);
        string scenarioPath = directory.File("fake-nvml-scenario.txt");
        File.WriteAllText(scenarioPath, scenario, new UTF8Encoding(false));
        return new FakeNvml(directory, library, scenarioPath);
    }

    /// <summary>
    /// One fake GPU with an energy counter drawing a constant <paramref name="watts"/> from now on: every interval's true
    /// energy is watts × its duration.
    /// </summary>
    public static FakeNvml ConstantGpu(double watts, string name = "NVIDIA Fake A100")
    {
        string w = watts.ToString("R", CultureInfo.InvariantCulture);
        return Create($"""
            {TimeOriginLine(Stopwatch.GetTimestamp())}
            [device]
            name = {name}
            uuid = GPU-aaaaaaaa-1111-2222-3333-444444444444
            energy_counter = yes
            power_w = 0:{w}, 100000:{w}
            sine_amplitude_w = 0
            sine_period_s = 1
            """);
    }

    /// <summary>
    /// The scenario line that starts the fake's power curves at <paramref name="stopwatchTimestamp"/> (a
    /// <see cref="Stopwatch.GetTimestamp"/> / <see cref="TimeProvider.System"/> timestamp), so a test knows the true
    /// power at every <see cref="TimeProvider.GetElapsedTime(long)"/> it measures from that same origin.
    /// </summary>
    public static string TimeOriginLine(long stopwatchTimestamp)
    {
        // .NET's Stopwatch and the fake both read CLOCK_MONOTONIC on Linux; convert ticks to ns.
        double ns = stopwatchTimestamp * (1e9 / Stopwatch.Frequency);
        return "time_origin_ns = " + ns.ToString("F0", CultureInfo.InvariantCulture);
    }

    public void Dispose() => _directory.Dispose();
}
