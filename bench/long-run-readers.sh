#!/usr/bin/env bash
# Readers on a long run (issue 21, part of the long-run proof): generates an nvidia-smi trace of 8 GPUs at 10 Hz for
# HOURS (default 72: 20.7 M readings), imports it (Release CLI), and times `runs show`, `export --format json` and
# `report` on it with GNU time (wall, peak RSS), and prints the store's size. It goes through `import`, not through
# `measure` with an accelerated clock: it shows what the readers cost on a store of that size, not measure's RSS.
#   bash bench/long-run-readers.sh [HOURS]     (from the repository root)
set -euo pipefail
hours="${1:-72}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
dotnet build -c Release -v q --nologo "$root/src/TrainWatt.Cli" -o "$work/bin" >/dev/null
python3 - "$hours" "$work/trace.csv" <<'PY'
import sys, datetime, math
hours, out = float(sys.argv[1]), sys.argv[2]
n = int(hours * 3600 * 10)
t0 = datetime.datetime(2026, 1, 1)
with open(out, "w") as f:
    f.write("timestamp, index, utilization.gpu [%], memory.used [MiB], power.draw [W], temperature.gpu\n")
    buf = []
    for k in range(n):
        ms = k * 100
        if ms % 1000 == 0:
            stamp = (t0 + datetime.timedelta(milliseconds=ms)).strftime("%Y/%m/%d %H:%M:%S")
        for g in range(8):
            w = 250 + 60 * math.sin(k / 8.0 + g) + ((k * 7919 + g * 104729) % 200) / 100.0
            buf.append(f"{stamp}.{ms % 1000:03d}, {g}, {90 + (k // 10 + g) % 10} %, 60000 MiB, {w:.2f} W, {60 + (k // 36000) % 10}\n")
        if len(buf) >= 80000:
            f.write("".join(buf)); buf = []
    f.write("".join(buf))
PY
echo "cores: $(nproc), load: $(cut -d' ' -f1-3 /proc/loadavg); trace: $(stat -c %s "$work/trace.csv") bytes, $hours h"
tw=(dotnet "$work/bin/trainwatt.dll")
/usr/bin/time -f "import: %e s wall, %U s user, %S s sys, %M KB peak RSS" "${tw[@]}" import nvidia-smi "$work/trace.csv" --db "$work/long.db" >/dev/null
rm -f "$work/trace.csv"
echo "store: $(stat -c %s "$work/long.db") bytes, $(sqlite3 "$work/long.db" 'SELECT SUM(n) FROM sample_chunks') readings, $(sqlite3 "$work/long.db" 'SELECT COUNT(*) FROM runs') runs"
for id in $(sqlite3 "$work/long.db" 'SELECT id FROM runs ORDER BY id LIMIT 1'); do
  /usr/bin/time -f "runs show: %e s wall, %U s user, %S s sys, %M KB peak RSS" "${tw[@]}" runs show "$id" --db "$work/long.db" >/dev/null
  /usr/bin/time -f "export json: %e s wall, %U s user, %S s sys, %M KB peak RSS" "${tw[@]}" export "$id" --format json --db "$work/long.db" >/dev/null
  /usr/bin/time -o "$work/report-time.txt" -f "report: %e s wall, %U s user, %S s sys, %M KB peak RSS" "${tw[@]}" report "$id" --db "$work/long.db" --out "$work/r.html" >/dev/null 2>&1 || echo "report: exit $?"
  cat "$work/report-time.txt"
done
