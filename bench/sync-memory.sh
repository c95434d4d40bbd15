#!/usr/bin/env bash
# Time and peak RSS of `trainwatt sync` (SQLite -> PostgreSQL) for one or more builds of the CLI, interleaved, each into
# a fresh database of one throw-away local PostgreSQL server (bench/lib/throwaway-postgres.sh).
# Usage: bench/sync-memory.sh ROUNDS STORE.db CLI_A [CLI_B ...]
#   STORE.db: e.g. a measure-like run written by the store-writes bench:
#   dotnet bench/TrainWatt.Bench.StoreWrites/bin/Release/net10.0/linux-x64/TrainWatt.Bench.StoreWrites.dll big.db 1 86400 80 8
#   (one run of 8 GPUs at 10 Hz for 24 hours: 6,912,000 readings)
set -euo pipefail
ROUNDS="$1"; DB="$2"; shift 2; CLIS=("$@"); LABELS=(A B C D)
source "$(dirname "$0")/lib/throwaway-postgres.sh"
sql() { "${AS[@]}" "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d "${2:-postgres}" -qAtc "$1"; }
n=0
for round in $(seq "$ROUNDS"); do
  for i in "${!CLIS[@]}"; do
    n=$((n + 1)); db="sync$n"
    sql "CREATE DATABASE $db"; sql "CHECKPOINT"
    out=$(/usr/bin/time -f "wall %e s, CPU %U+%S s, peak RSS %M KB" "${CLIS[$i]}" sync --from "$DB" --to "postgres://postgres@127.0.0.1:$PORT/$db" 2>&1 | tr '\n' ' ')
    echo "round $round ${LABELS[$i]} load=$(cut -d' ' -f1 /proc/loadavg) chunks=$(sql 'SELECT count(*) FROM sample_chunks' "$db") db_bytes=$(sql "SELECT pg_database_size('$db')") :: $out"
    sql "DROP DATABASE $db"
  done
done
