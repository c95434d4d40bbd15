using System.Runtime.CompilerServices;
using System.Text;

namespace TrainWatt.Testing;

/// <summary>
/// A small approval-test helper (Verify is not available from this project's package source). Compares text with
/// <c>Approved/&lt;TestClassFile&gt;.&lt;TestMethod&gt;.verified.txt</c> next to the calling test file. On mismatch (or when
/// the approved file is missing) it writes <c>.received.txt</c> beside it (git-ignored) and fails with the first
/// differing line; approve by renaming received to verified after reading it.
/// </summary>
public static class Approvals
{
    public static void Verify(string text, string? scenario = null, [CallerFilePath] string callerFile = "", [CallerMemberName] string member = "")
    {
        ArgumentNullException.ThrowIfNull(text);
        string directory = Path.Combine(Path.GetDirectoryName(callerFile)!, "Approved");
        string name = $"{Path.GetFileNameWithoutExtension(callerFile)}.{member}{(scenario is null ? "" : "." + scenario)}";
        string verified = Path.Combine(directory, name + ".verified.txt");
        string received = Path.Combine(directory, name + ".received.txt");
        string actual = Normalize(text);

        if (File.Exists(verified))
        {
            string expected = Normalize(File.ReadAllText(verified, Encoding.UTF8));
            if (expected == actual)
            {
                if (File.Exists(received))
                {
                    File.Delete(received);
                }

                return;
            }

            Directory.CreateDirectory(directory);
            File.WriteAllText(received, actual, new UTF8Encoding(false));
            Assert.Fail($"Output differs from {verified}: {FirstDifference(expected, actual)}. The actual output is in {received}.");
        }

        Directory.CreateDirectory(directory);
        File.WriteAllText(received, actual, new UTF8Encoding(false));
        Assert.Fail($"No approved output {verified} yet. Check {received} and rename it to .verified.txt to approve it.");
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    private static string FirstDifference(string expected, string actual)
    {
        string[] e = expected.Split('\n');
        string[] a = actual.Split('\n');
        for (int i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            string el = i < e.Length ? e[i] : "<end>";
            string al = i < a.Length ? a[i] : "<end>";
            if (el != al)
            {
                return $"line {i + 1}: expected \"{el}\" but got \"{al}\"";
            }
        }

        return "line endings or trailing text";
    }
}
