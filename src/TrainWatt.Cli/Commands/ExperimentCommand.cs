using System.CommandLine;
using System.Globalization;
using System.Text;
using TrainWatt.Experiments;
using TrainWatt.Measurement;
using TrainWatt.Measurement.Pipeline;

namespace TrainWatt.Cli.Commands;

/// <summary>
/// <c>trainwatt experiment run PLAN.json [--db PATH]</c> and <c>trainwatt experiment status PLAN.json</c>: a repeated,
/// shuffled, resumable set of measured runs (see <see cref="ExperimentPlan"/> for the plan format).
/// </summary>
internal static class ExperimentCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("experiment", "Run a plan of configurations x repetitions under measurement (shuffled, resumable), or show its progress.");
        command.Subcommands.Add(RunCommand(context));
        command.Subcommands.Add(StatusCommand(context));
        return command;
    }

    private static Command RunCommand(CliContext context)
    {
        var plan = new Argument<string>("plan") { Description = "Plan file (JSON or YAML): name, command with {variables}, variables, repetitions, seed, warmup, cooldown, wait_until_idle, interval, meters, cpu_attribution." };
        var db = StoreLocation.CreateOption();
        var run = new Command("run", "Run every pending run of the plan in its seeded shuffled order; runs already done are skipped.");
        run.Arguments.Add(plan);
        run.Options.Add(db);

        // Synchronous on purpose (as measure): the runner handles SIGINT itself and the session forwards it to the child.
        run.SetAction(parse =>
        {
            var loaded = ExperimentPlan.Load(parse.GetValue(plan)!);
            void Say(string message) => context.Diagnostic("trainwatt: " + message);
            return StoreLocation.WithStore(context, parse.GetValue(db), store =>
            {
                using var meters = context.Meters.Open(new MeterSelection(loaded.Meters, Interval: loaded.Interval), context);
                foreach (string note in meters.Notes)
                {
                    Say(note);
                }

                var console = new MeasurementConsole(
                    TextWriter.Synchronized(context.Out.Profile.Out.Writer), TextWriter.Synchronized(context.Error.Profile.Out.Writer), Say)
                { StdoutBytes = context.StdoutBytes, StderrBytes = context.StderrBytes };
                return new ExperimentRunner(context, store, new MeasurementPipeline(store, meters, context, console), Say).Run(loaded);
            });
        });
        return run;
    }

    private static Command StatusCommand(CliContext context)
    {
        var plan = new Argument<string>("plan") { Description = "Plan file (JSON or YAML)." };
        var db = StoreLocation.CreateOption();
        var status = new Command("status", "Show how many runs of each configuration are done.");
        status.Arguments.Add(plan);
        status.Options.Add(db);
        status.SetAction(parse =>
        {
            var loaded = ExperimentPlan.Load(parse.GetValue(plan)!);
            return StoreLocation.WithStore(context, parse.GetValue(db), store =>
            {
                var done = ExperimentRunner.Done(store, loaded.Name);
                var c = CultureInfo.InvariantCulture;
                var sb = new StringBuilder();
                int total = 0;
                int finished = 0;
                sb.AppendLine(c, $"experiment {loaded.Name}: seed {loaded.Seed}");
                foreach (var config in loaded.Configurations())
                {
                    int n = Enumerable.Range(1, loaded.Repetitions).Count(r => done.Contains((config.Label, r)));
                    total += loaded.Repetitions;
                    finished += n;
                    sb.AppendLine(c, $"  {config.Label}: {n}/{loaded.Repetitions}");
                }

                var next = loaded.Schedule().FirstOrDefault(p => !done.Contains((p.Configuration.Label, p.Repetition)));
                sb.AppendLine(string.Create(c, $"done {finished}/{total}") + (next is null ? " (complete)" : string.Create(c, $"; next: {next.Configuration.Label} rep {next.Repetition}")));
                context.WriteData(sb.ToString());
                return (int)ExitCode.Success;
            });
        });
        return status;
    }
}
