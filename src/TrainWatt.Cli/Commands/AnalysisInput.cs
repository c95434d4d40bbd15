using System.CommandLine;
using TrainWatt.Analysis.Data;

namespace TrainWatt.Cli.Commands;

/// <summary>The run sources shared by analyze, recommend and report: --seaa2023 DIR and --filter key=value.</summary>
internal sealed class AnalysisInput
{
    public Option<string?> Seaa2023 { get; } = new("--seaa2023") { Description = "Folder holding the SEAA 2023 runs.csv (keys: architecture, environment, gpu; energy = the authors' energy (MJ), GPU only)." };

    public Option<string[]> Filter { get; } = new("--filter") { Description = "key=value filter on run keys, repeatable (same key: OR, different keys: AND), e.g. environment=Cloud.", AllowMultipleArgumentsPerToken = false };

    public void AddTo(Command command)
    {
        command.Options.Add(Seaa2023);
        command.Options.Add(Filter);
    }

    /// <summary>Loads and filters the runs; throws <see cref="AnalysisDataException"/> or <see cref="FormatException"/> with a user-facing message.</summary>
    public IReadOnlyList<Observation> Load(ParseResult parse)
    {
        string? seaa = parse.GetValue(Seaa2023);
        if (seaa is null)
        {
            throw new FormatException("Give the runs to analyse: --seaa2023 DIR (the SEAA 2023 data folder).");
        }

        if (!Directory.Exists(seaa))
        {
            throw new AnalysisDataException($"--seaa2023 {seaa}: no such folder; give the folder that holds runs.csv.");
        }

        var runs = Seaa2023Runs.Load(seaa);
        return RunFilter.Parse(parse.GetValue(Filter) ?? []).Apply(runs);
    }

    /// <summary>Runs a command body, mapping bad input to one clear stderr line and a non-zero exit code.</summary>
    public static int Guard(CliContext context, Func<int> body)
    {
        try
        {
            return body();
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
