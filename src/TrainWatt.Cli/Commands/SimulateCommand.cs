using System.CommandLine;
using System.Globalization;
using TrainWatt.Core.Simulation;

namespace TrainWatt.Cli.Commands;

/// <summary>
/// <c>trainwatt simulate --out DIR [--seed S] [--count K] [--hz F]</c>: writes synthetic training runs with known
/// truth — an nvidia-smi trace, an epoch log and a truth file per run — for trying <c>trainwatt project</c>.
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

        command.SetAction(parse => Run(context, parse.GetValue(output)!, parse.GetValue(seed), parse.GetValue(count), parse.GetValue(hz)));
        return command;
    }

    private static int Run(CliContext context, string folder, int seed, int count, double? hz)
    {
        if (count < 1 || hz <= 0)
        {
            context.Diagnostic("error: --count must be at least 1 and --hz positive.");
            return (int)ExitCode.Usage;
        }

        try
        {
            Directory.CreateDirectory(folder);
            for (int i = 0; i < count; i++)
            {
                var spec = SyntheticRunSpec.Random(seed + i);
                if (hz is { } rate)
                {
                    spec = spec with { SampleHz = rate };
                }

                var run = TrainingRunSimulator.Generate(spec);
                string stem = Path.Combine(folder, $"run-{spec.Seed}");
                using (var writer = new StreamWriter(stem + "-gpu.csv"))
                {
                    TrainingRunSimulator.WriteNvidiaSmiCsv(writer, run);
                }

                using (var writer = new StreamWriter(stem + "-epochs.csv"))
                {
                    TrainingRunSimulator.WriteEpochLog(writer, run);
                }

                File.WriteAllText(stem + "-truth.json", JsonOutput.Object(w =>
                {
                    w.WriteNumber("seed", spec.Seed);
                    w.WriteNumber("sample_hz", spec.SampleHz);
                    w.WriteNumber("total_epochs", run.TotalEpochs);
                    w.WriteNumber("min_epochs", spec.MinEpochs);
                    w.WriteNumber("max_epochs", spec.MaxEpochs);
                    w.WriteNumber("change_epoch", spec.ChangeIndex);
                    w.WriteNumber("measured_energy_j", run.MeasuredEnergy.Joules);
                    w.WriteNumber("exact_energy_j", run.ExactEnergy.Joules);
                }));
                context.WriteData(string.Create(CultureInfo.InvariantCulture, $"{stem}-gpu.csv  {run.TotalEpochs} epochs  {run.MeasuredEnergy.Kilojoules:F1} kJ measured  (max epochs {spec.MaxEpochs}, early stop from {spec.MinEpochs})\n"));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Diagnostic($"error: cannot write into {folder}: {e.Message}");
            return (int)ExitCode.CannotCreate;
        }

        return (int)ExitCode.Success;
    }
}
