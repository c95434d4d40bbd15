#!/usr/bin/env bash
# Benchmark (not a test) for issue 21: where `trainwatt measure`'s own CPU goes, per thread. Runs `measure --meters
# nvml -- sleep` on GPUS fake NVML GPUs (default 8, with a driver sample buffer; POLL=1 passes --poll) and reads each
# thread's CPU time (/proc/PID/task/TID/schedstat, ns) and voluntary context switches (wake-ups) at 10 s and at
# 10 + WINDOW s (default 60), then prints the threads that used CPU or woke in between, and the process's own CPU
# clock (utime + stime, 10 ms ticks) over the same window.
#   bash bench/thread-cpu.sh CLI_FOLDER [GPUS] [WINDOW]     (CLI_FOLDER holds trainwatt.dll, e.g. a `dotnet publish -o`)
set -euo pipefail
bin="$1"; gpus="${2:-8}"; win="${3:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
make -s -C "$root/native/fake-nvml" OUT="$root/native/build/"
cp "$root/native/build/libnvidia-ml.so.1" "$work/"
source "$root/bench/lib/fake-gpus.sh"
fake_gpu_scenario "$gpus" "sample_buffer = yes" > "$work/fake-nvml-scenario.txt"
TRAINWATT_NVML_LIBRARY="$work/libnvidia-ml.so.1" dotnet "$bin/trainwatt.dll" measure --meters nvml --progress quiet ${POLL:+--poll} \
  --db "$work/runs.db" -- sleep $((win + 15)) >/dev/null 2>"$work/err" &
pid=$!
sleep 10
snap() { for t in /proc/$pid/task/*; do
  printf '%s\t%s\t%s\t%s\n' "$(basename "$t")" "$(tr ' ' '_' < "$t/comm")" "$(cut -d' ' -f1 "$t/schedstat")" "$(awk '/^voluntary/{print $2}' "$t/status")"
done; }
snap > "$work/a"; a_ticks=$(awk '{print $14 + $15}' /proc/$pid/stat)
sleep "$win"
snap > "$work/b"; b_ticks=$(awk '{print $14 + $15}' /proc/$pid/stat)
echo "cores: $(nproc), load: $(cut -d' ' -f1-3 /proc/loadavg), $gpus fake GPUs${POLL:+ (--poll)}, seconds 10-$((10 + win)) of the run"
join -t$'\t' <(sort "$work/a") <(sort "$work/b") | awk -F'\t' -v w="$win" '{
  d = ($6 - $3) / 1e6 / w; v = ($7 - $4) / w
  if (d > 0.001 || v > 0.05) printf "%-24s %8.3f ms CPU a second %6.1f wakes a second\n", $2, d, v; s += d }
  END { printf "sum of the threads: %.3f ms a second = %.3f %% of one core\n", s, s / 10 }'
echo "process CPU clock: $(( (b_ticks - a_ticks) * 10 )) ms over $win s"
wait $pid || { cat "$work/err" >&2; exit 1; }
