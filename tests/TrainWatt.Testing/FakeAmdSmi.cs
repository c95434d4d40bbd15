using System.Text;

namespace TrainWatt.Testing;

/// <summary>
/// A private copy of the fake AMD SMI library (native/fake-amdsmi, built into native/build by the test build) with its
/// own scenario file beside it, so tests run in parallel with different scenarios. Point the product at
/// <see cref="LibraryPath"/> through <c>TRAINWATT_AMDSMI_LIBRARY</c>.
/// </summary>
public sealed class FakeAmdSmi : IDisposable
{
    private readonly TempDirectory _directory;

    private FakeAmdSmi(TempDirectory directory, string libraryPath)
    {
        _directory = directory;
        LibraryPath = libraryPath;
    }

    /// <summary>The built fake library (native/build/libamd_smi.so).</summary>
    public static string BuiltLibrary => Path.Combine(SharedData.RepositoryRoot, "native", "build", "libamd_smi.so");

    /// <summary>This instance's library copy: use as <c>TRAINWATT_AMDSMI_LIBRARY</c>.</summary>
    public string LibraryPath { get; }

    /// <summary>Copies the fake library into a fresh folder with <paramref name="scenario"/> beside it (format: native/fake-amdsmi/fake_amdsmi.c); skips the test when the fake was not built.</summary>
    public static FakeAmdSmi Create(string scenario)
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "The fake AMD SMI library is built on Linux only.");
        Assert.SkipUnless(File.Exists(BuiltLibrary), $"The fake AMD SMI library {BuiltLibrary} was not built (gcc and make are needed: `make -C native/fake-amdsmi`).");
        var directory = new TempDirectory("trainwatt-fake-amdsmi");
        string library = directory.File("libamd_smi.so");
        File.Copy(BuiltLibrary, library);
        File.WriteAllText(directory.File("fake-amdsmi-scenario.txt"), scenario, new UTF8Encoding(false));
        return new FakeAmdSmi(directory, library);
    }

    public void Dispose() => _directory.Dispose();
}
