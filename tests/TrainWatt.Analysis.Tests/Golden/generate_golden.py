#!/usr/bin/python3
"""Generates the golden values the TrainWatt.Analysis tests compare against.

Run with Debian's interpreter from the repository root:
    apt-get install -y python3-scipy python3-pandas python3-statsmodels r-base-core
    /usr/bin/python3 tests/TrainWatt.Analysis.Tests/Golden/generate_golden.py

Oracles (versions are written into the files):
  * scipy.stats: shapiro, levene, kruskal, mannwhitneyu, pearsonr, spearmanr, norm/binom.
  * statsmodels: anova_lm(typ=2) for the two-way ANOVA; multipletests('holm') for Holm.
  * R (if Rscript is installed): shapiro.test, double precision (scipy 1.10's swilk runs in single precision).
  * Dunn's z by its textbook formula (scikit-posthocs is not packaged by Debian); Cliff's delta by brute force over all
    pairs; the exact bootstrap distribution of the median from the binomial distribution.
Synthetic inputs come from numpy's seeded generator and are written into statistics.json with the expected values.
The SEAA 2023 section reads ../shared/data/seaa2023 (when present) and commits only the resulting numbers.
"""
import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import scipy
import scipy.stats as st
import statsmodels
import statsmodels.formula.api as smf
from statsmodels.stats.anova import anova_lm
from statsmodels.stats.multitest import multipletests

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
SEAA = os.path.join(REPO, "..", "shared", "data", "seaa2023")
rng = np.random.default_rng(20231124)


def fl(a):
    return [float(v) for v in a]


def dunn_holm(groups):
    """Dunn (1964) with tie correction, two-sided normal p, Holm over all pairs (pairs in order (0,1),(0,2)...)."""
    allv = np.concatenate(groups)
    n = len(allv)
    ranks = st.rankdata(allv)
    _, counts = np.unique(allv, return_counts=True)
    tie = float(np.sum(counts ** 3 - counts))
    var = n * (n + 1) / 12.0 - tie / (12.0 * (n - 1))
    means, off = [], 0
    for g in groups:
        means.append(ranks[off:off + len(g)].mean())
        off += len(g)
    pairs = []
    for a in range(len(groups)):
        for b in range(a + 1, len(groups)):
            se = np.sqrt(var * (1.0 / len(groups[a]) + 1.0 / len(groups[b])))
            z = (means[a] - means[b]) / se
            pairs.append((a, b, float(z), float(2 * st.norm.sf(abs(z)))))
    holm = multipletests([p[3] for p in pairs], method="holm")[1]
    return [{"a": a, "b": b, "z": z, "p": p, "p_holm": float(h)} for (a, b, z, p), h in zip(pairs, holm)]


def cliffs(x, y):
    x = np.asarray(x)[:, None]
    y = np.asarray(y)[None, :]
    return float((np.sum(x > y) - np.sum(x < y)) / (x.size * y.size))


def r_shapiro(samples):
    """R's shapiro.test on each sample; None when R is absent."""
    try:
        script = "x <- scan(file('stdin'), what=character(), sep='\\n', quiet=TRUE)\n" \
                 "for (line in x) { v <- as.numeric(strsplit(line, ' ')[[1]]); r <- shapiro.test(v); " \
                 "cat(sprintf('%.17g %.17g\\n', r$statistic, r$p.value)) }"
        text = "\n".join(" ".join(repr(float(v)) for v in s) for s in samples) + "\n"
        out = subprocess.run(["Rscript", "-e", script], input=text, capture_output=True, text=True, check=True).stdout
        rows = [list(map(float, line.split())) for line in out.strip().splitlines()]
        version = subprocess.run(["Rscript", "-e", "cat(R.version.string)"], capture_output=True, text=True).stdout
        return rows, version
    except (OSError, subprocess.CalledProcessError):
        return None, None


