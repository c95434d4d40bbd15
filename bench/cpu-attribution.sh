#!/usr/bin/env bash
# Issue 17's acceptance on the real CLI: `measure -- sleep 5` while an unrelated process keeps a core busy, under
# --cpu-attribution process (default) and machine, plus the same sleep on a quiet machine. Prints one Markdown row per
# case: the run's CPU energy, the machine-wide figure beside it and their ratio (process mode must be <= 10 %).
#
#   bench/cpu-attribution.sh            SLEEP=5 by default; METERS=auto (RAPL where readable, else the TDP model)
#
# Needs the .NET SDK and python3 (to read the summary JSON). Timing-free: only energies and their ratio are reported.
set -euo pipefail
cd "$(dirname "$0")/.."

SLEEP="${SLEEP:-5}"
METERS="${METERS:-auto}"
WORK="$(mktemp -d)"
BUSY=""
trap '[ -n "$BUSY" ] && kill "$BUSY" 2>/dev/null; rm -rf "$WORK"' EXIT

dotnet build src/TrainWatt.Cli -v q -nologo >/dev/null
TW=src/TrainWatt.Cli/bin/Debug/net10.0/linux-x64/trainwatt

measure() { # $1 = label, $2 = mode
  "$TW" measure --db "$WORK/runs.db" --meters "$METERS" --cpu-attribution "$2" --progress quiet \
    --summary-json "$WORK/$1.json" -- sleep "$SLEEP" 2>"$WORK/$1.err" >/dev/null
  python3 - "$WORK/$1.json" "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))["cpu_attribution"]
ratio = d["run_energy_j"] / d["machine_energy_j"] if d["machine_energy_j"] > 0 else float("nan")
print(f"| {sys.argv[2]} | {d['mode']} | {d['provenance']} | {d['run_energy_j']:.2f} | {d['machine_energy_j']:.2f} | {ratio:.1%} |")
PY
}

echo "| case | mode | provenance | run CPU J | machine-wide CPU J | run / machine |"
echo "|---|---|---|---|---|---|"
measure quiet process
sh -c 'while :; do :; done' &
BUSY=$!
measure busy-process process
measure busy-machine machine
kill "$BUSY"; BUSY=""
grep -h "cpu attribution" "$WORK"/busy-*.err | sed 's/^/    /'
