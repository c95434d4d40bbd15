#!/usr/bin/env bash
# estimate --probe on a real CPU training job against `trainwatt measure` of the whole job (issue 15, docs/pre.md "Probe").
#
# The job: samples/python/probe_digits.py (torchvision MobileNetV3-Small on scikit-learn's bundled digits, Debian's
# python3-torch on the CPU, one thread). For each repeat it measures the whole job with `trainwatt measure`, then probes
# it with `trainwatt estimate --probe`, interleaved so that both see the same load on a shared machine. It prints one
# row per repeat (truth, prediction, error, interval, probe wall time) to stdout.
#
# Usage: [TRAINWATT=path/to/trainwatt] [PROBE_NICE=-10] [JOB_ARGS="--size 16 --batch-size 64"] bench/probe-real.sh [REPEATS=3] [EPOCHS=50] [PROBE=45s] [OUT_DIR=/tmp/trainwatt-probe-real]
#   needs: apt-get install python3-torch python3-torchvision python3-sklearn; a built CLI (dotnet build src/TrainWatt.Cli)
#   PROBE_NICE runs TrainWatt and the job at that niceness (negative needs root): on a machine shared with other work,
#   it keeps the neighbours' load from setting the job's speed, so that the probe, not the load, is measured.
set -euo pipefail
repeats=${1:-3}
epochs=${2:-50}
probe=${3:-45s}
out=${4:-/tmp/trainwatt-probe-real}
root=$(cd "$(dirname "$0")/.." && pwd)
tw="${TRAINWATT:-$root/src/TrainWatt.Cli/bin/Debug/net10.0/linux-x64/trainwatt}"
py=/usr/bin/python3
# shellcheck disable=SC2206
job=("$py" "$root/samples/python/probe_digits.py" --epochs "$epochs" ${JOB_ARGS:-})
nice=()
if [ -n "${PROBE_NICE:-}" ]; then nice=(nice -n "$PROBE_NICE"); fi
mkdir -p "$out"
db="$out/runs.db"

"$tw" doctor 2>&1 | grep -E '^\[(ok|--)\]|will use' >&2
uptime >&2
printf 'repeat\ttrue_kJ\ttrue_s\tpred_kJ\tpred_s\terr_E_%%\terr_T_%%\tlower_kJ\tupper_kJ\tin_interval\tprobe_wall_s\n'
for i in $(seq 1 "$repeats"); do
  "${nice[@]}" "$tw" measure --db "$db" --progress quiet --summary-json "$out/full-$i.json" -- "${job[@]}" > "$out/full-$i.log" 2>&1
  start=$(date +%s.%N)
  "${nice[@]}" "$tw" estimate --probe "$probe" --json --db "$db" -- "${job[@]}" > "$out/probe-$i.json" 2> "$out/probe-$i.log"
  end=$(date +%s.%N)
  "$py" - "$out/full-$i.json" "$out/probe-$i.json" "$i" "$start" "$end" <<'EOF'
import json, sys
full, probe = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
e, t = full["energy_j"], full["duration_s"]
pe, pt = probe["energy_j"], probe["duration_s"]
lo, hi = probe["lower_j"], probe["upper_j"]
wall = float(sys.argv[5]) - float(sys.argv[4])
print(f"{sys.argv[3]}\t{e/1e3:.2f}\t{t:.1f}\t{pe/1e3:.2f}\t{pt:.1f}\t{100*(pe/e-1):+.1f}\t{100*(pt/t-1):+.1f}\t{lo/1e3:.2f}\t{hi/1e3:.2f}\t{lo <= e <= hi}\t{wall:.1f}")
EOF
  uptime >&2
done
