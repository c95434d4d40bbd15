#!/usr/bin/env bash
# Interleaved A/B of PostgreSQL sample-write throughput: two builds of bench/TrainWatt.Bench.StoreWrites (e.g. the
# commit before a store change, built in a `git worktree`, and after it) against ONE throw-away local PostgreSQL
# server (initdb in a temp folder, loopback TCP, fsync on, default settings), a fresh database and a CHECKPOINT
# before every run, in the order A, B (, C ...), A, B ... for every configuration.
# Usage: bench/store-writes-ab.sh ROUNDS BATCHES DIR_A DIR_B [DIR_C ...]
#   (DIR_*: a build's bench/TrainWatt.Bench.StoreWrites/bin/Release/net10.0/linux-x64, copied out of its checkout)
# Configurations (writers x batch samples / devices): 1x10/1, 8x10/1, 1x80/8, 8x80/8 (80 samples of 8 devices is
# what one `measure` of 8 GPUs at 10 Hz hands the store each second). Prints one line per run, with the load average,
# the database's size after the run, the WAL the run wrote and the server's CPU seconds (all postgres processes).
set -euo pipefail
PAIRS="$1"; BATCHES="$2"; shift 2; DIRS=("$@"); LABELS=(A B C D E F)
source "$(dirname "$0")/lib/throwaway-postgres.sh"
# CPU seconds (user + system) the server has used: every postgres process, plus the exited backends the postmaster reaped.
server_cpu() {
  local pm; pm=$(head -1 "$TMP/data/postmaster.pid")
  python3 - "$pm" <<'PY'
import os, sys
pm = sys.argv[1]; tick = os.sysconf("SC_CLK_TCK"); total = 0
for pid in os.listdir("/proc"):
    try:
        if not pid.isdigit() or open(f"/proc/{pid}/comm").read().strip() != "postgres": continue
        f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        total += int(f[11]) + int(f[12]) + (int(f[13]) + int(f[14]) if pid == pm else 0)
    except OSError: pass
print(f"{total / tick:.2f}")
PY
}
sql() { "${AS[@]}" "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -qAtc "$1"; }
echo "cores: $(nproc), server: $("$BIN/postgres" --version), batches: $BATCHES"
n=0
for pair in $(seq "$PAIRS"); do
  for config in "1 10 1" "8 10 1" "1 80 8" "8 80 8"; do
    read -r writers size devices <<<"$config"
    for i in "${!DIRS[@]}"; do
      side="${LABELS[$i]}"; dir="${DIRS[$i]}"
      n=$((n + 1)); db="ab$n"
      sql "CREATE DATABASE $db"; sql "CHECKPOINT"; lsn=$(sql "SELECT pg_current_wal_lsn()"); cpu0=$(server_cpu)
      out=$(dotnet "$dir/TrainWatt.Bench.StoreWrites.dll" "postgres://postgres@127.0.0.1:$PORT/$db" "$writers" "$BATCHES" "$size" "$devices")
      sleep 0.5; cpu1=$(server_cpu)
      size_b=$(sql "SELECT pg_database_size('$db')"); wal=$(sql "SELECT pg_current_wal_lsn() - '$lsn'::pg_lsn")
      echo "pair $pair $side w=$writers batch=$size devices=$devices load=$(cut -d' ' -f1 /proc/loadavg) db_bytes=$size_b wal_bytes=$wal server_cpu=$(python3 -c "print(f\"{$cpu1 - $cpu0:.2f}\")") :: $out"
      sql "DROP DATABASE $db"
    done
  done
done
