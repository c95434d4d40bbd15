using System.CommandLine;
using System.Globalization;
using System.Text;
using TrainWatt.Estimation;
using TrainWatt.Measurement.Pre;

namespace TrainWatt.Cli.Commands;

/// <summary><c>trainwatt fit</c>'s options, typed.</summary>
internal sealed record FitSettings(
    IReadOnlyList<string> Datasets, bool NoStore, string? Db, PreModelFamily Family, string? Export, string? ModelsDir, int? Version, string? Credit, bool Json,
    string? DataYear = null)
    : ICommandSettings
{
    public IReadOnlyList<string> Validate() => Version is < 1
        ? [$"--model-version must be 1 or more, got {Version}; leave it out to take the models folder's newest + 1."]
        : [];

    public PreFitRequest ToRequest() => new(Datasets, Family) { ExportPath = Export, ModelsDirectory = ModelsDir, Version = Version, Credit = Credit ?? "", DataYear = DataYear };
}

/// <summary>
/// <c>trainwatt fit [--dataset CSV]... [--no-store] [--db PATH] [--family step-time] [--export FILE]
/// [--models-dir DIR] [--credit TEXT] [--json]</c>: fits TrainWatt's compact PRE model (power, epoch energy, epoch
/// duration) on the measured runs in the store plus optional CSV datasets, scores it on held-out rows, and saves it as
/// the next version in the models folder (or writes it to --export FILE) (<see cref="PreFitting"/>).
/// </summary>
internal static class FitCommand
{
    public static Command Create(CliContext context)
    {
        var dataset = new Option<string[]>("--dataset") { Description = "PRE dataset CSV to add (repeatable), e.g. the journal set's training-set.csv.", AllowMultipleArgumentsPerToken = false };
        var noStore = new Option<bool>("--no-store") { Description = "Do not read measured runs from the store (fit on --dataset only)." };
        var db = StoreLocation.CreateOption();
        var family = TypedOptions.Choice(
            "--family", "Family to fit: step-time (default; duration from the physical step model, energy = power x duration), ridge-log-load, ridge-log-tdp, ridge, linear.", PreModelFamilies.Default,
            PreModelFamilies.All.Select(f => (f.Name, f)).ToArray());
        var export = new Option<string?>("--export") { Description = "Write the model JSON to this file instead of the models folder." };
        var modelsDir = new Option<string?>("--models-dir") { Description = $"Folder of fitted models; default ${PreModels.ModelsVariable}, else $XDG_DATA_HOME/trainwatt/models." };
        var version = new Option<int?>("--model-version") { Description = "Version number to record (default: the models folder's newest + 1, or 1 with --export)." };
        var credit = new Option<string?>("--credit") { Description = "Attribution of the data, recorded in the model file (e.g. the dataset's authors and licence)." };
        var dataYear = new Option<string?>("--data-year") { Description = "When the data was measured (e.g. 2022-2023), recorded with the model's training data." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object describing the fitted model." };
        var command = new Command("fit", "Fit TrainWatt's PRE model on measured runs (store) and datasets; version and save it for `estimate`.");
        foreach (Option o in new Option[] { dataset, noStore, db, family, export, modelsDir, version, credit, dataYear, json })
        {
            command.Options.Add(o);
        }

        command.SetAction(parse =>
        {
            var s = new FitSettings(
                parse.GetValue(dataset) ?? [], parse.GetValue(noStore), parse.GetValue(db), parse.GetValue(family).Value, parse.GetValue(export),
                parse.GetValue(modelsDir), parse.GetValue(version), parse.GetValue(credit), parse.GetValue(json), parse.GetValue(dataYear)).ThrowIfInvalid();
            return s.NoStore ? Fit(context, s, null) : StoreLocation.WithStore(context, s.Db, store => Fit(context, s, store));
        });
        return command;
    }

    private static int Fit(CliContext context, FitSettings settings, Storage.IRunStore? store)
    {
        var report = PreFitting.Fit(settings.ToRequest(), store, context);
        if (report.SkippedRuns.Count > 0)
        {
            context.Diagnostic($"note: {report.SkippedRuns.Count} stored run(s) not usable for PRE, e.g. {report.SkippedRuns[0]}");
        }

        context.WriteData(settings.Json ? TypedJsonContext.Write(FitJson.From(report), TypedJsonContext.Default.FitJson) : ToText(report));
        return (int)ExitCode.Success;
    }

    private static string ToText(PreFitReport report)
    {
        var ci = CultureInfo.InvariantCulture;
        var model = report.Model;
        var sb = new StringBuilder();
        sb.AppendLine(ci, $"Fitted PRE model v{model.Version} on {model.Rows} rows ({model.FittedOn}) -> {report.Path}");
        foreach (var (target, m) in model.Models.OrderBy(kv => kv.Key))
        {
            sb.AppendLine(ci, $"  {target.Name(),-15} {m.Family}: held-out ({m.Scores.Protocol}) MAPE {m.Scores.Metrics.MapePercent:0.0} %, R2 {m.Scores.Metrics.R2:0.000}, RMSE {m.Scores.Metrics.Rmse:0.###} {target.Unit()}");
        }

        return sb.ToString();
    }
}
