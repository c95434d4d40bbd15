#!/usr/bin/env bash
# Long-run proof through `measure` (issue 21): a simulated HOURS-hour (default 72), 8-GPU, 10 Hz run fed through the
# real measurement pipeline (MeasurementPipeline, what `trainwatt measure --meters nvml` runs) with the fake NVML
# (native/fake-nvml, time_scale = SCALE) over the real P/Invoke path into a real SQLite store, on a clock SCALE times
# faster than the machine's (bench/TrainWatt.Bench.LongRun). Then times the Release CLI's readers on that store:
# `runs show`, `export --format codecarbon`, `export --format json` and `report` (GNU time: wall, CPU, peak RSS), checks
# that `runs show`'s energy equals the run's summary, and prints Markdown tables ready to paste into docs/benchmarks.md.
#   bash bench/long-run-measure.sh [HOURS] [SCALE]     (from the repository root; default 72 500: about 9 minutes)
#   KEEP=DIR bash bench/long-run-measure.sh ...        keeps the store and outputs in DIR
set -euo pipefail
hours="${1:-72}"
scale="${2:-500}"
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ -n "${KEEP:-}" ]; then work="$KEEP"; mkdir -p "$work"; rm -f "$work"/long.db*; else work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT; fi
make -s -C "$root/native/fake-nvml" OUT="$root/native/build/"
dotnet build -c Release -v q --nologo "$root/bench/TrainWatt.Bench.LongRun" -o "$work/bench" >/dev/null
dotnet build -c Release -v q --nologo "$root/src/TrainWatt.Cli" -o "$work/cli" >/dev/null
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "cores: $(nproc), load before: $load_before; $hours h simulated at ${scale}x"

# 1. The run. The bench prints the pipeline's summary, RSS every 2 simulated hours and its totals on stderr.
/usr/bin/time -o "$work/bench-time.txt" -f "%e %U %S %M" dotnet "$work/bench/TrainWatt.Bench.LongRun.dll" \
  --db "$work/long.db" --library "$root/native/build/libnvidia-ml.so.1" --hours "$hours" --scale "$scale" \
  --json "$work/long-run.json" --work "$work/job" 2> "$work/bench.err" || { tail -30 "$work/bench.err" >&2; exit 1; }
grep -v -e '^trainwatt: ' -e '^##trainwatt ' "$work/bench.err" || true
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
id="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["RunId"])' "$work/long-run.json")"
readings="$(sqlite3 "$work/long.db" 'SELECT SUM(n) FROM sample_chunks')"
chunk_bytes="$(sqlite3 "$work/long.db" 'SELECT SUM(LENGTH(data)) FROM sample_chunks' 2>/dev/null || echo 0)"

# 2. The readers, each under GNU time (wall, user + system CPU, peak RSS).
tw=(dotnet "$work/cli/trainwatt.dll")
timed() { # label command... -> one "label|wall|cpu|rss|exit" line in readers.txt
  local label="$1"; shift
  local rc=0
  /usr/bin/time -o "$work/t.txt" -f "%e %U %S %M" "$@" >"$work/out.txt" 2>"$work/err.txt" || rc=$?
  awk -v l="$label" -v rc="$rc" '{ printf "%s|%.2f|%.2f|%.0f|%s\n", l, $1, $2 + $3, $4 / 1024, rc }' "$work/t.txt" >> "$work/readers.txt"
  [ "$rc" = 0 ] || { echo "$label: exit $rc" >&2; tail -3 "$work/err.txt" >&2; }
}
: > "$work/readers.txt"
timed '`runs show`' "${tw[@]}" runs show "$id" --db "$work/long.db"
timed '`runs show --json`' "${tw[@]}" runs show "$id" --json --db "$work/long.db"
cp "$work/out.txt" "$work/show.json"
timed '`export --format codecarbon`' "${tw[@]}" export "$id" --format codecarbon --db "$work/long.db"
timed '`export --format json` (every sample)' "${tw[@]}" export "$id" --format json --db "$work/long.db"
json_bytes="$(stat -c %s "$work/out.txt")"
rm -f "$work/out.txt"
timed '`report`' "${tw[@]}" report "$id" --db "$work/long.db" --out "$work/report"

