using System.CommandLine;

namespace TrainWatt.Cli.Commands;

/// <summary>
/// <c>trainwatt evaluate</c>: the parent of the evaluation commands that score TrainWatt's estimators against real
/// data (<c>evaluate step</c>; <c>evaluate pre</c> joins later). Each subcommand lives in its own file.
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("evaluate", "Score TrainWatt's estimators against real measured runs.");
        command.Subcommands.Add(EvaluateStepCommand.Create(context));
        command.Subcommands.Add(EvaluatePreCommand.Create(context));
        return command;
    }
}
