using System.Xml.Linq;

namespace TrainWatt.Layering.Tests;

/// <summary>The repository this test was built from, and its projects as their csproj files declare them.</summary>
internal static class Repository
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The folder holding TrainWatt.slnx, found upwards from the test's output folder.</summary>
    public static string Root => RootPath.Value;

    /// <summary>The product projects: src/*/*.csproj.</summary>
    public static IReadOnlyList<ProjectFile> SrcProjects() => Projects("src");

    /// <summary>The .NET samples: samples/dotnet/*/*.csproj.</summary>
    public static IReadOnlyList<ProjectFile> SampleProjects() => Projects(Path.Combine("samples", "dotnet"));

    private static IReadOnlyList<ProjectFile> Projects(string folder)
    {
        string dir = Path.Combine(Root, folder);
        if (!Directory.Exists(dir))
        {
            return [];
        }

        return Directory.GetDirectories(dir)
            .SelectMany(d => Directory.GetFiles(d, "*.csproj"))
            .Order(StringComparer.Ordinal)
            .Select(ProjectFile.Read)
            .ToList();
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TrainWatt.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No TrainWatt.slnx above {AppContext.BaseDirectory}: these tests read the repository they were built from.");
    }
}

/// <summary>A csproj: its path, the assembly it builds and the assemblies of its ProjectReferences.</summary>
internal sealed record ProjectFile(string Path, string AssemblyName, IReadOnlyList<string> ProjectReferences)
{
    public static ProjectFile Read(string path)
    {
        var xml = XDocument.Load(path);
        var references = xml.Descendants("ProjectReference")
            .Select(r => (string?)r.Attribute("Include"))
            .OfType<string>()
            .Select(include => AssemblyOf(System.IO.Path.GetFullPath(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(path)!, include.Replace('\\', '/')))))
            .ToList();
        return new ProjectFile(path, AssemblyOf(path), references);
    }

    /// <summary>The AssemblyName property, else the project file's name.</summary>
    private static string AssemblyOf(string csproj)
    {
        string? name = File.Exists(csproj)
            ? XDocument.Load(csproj).Descendants("AssemblyName").Select(e => e.Value.Trim()).FirstOrDefault(v => v.Length > 0)
            : null;
        return name ?? System.IO.Path.GetFileNameWithoutExtension(csproj);
    }

    public string RelativePath => System.IO.Path.GetRelativePath(Repository.Root, Path).Replace('\\', '/');
}
