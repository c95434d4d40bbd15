using System.Globalization;
using System.Net;
using System.Text;
using TrainWatt.Core;
using TrainWatt.Core.Footprint;
using TrainWatt.Core.Projection;
using TrainWatt.Core.Units;
using TrainWatt.Measurement;
using TrainWatt.Storage;
using TrainWatt.Storage.Sqlite;

namespace TrainWatt.Reporting;

/// <summary>
/// The head of a single-run report: the energy of each device with how it was obtained (provenance) and what it covers
/// (attribution), a banner when every figure is modelled, carbon with its assumptions, the job's metrics, the PRE
/// estimate against what was measured, and the live projection against the measured total of the same quantity.
/// </summary>
public static class SingleRunReport
{
    /// <summary>The banner of a run whose every energy comes from a model.</summary>
    public const string ModelledBanner = "No hardware counter: modelled, not measured.";

    /// <summary>What a device's energy covers when its meter left no note: the whole device, every process on it.</summary>
    public static string Attribution(StoredDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return device.Note ?? device.Component switch
        {
            "gpu" => "the whole GPU: every process on it",
            "cpu" or "dram" or "psys" => "the whole package: every process on the machine",
            "ram" => "the process tree's memory",
            _ => "the whole device",
        };
    }

    /// <summary>How a provenance was obtained, in words, after its name.</summary>
    public static string HowObtained(Provenance provenance) => provenance switch
    {
        Provenance.Counter => "energy counter (last − first)",
        Provenance.Sampled => "power samples × time (trapezoid)",
        Provenance.Model => "model, not measured",
        Provenance.UserGiven => "given by the user",
        _ => ProvenanceText.Name(provenance),
    };

    /// <summary>Adds the banner, the energy table, carbon, metrics and the PRE comparison of <paramref name="details"/>.</summary>
    internal static void AddHead(HtmlReport report, IRunStore store, RunDetails details, ReportRequest request, HostContext? host)
    {
        AddEnergy(report, details);
        AddCarbon(report, details, request);
        AddMetrics(report, details);
        AddPre(report, store, details, host);
    }

    /// <summary>The energy of each device with its provenance and attribution; a banner when all of it is modelled.</summary>
    internal static void AddEnergy(HtmlReport report, RunDetails details)
    {
        var c = CultureInfo.InvariantCulture;
        var known = details.Energy.Where(e => e.Energy is not null).ToArray();
        var sb = new StringBuilder();
        if (known.Length > 0 && known.All(e => e.Provenance == Provenance.Model))
        {
            sb.Append("<div class=\"banner\">").Append(WebUtility.HtmlEncode(ModelledBanner))
              .Append(" Every energy figure in this report comes from a model (see “what it covers”), not from a meter.</div>");
        }
        else if (known.Any(e => e.Provenance == Provenance.Model))
        {
            sb.Append("<p class=\"warn\">").Append(WebUtility.HtmlEncode(string.Join(", ", known.Where(e => e.Provenance == Provenance.Model).Select(e => e.Device.Key))))
              .Append(" modelled, not measured; the other devices were measured.</p>");
        }

        var total = details.TotalEnergy;
        sb.Append("<table><tr><th class=\"l\">device</th><th class=\"l\">name</th><th>energy</th><th>share</th><th class=\"l\">provenance</th><th class=\"l\">how</th><th class=\"l\">what it covers (attribution)</th><th>mean W</th><th>max W</th><th>samples</th></tr>");
        foreach (var e in details.Energy)
        {
            string share = e.Energy is { } energy && total is { } t && t > Energy.Zero ? (energy / t * 100).ToString("0.0", c) + " %" : "–";
            sb.Append(c, $"<tr><td class=\"l\">{WebUtility.HtmlEncode(e.Device.Key)}</td><td class=\"l\">{WebUtility.HtmlEncode(e.Device.Name ?? e.Device.Component)}</td>")
              .Append(c, $"<td>{(e.Energy is { } en ? en.ToString() : "no data")}</td><td>{share}</td>")
              .Append(c, $"<td class=\"l\">{(e.Energy is null ? "–" : ProvenanceText.Name(e.Provenance))}</td><td class=\"l\">{(e.Energy is null ? "–" : WebUtility.HtmlEncode(HowObtained(e.Provenance)))}</td>")
              .Append(c, $"<td class=\"l\">{WebUtility.HtmlEncode(Attribution(e.Device))}</td><td>{(e.MeanPower is { } m ? Watts(m) : "–")}</td><td>{(e.MaxPower is { } x ? Watts(x) : "–")}</td><td>{e.Samples}</td></tr>");
        }

        string provenances = string.Join(", ", known.Select(e => ProvenanceText.Name(e.Provenance)).Distinct());
        sb.Append(c, $"<tr><th class=\"l\">total</th><th></th><th>{(total is { } sum ? sum.ToString() : "–")}</th><th>{(total is null ? "" : "100 %")}</th><th class=\"l\" colspan=\"6\">{(total is null ? WebUtility.HtmlEncode(details.NoEnergyReason ?? "") : $"sum of the devices ({provenances})")}</th></tr></table>");
        foreach (var e in details.Energy)
        {
            if (e.Energy is { } counter && e.SampledEnergy is { } sampled && Core.Accounting.CounterCheck.RelativeDifference(counter, sampled) is double diff)
            {
                string flag = Core.Accounting.CounterCheck.Disagrees(counter, sampled) ? ": they disagree by more than 5 %; the counter is reported" : "";
                sb.Append(c, $"<p>{WebUtility.HtmlEncode(e.Device.Key)}: counter {counter}, its sampled power integrated {sampled} ({diff * 100:+0.0;-0.0} %){flag}.</p>");
            }
        }

        if (details.Energy.Any(e => e.ExcludedDuration > TimeSpan.Zero))
        {
            sb.Append("<p>Gaps between samples longer than 5 s were left out of the sampled energy: a lower bound there.</p>");
        }

        report.AddHtml("Energy by device", sb.ToString());
    }