# 3. The tables.
python3 - "$work/long-run.json" "$work/show.json" "$work/readers.txt" "$readings" "$chunk_bytes" "$(stat -c %s "$work/long.db")" \
  "$work/bench-time.txt" "$json_bytes" "$load_before" "$load_after" <<'PY'
import json, sys
run = json.load(open(sys.argv[1])); show = json.load(open(sys.argv[2]))
readers = [l.strip().split("|") for l in open(sys.argv[3]) if l.strip()]
readings, chunk_bytes, file_bytes = int(sys.argv[4]), int(sys.argv[5] or 0), int(sys.argv[6])
wall, user, sys_, rss_kb = open(sys.argv[7]).read().split()
json_bytes, load_before, load_after = int(sys.argv[8]), sys.argv[9], sys.argv[10]
shown = show["energy_j"]
due = run["ExpectedTicks"] * run["Gpus"]
print()
print(f"Run {run['RunId']}: {run['SimulatedHours']:.2f} simulated hours at {run['Scale']:g}x, {run['Gpus']} fake GPUs every {run['IntervalMs']} ms, "
      f"{run['Epochs']} epochs, exit {run['ExitCode']} (load average {load_before} before, {load_after} after)")
print()
print("| measure (simulated run) | value |")
print("|---|---|")
print(f"| readings stored (`SUM(n)`) | {readings:,} of {due:,} due at 10 Hz ({100 * readings / due:.1f} %) |")
print(f"| store file | {file_bytes:,} B: **{file_bytes / readings:.2f} bytes a reading** (chunks alone {chunk_bytes / readings:.2f}) |")
print(f"| sampler steps later than 1.5 intervals / gaps (> {max(5, 3 * run['IntervalMs'] / 1000):g} s) / longest | {run['LateSteps']:,} of {run['SampleSteps']:,} / {run['GapSteps']:,} / {run['MaxStepSeconds']:.2f} s |")
print(f"| excluded duration (counters) / sampled ÷ counter energy | {run['ExcludedSeconds']:.1f} s / {run['SampledOverCounter']:.5f} |")
print(f"| timer ticks skipped / latest timer (real) | {run['TimerSkippedTicks']:,} / {run['TimerMaxLateMs']:.1f} ms |")
print(f"| energy: summary / `runs show` | {run['EnergyJoules']:.3f} J / {shown:.3f} J: **{'equal' if abs(run['EnergyJoules'] - shown) <= 1e-6 * abs(shown) else 'DIFFERENT'}** |")
print(f"| process: wall / CPU (user + system) / peak RSS | {run['WallSeconds']:.1f} s / {run['CpuSeconds']:.1f} s / {run['PeakRssMiB']:.0f} MiB (GNU time: {float(wall):.1f} s, {float(user) + float(sys_):.1f} s, {int(rss_kb) / 1024:.0f} MiB) |")
print(f"| CPU a tick (8 GPUs) / real time a tick | {1e6 * run['CpuSeconds'] / run['Readings']:.0f} µs / {1e6 * run['IntervalMs'] / 1000 / run['Scale']:.0f} µs |")
print()
print("| simulated h | real s | RSS MiB | managed heap MiB | CPU s | readings |")
print("|---|---|---|---|---|---|")
for p in run["Rss"]:
    print(f"| {p['SimulatedHours']:.1f} | {p['RealSeconds']:.1f} | {p['RssMiB']:.1f} | {p['HeapMiB']:.1f} | {p['CpuSeconds']:.1f} | {p['Readings']:,} |")
print()
print(f"| reader on the run ({readings:,} readings) | wall | CPU | peak RSS | exit |")
print("|---|---|---|---|---|")
for label, w, c, r, rc in readers:
    extra = f" ({json_bytes / 1e6:.0f} MB)" if "json` (every" in label else ""
    print(f"| {label}{extra} | {w} s | {c} s | {r} MiB | {rc} |")
PY
