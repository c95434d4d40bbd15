namespace TrainWatt.Cli.Commands;

/// <summary>
/// A command's parsed options as one typed record. <see cref="Validate"/> returns every problem at once, each naming
/// the option, the rule, the value given and the fix (MathNet style); an empty list means the settings are usable.
/// </summary>
internal interface ICommandSettings
{
    IReadOnlyList<string> Validate();
}

/// <summary>Thrown by <see cref="CommandSettingsExtensions.ThrowIfInvalid"/>: usage errors, exit code 64, one line each.</summary>
internal sealed class SettingsException(IReadOnlyList<string> problems) : Exception(string.Join(" ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

internal static class CommandSettingsExtensions
{
    /// <summary>Returns <paramref name="settings"/> when valid; throws <see cref="SettingsException"/> with every problem otherwise.</summary>
    public static T ThrowIfInvalid<T>(this T settings) where T : ICommandSettings
    {
        var problems = settings.Validate();
        return problems.Count == 0 ? settings : throw new SettingsException(problems);
    }
}
