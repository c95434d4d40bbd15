using System.Text;

namespace TrainWatt.Layering.Tests;

/// <summary>
/// The layering rules of docs/architecture.md, checked on the compiled assemblies' direct references
/// (<see cref="System.Reflection.Assembly.GetReferencedAssemblies"/>). Each test lists every violation it finds.
/// </summary>
public sealed class LayeringTests(ITestOutputHelper output)
{
    [Fact]
    public void Every_src_project_is_built_into_this_test_and_named_in_the_table()
    {
        var problems = new List<string>();
        foreach (var loaded in BuiltAssemblies.Src)
        {
            if (loaded.Assembly is null)
            {
                problems.Add($"{loaded.Project.RelativePath} ({loaded.Name}) is not loaded: add a ProjectReference to it in tests/TrainWatt.Layering.Tests/TrainWatt.Layering.Tests.csproj.");
            }

            if (!Layers.Allowed.ContainsKey(loaded.Name))
            {
                problems.Add($"{loaded.Name} ({loaded.Project.RelativePath}) has no row in Layers.Allowed: decide which TrainWatt assemblies it may reference, add the row, and draw it in docs/architecture.svg.");
            }
        }

        var built = BuiltAssemblies.Src.Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
        problems.AddRange(Layers.Allowed.Keys.Where(k => !built.Contains(k)).Select(k => $"Layers.Allowed has a row for {k}, but no src/*/*.csproj builds it."));
        Assert.True(BuiltAssemblies.Src.Count >= Layers.Allowed.Count, $"Only {BuiltAssemblies.Src.Count} projects found under {Repository.Root}/src.");
        AssertNone(problems, "src projects missing from the layering test");
    }

    [Fact]
    public void Core_references_only_the_BCL()
    {
        var core = Single(Layers.Core);
        var refs = core.References;
        output.WriteLine($"{Layers.Core} references: {string.Join(", ", refs)}");
        AssertNone(
            refs.Where(r => !Layers.IsBcl(r)).Select(r => $"{Layers.Core} references {r}: Core may use only the BCL (System.*, Microsoft.Win32.*, netstandard of the shared framework)."),
            "non-BCL references in Core");
    }

    [Fact]
    public void Nothing_references_the_CLI_assembly()
    {
        AssertNone(
            BuiltAssemblies.Src.Concat(BuiltAssemblies.Samples)
                .Where(l => l.References.Contains(Layers.Cli))
                .Select(l => $"{l.Name} references {Layers.Cli} (the CLI is the top of the graph: move what is shared into TrainWatt.Measurement or below)."),
            "references to the CLI");
    }

    [Fact]
    public void No_library_opens_its_internals_to_the_CLI()
    {
        // The CLI is a thin layer over the public API: what it can do, a .NET caller can do too.
        var problems = new List<string>();
        foreach (var project in Repository.SrcProjects())
        {
            string text = File.ReadAllText(Path.Combine(Repository.Root, project.RelativePath));
            if (text.Contains($"<InternalsVisibleTo Include=\"{Layers.Cli}\"", StringComparison.Ordinal))
            {
                problems.Add($"{project.RelativePath} grants InternalsVisibleTo {Layers.Cli}: make what the CLI needs public instead.");
            }
        }

        AssertNone(problems, "libraries that open their internals to the CLI");
    }

    [Fact]
    public void Heavy_packages_are_referenced_only_by_their_owners()
    {
        var problems = new List<string>();
        foreach (var rule in Layers.Packages)
        {
            var users = BuiltAssemblies.Src.Where(l => l.References.Any(rule.Matches)).Select(l => l.Name).ToList();
            output.WriteLine($"{rule.Package}: referenced by {(users.Count == 0 ? "nothing" : string.Join(", ", users))} (allowed: {string.Join(", ", rule.Owners)})");
            foreach (var user in users.Where(u => !rule.Owners.Contains(u)))
            {
                var which = BuiltAssemblies.Src.First(l => l.Name == user).References.Where(rule.Matches);
                problems.Add($"{user} references {string.Join(", ", which)}: only {string.Join(" and ", rule.Owners)} may reference {rule.Package}.");
            }

            if (rule.MustBeReferenced)
            {
                problems.AddRange(rule.Owners.Where(o => !users.Contains(o)).Select(o => $"{o} no longer references {rule.Package}: the engine is expected there (and only there)."));
            }
        }

        AssertNone(problems, "heavy-package references outside their owners");
    }

    [Fact]
    public void Exactly_one_src_assembly_references_Npgsql()
    {
        var users = BuiltAssemblies.Src.Where(l => l.References.Any(r => r == "Npgsql" || r.StartsWith("Npgsql.", StringComparison.Ordinal))).Select(l => l.Name).ToList();
        Assert.True(users.SequenceEqual([Layers.Postgres]), $"Npgsql must be referenced by {Layers.Postgres} alone, but is referenced by: {(users.Count == 0 ? "nothing" : string.Join(", ", users))}.");
    }

