using System.CommandLine;
using TrainWatt.Analysis.Data;

namespace TrainWatt.Cli.Commands;

/// <summary>The run sources shared by analyze, recommend and report: --seaa2023 DIR and --filter key=value.</summary>
internal sealed class AnalysisInput
{
    public Option<string?> Seaa2023 { get; } = new("--seaa2023") { Description = "Folder holding the SEAA 2023 runs.csv (keys: architecture, environment, gpu; energy = the authors' energy (MJ), GPU only)." };

    public Option<string> EnergySource { get; } = new("--energy") { Description = "SEAA 2023 energy: authors (default: runs.csv energy (MJ), GPU only), traces (TrainWatt's trapezoid over each whole GPU trace), parity (the authors' procedure re-run on the traces).", DefaultValueFactory = _ => "authors" };

    public Option<string?> Runs { get; } = new("--runs") { Description = "Stored runs to analyse: all, or tag filters key=value[,key=value] (e.g. experiment=demo). Keys are the runs' tags; energy is the sum over devices; scores are their ##trainwatt metric lines." };

    public Option<string?> Db { get; } = StoreLocation.CreateOption();

    public Option<string[]> Filter { get; } = new("--filter") { Description = "key=value filter on run keys, repeatable (same key: OR, different keys: AND), e.g. environment=Cloud.", AllowMultipleArgumentsPerToken = false };

    public void AddTo(Command command)
    {
        command.Options.Add(Seaa2023);
        command.Options.Add(EnergySource);
        command.Options.Add(Runs);
        command.Options.Add(Filter);
        if (!command.Options.Any(o => o.Name == Db.Name))
        {
            command.Options.Add(Db);
        }
    }

    /// <summary>Loads and filters the runs; throws <see cref="AnalysisDataException"/> or <see cref="FormatException"/> with a user-facing message.</summary>
    public IReadOnlyList<Observation> Load(ParseResult parse) => Load(parse, context: null);

    /// <summary>Loads and filters the runs, from the store when --runs is given (needs <paramref name="context"/>).</summary>
    public IReadOnlyList<Observation> Load(ParseResult parse, CliContext? context)
    {
        string? seaa = parse.GetValue(Seaa2023);
        string? stored = parse.GetValue(Runs);
        if ((seaa is null) == (stored is null))
        {
            throw new FormatException("Give the runs to analyse: either --seaa2023 DIR (the SEAA 2023 data folder) or --runs all|key=value,... (stored runs).");
        }

        if (stored is not null)
        {
            var tagFilter = stored.Trim().Equals("all", StringComparison.OrdinalIgnoreCase)
                ? RunFilter.Parse([])
                : RunFilter.Parse(stored.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            IReadOnlyList<Observation> fromStore = [];
            int code = StoreLocation.WithStore(context ?? throw new InvalidOperationException("--runs needs the CLI context"), parse.GetValue(Db), store =>
            {
                fromStore = StoreObservations.Load(store, _ => true);
                return 0;
            });
            if (code != 0)
            {
                throw new StoreUnavailableException();
            }

            if (fromStore.Count == 0)
            {
                throw new AnalysisDataException("The store has no completed runs with exit code 0; measure some with `trainwatt measure` or `trainwatt experiment run`.");
            }

            return RunFilter.Parse(parse.GetValue(Filter) ?? []).Apply(tagFilter.Apply(fromStore));
        }

        if (!Directory.Exists(seaa))
        {
            throw new AnalysisDataException($"--seaa2023 {seaa}: no such folder; give the folder that holds runs.csv.");
        }

        var source = parse.GetValue(EnergySource)!.ToLowerInvariant() switch
        {
            "authors" => SeaaEnergySource.Authors,
            "traces" => SeaaEnergySource.Traces,
            "parity" => SeaaEnergySource.Parity,
            var other => throw new FormatException($"--energy \"{other}\" is unknown; use authors, traces or parity."),
        };
        var runs = Seaa2023Runs.Load(seaa, source);
        return RunFilter.Parse(parse.GetValue(Filter) ?? []).Apply(runs);
    }

    /// <summary>Runs a command body, mapping bad input to one clear stderr line and a non-zero exit code.</summary>
    public static int Guard(CliContext context, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (StoreUnavailableException)
        {
            // StoreLocation has already written the message.
            return (int)ExitCode.CannotCreate;
        }
        catch (AnalysisDataException ex)
        {
            context.Diagnostic("error: " + ex.Message);
            return (int)ExitCode.DataError;
        }
        catch (FormatException ex)
        {
            context.Diagnostic("error: " + ex.Message);
            return (int)ExitCode.Usage;
        }
        catch (IOException ex)
        {
            context.Diagnostic("error: " + ex.Message);
            return (int)ExitCode.NoInput;
        }
        catch (UnauthorizedAccessException ex)
        {
            context.Diagnostic("error: " + ex.Message);
            return (int)ExitCode.NoPermission;
        }
    }
}

/// <summary>The store could not be opened; the message has already been written to stderr.</summary>
internal sealed class StoreUnavailableException : Exception
{
    public StoreUnavailableException()
        : base("The run store could not be opened.")
    {
    }
}
