#!/usr/bin/env bash
# Peak RSS and wall time of `trainwatt import nvidia-smi` and `trainwatt project` on generated 3 M- and 10 M-line
# traces (Release build), and how long `measure` and `runs list` take on the same store while the 10 M-line import runs.
# The trace: "timestamp, index, power.draw [W]" at 10 Hz (37 bytes a line: 111 MB and 370 MB).
# Usage: bench/import-memory.sh [LINES...]      (from the repository root; default: 3000000 10000000)
#        BEFORE=/path/to/trainwatt.dll bench/import-memory.sh   also times that build (e.g. one of an older commit:
#        git worktree add /tmp/before COMMIT && dotnet build /tmp/before/src/TrainWatt.Cli -c Release)
set -euo pipefail
if [ $# -gt 0 ]; then LINES=("$@"); else LINES=(3000000 10000000); fi
dotnet build src/TrainWatt.Cli -c Release -v q -nologo >/dev/null
AFTER=src/TrainWatt.Cli/bin/Release/net10.0/linux-x64/trainwatt.dll
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
echo "cores: $(nproc), load: $(cut -d' ' -f1-3 /proc/loadavg), disk: $(df -h "$TMP" | awk 'NR==2{print $1}')"
for n in "${LINES[@]}"; do
  python3 - "$n" "$TMP/t$n.csv" <<'PY'
import sys, datetime
n, out = int(sys.argv[1]), sys.argv[2]
t0 = datetime.datetime(2024, 1, 1)
with open(out, "w") as f:
    f.write("timestamp, index, power.draw [W]\n")
    buf = []
    for k in range(n):
        ms = k * 100
        if ms % 1000 == 0:
            stamp = (t0 + datetime.timedelta(milliseconds=ms)).strftime("%Y/%m/%d %H:%M:%S")
        buf.append(f"{stamp}.{ms % 1000:03d}, 0, {100 + (k * 37) % 200}.{k % 100:02d} W\n")
        if len(buf) == 100000:
            f.write("".join(buf)); buf = []
    f.write("".join(buf))
PY
  python3 - "$n" "$TMP/e$n.csv" <<'PY'
import sys, datetime
n, out = int(sys.argv[1]), sys.argv[2]
t0, span = datetime.datetime(2024, 1, 1), n * 0.1
with open(out, "w") as f:
    f.write("epoch,end_time\n")
    for k in range(100):
        f.write(f"{k},{(t0 + datetime.timedelta(seconds=span * (k + 1) / 100 - 0.05)).strftime('%Y-%m-%dT%H:%M:%S.%f')[:-3]}\n")
PY
  echo "trace: $n lines, $(stat -c %s "$TMP/t$n.csv") bytes"
  for build in ${BEFORE:+before} after; do
    dll=$([ "$build" = before ] && echo "$BEFORE" || echo "$AFTER")
    rm -f "$TMP"/store.db*
    /usr/bin/time -f "  $build import:  %e s wall, %U s user, %S s sys, %M KB peak RSS" \
      dotnet "$dll" import nvidia-smi "$TMP/t$n.csv" --db "$TMP/store.db" >/dev/null || echo "  $build import: exit $?"
    /usr/bin/time -f "  $build project: %e s wall, %U s user, %S s sys, %M KB peak RSS" \
      dotnet "$dll" project --trace "$TMP/t$n.csv" --epochs "$TMP/e$n.csv" >/dev/null || echo "  $build project: exit $?"
  done
done
# Others on the store during the largest import (after the fix): each must start and finish, not wait it out.
n="${LINES[-1]}"
rm -f "$TMP"/store.db*
dotnet "$AFTER" import nvidia-smi "$TMP/t$n.csv" --db "$TMP/store.db" >/dev/null &
import=$!
sleep "${DURING_AFTER:-2}"   # schema 4 imports 10 M lines in seconds: start the others early, and say whether it still ran
for i in 1 2 3; do
  kill -0 "$import" 2>/dev/null && echo "  (import still running at $(date +%T.%N | cut -c1-12))" || echo "  (import already finished: this pass shows nothing)"
  /usr/bin/time -f "  during the $n-line import: measure -- true %e s (exit %x)" \
    dotnet "$AFTER" measure --db "$TMP/store.db" --meters process -- true >/dev/null 2>"$TMP/m.err" || true
  tail -1 "$TMP/m.err"
  /usr/bin/time -f "  during the $n-line import: runs list %e s (exit %x)" \
    dotnet "$AFTER" runs list --db "$TMP/store.db" >/dev/null 2>"$TMP/l.err" || true
  tail -1 "$TMP/l.err"
done
kill -0 "$import" 2>/dev/null && echo "  (import still running after the last pass)" || echo "  (import finished before the last pass ended)"
wait "$import"
