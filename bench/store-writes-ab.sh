#!/usr/bin/env bash
# Interleaved A/B of PostgreSQL sample-write throughput: two builds of bench/TrainWatt.Bench.StoreWrites (e.g. the
# commit before a store change, built in a `git worktree`, and after it) against ONE throw-away local PostgreSQL
# server (initdb in a temp folder, loopback TCP, fsync on, default settings), a fresh database and a CHECKPOINT
# before every run, in the order A, B (, C ...), A, B ... for every configuration.
# Usage: bench/store-writes-ab.sh ROUNDS BATCHES DIR_A DIR_B [DIR_C ...]
#   (DIR_*: a build's bench/TrainWatt.Bench.StoreWrites/bin/Release/net10.0/linux-x64, copied out of its checkout)
# Configurations (writers x batch samples / devices): 1x10/1, 8x10/1, 1x80/8, 8x80/8 (80 samples of 8 devices is
# what one `measure` of 8 GPUs at 10 Hz hands the store each second). Prints one line per run, with the load average,
# the database's size after the run and the WAL the run wrote.
set -euo pipefail
PAIRS="$1"; BATCHES="$2"; shift 2; DIRS=("$@"); LABELS=(A B C D E F)
BIN=""
for d in $(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/x)") /usr/local/bin /usr/lib/postgresql/*/bin; do
  [ -x "$d/initdb" ] && { BIN="$(dirname "$(readlink -f "$d/initdb")")"; break; }   # psql lives beside the real initdb
done
[ -n "$BIN" ] || { echo "no PostgreSQL binaries (initdb)" >&2; exit 69; }
TMP="$(mktemp -d)"; chmod 755 "$TMP"
AS=(); [ "$(id -u)" = 0 ] && { chown postgres "$TMP"; AS=(runuser -u postgres --); }
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"${AS[@]}" "$BIN/initdb" -D "$TMP/data" -U postgres -A trust --no-locale -E UTF8 >/dev/null
"${AS[@]}" "$BIN/pg_ctl" -D "$TMP/data" -l "$TMP/log" -o "-c listen_addresses=127.0.0.1 -p $PORT -k $TMP" -w start >/dev/null
trap '"${AS[@]}" "$BIN/pg_ctl" -D "$TMP/data" -m fast -w stop >/dev/null; rm -rf "$TMP"' EXIT
sql() { "${AS[@]}" "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -qAtc "$1"; }
echo "cores: $(nproc), server: $("$BIN/postgres" --version), batches: $BATCHES"
n=0
for pair in $(seq "$PAIRS"); do
  for config in "1 10 1" "8 10 1" "1 80 8" "8 80 8"; do
    read -r writers size devices <<<"$config"
    for i in "${!DIRS[@]}"; do
      side="${LABELS[$i]}"; dir="${DIRS[$i]}"
      n=$((n + 1)); db="ab$n"
      sql "CREATE DATABASE $db"; sql "CHECKPOINT"; lsn=$(sql "SELECT pg_current_wal_lsn()")
      out=$(dotnet "$dir/TrainWatt.Bench.StoreWrites.dll" "postgres://postgres@127.0.0.1:$PORT/$db" "$writers" "$BATCHES" "$size" "$devices")
      size_b=$(sql "SELECT pg_database_size('$db')"); wal=$(sql "SELECT pg_current_wal_lsn() - '$lsn'::pg_lsn")
      echo "pair $pair $side w=$writers batch=$size devices=$devices load=$(cut -d' ' -f1 /proc/loadavg) db_bytes=$size_b wal_bytes=$wal :: $out"
      sql "DROP DATABASE $db"
    done
  done
done
