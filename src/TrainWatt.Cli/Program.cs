using TrainWatt.Cli;

// Fast path: `trainwatt --version` answers before the command tree, Spectre or any store is loaded, so scripts
// that probe for the tool pay only the runtime's start-up.
if (args is ["--version"])
{
    Console.Out.WriteLine(VersionText.Informational);
    return 0;
}

return TrainWattApp.Run(args, CliContext.FromProcess());
