using System.CommandLine;
using System.Globalization;
using TrainWatt.Core.Simulation;

namespace TrainWatt.Cli.Commands;

/// <summary><c>trainwatt simulate</c>'s options, typed.</summary>
internal sealed record SimulateSettings(string Folder, int Seed, int Count, double? SampleHz) : ICommandSettings
{
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Count is < 1 or > SimulatedRunFiles.MaxCount)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"--count must be from 1 to {SimulatedRunFiles.MaxCount:N0} (the number of runs to write), got {Count}."));
        }
        else if ((long)Seed + Count - 1 > int.MaxValue)
        {
            problems.Add($"--seed {Seed} with --count {Count} runs past the largest seed ({int.MaxValue}): run i uses seed + i.");
        }

        if (SampleHz is { } hz && !(hz >= SimulatedRunFiles.MinHz && hz <= SimulatedRunFiles.MaxHz))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"--hz must be a sampling rate from {SimulatedRunFiles.MinHz} to {SimulatedRunFiles.MaxHz} Hz (e.g. 1 or 10), got {hz}; leave it out to draw 1 or 10 Hz per run."));
        }

        return problems;
    }
}

/// <summary>
/// <c>trainwatt simulate --out DIR [--seed S] [--count K] [--hz F]</c>: writes synthetic training runs with known
/// truth — an nvidia-smi trace, an epoch log and a truth file per run — for trying <c>trainwatt project</c>
/// (<see cref="SimulatedRunFiles"/>).
/// </summary>
internal static class SimulateCommand
{
    public static Command Create(CliContext context)
    {
        var output = new Option<string>("--out") { Description = "Folder to write into (created if missing).", Required = true };
        var seed = new Option<int>("--seed") { Description = "Seed of the first run; run i uses seed + i (default 1).", DefaultValueFactory = _ => 1 };
        var count = new Option<int>("--count") { Description = "Number of runs (default 1).", DefaultValueFactory = _ => 1 };
        var hz = new Option<double?>("--hz") { Description = "Sampling rate in Hz (default: drawn per run, 1 or 10)." };
        var command = new Command("simulate", "Write synthetic nvidia-smi traces and epoch logs with known truth (warm-up, head-training phase, validation, early stopping, sensor noise).");
        foreach (var option in new Option[] { output, seed, count, hz })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            var s = new SimulateSettings(parse.GetValue(output)!, parse.GetValue(seed), parse.GetValue(count), parse.GetValue(hz)).ThrowIfInvalid();
            foreach (var file in SimulatedRunFiles.Write(s.Folder, s.Seed, s.Count, s.SampleHz))
            {
                var (run, spec) = (file.Run, file.Run.Spec);
                context.WriteData(string.Create(CultureInfo.InvariantCulture, $"{file.TracePath}  {run.TotalEpochs} epochs  {run.MeasuredEnergy.Kilojoules:F1} kJ measured  (max epochs {spec.MaxEpochs}, early stop from {spec.MinEpochs})\n"));
            }

            return (int)ExitCode.Success;
        });
        return command;
    }
}
