using System.Reflection;

namespace TrainWatt.Layering.Tests;

/// <summary>The src and sample assemblies, loaded from this test's output folder (the test project references each).</summary>
internal static class BuiltAssemblies
{
    private static readonly Lazy<IReadOnlyList<Loaded>> SrcLoaded = new(() => LoadAll(Repository.SrcProjects()));
    private static readonly Lazy<IReadOnlyList<Loaded>> SamplesLoaded = new(() => LoadAll(Repository.SampleProjects()));

    public static IReadOnlyList<Loaded> Src => SrcLoaded.Value;

    public static IReadOnlyList<Loaded> Samples => SamplesLoaded.Value;

    private static IReadOnlyList<Loaded> LoadAll(IReadOnlyList<ProjectFile> projects)
        => [.. projects.Select(p => new Loaded(p, TryLoad(p.AssemblyName)))];

    private static Assembly? TryLoad(string name)
    {
        try
        {
            return Assembly.Load(new AssemblyName(name));
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }
}

/// <summary>A project and its built assembly (null when this test project does not reference it).</summary>
internal sealed record Loaded(ProjectFile Project, Assembly? Assembly)
{
    public string Name => Project.AssemblyName;

    /// <summary>Direct references as compiled; empty when the assembly is not loaded (a separate test fails for that).</summary>
    public IReadOnlyList<string> References => Assembly is null ? [] : Layers.References(Assembly);
}