    /// <summary>Watts with 3 significant digits below 10 W (a RAM model's 0.004 W is not 0), else one decimal.</summary>
    private static string Watts(Power p) => p.Watts.ToString(Math.Abs(p.Watts) < 10 ? "G3" : "0.#", CultureInfo.InvariantCulture);

    /// <summary>
    /// Carbon of the run's energy with the PUE and grid it assumes and their sources: those of the request (report's
    /// --country, --region, --pue), else the defaults of <see cref="FootprintAssumptions.Resolve"/>, marked as defaults.
    /// </summary>
    internal static void AddCarbon(HtmlReport report, RunDetails details, ReportRequest request)
    {
        if (details.TotalEnergy is not { } energy)
        {
            report.AddParagraph("Carbon", "No carbon figure: the run has no energy measurement.");
            return;
        }

        var (pue, intensity) = FootprintAssumptions.Resolve(request.Country, request.Region, request.Pue);
        var f = FootprintCalculator.Compute(energy, pue, intensity);
        string provenances = string.Join(", ", details.Energy.Where(e => e.Energy is not null).Select(e => ProvenanceText.Name(e.Provenance)).Distinct());
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("<table>");
        sb.Append(c, $"<tr><th class=\"l\">IT energy (the devices above)</th><td>{energy}</td><td class=\"l\">{provenances}</td></tr>");
        sb.Append(c, $"<tr><th class=\"l\">× PUE</th><td>{f.Pue.Pue}</td><td class=\"l\">{WebUtility.HtmlEncode(f.Pue.Description)}</td></tr>");
        sb.Append(c, $"<tr><th class=\"l\">= facility energy</th><td>{f.FacilityEnergy}</td><td class=\"l\"></td></tr>");
        sb.Append(c, $"<tr><th class=\"l\">× grid carbon intensity</th><td>{f.Intensity!.Intensity}</td><td class=\"l\">{WebUtility.HtmlEncode(f.Intensity.Description)}</td></tr>");
        sb.Append(c, $"<tr><th class=\"l\">= emissions</th><td><b>{f.Emissions}</b></td><td class=\"l\">model: the assumptions above</td></tr></table>");
        sb.Append("<p>The store does not keep the grid and PUE that <code>measure</code> used; this report applies the ones given to <code>report</code> (--country, --region, --pue), else TrainWatt's defaults, marked [default].</p>");
        report.AddHtml("Carbon", sb.ToString());
    }

    /// <summary>The job's metrics (<c>##trainwatt metric name=value</c> lines; the last value of each name).</summary>
    internal static void AddMetrics(HtmlReport report, RunDetails details)
    {
        var metrics = StoreObservations.FromDetails(details).Scores;
        if (metrics.Count == 0)
        {
            report.AddParagraph("Metrics", "The job reported no metrics (print `##trainwatt metric name=value` lines, e.g. f1=0.97, to have them stored and compared).");
            return;
        }

        var rows = string.Concat(metrics.OrderBy(m => m.Key, StringComparer.Ordinal)
            .Select(m => string.Create(CultureInfo.InvariantCulture, $"<tr><td class=\"l\">{WebUtility.HtmlEncode(m.Key)}</td><td>{m.Value:G6}</td></tr>")));
        report.AddHtml("Metrics", "<table><tr><th class=\"l\">metric</th><th>value (last reported)</th></tr>" + rows + "</table>");
    }

