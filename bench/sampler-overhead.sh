#!/usr/bin/env bash
# Benchmark (not a test) for issues 3 and 21: CPU used by `trainwatt measure` itself, in steady state, while it samples
# GPUS fake NVML GPUs (default 8, native/fake-nvml, energy counters, power on a curve with a 20 W sine) at the default
# interval (100 ms) into a SQLite store. Goal (issue 21): <= 0.1 % of one core for 8 GPUs at 10 Hz. The fake GPUs keep
# a driver sample buffer (sample_buffer = yes, as Kepler and newer do), so `measure` reads them once a second and
# stores the readings in between from the buffer; POLL=1 passes --poll (read every interval, the path without a buffer).
#
#   [BUILD=publish|build] [PAIRS=3] [GPUS=8] [POLL=1] [BEFORE=DIR] bash bench/sampler-overhead.sh [SECONDS]
#   (THIS_BIN=FOLDER / BEFORE_BIN=FOLDER: use CLIs already built there, folders holding trainwatt.dll)
#
# Method: the CPU time (user + system of the whole process tree, from the shell's `times`, 1 ms resolution) of
# `measure -- sleep SECONDS` and of `measure -- sleep 3×SECONDS`; their difference over the 2×SECONDS extra is the
# steady-state cost (start-up, store creation, one-time JIT and shutdown cancel out; the wrapped `sleep` uses ~1 ms).
# PAIRS short/long pairs after one warm-up run, and the median of the pairs. BUILD=publish measures the published CLI
# users run (ReadyToRun, no tiered JIT); BUILD=build a Release `dotnet build` (tiered JIT). BEFORE=DIR also builds the
# checkout in DIR the same way (e.g. `git worktree add /tmp/before main`) and interleaves its pairs with this one's.
set -euo pipefail
seconds="${1:-30}"
pairs="${PAIRS:-3}"
gpus="${GPUS:-8}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

make -s -C "$root/native/fake-nvml" OUT="$root/native/build/"
build() { # checkout output-folder
  if [ "${BUILD:-build}" = publish ]; then
    dotnet publish -c Release -v q --nologo "$1/src/TrainWatt.Cli" -o "$2" >/dev/null
  else
    dotnet build -c Release -v q --nologo "$1/src/TrainWatt.Cli" -o "$2" >/dev/null
  fi
}
labels=(this)
if [ -n "${THIS_BIN:-}" ]; then ln -s "$THIS_BIN" "$work/this"; else build "$root" "$work/this"; fi
if [ -n "${BEFORE_BIN:-}" ]; then
  labels=(before this)
  ln -s "$BEFORE_BIN" "$work/before"
elif [ -n "${BEFORE:-}" ]; then
  labels=(before this)
  build "$BEFORE" "$work/before"
fi
cp "$root/native/build/libnvidia-ml.so.1" "$work/libnvidia-ml.so.1"
source "$root/bench/lib/fake-gpus.sh"
fake_gpu_scenario "$gpus" "sample_buffer = yes" > "$work/fake-nvml-scenario.txt"
export TRAINWATT_NVML_LIBRARY="$work/libnvidia-ml.so.1"

cpu() { # label seconds -> prints user+system CPU seconds of one measure run (and everything it waited for)
  rm -f "$work/runs.db"*
  ( dotnet "$work/$1/trainwatt.dll" measure --meters nvml --progress quiet ${POLL:+--poll} --db "$work/runs.db" -- sleep "$2" >/dev/null 2>"$work/err.txt" \
      || { cat "$work/err.txt" >&2; exit 1; }
    times ) | awk 'NR == 2 { split($1, u, "m"); split($2, s, "m"); printf "%.3f", u[1] * 60 + u[2] + s[1] * 60 + s[2] }'
}

echo "cores: $(nproc), load: $(cut -d' ' -f1-3 /proc/loadavg), build: ${BUILD:-build}, $gpus fake GPUs at 100 ms${POLL:+ (--poll)}, runs of $seconds s and $((3 * seconds)) s"
for label in "${labels[@]}"; do cpu "$label" 2 >/dev/null; done # warm-up: disk cache, first-run work
for ((p = 1; p <= pairs; p++)); do
  for label in "${labels[@]}"; do
    short="$(cpu "$label" "$seconds")"
    long="$(cpu "$label" "$((3 * seconds))")"
    awk -v l="$label" -v p="$p" -v s="$short" -v g="$long" -v d="$seconds" -v load="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {
      printf "%s pair %d: %s s CPU for %d s, %s s for %d s: %.2f ms per extra second = %.3f %% of one core (load %s)\n", l, p, s, d, g, 3 * d, 1000 * (g - s) / (2 * d), 100 * (g - s) / (2 * d), load }' \
      | tee -a "$work/pairs.txt"
  done
done
for label in "${labels[@]}"; do
  grep "^$label pair" "$work/pairs.txt" | awk '{ print $(NF - 6) }' | sort -g \
    | awk -v l="$label" '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%s: median %.2f ms CPU per extra second = %.3f %% of one core (pairs: %d, range %.3f-%.3f %%)\n", l, 10 * m, m, NR, v[1], v[NR] }'
done
