using System.CommandLine;
using TrainWatt.Analysis.Data;
using TrainWatt.Measurement.Comparisons;
using TrainWatt.Storage;

namespace TrainWatt.Cli.Commands;

/// <summary>The run sources shared by analyze, recommend and report: --seaa2023 DIR or --runs, --energy and --filter key=value.</summary>
internal sealed class AnalysisInput
{
    public Option<string?> Seaa2023 { get; } = new("--seaa2023") { Description = "Folder holding the SEAA 2023 runs.csv (keys: architecture, environment, gpu; energy = the authors' energy (MJ), GPU only)." };

    public Option<Spelt<SeaaEnergySource>> EnergySource { get; } = TypedOptions.Choice(
        "--energy", "SEAA 2023 energy: authors (default: runs.csv energy (MJ), GPU only), traces (TrainWatt's trapezoid over each whole GPU trace), parity (the authors' procedure re-run on the traces).",
        SeaaEnergySource.Authors, ("authors", SeaaEnergySource.Authors), ("traces", SeaaEnergySource.Traces), ("parity", SeaaEnergySource.Parity));

    public Option<IReadOnlyList<string>?> Runs { get; } = TypedOptions.Parsed<IReadOnlyList<string>>(
        "--runs", "Stored runs to analyse: all, or tag filters key=value[,key=value] (e.g. experiment=demo). Keys are the runs' tags; energy is the sum over devices; scores are their ##trainwatt metric lines.",
        text => text.Trim().Equals("all", StringComparison.OrdinalIgnoreCase) ? [] : TypedOptions.CommaList(text));

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

    /// <summary>The runs the options select (checked by <see cref="Problems"/>, not here).</summary>
    public RunSelection Selection(ParseResult parse) => new()
    {
        Seaa2023Directory = parse.GetValue(Seaa2023),
        Energy = parse.GetValue(EnergySource).Value,
        StoredTags = parse.GetValue(Runs),
        Filters = parse.GetValue(Filter) ?? [],
    };

    /// <summary>What is wrong with a selection for analyze and recommend: exactly one source.</summary>
    public static IEnumerable<string> Problems(RunSelection selection)
    {
        if ((selection.Seaa2023Directory is null) == (selection.StoredTags is null))
        {
            yield return "Give the runs to analyse: either --seaa2023 DIR (the SEAA 2023 data folder) or --runs all|key=value,... (stored runs).";
        }
    }

    /// <summary>Runs <paramref name="body"/> with the store open when <paramref name="fromStore"/> (store failures: one line, exit 73), else with null.</summary>
    public static int WithStoreIf(CliContext context, bool fromStore, string? db, Func<IRunStore?, int> body)
        => fromStore ? StoreLocation.WithStore(context, db, store => body(store)) : body(null);
}
