namespace TrainWatt.Measurement.Pipeline;

/// <summary>
/// Arguments after <c>--</c> belong to the measured command, all of them: <c>measure -- python train.py --db x.db</c>
/// gives <c>--db</c> to the script. When one of them is spelt like a TrainWatt option the user probably meant it for
/// TrainWatt; <see cref="Warnings"/> says so (the command still gets it: it is the user's command line).
/// </summary>
public static class CommandArguments
{
    /// <summary>
    /// Options training scripts commonly take themselves (PyTorch Lightning's <c>--gpus</c>, <c>--max-epochs</c>...):
    /// not warned about, a warning on every run of such a script would be noise.
    /// </summary>
    public static IReadOnlySet<string> CommonInTrainingScripts { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "--gpus", "--max-epochs", "--early-stopping-patience", "--interval", "--progress", "--framework", "--help", "-h", "-?", "--version",
    };

    /// <summary>One line per argument of <paramref name="command"/> (its program excluded) spelt like one of <paramref name="ours"/>.</summary>
    public static IReadOnlyList<string> Warnings(IReadOnlyList<string> command, IEnumerable<string> ours)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(ours);
        var names = ours.Where(n => n.StartsWith('-') && !CommonInTrainingScripts.Contains(n)).ToHashSet(StringComparer.Ordinal);
        return command.Skip(1)
            .Select(argument => argument.Split('=', 2)[0])
            .Where(names.Contains)
            .Distinct(StringComparer.Ordinal)
            .Select(name => $"warning: {name} comes after `--`, so it goes to the command, not to TrainWatt; if it is meant for TrainWatt, put it before `--`.")
            .ToList();
    }
}
