using System.Globalization;
using System.Net;
using System.Text;
using TrainWatt.Analysis.Comparison;
using TrainWatt.Analysis.Recommendation;

namespace TrainWatt.Reporting;

/// <summary>
/// A self-contained HTML report: inline CSS, PNG plots embedded as base64 data URIs (and also written beside the page),
/// tables; nothing is fetched at view time.
/// </summary>
public sealed class HtmlReport
{
    private readonly List<(string Kind, string Title, string Body, byte[]? Png, string? FileName)> _sections = [];
    private readonly List<(string FileName, string Content)> _files = [];
    private int _plots;

    public HtmlReport(string title, string subtitle)
    {
        Title = title;
        Subtitle = subtitle;
    }

    public string Title { get; }

    public string Subtitle { get; }

    /// <summary>Told after each plot is drawn ("building the report: plot 3 drawn (box-plots.png)"): the progress of a long report.</summary>
    public Action<string>? Progress { get; set; }

    public void AddPlot(string title, string fileName, byte[] png, string caption)
    {
        _sections.Add(("plot", title, caption, png, fileName));
        Progress?.Invoke($"building the report: plot {++_plots} drawn ({fileName})");
    }

    public void AddHtml(string title, string html) => _sections.Add(("html", title, html, null, null));

    public void AddParagraph(string title, string text) => _sections.Add(("html", title, "<p>" + WebUtility.HtmlEncode(text) + "</p>", null, null));

    /// <summary>A plot with the caption that describes it (<see cref="Figure.Caption"/>).</summary>
    internal void AddFigure(string title, string fileName, Figure figure) => AddPlot(title, fileName, figure.Png(), figure.Caption);

    /// <summary>A text file (e.g. a CSV table) written beside the page; link it with <c>href="FILE"</c>.</summary>
    public void AddFile(string fileName, string content) => _files.Add((fileName, content));

    /// <summary>The names of the files written beside index.html: the plots' PNGs and the added files.</summary>
    public IReadOnlyList<string> Files => [.. _sections.Where(s => s.FileName is not null).Select(s => s.FileName!), .. _files.Select(f => f.FileName)];

    /// <summary>Writes index.html and the PNG files into <paramref name="directory"/>; returns the page's path.</summary>
    public string Write(string directory)
    {
        Directory.CreateDirectory(directory);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(WebUtility.HtmlEncode(Title)).Append("</title>\n");
        sb.Append("<style>body{font-family:sans-serif;margin:2em;max-width:1100px;color:#222}h1{margin-bottom:0}")
          .Append(".sub{color:#666;margin-top:.2em}img{max-width:100%;border:1px solid #ddd}table{border-collapse:collapse;margin:1em 0}")
          .Append("td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right;white-space:nowrap}td.l,th.l{white-space:normal}th{background:#f3f3f3}td.l,th.l{text-align:left}")
          .Append(".cap{color:#555;font-size:.9em}.banner{background:#fff3cd;border:2px solid #d39e00;padding:.6em 1em;font-weight:bold}")
          .Append(".decision{background:#eef6ee;border-left:6px solid #2e7d32;padding:.6em 1em;font-size:1.1em}.warn{color:#8a4b00}</style></head><body>\n");
        sb.Append("<h1>").Append(WebUtility.HtmlEncode(Title)).Append("</h1><p class=\"sub\">").Append(WebUtility.HtmlEncode(Subtitle)).Append("</p>\n");
        foreach (var s in _sections)
        {
            sb.Append("<h2>").Append(WebUtility.HtmlEncode(s.Title)).Append("</h2>\n");
            if (s.Png is not null)
            {
                File.WriteAllBytes(Path.Combine(directory, s.FileName!), s.Png);
                sb.Append("<img alt=\"").Append(WebUtility.HtmlEncode(s.Title)).Append("\" src=\"data:image/png;base64,").Append(Convert.ToBase64String(s.Png)).Append("\">\n");
                sb.Append("<p class=\"cap\">").Append(WebUtility.HtmlEncode(s.Body)).Append(" (also saved as ").Append(WebUtility.HtmlEncode(s.FileName!)).Append(")</p>\n");
            }
            else
            {
                sb.Append(s.Body).Append('\n');
            }
        }

        foreach (var (fileName, content) in _files)
        {
            File.WriteAllText(Path.Combine(directory, fileName), content);
        }

        sb.Append("</body></html>\n");
        string path = Path.Combine(directory, "index.html");
        File.WriteAllText(path, sb.ToString());
        return path;
    }

