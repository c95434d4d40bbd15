#!/usr/bin/env bash
# Store size per reading (issue 21) with the real CLI (Release): `measure` of 8 fake NVML GPUs (native/fake-nvml) at
# 10 ms and at the default 100 ms for SECONDS (default 40), and `import seaa2023` when ../shared/data/seaa2023 exists
# (or SEAA=path). Prints readings, file size and bytes a reading (the whole file: runs, devices, chunks, indexes, free
# pages), and the CPU time (user + system, GNU time) of each measure run. With OVERHEAD=1 it also measures 8 GPUs at
# 100 ms for SECONDS and 2 × SECONDS and prints the CPU per extra second ("steady state" as bench/sampler-overhead.sh).
#   bash bench/store-size.sh [SECONDS]     (from the repository root)
set -euo pipefail
seconds="${1:-40}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
make -s -C "$root/native/fake-nvml" OUT="$root/native/build/"
dotnet build -c Release -v q --nologo "$root/src/TrainWatt.Cli" -o "$work/bin" >/dev/null
cp "$root/native/build/libnvidia-ml.so.1" "$work/libnvidia-ml.so.1"
source "$root/bench/lib/fake-gpus.sh"
fake_gpu_scenario 8 > "$work/fake-nvml-scenario.txt"
export TRAINWATT_NVML_LIBRARY="$work/libnvidia-ml.so.1"
echo "cores: $(nproc), load: $(cut -d' ' -f1-3 /proc/loadavg)"

measure() { # interval seconds db -> prints CPU seconds
  /usr/bin/time -f "%U %S" -o "$work/time.txt" dotnet "$work/bin/trainwatt.dll" measure --meters nvml --interval "$1" \
    --progress quiet --db "$3" -- sleep "$2" >/dev/null 2>"$work/err.txt" || { cat "$work/err.txt" >&2; exit 1; }
  awk '{ printf "%.2f", $1 + $2 }' "$work/time.txt"
}
report() { # label db
  local n size
  n="$(sqlite3 "$2" 'SELECT SUM(n) FROM sample_chunks')"
  size="$(stat -c %s "$2")"
  awk -v l="$1" -v n="$n" -v s="$size" 'BEGIN { printf "%s: %d readings, %d bytes, %.2f bytes a reading\n", l, n, s, s / n }'
}
for interval in 10ms 100ms; do
  cpu="$(measure "$interval" "$seconds" "$work/m-$interval.db")"
  report "measure, 8 fake GPUs every $interval for $seconds s (CPU $cpu s)" "$work/m-$interval.db"
done
if [ "${OVERHEAD:-0}" = 1 ]; then
  short="$(measure 100ms "$seconds" "$work/o1.db")"; long="$(measure 100ms "$((2 * seconds))" "$work/o2.db")"
  awk -v s="$short" -v l="$long" -v d="$seconds" 'BEGIN { printf "overhead, 8 GPUs at 100 ms: %s s CPU for %d s, %s s for %d s: %.3f s per extra %d s = %.3f %% of one core\n", s, d, l, 2 * d, l - s, d, 100 * (l - s) / d }'
  report "measure, 8 fake GPUs every 100 ms for $seconds s" "$work/o1.db"
  report "measure, 8 fake GPUs every 100 ms for $((2 * seconds)) s" "$work/o2.db"
  awk -v a="$(stat -c %s "$work/o1.db")" -v b="$(stat -c %s "$work/o2.db")" -v n="$(sqlite3 "$work/o1.db" 'SELECT SUM(n) FROM sample_chunks')" -v m="$(sqlite3 "$work/o2.db" 'SELECT SUM(n) FROM sample_chunks')" \
    'BEGIN { printf "marginal at 100 ms: %.2f bytes a reading (size difference / reading difference)\n", (b - a) / (m - n) }'
fi
SEAA="${SEAA:-$root/../shared/data/seaa2023}"
if [ -d "$SEAA/traces" ]; then
  /usr/bin/time -f "import seaa2023: %e s wall, %U s user, %S s sys, %M KB peak RSS" dotnet "$work/bin/trainwatt.dll" import seaa2023 "$SEAA" --db "$work/seaa.db" >/dev/null
  report "import seaa2023 (309 runs)" "$work/seaa.db"
fi
