using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using TrainWatt.Core.Units;

namespace TrainWatt.Cli.Commands;

/// <summary>Typed option values shared by the commands: durations as <see cref="TimeSpan"/>, fixed choices as enums.</summary>
internal static class OptionValues
{
    /// <summary>
    /// A <c>CustomParser</c> for durations written as <see cref="DurationText"/> reads them: 5s, 1500ms, 2m, 1h; a bare
    /// number is seconds. Only the form is checked here; each command's settings check the range (e.g. positive).
    /// </summary>
    public static TimeSpan Duration(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (DurationText.TryParse(text, out var value))
        {
            return value;
        }

        string name = (result.Parent as OptionResult)?.Option.Name ?? "duration";
        result.AddError($"{name}: '{text}' is not a positive duration; write e.g. 5s, 1500ms or 2m.");
        return default;
    }

    /// <summary>
    /// Accepts exactly the lower-case names of <typeparamref name="T"/> (the enum parse itself ignores case and would
    /// take numbers). Such options set no default value factory: the enum's first member is the default, and the
    /// description says so (help would print the default capitalised).
    /// </summary>
    public static Option<T> OneOfEnum<T>(this Option<T> option)
        where T : struct, Enum
    {
        option.AcceptOnlyFromAmong([.. Enum.GetNames<T>().Select(n => n.ToLowerInvariant())]);
        return option;
    }

    /// <summary>A lower-case enum name, as the command line writes it.</summary>
    public static string Name<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();

    /// <summary>An invariant number for messages: "0.5", "-3".</summary>
    public static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A duration for messages: "0 s", "1.5 s".</summary>
    public static string Text(TimeSpan value) => value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}
