using TrainWatt.Cli;

return TrainWattApp.Run(args, CliContext.FromProcess());
