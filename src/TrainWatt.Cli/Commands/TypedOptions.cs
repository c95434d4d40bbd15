using System.CommandLine;
using System.CommandLine.Parsing;

namespace TrainWatt.Cli.Commands;

/// <summary>An option value with its command-line spelling: help shows <c>[default: power]</c>, not an enum member's name.</summary>
internal readonly record struct Spelt<T>(T Value, string Text)
{
    public override string ToString() => Text;
}

/// <summary>
/// Options parsed once, by System.CommandLine, into the types the libraries take. A value that does not parse is a
/// usage error (exit 64) that names the option, the value and the accepted form, so handlers never see option text.
/// </summary>
internal static class TypedOptions
{
    /// <summary>One of fixed names (any case; several names may mean one value, the first is the one shown), with a default.</summary>
    public static Option<Spelt<T>> Choice<T>(string name, string description, T defaultValue, params (string Name, T Value)[] choices)
    {
        string Spell(T value) => choices.First(c => EqualityComparer<T>.Default.Equals(c.Value, value)).Name;
        return new Option<Spelt<T>>(name)
        {
            Description = description,
            DefaultValueFactory = _ => new Spelt<T>(defaultValue, Spell(defaultValue)),
            CustomParser = result => Match(result, name, choices) is { } value ? new Spelt<T>(value, Spell(value)) : default,
        };
    }

    /// <summary>One of fixed names (any case), or null when the option is not given; help shows the names (not the enum's).</summary>
    public static Option<T?> OptionalChoice<T>(string name, string description, params (string Name, T Value)[] choices)
        where T : struct
        => new(name)
        {
            Description = description,
            HelpName = string.Join('|', choices.DistinctBy(c => c.Value).Select(c => c.Name)),
            CustomParser = result => Match(result, name, choices),
        };

    /// <summary>A value read by <paramref name="parse"/> (a library parser whose exceptions say the accepted form); null when not given.</summary>
    public static Option<T?> Parsed<T>(string name, string description, Func<string, T> parse)
        where T : class
        => new(name) { Description = description, Arity = ArgumentArity.ExactlyOne, CustomParser = result => TryParse(result, name, parse) };

    /// <summary>A value read by <paramref name="parse"/>, <paramref name="defaultText"/> when not given (help shows it as written).</summary>
    public static Option<Spelt<T>> Parsed<T>(string name, string description, Func<string, T> parse, string defaultText)
        => new(name)
        {
            Description = description,
            DefaultValueFactory = _ => new Spelt<T>(parse(defaultText), defaultText),
            CustomParser = result => TryParse(result, name, text => new Spelt<T>(parse(text), text)),
        };

    /// <summary><see cref="Parsed{T}(string, string, Func{string, T})"/> for value types.</summary>
    public static Option<T?> ParsedValue<T>(string name, string description, Func<string, T> parse)
        where T : struct
        => new(name) { Description = description, CustomParser = result => TryParse(result, name, s => (T?)parse(s)) };

    /// <summary>A repeatable option, each occurrence read by <paramref name="parse"/>; empty when not given.</summary>
    public static Option<IReadOnlyList<T>> ParsedList<T>(string name, string description, Func<string, T> parse)
        => new(name)
        {
            Description = description,
            AllowMultipleArgumentsPerToken = false,
            Arity = ArgumentArity.ZeroOrMore,
            DefaultValueFactory = _ => [],
            CustomParser = result =>
            {
                var values = new List<T>();
                foreach (var token in result.Tokens)
                {
                    if (TryParse(token.Value, result, name, parse, out var value))
                    {
                        values.Add(value!);
                    }
                }

                return values;
            },
        };

    /// <summary>A comma-separated list such as <c>architecture,environment</c> (blanks dropped).</summary>
    public static IReadOnlyList<string> CommaList(string text)
        => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static T? Match<T>(ArgumentResult result, string name, (string Name, T Value)[] choices)
    {
        string token = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        foreach (var (choice, value) in choices)
        {
            if (string.Equals(choice, token.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        var names = choices.DistinctBy(c => c.Value).Select(c => c.Name).ToArray();
        string use = names.Length == 1 ? names[0] : $"{string.Join(", ", names[..^1])} or {names[^1]}";
        result.AddError($"{name} '{token}' is not one of the choices; use {use}.");
        return default;
    }

    private static T? TryParse<T>(ArgumentResult result, string name, Func<string, T?> parse)
        => TryParse(result.Tokens.Count > 0 ? result.Tokens[0].Value : "", result, name, parse, out var value) ? value : default;

    private static bool TryParse<T>(string text, ArgumentResult result, string name, Func<string, T> parse, out T? value)
    {
        try
        {
            value = parse(text);
            return true;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or KeyNotFoundException or PreModels.InputException)
        {
            // Library parsers' messages say the accepted form; make sure each one also names the option.
            string message = e is ArgumentException { ParamName: not null } ? e.Message.Split(" (Parameter", 2)[0] : e.Message;
            result.AddError(message.StartsWith(name, StringComparison.Ordinal) ? message : $"{name}: {message}");
            value = default;
            return false;
        }
    }
}
