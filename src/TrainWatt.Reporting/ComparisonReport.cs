using System.Globalization;
using System.Net;
using System.Text;
using TrainWatt.Analysis.Comparison;
using TrainWatt.Analysis.Data;
using TrainWatt.Analysis.Recommendation;

namespace TrainWatt.Reporting;

/// <summary>The decision of a comparison as sentences: what to use, by how much, and what limits the claim.</summary>
/// <param name="Sentence">The recommendation with its saving and 95 % CI against the most accurate configuration.</param>
/// <param name="SameSetting">The saving against the most accurate configuration that shares every key but the first (e.g. the same environment); null when there is none.</param>
/// <param name="Caveats">What limits the decision: intervals that include no saving, missing intervals, small groups, predicted points, runs left out.</param>
public sealed record DecisionText(string Sentence, string? SameSetting, IReadOnlyList<string> Caveats);

/// <summary>
/// The parts of an experiment or SEAA report that lead with the decision: the recommendation as a sentence with its
/// interval and caveats (<see cref="Decide"/>), the pairwise comparisons that matter with the full table as CSV
/// (<see cref="PairsThatMatter"/>), and a heat map of the median cost per pair of keys.
/// </summary>
public static class ComparisonReport
{
    /// <summary>Groups with fewer runs than this are flagged in the caveats: their medians and intervals are not reliable.</summary>
    public const int SmallGroup = 3;

    /// <summary>The pairs file written beside the report.</summary>
    public const string PairwiseFile = "pairwise.csv";

    /// <summary>The recommendation of <paramref name="r"/> as sentences (<see cref="DecisionText"/>).</summary>
    public static DecisionText Decide(RecommendationResult r, IReadOnlyList<string> by)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(by);
        var c = CultureInfo.InvariantCulture;
        var caveats = new List<string>();
        string sentence;
        Saving? main = r.Savings.FirstOrDefault(s => ReferenceEquals(s.Against, r.MostAccurate));
        if (main is null)
        {
            var next = r.Savings.Where(s => !s.Against.Predicted).OrderByDescending(s => s.Against.Score).FirstOrDefault();
            sentence = string.Create(c, $"Use {r.Chosen.Label}: it is the most accurate configuration ({r.Score.Name} {r.Chosen.Score:F4}) and none within {r.MaxLoss:G3} of its {r.Score.Name} costs less")
                + (next is null ? "." : string.Create(c, $"; against the next most accurate, {next.Against.Label}, it uses {Percent(next.Fraction)} less {r.Cost.Name}{Interval(next)}."));
            if (next is not null)
            {
                AddIntervalCaveat(caveats, next, r);
            }
        }
        else
        {
            sentence = string.Create(c,
                $"Use {r.Chosen.Label}: it uses {Percent(main.Fraction)} less {r.Cost.Name} than the most accurate configuration, {r.MostAccurate.Label}{Interval(main)}, for {r.ScoreLoss:F4} less {r.Score.Name} ({r.Chosen.Score:F4} against {r.MostAccurate.Score:F4}; allowed loss {r.MaxLoss:G3}).");
            AddIntervalCaveat(caveats, main, r);
        }

        string? same = null;
        if (by.Count >= 2)
        {
            var peers = r.Savings.Where(s => !s.Against.Predicted && by.Skip(1).All(k => s.Against.Key.GetValueOrDefault(k) == r.Chosen.Key.GetValueOrDefault(k)));
            if (peers.OrderByDescending(s => s.Against.Score).ThenBy(s => s.Against.Cost).FirstOrDefault() is { } peer && !ReferenceEquals(peer.Against, r.MostAccurate))
            {
                string setting = string.Join(", ", by.Skip(1).Select(k => $"{k} {r.Chosen.Key.GetValueOrDefault(k)}"));
                same = string.Create(c,
                    $"Against the most accurate {by[0]} on the same {setting}, {peer.Against.Label}: {Percent(peer.Fraction)} less {r.Cost.Name}{Interval(peer)}, {r.Score.Name} {peer.ScoreDifference:+0.0000;-0.0000}.");
                AddIntervalCaveat(caveats, peer, r);
            }
        }

