#!/usr/bin/env bash
# Benchmark (not a test) for issue 13 M8: SIGKILL `trainwatt measure` while it wraps a job that prints a numbered line
# every 50 ms (python3, else bash), TRIALS times (default 5) at different points of the run, and report per trial: the
# job's exit status, lines lost and doubled in the output file, and the standby relay's cost (RSS and CPU while it
# stands by, its CPU after it took over). Goal: status 0 and 0 lines lost in every trial.
#
#   [TW=path/to/trainwatt] bash bench/kill-trainwatt.sh [TRIALS]
#
# The job prints LINES (80) lines over ~4 s; trial k kills trainwatt once the output holds 5 + 10(k-1) lines, so the
# kills fall at different points of the job's print/sleep cycle. trainwatt runs in a session of its own (setsid) with
# stdout and stderr on files, as in a batch job. CPU figures are clock ticks (1/100 s) from /proc/PID/stat.
set -euo pipefail
trials="${1:-5}"
lines=80
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [ -z "${TW:-}" ]; then
  dotnet build -c Release -v q --nologo "$root/src/TrainWatt.Cli" -o "$work/bin" >/dev/null
  TW="$work/bin/trainwatt"
fi

if command -v python3 >/dev/null; then
  cat > "$work/job.py" <<'PY'
import sys, time
d, n = sys.argv[1], int(sys.argv[2])
try:
    for i in range(1, n + 1):
        print(f"line {i}", flush=True)
        time.sleep(0.05)
    status = "0"
except BaseException as e:
    status = f"1 {e!r}"
open(f"{d}/status", "w").write(status)
PY
  job() { echo python3 "$work/job.py" "$1" "$lines"; }
else
  job() { echo bash -c "for i in \$(seq $lines); do echo \"line \$i\" || { echo 1 > $1/status; exit 1; }; sleep 0.05; done; echo 0 > $1/status"; }
fi

# stat fields after the command name: 1 state, 4 session, 12 utime, 13 stime, 14 cutime, 15 cstime.
# stat fields after the command name: 1 state, 4 session, 12 utime, 13 stime, 14 cutime, 15 cstime.
field() { local k=$2 st; st=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }; set -- ${st##*) }; echo "${!k}"; }
members() { local sid=$1 p st; for p in /proc/[0-9]*; do st=$(cat "$p/stat" 2>/dev/null) || continue; set -- ${st##*) }; [ "$4" = "$sid" ] && [ "$1" != Z ] && echo "${p#/proc/}"; done; true; }

printf '%-6s %-8s %-6s %-7s %-8s %-12s %-14s %-14s\n' trial kill_at status lost doubled relay_rss relay_cpu_wait relay_cpu_after
for k in $(seq "$trials"); do
  d="$work/t$k"; mkdir -p "$d"
  at=$((5 + 10 * (k - 1)))
  # shellcheck disable=SC2046
  setsid "$TW" measure --db "$d/s.db" --meters process -- $(job "$d") >"$d/out" 2>"$d/err" </dev/null &
  tw=$!
  until [ -e "$d/out" ] && [ "$(wc -l < "$d/out")" -ge "$at" ]; do sleep 0.01; done
  relay=$(pgrep -s "$tw" -f trainwatt-relay | head -1 || true)
  rss=$( [ -n "$relay" ] && awk '/VmRSS/ { print $2 " kB" }' "/proc/$relay/status" || echo "none")
  wait_cpu=$( [ -n "$relay" ] && echo $(( $(field "$relay" 12) + $(field "$relay" 13) )) || echo "-")
  kill -9 "$tw"
  wait "$tw" 2>/dev/null || true
  # Until the job and the relay are gone; the relay's own + reaped children's (cat) CPU, last seen.
  after_cpu="-"
  for _ in $(seq 3000); do
    if [ -n "$relay" ] && [ -r "/proc/$relay/stat" ]; then
      c=$(( $(field "$relay" 12) + $(field "$relay" 13) + $(field "$relay" 14) + $(field "$relay" 15) )) && after_cpu=$c
    fi
    [ -z "$(members "$tw")" ] && break
    sleep 0.01
  done
  status=$(cat "$d/status" 2>/dev/null || echo "none")
  got=$(grep -c '^line ' "$d/out" || true)
  unique=$(grep '^line ' "$d/out" | sort -u | wc -l)
  printf '%-6s %-8s %-6s %-7s %-8s %-12s %-14s %-14s\n' "$k" "line $at" "${status%% *}" "$((lines - unique))" "$((got - unique))" "$rss" "$wait_cpu" "$after_cpu"
  left=$(members "$tw")
  [ -z "$left" ] || echo "  left behind: $left"
done
