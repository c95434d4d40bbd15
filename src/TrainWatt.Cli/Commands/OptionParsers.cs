using System.CommandLine;
using System.CommandLine.Parsing;
using TrainWatt.Core.Units;

namespace TrainWatt.Cli.Commands;

/// <summary>Typed option values: durations as <see cref="TimeSpan"/>, fixed choices as enums, each bad value named with its fix.</summary>
internal static class OptionParsers
{
    /// <summary>A duration option ("100ms", "0.5s", "2m", "1h"; a bare number is seconds).</summary>
    public static Option<TimeSpan> Duration(string name, string description, TimeSpan defaultValue, string examples)
        => new(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result => ParseDuration(result, name, examples),
            HelpName = "DURATION",
        };

    /// <summary>An optional duration option.</summary>
    public static Option<TimeSpan?> OptionalDuration(string name, string description, string examples)
        => new(name)
        {
            Description = description,
            CustomParser = result => ParseDuration(result, name, examples),
            HelpName = "DURATION",
        };

    /// <summary>A fixed choice: each accepted word maps to one enum value; anything else lists the words.</summary>
    public static Option<T> Choice<T>(string name, string description, T defaultValue, params (string Word, T Value)[] words)
        where T : struct, Enum
    {
        var option = new Option<T>(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            HelpName = string.Join('|', words.Select(w => w.Word).Distinct()),
            CustomParser = result =>
            {
                string text = result.Tokens.Count == 0 ? string.Empty : result.Tokens[^1].Value;
                foreach (var (word, value) in words)
                {
                    if (string.Equals(word, text, StringComparison.OrdinalIgnoreCase))
                    {
                        return value;
                    }
                }

                result.AddError($"{name} \"{text}\" is unknown. Use {Or(words.Select(w => w.Word).Distinct().ToList())}.");
                return defaultValue;
            },
        };
        return option;
    }

    private static TimeSpan ParseDuration(ArgumentResult result, string name, string examples)
    {
        string text = result.Tokens.Count == 0 ? string.Empty : result.Tokens[^1].Value;
        if (DurationText.TryParse(text, out var value) && value >= TimeSpan.Zero)
        {
            return value;
        }

        result.AddError($"{name} \"{text}\" is not a duration (examples: {examples}).");
        return default;
    }

    private static string Or(IReadOnlyList<string> words)
        => words.Count == 1 ? words[0] : string.Join(", ", words.Take(words.Count - 1)) + " or " + words[^1];
}
