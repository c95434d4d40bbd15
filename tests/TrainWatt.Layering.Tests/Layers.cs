using System.Reflection;
using System.Runtime.InteropServices;

namespace TrainWatt.Layering.Tests;

/// <summary>
/// The intended architecture (docs/architecture.md) as data: which TrainWatt assembly may reference which, and which
/// assemblies may reference each heavy third-party package. Only DIRECT references count: an assembly that uses
/// Estimation through Measurement does not reference MathNet itself.
/// </summary>
internal static class Layers
{
    public const string Cli = "trainwatt";
    public const string Core = "TrainWatt.Core";
    public const string Meters = "TrainWatt.Meters";
    public const string Storage = "TrainWatt.Storage";
    public const string Postgres = "TrainWatt.Storage.Postgres";
    public const string Estimation = "TrainWatt.Estimation";
    public const string Analysis = "TrainWatt.Analysis";
    public const string Architecture = "TrainWatt.Architecture";
    public const string Measurement = "TrainWatt.Measurement";
    public const string Telemetry = "TrainWatt.Telemetry";
    public const string Experiments = "TrainWatt.Experiments";
    public const string Reporting = "TrainWatt.Reporting";

    /// <summary>
    /// Every src assembly and the TrainWatt assemblies it may reference; null: any (the CLI, the composition root).
    /// Written from the csproj graph after the application-layer refactoring, as the architecture we keep.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]?> Allowed = new Dictionary<string, string[]?>(StringComparer.Ordinal)
    {
        [Core] = [],
        [Meters] = [Core],
        [Storage] = [Core],
        [Postgres] = [Core, Storage],
        [Estimation] = [Core],
        [Analysis] = [Core],
        [Architecture] = [Core],
        [Measurement] = [Core, Meters, Storage, Estimation, Analysis, Architecture],
        [Telemetry] = [Core, Meters, Measurement, Storage],
        [Experiments] = [Core, Meters, Storage, Measurement, Analysis],
        // Reporting draws what the application layer computed (stored observations, the live projection history), so it sits above it.
        [Reporting] = [Core, Analysis, Storage, Measurement],
        [Cli] = null,
    };

    /// <summary>What a .NET program that uses the library (samples/dotnet) may reference: every library assembly, never the CLI.</summary>
    public static IReadOnlyList<string> Library => [.. Allowed.Keys.Where(k => k != Cli)];

    /// <summary>
    /// The heavy third-party packages and the only src assemblies that may reference them directly. An assembly that is
    /// neither TrainWatt's, nor the shared framework's, nor matched by a row here is an unknown dependency (a failure:
    /// add it here, with its owners, when it is meant).
    /// </summary>
    public static readonly IReadOnlyList<PackageRule> Packages =
    [
        new("System.CommandLine", ["System.CommandLine"], [Cli]),
        new("Spectre.Console", ["Spectre.Console"], [Cli]),
        new("Npgsql", ["Npgsql"], [Postgres], MustBeReferenced: true),
        new("ScottPlot", ["ScottPlot"], [Reporting]),
        new("SkiaSharp/HarfBuzzSharp", ["SkiaSharp", "HarfBuzzSharp"], [Reporting]),
        new("YamlDotNet", ["YamlDotNet"], [Experiments]),
        new("MathNet", ["MathNet.Numerics", "MathNet"], [Estimation, Analysis]),
        new("SQLitePCLRaw", ["SQLitePCLRaw"], [Storage]),

        // Measurement keeps a live run's unwritten writes in a spool file of its own (Spool/SpoolFile.cs), an SQLite
        // file that is not a run store; it reaches Microsoft.Data.Sqlite through Storage's package reference.
        new("Microsoft.Data.Sqlite", ["Microsoft.Data.Sqlite"], [Storage, Measurement]),
    ];

    /// <summary>The folder of the running shared framework (Microsoft.NETCore.App): the BCL.</summary>
    private static readonly string FrameworkDirectory = RuntimeEnvironment.GetRuntimeDirectory();

    /// <summary>True for TrainWatt's own assemblies (the CLI included).</summary>
    public static bool IsTrainWatt(string name) => name == Cli || name.StartsWith("TrainWatt.", StringComparison.Ordinal);

    /// <summary>
    /// True for an assembly of the shared framework (System.*, Microsoft.Win32.*, netstandard, ...): it ships in the
    /// runtime's own folder. System.CommandLine, a NuGet package despite its name, does not.
    /// </summary>
    public static bool IsFramework(string name) => File.Exists(Path.Combine(FrameworkDirectory, name + ".dll"));

    /// <summary>The BCL names Core may use: framework assemblies named System.*, Microsoft.Win32.* or netstandard.</summary>
    public static bool IsBcl(string name)
        => IsFramework(name)
           && (name == "System" || name.StartsWith("System.", StringComparison.Ordinal)
               || name.StartsWith("Microsoft.Win32.", StringComparison.Ordinal) || name == "netstandard" || name == "mscorlib");

    /// <summary>The names of the assemblies <paramref name="assembly"/> references directly (as compiled).</summary>
    public static IReadOnlyList<string> References(Assembly assembly)
        => [.. assembly.GetReferencedAssemblies().Select(a => a.Name!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>"Core, Meters" for a list of TrainWatt assemblies (the "TrainWatt." prefix dropped).</summary>
    public static string Short(IEnumerable<string> names)
    {
        var list = names.Select(Short).ToList();
        return list.Count == 0 ? "nothing" : string.Join(", ", list);
    }

    public static string Short(string name) => name.StartsWith("TrainWatt.", StringComparison.Ordinal) ? name["TrainWatt.".Length..] : name;
}

/// <summary>A heavy package: the assembly names it ships (a name or a dotted prefix) and the src assemblies that may reference it.</summary>
/// <param name="Package">Name in messages.</param>
/// <param name="AssemblyPrefixes">"Npgsql" matches Npgsql and Npgsql.*.</param>
/// <param name="Owners">The only src assemblies that may reference it directly.</param>
/// <param name="MustBeReferenced">True when every owner must reference it (the engine lives there and nowhere else).</param>
internal sealed record PackageRule(string Package, string[] AssemblyPrefixes, string[] Owners, bool MustBeReferenced = false)
{
    public bool Matches(string assemblyName)
        => AssemblyPrefixes.Any(p => assemblyName == p || assemblyName.StartsWith(p + ".", StringComparison.Ordinal));
}
