#!/usr/bin/env bash
# Whole-process benchmark: `trainwatt energy TRACES --json` against the same work in pandas
# (bench/pandas_energy.py: pd.read_csv per trace + numpy.trapz), on the same files and machine.
#
#   bench/energy-vs-pandas.sh [TRACES_DIR]      default: ../shared/data/seaa2023/traces (309 SEAA 2023 traces)
#   RUNS=10 WARMUP=2 CPUS=0,1 bench/energy-vs-pandas.sh
#
# Needs: the .NET SDK, Debian's python3-pandas (apt-get install -y python3-pandas), hyperfine if available
# (apt-get install -y hyperfine; otherwise repeated /usr/bin/time). CPUS pins both commands to the same cores
# with taskset (default: all cores of the machine). Prints a Markdown report; paste it into docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."

TRACES="${1:-../shared/data/seaa2023/traces}"
RUNS="${RUNS:-10}"
WARMUP="${WARMUP:-2}"
PYTHON=/usr/bin/python3

if [ ! -d "$TRACES" ]; then
  echo "error: $TRACES does not exist; give the folder of gpu-power-*.csv.gz traces (../shared/data/seaa2023/traces)." >&2
  exit 66
fi
if ! "$PYTHON" -c 'import pandas, numpy' 2>/dev/null; then
  echo "error: Debian's python3 has no pandas; install it with: apt-get install -y python3-pandas" >&2
  exit 69
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
echo "Publishing the CLI (Release, ReadyToRun) to $WORK/trainwatt ..." >&2
dotnet publish src/TrainWatt.Cli -c Release -o "$WORK/trainwatt" --nologo -v quiet >&2
TW="$WORK/trainwatt/trainwatt"

PIN=()
if [ -n "${CPUS:-}" ]; then PIN=(taskset -c "$CPUS"); fi

# 1. Same answer: every trace's energy agrees within 1e-6 relative (both skip the 48 half-written last lines).
"${PIN[@]}" "$TW" energy "$TRACES" --json > "$WORK/trainwatt.json" 2>/dev/null
"${PIN[@]}" "$PYTHON" bench/pandas_energy.py "$TRACES" > "$WORK/pandas.json"
"$PYTHON" - "$WORK/trainwatt.json" "$WORK/pandas.json" <<'PY'
import json, sys
tw = {r["file"]: r["energy_j"] for r in json.load(open(sys.argv[1]))}
pd = {r["file"]: r["energy_j"] for r in json.load(open(sys.argv[2]))}
assert tw.keys() == pd.keys(), f"different file sets: {len(tw)} vs {len(pd)}"
worst = max(abs(tw[f] - pd[f]) / pd[f] for f in tw)
assert worst < 1e-6, f"energies differ: worst relative difference {worst:.3e}"
print(f"check: {len(tw)} traces, energies agree (worst relative difference {worst:.1e})", file=sys.stderr)
PY

TW_CMD="$TW energy $TRACES --json"
PD_CMD="$PYTHON bench/pandas_energy.py $TRACES"

echo "## energy: trainwatt vs pandas ($(date -u +%Y-%m-%dT%H:%MZ))"
echo
echo "- machine: $(nproc) cores visible$( [ -n "${CPUS:-}" ] && echo ", pinned to CPUs $CPUS"), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- .NET $(dotnet --version), $("$PYTHON" -c 'import sys, pandas, numpy; print(f"Python {sys.version.split()[0]}, pandas {pandas.__version__}, numpy {numpy.__version__}")')"
echo "- input: $(find "$TRACES" -name 'gpu-power-*.csv*' | wc -l) traces, $(du -sh "$TRACES" | cut -f1) on disk"
echo

if command -v hyperfine >/dev/null; then
  "${PIN[@]}" hyperfine -N --style basic --warmup "$WARMUP" --runs "$RUNS" \
    --export-json "$WORK/h.json" -n trainwatt "$TW_CMD" -n pandas "$PD_CMD" >&2
  "$PYTHON" - "$WORK/h.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
tw, pd = r["trainwatt"], r["pandas"]
print("| command | mean wall (s) | ± σ | min | max | user (s) | system (s) |")
print("|---|---|---|---|---|---|---|")
for name, x in (("trainwatt energy --json", tw), ("pandas + numpy.trapz", pd)):
    print(f"| {name} | {x['mean']:.3f} | {x['stddev']:.3f} | {x['min']:.3f} | {x['max']:.3f} | {x['user']:.3f} | {x['system']:.3f} |")
print()
print(f"**Speed-up (mean wall): {pd['mean'] / tw['mean']:.1f}x**; min/min: {pd['min'] / tw['min']:.1f}x; "
      f"CPU (user+system): {(pd['user'] + pd['system']) / (tw['user'] + tw['system']):.1f}x.")
print()
print("Per run, wall seconds:")
print()
print("- trainwatt: " + ", ".join(f"{t:.3f}" for t in tw["times"]))
print("- pandas: " + ", ".join(f"{t:.3f}" for t in pd["times"]))
PY
else
  echo "| run | trainwatt wall (s) | pandas wall (s) |"
  echo "|---|---|---|"
  for i in $(seq 1 "$RUNS"); do
    t1=$( { /usr/bin/time -f %e "${PIN[@]}" $TW_CMD >/dev/null 2>/dev/null; } 2>&1 | tail -1)
    t2=$( { /usr/bin/time -f %e "${PIN[@]}" $PD_CMD >/dev/null; } 2>&1 | tail -1)
    echo "| $i | $t1 | $t2 |"
  done
fi
echo
echo "- load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
