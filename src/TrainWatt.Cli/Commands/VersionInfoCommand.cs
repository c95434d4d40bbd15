using System.CommandLine;

namespace TrainWatt.Cli.Commands;

/// <summary><c>trainwatt info</c>: version, runtime and where the store lives.</summary>
internal static class VersionInfoCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("info", "Show TrainWatt's version and runtime.");
        command.SetAction(_ =>
        {
            string version = VersionText.Informational;
            context.WriteData($"trainwatt {version}\nruntime {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}\n");
            return (int)ExitCode.Success;
        });
        return command;
    }
}