    [Fact]
    public void Third_party_references_are_all_known()
    {
        var problems = new List<string>();
        foreach (var loaded in BuiltAssemblies.Src.Concat(BuiltAssemblies.Samples))
        {
            foreach (var r in loaded.References)
            {
                if (!Layers.IsTrainWatt(r) && !Layers.IsFramework(r) && !Layers.Packages.Any(p => p.Matches(r)))
                {
                    problems.Add($"{loaded.Name} references {r}, which is neither TrainWatt's, the shared framework's nor a package in Layers.Packages: add it there with the assemblies allowed to use it.");
                }
            }
        }

        AssertNone(problems, "unknown third-party references");
    }

    [Fact]
    public void TrainWatt_references_follow_the_allowed_table()
    {
        var graph = new StringBuilder("compiled TrainWatt → TrainWatt references:\n");
        var problems = new List<string>();
        foreach (var loaded in BuiltAssemblies.Src.OrderBy(l => l.Name, StringComparer.Ordinal))
        {
            var own = loaded.References.Where(Layers.IsTrainWatt).ToList();
            graph.Append("  ").Append(Layers.Short(loaded.Name)).Append(" → ").AppendLine(Layers.Short(own));
            if (!Layers.Allowed.TryGetValue(loaded.Name, out var allowed) || allowed is null)
            {
                continue; // the CLI may reference anything; a project with no row fails its own test
            }

            problems.AddRange(own.Where(r => !allowed.Contains(r))
                .Select(r => $"{loaded.Name} → {r} is not allowed ({Layers.Short(loaded.Name)} may reference {Layers.Short(allowed)})."));
        }

        output.WriteLine(graph.ToString());
        AssertNone(problems, "TrainWatt → TrainWatt references outside the allowed table");
    }

    [Fact]
    public void Project_references_in_the_csproj_files_follow_the_allowed_table()
    {
        // The compiled references leave out a ProjectReference whose types are not used; the csproj shows the intent too.
        var problems = new List<string>();
        foreach (var project in Repository.SrcProjects())
        {
            if (!Layers.Allowed.TryGetValue(project.AssemblyName, out var allowed) || allowed is null)
            {
                continue;
            }

            problems.AddRange(project.ProjectReferences.Where(r => !allowed.Contains(r))
                .Select(r => $"{project.RelativePath} has a ProjectReference to {r} ({Layers.Short(project.AssemblyName)} may reference {Layers.Short(allowed)})."));
        }

        AssertNone(problems, "ProjectReferences outside the allowed table");
    }

    [Fact]
    public void The_allowed_table_has_no_cycle()
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 visiting, 2 done
        var cycles = new List<string>();

        void Visit(string node, List<string> path)
        {
            if (state.TryGetValue(node, out int s))
            {
                if (s == 1)
                {
                    cycles.Add(string.Join(" → ", path.SkipWhile(p => p != node).Append(node)));
                }

                return;
            }

            state[node] = 1;
            path.Add(node);
            foreach (var next in Layers.Allowed.GetValueOrDefault(node) ?? [])
            {
                Visit(next, path);
            }

            path.RemoveAt(path.Count - 1);
            state[node] = 2;
        }

        foreach (var node in Layers.Allowed.Keys)
        {
            Visit(node, []);
        }

        AssertNone(cycles, "cycles in Layers.Allowed");
    }

    [Fact]
    public void Samples_use_the_library_and_never_the_CLI()
    {
        var problems = new List<string>();
        Assert.NotEmpty(BuiltAssemblies.Samples);
        foreach (var sample in BuiltAssemblies.Samples)
        {
            if (sample.Assembly is null)
            {
                problems.Add($"{sample.Project.RelativePath} is not loaded: add a ProjectReference to it in tests/TrainWatt.Layering.Tests/TrainWatt.Layering.Tests.csproj.");
                continue;
            }

            output.WriteLine($"{sample.Name} references: {string.Join(", ", sample.References)}");
            problems.AddRange(sample.References.Where(r => Layers.IsTrainWatt(r) && !Layers.Library.Contains(r))
                .Select(r => $"sample {sample.Name} references {r}: samples call the library, not the CLI."));
            problems.AddRange(sample.References.Where(r => Layers.Packages.Any(p => p.Matches(r) && p.Owners.Contains(Layers.Cli)))
                .Select(r => $"sample {sample.Name} references {r}: System.CommandLine and Spectre.Console belong to the CLI alone."));
        }

        AssertNone(problems, "sample references");
    }

    private static Loaded Single(string name)
    {
        var loaded = BuiltAssemblies.Src.SingleOrDefault(l => l.Name == name);
        Assert.True(loaded?.Assembly is not null, $"{name} is not built into this test.");
        return loaded!;
    }

    private static void AssertNone(IEnumerable<string> violations, string what)
    {
        var list = violations.ToList();
        if (list.Count > 0)
        {
            Assert.Fail($"{list.Count} {what} (docs/architecture.md):\n  " + string.Join("\n  ", list));
        }
    }
}