    /// <summary>The PRE estimate of the run against what was measured, or why there is none.</summary>
    internal static void AddPre(HtmlReport report, IRunStore store, RunDetails details, HostContext? host)
    {
        const string title = "PRE estimate vs measured";
        var fields = PreStoreRows.Fields(details.Run);
        if (!PreStoreRows.PreKeys.Any(fields.ContainsKey))
        {
            report.AddParagraph(title, "No PRE estimate: the run is not described for PRE (tags architecture=NAME or gflops=X, batch_size, input=HxW, train_samples, val_samples, ram_gb; docs/pre.md).");
            return;
        }

        if (host is null)
        {
            report.AddParagraph(title, "No PRE estimate: no host context to find the PRE model (call RunReports.Build with one).");
            return;
        }

        // The comparison measure prints at the end of a run (MeasurePre), its lines kept for the reason when there is none.
        var lines = new List<string>();
        var comparison = MeasurePre.Report(host, store, details.Run.Id.ToString(CultureInfo.InvariantCulture), lines.Add);
        if (comparison is null)
        {
            string why = lines.Count > 0 ? lines[0] : "the run cannot be estimated";
            report.AddParagraph(title, "No PRE estimate: " + (why.StartsWith("PRE: ", StringComparison.Ordinal) ? why[5..] : why));
            return;
        }

        string model = EstimateJson.From(comparison)!.Model.Name;
        int epochs = comparison.Epochs;
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder(string.Create(c, $"<p>Model {WebUtility.HtmlEncode(model)} over the {epochs} recorded epochs; error = (estimate − measured) / measured. Estimates are model values; measured values as above.</p>"));
        sb.Append("<table><tr><th class=\"l\">quantity</th><th>estimate</th><th>measured</th><th>error</th></tr>");
        foreach (var (name, estimate, measured) in comparison.Pairs)
        {
            sb.Append(c, $"<tr><td class=\"l\">{name}</td><td>{estimate:0.###}</td><td>{measured:0.###}</td><td>{PreComparison.ErrorPercent(estimate, measured):+0.0;-0.0} %</td></tr>");
        }

        sb.Append(c, $"</table><p>Measured energy {(comparison.Inside ? "inside" : "outside")} the estimate's interval {comparison.Lower} to {comparison.Upper}.</p>");
        report.AddHtml(title, sb.ToString());
    }

    /// <summary>
    /// The measured energy of the quantity the projections projected: the whole process (start-up + epochs + tail) when
    /// they are whole-job projections, else the sum of the recorded epochs; with its name. Null when not measured yet.
    /// </summary>
    public static (Energy Energy, string Name)? MeasuredLikeProjected(RunDetails details, IReadOnlyList<ProjectionEntry> history)
    {
        ArgumentNullException.ThrowIfNull(details);
        ArgumentNullException.ThrowIfNull(history);
        if (history.Count == 0 || details.Run.Status != RunStatus.Completed)
        {
            return null;
        }

        if (history[^1].IsWholeJob)
        {
            return details.TotalEnergy is { } total && total > Energy.Zero ? (total, "measured whole process") : null;
        }

        var epochs = details.Epochs.Where(e => e.Energy is not null).ToArray();
        return epochs.Length == details.Epochs.Count && epochs.Length > 0
            ? (epochs.Aggregate(Energy.Zero, (sum, e) => sum + e.Energy!.Value), "measured sum of the epochs")
            : null;
    }

    /// <summary>The first and last projection against the measured quantity they projected, as a table.</summary>
    internal static string ProjectionTable(IReadOnlyList<ProjectionEntry> history, (Energy Energy, string Name)? measured)
    {
        var c = CultureInfo.InvariantCulture;
        string quantity = history[^1].IsWholeJob ? "the whole process (start-up + epochs + tail)" : "the sum of the epochs (start-up and tail not included)";
        var sb = new StringBuilder($"<p>The projections are of {quantity}; they are compared with the measured energy of the same quantity.</p>");
        sb.Append("<table><tr><th class=\"l\">projection</th><th>projected</th><th>interval</th><th>measured</th><th>error</th><th class=\"l\">interval held it</th></tr>");
        foreach (var (name, p) in history.Count == 1 ? [("after epoch " + history[0].Epoch.ToString(c), history[0])] : new[] { ("first, after epoch " + history[0].Epoch.ToString(c), history[0]), ("last, after epoch " + history[^1].Epoch.ToString(c), history[^1]) })
        {
            string m = measured is { } x ? x.Energy.ToString() : "not yet";
            string error = measured is { } y ? ((p.Projected - y.Energy) / y.Energy * 100).ToString("+0.0;-0.0;0.0", c) + " %" : "–";
            string held = measured is { } z ? (z.Energy >= p.Lower && z.Energy <= p.Upper ? "yes" : "no") : "–";
            sb.Append(c, $"<tr><td class=\"l\">{name}</td><td>{p.Projected}</td><td>{p.Lower} – {p.Upper} ({p.Confidence * 100:0.#} %)</td><td>{m}</td><td>{error}</td><td class=\"l\">{held}</td></tr>");
        }

        return sb.Append("</table>").ToString();
    }

    /// <summary>The status of a run as a phrase: "completed, exit code 0".</summary>
    internal static string Status(RunRecord run)
        => SqliteRunStore.StatusText(run.Status) + (run.ExitCode is { } code ? string.Create(CultureInfo.InvariantCulture, $", exit code {code}") : string.Empty);
}
