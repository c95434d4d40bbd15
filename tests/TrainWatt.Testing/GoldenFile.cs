using System.Runtime.CompilerServices;
using System.Text;

namespace TrainWatt.Testing;

/// <summary>
/// Byte-exact golden files for machine-readable output (JSON documents that scripts read): <c>Golden/NAME</c> next to
/// the calling test file. Unlike <see cref="Approvals"/> nothing is normalised, so a changed line ending, indentation or
/// trailing newline fails too. On mismatch (or when the file is missing) the actual text is written beside it as
/// <c>NAME.received.json</c> (git-ignored); approve by renaming it after reading the diff.
/// </summary>
public static class GoldenFile
{
    /// <summary>The folder of golden files beside <paramref name="callerFile"/>.</summary>
    public static string Directory([CallerFilePath] string callerFile = "") => Path.Combine(Path.GetDirectoryName(callerFile)!, "Golden");

    public static void Verify(string actual, string name, [CallerFilePath] string callerFile = "")
    {
        ArgumentNullException.ThrowIfNull(actual);
        string directory = Directory(callerFile);
        string golden = Path.Combine(directory, name);
        string received = Path.Combine(directory, Path.GetFileNameWithoutExtension(name) + ".received.json");
        if (File.Exists(golden))
        {
            string expected = File.ReadAllText(golden, new UTF8Encoding(false));
            if (string.Equals(expected, actual, StringComparison.Ordinal))
            {
                File.Delete(received);
                return;
            }

            File.WriteAllText(received, actual, new UTF8Encoding(false));
            Assert.Fail($"Output differs from {golden} at character {FirstDifference(expected, actual)}. The actual output is in {received}.");
        }

        System.IO.Directory.CreateDirectory(directory);
        File.WriteAllText(received, actual, new UTF8Encoding(false));
        Assert.Fail($"No golden file {golden} yet. Check {received} and rename it to approve it.");
    }

    private static string FirstDifference(string expected, string actual)
    {
        int i = 0;
        while (i < expected.Length && i < actual.Length && expected[i] == actual[i])
        {
            i++;
        }

        string Around(string s) => i >= s.Length ? "<end>" : s.Substring(Math.Max(0, i - 20), Math.Min(s.Length, i + 20) - Math.Max(0, i - 20)).Replace("\n", "\\n", StringComparison.Ordinal);
        return $"{i}: expected \"{Around(expected)}\" but got \"{Around(actual)}\"";
    }
}
