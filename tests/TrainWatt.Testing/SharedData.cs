namespace TrainWatt.Testing;

/// <summary>
/// Locates the read-only <c>../shared</c> folder that sits beside the checkout (never copied into the repository).
/// Tests that need it call <see cref="RequireSeaa2023"/> or <see cref="RequireJournalPre"/>, which skip the test with a
/// reason when it is absent.
/// </summary>
public static class SharedData
{
    private static readonly Lazy<string?> Root = new(FindRoot);

    /// <summary>The repository root (the folder holding TrainWatt.slnx).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string? SharedRoot => Root.Value;

    public static string RequireSeaa2023() => Require(Path.Combine("data", "seaa2023"));

    public static string RequireJournalPre() => Require(Path.Combine("data", "journal2027-pre"));

    private static string Require(string relative)
    {
        string? root = Root.Value;
        string? path = root is null ? null : Path.Combine(root, relative);
        Assert.SkipWhen(
            path is null || !Directory.Exists(path),
            $"../shared/{relative.Replace('\\', '/')} is not present beside the checkout (set TRAINWATT_SHARED to its location to run this test).");
        return path!;
    }

    private static string? FindRoot()
    {
        string? fromEnv = Environment.GetEnvironmentVariable("TRAINWATT_SHARED");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return Directory.Exists(fromEnv) ? Path.GetFullPath(fromEnv) : null;
        }

        string candidate = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));
        return Directory.Exists(candidate) ? candidate : null;
    }

    private static string FindRepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TrainWatt.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException(
            $"Cannot find TrainWatt.slnx above {AppContext.BaseDirectory}; run the tests from inside the repository.");
    }
}
