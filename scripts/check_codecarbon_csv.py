"""Loads an emissions.csv the way CodeCarbon's dashboard (codecarbon.viz, `carbonboard --filepath`) does, without
CodeCarbon installed: pandas.read_csv, the rows of one project sorted by timestamp as records, the project summary of
its last row and totals, then the checks its callbacks make on that summary (country_iso_code.upper() for the regional
map, on_cloud == "Y"/"N" for the cloud panel: with "N" it returns an empty comparison; a missing value there is NaN and
the cloud lookup of a NaN region raises IndexError). Written from reading codecarbon 3.3.0 viz/data.py and
viz/carbonboard.py; not their code.

usage: python3 check_codecarbon_csv.py emissions.csv [PROJECT]
Exit 0 and one JSON line with the summary when every step works; exit 1 with the failing step otherwise.
"""

import json
import math
import sys

import pandas as pd


def main(path, project=None):
    frame = pd.read_csv(path)
    project = project or frame.project_name.iloc[0]
    rows = frame[frame.project_name == project].sort_values(by="timestamp").to_dict("records")
    if not rows:
        raise SystemExit(f"no rows for project {project!r}")
    last = rows[-1]
    summary = {
        "last_run": {
            "timestamp": last["timestamp"],
            "duration": last["duration"],
            "emissions": round(last["emissions"], 1),
            "energy_consumed": round(last["energy_consumed"], 1),
        },
        "total": {
            "duration": sum(r["duration"] for r in rows),
            "emissions": sum(r["emissions"] for r in rows),
            "energy_consumed": sum(r["energy_consumed"] for r in rows),
        },
        "country_name": last["country_name"],
        "country_iso_code": last["country_iso_code"],
        "on_cloud": last["on_cloud"],
    }
    problems = []
    if not isinstance(summary["country_iso_code"], str):
        problems.append("country_iso_code is not text: the regional panel calls .upper() on it")
    if summary["on_cloud"] not in ("Y", "N"):
        problems.append(f"on_cloud is {summary['on_cloud']!r}, not Y or N: the cloud panel looks up a cloud region and fails")
    for column in ("cpu_energy", "gpu_energy", "ram_energy", "energy_consumed"):
        if column not in frame.columns:
            problems.append(f"no column {column}")
    parts = [last[c] for c in ("cpu_energy", "gpu_energy", "ram_energy") if isinstance(last[c], float) and not math.isnan(last[c])]
    if abs(sum(parts) - last["energy_consumed"]) > 1e-12 * max(1.0, abs(last["energy_consumed"])):
        problems.append(f"cpu + gpu + ram = {sum(parts)!r} but energy_consumed = {last['energy_consumed']!r}")
    if problems:
        print("; ".join(problems), file=sys.stderr)
        raise SystemExit(1)
    print(json.dumps({"rows": len(rows), "columns": list(frame.columns)[:38], "summary": summary}, default=str))


if __name__ == "__main__":
    main(*sys.argv[1:])