    /// <summary>The groups with medians and CIs, and the omnibus tests (Kruskal-Wallis, Levene).</summary>
    public static string GroupTables(GroupAnalysisResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(c, $"<table><tr><th class=\"l\">group</th><th>n</th><th>median ({WebUtility.HtmlEncode(r.Metric.Unit)})</th><th>95% CI</th><th>Shapiro-Wilk p</th></tr>");
        foreach (var g in r.Groups)
        {
            string ci = g.MedianCi is { } i ? string.Create(c, $"{i.Lower:G4} – {i.Upper:G4}") : "–";
            sb.Append(c, $"<tr><td class=\"l\">{WebUtility.HtmlEncode(g.Label)}</td><td>{g.N}</td><td>{g.Median:G5}</td><td>{ci}</td><td>{(g.Shapiro is { } s ? s.P.ToString("G3", c) : "–")}</td></tr>");
        }

        sb.Append("</table>");
        if (r.KruskalWallis is { } kw)
        {
            sb.Append(c, $"<p>Kruskal-Wallis: H = {kw.H:G6}, df = {kw.Df}, p = {kw.P:G3}, η² = {kw.EtaSquared:G3}.");
            if (r.Levene is { } lev)
            {
                sb.Append(c, $" Levene (median): W = {lev.W:G4}, p = {lev.P:G3}.");
            }

            sb.Append("</p>");
        }

        return sb.ToString();
    }

    /// <summary>Post-hoc pairs: Dunn's z, Holm-adjusted p, Cliff's delta and its magnitude.</summary>
    public static string PairTable(IReadOnlyList<PosthocPair> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("<table><tr><th class=\"l\">A</th><th class=\"l\">B</th><th>z</th><th>p (Holm)</th><th>Cliff's δ</th><th class=\"l\">magnitude</th></tr>");
        foreach (var p in pairs)
        {
            sb.Append(c, $"<tr><td class=\"l\">{WebUtility.HtmlEncode(p.A.Label)}</td><td class=\"l\">{WebUtility.HtmlEncode(p.B.Label)}</td><td>{p.Z:F2}</td><td>{p.PHolm:G3}</td><td>{p.CliffsDelta.Delta:F3}</td><td class=\"l\">{p.CliffsDelta.Magnitude.ToString().ToLowerInvariant()}</td></tr>");
        }

        return sb.Append("</table>").ToString();
    }

    /// <summary>The saving of the recommendation against every other configuration, with its CI and the score difference.</summary>
    public static string RecommendationTable(RecommendationResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(c, $"<p>Recommended: {WebUtility.HtmlEncode(r.Chosen.Label)} ({r.Score.Name} {r.Chosen.Score:F4}, {r.Cost.Name} {r.Chosen.Cost:G4} {r.Cost.Unit}); most accurate: {WebUtility.HtmlEncode(r.MostAccurate.Label)} ({r.Score.Name} {r.MostAccurate.Score:F4}); loss {r.ScoreLoss:F4} of an allowed {r.MaxLoss:G3}. Saving = 1 − median cost of the recommendation / median cost of the other.</p>");
        sb.Append("<table><tr><th class=\"l\">against</th><th>n</th><th>saving</th><th>95% CI</th><th>score difference</th></tr>");
        foreach (var s in r.Savings)
        {
            string ci = s.Lower is { } lo && s.Upper is { } hi ? string.Create(c, $"{lo * 100:F1} – {hi * 100:F1} %") : "–";
            sb.Append(c, $"<tr><td class=\"l\">{WebUtility.HtmlEncode(s.Against.Label)}</td><td>{s.Against.N}</td><td>{s.Fraction * 100:F2} %</td><td>{ci}</td><td>{s.ScoreDifference:+0.0000;-0.0000}</td></tr>");
        }

        sb.Append("</table>");
        return sb.ToString();
    }
}
