using System.CommandLine;
using TrainWatt.Cli.Commands;
using TrainWatt.Core.Text;
using TrainWatt.Storage;
using TrainWatt.Storage.Postgres;

namespace TrainWatt.Cli;

/// <summary>The composition root: builds the command tree over a <see cref="CliContext"/>.</summary>
public static class TrainWattApp
{
    public static RootCommand Build(CliContext context)
    {
        // Store engines beyond the built-in SQLite one live in their own assemblies; the composition root adds them.
        RunStoreFactory.Register(new PostgresStoreProvider());
        var root = new RootCommand(
            "TrainWatt: measure, project, predict and compare the energy of deep-learning training runs.");
        foreach (var command in Commands(context))
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    /// <summary>Every top-level command. Each lives in Commands/ and maps its options to one library call.</summary>
    private static IEnumerable<Command> Commands(CliContext context)
    {
        yield return VersionInfoCommand.Create(context);
        yield return GpusCommand.Create(context);
        yield return CarbonCommand.Create(context);
        yield return FlopsCommand.Create(context);
        yield return MeasureCommand.Create(context);
        yield return EnergyCommand.Create(context);
        yield return ImportCommand.Create(context);
        yield return RunsCommand.Create(context);
        yield return ExportCommand.Create(context);
        yield return DoctorCommand.Create(context);
        yield return ProjectCommand.Create(context);
        yield return SimulateCommand.Create(context);
        yield return EvaluateCommand.Create(context);
        yield return AnalyzeCommand.Create(context);
        yield return RecommendCommand.Create(context);
        yield return ReportCommand.Create(context);
        yield return ExperimentCommand.Create(context);
        yield return EstimateCommand.Create(context);
        yield return FitCommand.Create(context);
        yield return DbCommand.Create(context);
        yield return SyncCommand.Create(context);
    }

    /// <summary>Parses and runs; returns the process exit code.</summary>
    public static int Run(string[] args, CliContext context)
    {
        var root = Build(context);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && !args.Contains("--help") && !args.Contains("-h"))
        {
            // Usage errors get sysexits' EX_USAGE (64), not System.CommandLine's default 1, so that scripts can tell
            // a typo from a failed measurement or a wrapped command's own exit code.
            foreach (var error in parse.Errors)
            {
                context.Diagnostic(Failures.Redact(context, error.Message, args)); // a misplaced --db URL is echoed: never its password
            }

            var here = parse.CommandResult.Command;
            var known = here.Subcommands.SelectMany(c => c.Aliases.Prepend(c.Name)).Concat(here.Options.SelectMany(o => o.Aliases.Prepend(o.Name)));
            if (args.TakeWhile(a => a != "--").Intersect(parse.UnmatchedTokens).Select(t => Spelling.Suggest(t.Split('=')[0], known)).FirstOrDefault(s => s is not null) is { } near)
            {
                context.Diagnostic($"Did you mean '{near}'?");
            }

            var names = new List<string>();
            for (var result = parse.CommandResult; result is not null && result.Command != root; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            {
                names.Insert(0, result.Command.Name); // e.g. "evaluate pre", not just "pre"
            }

            string path = string.Join(' ', ["trainwatt", .. names]);
            context.Diagnostic($"Run '{path} --help' for usage.");
            return (int)ExitCode.Usage;
        }

        // Every failure a handler lets through goes to the one exception → exit code map (no stack traces).
        return Failures.Run(context, () => parse.Invoke(new InvocationConfiguration
        {
            Output = context.Out.Profile.Out.Writer,
            Error = context.Error.Profile.Out.Writer,
            EnableDefaultExceptionHandler = false,
        }), commandLine: args);
    }
}