        var measured = r.Points.Where(p => !p.Predicted).ToArray();
        if (measured.Length > 0)
        {
            int min = measured.Min(p => p.N), max = measured.Max(p => p.N);
            string runs = min == max ? string.Create(c, $"{min} run{(min == 1 ? "" : "s")}") : string.Create(c, $"{min} to {max} runs");
            caveats.Add($"Each configuration's cost and {r.Score.Name} are medians of {runs}; intervals are 95 % bootstrap intervals of the ratio of medians.");
            var small = measured.Where(p => p.N < SmallGroup).ToArray();
            if (small.Length > 0)
            {
                caveats.Add(string.Create(c, $"Fewer than {SmallGroup} runs: {string.Join(", ", small.Select(p => $"{p.Label} (n={p.N})"))}: too few repetitions for a reliable median; repeat them before deciding."));
            }
        }

        caveats.AddRange(r.Notes);
        return new DecisionText(sentence, same, caveats.Distinct(StringComparer.Ordinal).ToArray());
    }

    private static void AddIntervalCaveat(List<string> caveats, Saving s, RecommendationResult r)
    {
        if (s.Lower is { } lo && s.Upper is { } hi)
        {
            if (lo <= 0 && hi >= 0)
            {
                caveats.Add(string.Create(CultureInfo.InvariantCulture,
                    $"Not enough repetitions to decide against {s.Against.Label}: the 95 % interval of the saving, {lo * 100:F1} % to {hi * 100:F1} %, includes no saving at all."));
            }
        }
        else
        {
            caveats.Add($"No interval for the saving against {s.Against.Label}: {(s.Against.Predicted || r.Chosen.Predicted ? "a predicted configuration has no run-to-run spread" : "it or the recommendation has a single run")}.");
        }
    }

    private static string Percent(double fraction) => (fraction * 100).ToString("F1", CultureInfo.InvariantCulture) + " %";

    private static string Interval(Saving s) => s.Lower is { } lo && s.Upper is { } hi
        ? string.Create(CultureInfo.InvariantCulture, $" (95 % CI {lo * 100:F1} % to {hi * 100:F1} %)")
        : " (no interval)";

    /// <summary>The decision box: the sentence, the same-setting comparison, the caveats.</summary>
    public static string DecisionHtml(DecisionText d)
    {
        ArgumentNullException.ThrowIfNull(d);
        var sb = new StringBuilder("<div class=\"decision\"><p><b>").Append(WebUtility.HtmlEncode(d.Sentence)).Append("</b></p>");
        if (d.SameSetting is not null)
        {
            sb.Append("<p>").Append(WebUtility.HtmlEncode(d.SameSetting)).Append("</p>");
        }

        sb.Append("</div>");
        if (d.Caveats.Count > 0)
        {
            sb.Append("<p>Caveats:</p><ul>").AppendJoin(string.Empty, d.Caveats.Select(x => "<li>" + WebUtility.HtmlEncode(x) + "</li>")).Append("</ul>");
        }

        return sb.ToString();
    }

    /// <summary>
    /// The pairs that matter: those involving <paramref name="focus"/> (the recommendation) when given, else those that
    /// differ at Holm-adjusted p &lt; 0.05 (at most 15, smallest p first); the full table goes to <see cref="PairwiseFile"/>.
    /// </summary>
    public static IReadOnlyList<PosthocPair> PairsThatMatter(GroupAnalysisResult analysis, string? focus)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        return focus is not null && analysis.Posthoc.Any(p => p.A.Label == focus || p.B.Label == focus)
            ? analysis.Posthoc.Where(p => p.A.Label == focus || p.B.Label == focus).OrderBy(p => p.PHolm).ToArray()
            : analysis.Posthoc.Where(p => p.PHolm < 0.05).OrderBy(p => p.PHolm).Take(15).ToArray();
    }

    /// <summary>Every post-hoc pair as CSV (invariant culture): a, b, z, p, p_holm, cliffs_delta, magnitude, significant.</summary>
    public static string PairwiseCsv(GroupAnalysisResult analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var sb = new StringBuilder("a,b,z,p,p_holm,cliffs_delta,magnitude,significant_holm_0.05\n");
        foreach (var p in analysis.Posthoc)
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"{Csv(p.A.Label)},{Csv(p.B.Label)},{p.Z:R},{p.P:R},{p.PHolm:R},{p.CliffsDelta.Delta:R},{p.CliffsDelta.Magnitude.ToString().ToLowerInvariant()},{(p.PHolm < 0.05 ? "yes" : "no")}\n");
        }

        return sb.ToString();
    }

    private static string Csv(string text) => text.Contains(',', StringComparison.Ordinal) || text.Contains('"', StringComparison.Ordinal)
        ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
        : text;

    /// <summary>The groups table, the omnibus tests, the pairs that matter and a link to the full pairs CSV (written beside the page).</summary>
    internal static void AddComparison(HtmlReport report, GroupAnalysisResult analysis, string? focus)
    {
        var c = CultureInfo.InvariantCulture;
        var pairs = PairsThatMatter(analysis, focus);
        int significant = analysis.Posthoc.Count(p => p.PHolm < 0.05);
        var sb = new StringBuilder(HtmlReport.GroupTables(analysis));
        if (analysis.Posthoc.Count > 0)
        {
            report.AddFile(PairwiseFile, PairwiseCsv(analysis));
            string which = focus is not null && pairs.Count > 0 && (pairs[0].A.Label == focus || pairs[0].B.Label == focus)
                ? $"the {pairs.Count} pairs with the recommendation, {WebUtility.HtmlEncode(focus)}"
                : string.Create(c, $"the {pairs.Count} pairs that differ most (Holm p < 0.05{(significant > pairs.Count ? ", smallest p first" : string.Empty)})");
            sb.Append(c, $"<p>Dunn pairs: {significant} of {analysis.Posthoc.Count} differ at Holm-adjusted p &lt; 0.05. Shown: {which}. All {analysis.Posthoc.Count} pairs: <a href=\"{PairwiseFile}\">{PairwiseFile}</a> (beside this page).</p>");
            sb.Append(HtmlReport.PairTable(pairs));
        }

        report.AddHtml("Comparison", sb.ToString());
    }

    /// <summary>The two keys of a heat map: the varied keys of the runs, a model-like key as rows and an environment-like key as columns when there are such; null with the reason when fewer than two keys vary.</summary>
    public static (string Row, string Column)? HeatMapKeys(IReadOnlyList<Observation> runs, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(runs);
        string[] ignored = ["experiment", "config", "rep"];
        var varied = runs.SelectMany(r => r.Keys.Keys).Distinct(StringComparer.Ordinal)
            .Where(k => !ignored.Contains(k) && runs.Select(r => r.Keys.GetValueOrDefault(k)).Distinct().Count() > 1)
            .Order(StringComparer.Ordinal).ToList();
        if (varied.Count < 2)
        {
            reason = varied.Count == 0 ? "the runs vary no setting besides their config" : $"the runs vary one setting only ({varied[0]}); the box plots compare its values";
            return null;
        }

        string[] rowLike = ["architecture", "model", "arch", "network"];
        string[] columnLike = ["environment", "gpu", "device", "host", "machine"];
        string row = varied.FirstOrDefault(k => rowLike.Contains(k, StringComparer.OrdinalIgnoreCase)) ?? varied[0];
        string column = varied.FirstOrDefault(k => k != row && columnLike.Contains(k, StringComparer.OrdinalIgnoreCase)) ?? varied.First(k => k != row);
        reason = null;
        return (row, column);
    }

    /// <summary>The median cost of the runs per (row, column) pair of key values.</summary>
    internal static IReadOnlyList<HeatCell> Cells(IReadOnlyList<Observation> runs, string row, string column, Metric cost)
        => runs.Where(r => r.Keys.ContainsKey(row) && r.Keys.ContainsKey(column) && cost.ValueOf(r) is not null)
            .GroupBy(r => (R: r.Keys[row], C: r.Keys[column]))
            .Select(g => new HeatCell(g.Key.R, g.Key.C, Analysis.Statistics.Descriptive.Median(g.Select(r => cost.ValueOf(r)!.Value).ToArray()), g.Count()))
            .ToArray();
}
