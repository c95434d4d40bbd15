using System.CommandLine;
using System.Text;
using TrainWatt.Measurement.Store;

namespace TrainWatt.Cli.Commands;

/// <summary><c>trainwatt export</c>'s options.</summary>
/// <param name="RunIds">The runs.</param>
/// <param name="Format">--format.</param>
/// <param name="Table">--table (csv).</param>
/// <param name="OutPath">--out, or null for stdout.</param>
/// <param name="Intensity">--carbon-intensity in gCO2e/kWh, or null.</param>
/// <param name="Country">--country, or null.</param>
/// <param name="Pue">--pue.</param>
/// <param name="Project">--project.</param>
/// <param name="Db">--db, or null for the default store.</param>
internal sealed record ExportSettings(
    IReadOnlyList<long> RunIds,
    ExportFormat Format,
    ExportTable Table,
    string? OutPath,
    double? Intensity,
    string? Country,
    double? Pue,
    string Project,
    string? Db) : ICommandSettings
{
    public ExportRequest Request => new(RunIds, Format, Table, OutPath, new ExportCarbon(Intensity, Country, Pue), Project);

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        bool emissions = Request.IsEmissions;
        if (!emissions && RunIds.Count != 1)
        {
            problems.Add($"--format {OptionValues.Name(Format)} exports one run; got {RunIds.Count} ids. Run the command once per run, or use --format codecarbon for one row per run.");
        }

        if (Pue is { } pue && (!double.IsFinite(pue) || pue < 1.0))
        {
            problems.Add($"--pue must be at least 1.0 (facility energy / IT energy); got {OptionValues.Text(pue)}.");
        }
        else if (Pue is { } ratio && !Core.Footprint.PowerUsageEffectiveness.TryFromRatio(ratio, out _, out string? rule))
        {
            problems.Add("--pue: " + rule);
        }

        if (Intensity is { } given && (!double.IsFinite(given) || given < 0))
        {
            problems.Add($"--carbon-intensity must be a non-negative number of gCO2e/kWh; got {OptionValues.Text(given)}.");
        }
        else if (Intensity > Core.Footprint.FootprintCalculator.MaxIntensityGramsPerKilowattHour)
        {
            problems.Add($"--carbon-intensity must be at most 10,000 gCO2e/kWh; got {OptionValues.Text(Intensity.Value)}.");
        }

        return problems;
    }
}

/// <summary>
/// <c>trainwatt export ID... --format csv|json|codecarbon|boamps|model-card</c>: a stored run's samples or epochs as CSV,
/// everything as JSON, CodeCarbon-compatible <c>emissions.csv</c> rows, a BoAmps report or a model card's energy section (<see cref="RunExport"/>).
/// </summary>
internal static class ExportCommand
{
    public static Command Create(CliContext context)
    {
        var ids = new Argument<long[]>("ID") { Description = "Run id(s); csv and json take one, codecarbon one row per run.", Arity = ArgumentArity.OneOrMore };
        var format = new Option<ExportFormat>("--format")
        {
            Description = "csv (samples or epochs), json (everything), codecarbon or emissions (CodeCarbon 3.x emissions.csv rows), boamps (Boavizta AI energy report JSON), model-card (co2_eq_emissions + Markdown).",
            Required = true, HelpName = "csv|json|codecarbon|emissions|boamps|model-card",
            CustomParser = r => Enum.Parse<ExportFormat>(r.Tokens[0].Value.Replace("-", "", StringComparison.Ordinal), ignoreCase: true),
        };
        format.AcceptOnlyFromAmong("csv", "json", "codecarbon", "emissions", "boamps", "model-card");
        var table = new Option<ExportTable>("--table") { Description = "For csv: samples (default), epochs, or projections (the live STEP projection history).", HelpName = "samples|epochs|projections" }.OneOfEnum();
        var output = new Option<string?>("--out") { Description = "Write to FILE instead of stdout. An existing emissions.csv with the same columns gets the rows appended, as CodeCarbon does.", HelpName = "FILE" };
        var intensity = new Option<double?>("--carbon-intensity") { Description = "Grid carbon intensity in gCO2e/kWh (codecarbon, model-card, boamps).", HelpName = "G_PER_KWH" };
        var country = new Option<string?>("--country") { Description = "Take the carbon intensity from TrainWatt's table for this country (ISO code or name; WORLD for the world average) (codecarbon, model-card, boamps). Default: the world average, as measure and carbon.", HelpName = "ISO" };
        var pue = new Option<double?>("--pue") { Description = "Power usage effectiveness (>= 1) applied to energy_consumed and emissions (codecarbon, model-card, boamps). Default: the on-prem average 1.56, as measure and carbon (CodeCarbon assumes 1.0)." };
        var project = new Option<string>("--project") { Description = "project_name when the run has no 'project' tag (codecarbon).", DefaultValueFactory = _ => "trainwatt" };
        var db = StoreLocation.CreateOption();

        var command = new Command("export", "Export stored runs: samples/epochs as CSV, everything as JSON, or a CodeCarbon-compatible emissions.csv.");
        command.Arguments.Add(ids);
        foreach (var option in new Option[] { format, table, output, intensity, country, pue, project, db })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            var settings = new ExportSettings(
                parse.GetValue(ids) ?? [],
                parse.GetValue(format),
                parse.GetValue(table),
                parse.GetValue(output),
                parse.GetValue(intensity),
                parse.GetValue(country),
                parse.GetValue(pue),
                parse.GetValue(project)!,
                parse.GetValue(db)).ThrowIfInvalid();
            if (RunExport.Assumptions(settings.Request) is { } assumptions)
            {
                context.Diagnostic("export: " + assumptions);
            }

            // stdout's bytes through a 64 KB buffer (the console's writer flushes every few hundred characters): a long run's csv/json.
            using var stdout = context.StdoutBytes is { } bytes ? new StreamWriter(bytes, new UTF8Encoding(false), 1 << 16, leaveOpen: true) : null;
            RunExport.Export(settings.Request, stdout ?? context.Out.Profile.Out.Writer, settings.Db, context.Host);
            return (int)ExitCode.Success;
        });
        return command;
    }
}