def statistics():
    out = {"generator": "generate_golden.py", "scipy": scipy.__version__, "numpy": np.__version__,
           "statsmodels": statsmodels.__version__}

    # Shapiro-Wilk: normal, skewed and uniform samples across the n <= 11 and n > 11 branches.
    samples = []
    for n in (3, 4, 5, 7, 11, 12, 20, 50, 200, 1000):
        samples.append(rng.normal(10, 2, n))
        samples.append(rng.exponential(1.0, n))
    samples.append(rng.uniform(0, 1, 30))
    r_rows, r_version = r_shapiro(samples)
    out["r_version"] = r_version
    sw = []
    for i, s in enumerate(samples):
        res = st.shapiro(s)
        case = {"x": fl(s), "w_scipy": float(res.statistic), "p_scipy": float(res.pvalue)}
        if r_rows is not None:
            case["w_r"], case["p_r"] = r_rows[i]
        sw.append(case)
    out["shapiro"] = sw

    # Levene / Brown-Forsythe with unequal spreads and sizes.
    lev = []
    for sizes, scales in (((10, 12, 15), (1, 1.5, 3)), ((30, 30), (1, 1.1)), ((5, 8, 6, 9), (2, 2, 2, 5))):
        groups = [rng.normal(0, sc, n) for n, sc in zip(sizes, scales)]
        for center in ("median", "mean"):
            r = st.levene(*groups, center=center)
            lev.append({"groups": [fl(g) for g in groups], "center": center, "w": float(r.statistic), "p": float(r.pvalue)})
    out["levene"] = lev

    # Kruskal-Wallis, Dunn-Holm and Cliff's delta: with ties (rounded values) and without.
    kw = []
    for sizes, shifts, decimals in (((8, 10, 12), (0, 0.5, 1.5), 1), ((30, 30, 30, 30, 30), (0, 0.2, 0.4, 2, 2.1), None),
                                    ((6, 7, 9, 5), (0, 0, 0.1, 0.3), 0)):
        groups = [rng.normal(s, 1, n) for n, s in zip(sizes, shifts)]
        if decimals is not None:
            groups = [np.round(g, decimals) for g in groups]
        r = st.kruskal(*groups)
        k, n = len(groups), sum(sizes)
        kw.append({"groups": [fl(g) for g in groups], "h": float(r.statistic), "p": float(r.pvalue),
                   "eta2": float((r.statistic - k + 1) / (n - k)), "dunn": dunn_holm(groups),
                   "cliffs": [[cliffs(groups[a], groups[b]) for b in range(k)] for a in range(k)]})
    out["kruskal"] = kw

    # Holm against statsmodels on a fixed vector with ties and values that cap at 1.
    pv = [0.01, 0.04, 0.03, 0.005, 0.04, 0.5, 0.2]
    out["holm"] = {"p": pv, "adjusted": fl(multipletests(pv, method="holm")[1])}

    # Mann-Whitney U: asymptotic with ties, exact small samples, and scipy's default 'auto'.
    mw = []
    x1, y1 = np.round(rng.normal(0, 1, 15), 1), np.round(rng.normal(0.7, 1, 20), 1)
    x2, y2 = rng.normal(0, 1, 6), rng.normal(1, 1, 7)
    x3, y3 = rng.normal(0, 1, 40), rng.normal(0.3, 1.3, 35)
    for x, y in ((x1, y1), (x2, y2), (x3, y3)):
        for method in ("auto", "asymptotic", "exact"):
            if method == "exact" and (len(np.unique(np.concatenate([x, y]))) < len(x) + len(y) or len(x) * len(y) > 2000):
                continue
            for alt in ("two-sided", "greater", "less"):
                r = st.mannwhitneyu(x, y, alternative=alt, method=method)
                mw.append({"x": fl(x), "y": fl(y), "method": method, "alternative": alt,
                           "u": float(r.statistic), "p": float(r.pvalue)})
    out["mannwhitney"] = mw

    # Pearson and Spearman with every alternative (one positive, one weak negative, one with ties).
    corr = []
    a = rng.normal(0, 1, 25)
    b = 0.6 * a + rng.normal(0, 1, 25)
    c = rng.normal(0, 1, 40)
    d = -0.2 * c + rng.normal(0, 1, 40)
    e = np.round(rng.normal(0, 1, 30), 0)
    f = np.round(e + rng.normal(0, 1, 30), 0)
    for x, y in ((a, b), (c, d), (e, f)):
        for alt in ("two-sided", "greater", "less"):
            p = st.pearsonr(x, y, alternative=alt)
            s = st.spearmanr(x, y, alternative=alt)
            corr.append({"x": fl(x), "y": fl(y), "alternative": alt, "pearson_r": float(p.statistic),
                         "pearson_p": float(p.pvalue), "spearman_r": float(s.correlation), "spearman_p": float(s.pvalue)})
    out["correlation"] = corr

    # Two-way ANOVA, type II, unbalanced 3 x 2 design with an interaction.
    rows = []
    effects = {("p", "u"): 0.0, ("p", "v"): 0.5, ("q", "u"): 1.0, ("q", "v"): 1.2, ("r", "u"): 2.0, ("r", "v"): 3.0}
    sizes = {("p", "u"): 5, ("p", "v"): 7, ("q", "u"): 6, ("q", "v"): 4, ("r", "u"): 8, ("r", "v"): 5}
    for key, mu in effects.items():
        for v in rng.normal(mu, 0.8, sizes[key]):
            rows.append({"a": key[0], "b": key[1], "y": float(v)})
    df = pd.DataFrame(rows)
    table = anova_lm(smf.ols("y ~ C(a) * C(b)", data=df).fit(), typ=2)
    res_ss = float(table.loc["Residual", "sum_sq"])

    def term(name):
        ss = float(table.loc[name, "sum_sq"])
        return {"ss": ss, "df": int(table.loc[name, "df"]), "f": float(table.loc[name, "F"]),
                "p": float(table.loc[name, "PR(>F)"]), "partial_eta2": ss / (ss + res_ss)}

    out["anova2"] = {"a": list(df.a), "b": list(df.b), "y": list(df.y), "type": 2, "A": term("C(a)"), "B": term("C(b)"),
                     "AB": term("C(a):C(b)"), "residual_ss": res_ss, "residual_df": int(table.loc["Residual", "df"])}

    # Exact bootstrap distribution of the median of an odd-sized sample (n = 2m + 1): the resampled median is the
    # k-th order statistic or less iff at least m + 1 draws fall at or below it: P = P(Binom(n, k/n) >= m + 1).
    boot = []
    for n in (15, 31):
        x = np.sort(rng.lognormal(0, 0.5, n))
        cdf = [float(st.binom.sf(n // 2, n, k / n)) for k in range(1, n + 1)]
        boot.append({"x": fl(x), "median": float(np.median(x)), "cdf_at_order_statistic": cdf})
    out["bootstrap_median"] = boot
    return out


def seaa():
    runs = pd.read_csv(os.path.join(SEAA, "runs.csv"))
    runs["epi"] = runs["energy (MJ)"] * 1e6 / runs["total seen images"]
    out = {"generator": "generate_golden.py", "scipy": scipy.__version__, "source": "../shared/data/seaa2023/runs.csv",
           "metric": "energy per seen image = energy (MJ) * 1e6 / total seen images (J)"}
    cloud = runs[runs["training environment"] == "Cloud"]
    archs = sorted(cloud.architecture.unique())
    groups = [cloud[cloud.architecture == a]["epi"].to_numpy() for a in archs]
    kw = st.kruskal(*groups)
    k, n = len(groups), sum(len(g) for g in groups)
    out["cloud"] = {
        "groups": [{"architecture": a, "n": int(len(g)), "median": float(np.median(g))} for a, g in zip(archs, groups)],
        "kruskal_wallis": {"h": float(kw.statistic), "p": float(kw.pvalue), "eta2": float((kw.statistic - k + 1) / (n - k))},
        "posthoc": [dict(p, a=archs[p["a"]], b=archs[p["b"]], cliffs_delta=cliffs(groups[p["a"]], groups[p["b"]]))
                    for p in dunn_holm(groups)],
        "shapiro": [dict(zip(("w", "p"), map(float, st.shapiro(g)))) for g in groups],
        "levene": dict(zip(("w", "p"), map(float, st.levene(*groups)))),
    }

    # Two-way ANOVA (type II) architecture x environment on Cloud + Local ML Engineer/Gamer, as the paper's table.
    two = runs[runs["training environment"].isin(["Cloud", "Local ML Engineer/Gamer"])].rename(
        columns={"training environment": "env"})
    table = anova_lm(smf.ols("epi ~ C(architecture) * C(env)", data=two).fit(), typ=2)
    res_ss = float(table.loc["Residual", "sum_sq"])
    out["anova2"] = {name: {"f": float(table.loc[row, "F"]), "df": int(table.loc[row, "df"]), "p": float(table.loc[row, "PR(>F)"]),
                            "partial_eta2": float(table.loc[row, "sum_sq"]) / (float(table.loc[row, "sum_sq"]) + res_ss)}
                     for name, row in (("architecture", "C(architecture)"), ("environment", "C(env)"),
                                       ("interaction", "C(architecture):C(env)"))}
    out["anova2"]["residual_df"] = int(table.loc["Residual", "df"])

    # Trade-off: Spearman between F1 and energy per image within each environment, one-sided (greater), as the paper.
    out["spearman_f1_energy"] = []
    for env in sorted(runs["training environment"].unique()):
        sub = runs[runs["training environment"] == env]
        r = st.spearmanr(sub["epi"], sub["f1-score"], alternative="greater")
        out["spearman_f1_energy"].append({"environment": env, "n": int(len(sub)), "rho": float(r.correlation), "p": float(r.pvalue)})

    # Recommendation figures: medians per configuration of energy per seen image and F1.
    med = runs.groupby(["training environment", "architecture"]).agg(epi=("epi", "median"), f1=("f1-score", "median"))
    local = med.loc["Local ML Engineer/Gamer"]
    out["recommend"] = {
        "mobilenet_v2_local_epi": float(local.loc["mobilenet_v2", "epi"]),
        "vgg16_local_epi": float(local.loc["vgg16", "epi"]),
        "saving_vs_vgg16_local": float(1 - local.loc["mobilenet_v2", "epi"] / local.loc["vgg16", "epi"]),
        "f1_mobilenet_v2_local": float(local.loc["mobilenet_v2", "f1"]),
        "f1_best": float(med.f1.max()),
        "best": list(med.f1.idxmax()),
    }
    return out


def main():
    with open(os.path.join(HERE, "statistics.json"), "w") as f:
        json.dump(statistics(), f, indent=1)
    if os.path.isdir(SEAA):
        with open(os.path.join(HERE, "seaa2023.json"), "w") as f:
            json.dump(seaa(), f, indent=1)
    else:
        print("../shared/data/seaa2023 absent: seaa2023.json not regenerated", file=sys.stderr)


if __name__ == "__main__":
    main()
