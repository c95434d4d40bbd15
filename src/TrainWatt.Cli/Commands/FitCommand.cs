using System.CommandLine;
using System.Globalization;
using System.Text;
using TrainWatt.Estimation;

namespace TrainWatt.Cli.Commands;

/// <summary>
/// <c>trainwatt fit [--dataset CSV]... [--no-store] [--db PATH] [--family ridge-log-load] [--export FILE]
/// [--models-dir DIR] [--credit TEXT] [--json]</c>: fits TrainWatt's compact PRE model (power, epoch energy, epoch
/// duration) on the measured runs in the store plus optional CSV datasets, scores it on held-out rows, and saves it as
/// the next version in the models folder (or writes it to --export FILE).
/// </summary>
internal static class FitCommand
{
    public static Command Create(CliContext context)
    {
        var dataset = new Option<string[]>("--dataset") { Description = "PRE dataset CSV to add (repeatable), e.g. the journal set's training-set.csv.", AllowMultipleArgumentsPerToken = false };
        var noStore = new Option<bool>("--no-store") { Description = "Do not read measured runs from the store (fit on --dataset only)." };
        var db = StoreLocation.CreateOption();
        var family = new Option<string>("--family") { Description = "Affine family to fit: ridge-log-load (default), ridge-log-tdp, ridge, linear.", DefaultValueFactory = _ => PreModelFamilies.Default.Name };
        var export = new Option<string?>("--export") { Description = "Write the model JSON to this file instead of the models folder." };
        var modelsDir = new Option<string?>("--models-dir") { Description = $"Folder of fitted models; default ${PreModels.ModelsVariable}, else $XDG_DATA_HOME/trainwatt/models." };
        var version = new Option<int?>("--model-version") { Description = "Version number to record (default: the models folder's newest + 1, or 1 with --export)." };
        var credit = new Option<string?>("--credit") { Description = "Attribution of the data, recorded in the model file (e.g. the dataset's authors and licence)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object describing the fitted model." };
        var command = new Command("fit", "Fit TrainWatt's PRE model on measured runs (store) and datasets; version and save it for `estimate`.");
        foreach (Option o in new Option[] { dataset, noStore, db, family, export, modelsDir, version, credit, json })
        {
            command.Options.Add(o);
        }

        command.SetAction(parse =>
        {
            var rows = new List<PreRow>();
            var sources = new List<string>();
            try
            {
                foreach (string path in parse.GetValue(dataset) ?? [])
                {
                    var loaded = PreDataset.Load(path);
                    rows.AddRange(loaded);
                    sources.Add($"{Path.GetFileName(path)} ({loaded.Count} rows)");
                }
            }
            catch (FileNotFoundException ex)
            {
                context.Diagnostic("error: " + ex.Message);
                return (int)ExitCode.NoInput;
            }
            catch (PreDatasetException ex)
            {
                context.Diagnostic("error: " + ex.Message);
                return (int)ExitCode.DataError;
            }

            if (!parse.GetValue(noStore))
            {
                int rc = StoreLocation.WithStore(context, parse.GetValue(db), store =>
                {
                    var (stored, skipped) = PreStoreRows.Read(store);
                    rows.AddRange(stored);
                    sources.Add($"{stored.Count} measured runs from the store");
                    if (skipped.Count > 0)
                    {
                        context.Diagnostic($"note: {skipped.Count} stored run(s) not usable for PRE, e.g. {skipped[0]}");
                    }

                    return 0;
                });
                if (rc != 0)
                {
                    return rc;
                }
            }

            try
            {
                var fam = PreModelFamilies.Find(parse.GetValue(family)!);
                int needed = PreTrainer.MinimumRows(fam);
                if (rows.Count < needed)
                {
                    context.Diagnostic($"error: only {rows.Count} usable row(s); a {fam.Name} PRE model needs at least {needed} measured runs (with gflops, gpu, batch_size, input, train_samples, val_samples, ram_gb in the run's metadata or tags, GPU power and epochs) or a --dataset CSV.");
                    return (int)ExitCode.DataError;
                }

                string? exportPath = parse.GetValue(export);
                string folder = PreModels.ModelsDirectory(parse.GetValue(modelsDir), context);
                var existing = PreModels.ModelFiles(folder);
                int v = parse.GetValue(version) ?? (exportPath is null ? (existing.Count == 0 ? 1 : existing[^1].Version + 1) : 1);
                var model = PreTrainer.Fit(rows, fam, v, context.Time.GetUtcNow(), string.Join("; ", sources), parse.GetValue(credit) ?? "");
                string path = exportPath ?? Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"pre-model-v{v}.json"));
                string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
                if (dir is not null)
                {
                    Directory.CreateDirectory(dir);
                }

                File.WriteAllText(path, model.ToJson());
                context.WriteData(parse.GetValue(json) ? Summary(model, path, true) : Summary(model, path, false));
                return (int)ExitCode.Success;
            }
            catch (ArgumentException ex)
            {
                context.Diagnostic("error: " + ex.Message);
                return (int)ExitCode.Usage;
            }
            catch (IOException ex)
            {
                context.Diagnostic("error: cannot write the model file: " + ex.Message);
                return (int)ExitCode.CannotCreate;
            }
            catch (UnauthorizedAccessException ex)
            {
                context.Diagnostic("error: cannot write the model file: " + ex.Message);
                return (int)ExitCode.NoPermission;
            }
        });
        return command;
    }

    private static string Summary(CompactPreModel model, string path, bool json)
    {
        if (json)
        {
            return JsonOutput.Object(w =>
            {
                w.WriteString("path", path);
                w.WriteNumber("version", model.Version);
                w.WriteNumber("n_rows", model.Rows);
                w.WriteString("fitted_on", model.FittedOn);
                w.WriteStartObject("held_out");
                foreach (var (target, m) in model.Models.OrderBy(kv => kv.Key))
                {
                    w.WriteStartObject(target.Name());
                    w.WriteString("protocol", m.Scores.Protocol);
                    w.WriteNumber("r2", m.Scores.Metrics.R2);
                    w.WriteNumber("mape", m.Scores.Metrics.MapePercent);
                    w.WriteNumber("rmse", m.Scores.Metrics.Rmse);
                    w.WriteNumber("n", m.Scores.Metrics.Count);
                    w.WriteEndObject();
                }

                w.WriteEndObject();
            });
        }

        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(ci, $"Fitted PRE model v{model.Version} on {model.Rows} rows ({model.FittedOn}) -> {path}");
        foreach (var (target, m) in model.Models.OrderBy(kv => kv.Key))
        {
            sb.AppendLine(ci, $"  {target.Name(),-15} {m.Family}: held-out ({m.Scores.Protocol}) MAPE {m.Scores.Metrics.MapePercent:0.0} %, R2 {m.Scores.Metrics.R2:0.000}, RMSE {m.Scores.Metrics.Rmse:0.###} {target.Unit()}");
        }

        return sb.ToString();
    }
}
