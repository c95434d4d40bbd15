using System.Reflection;

namespace TrainWatt.Cli;

internal static class VersionText
{
    /// <summary>The informational version without the source-revision suffix ("0.1.0", not "0.1.0+abc123").</summary>
    public static string Informational
    {
        get
        {
            string raw = typeof(VersionText).Assembly
                .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
            int plus = raw.IndexOf('+');
            return plus < 0 ? raw : raw[..plus];
        }
    }
}
