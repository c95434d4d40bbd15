#!/usr/bin/env bash
# Sample insert throughput of both stores (Release build): SQLite file vs a throw-away local PostgreSQL server
# (initdb in a temp folder, loopback port, fsync ON as in production; as root it runs as the postgres user).
# Usage: bench/store-writes.sh [BATCHES] [BATCH_SIZE]   (from the repository root)
set -euo pipefail
BATCHES="${1:-200}"; SIZE="${2:-500}"
BIN=""
for d in $(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/x)") /usr/local/bin /usr/lib/postgresql/*/bin; do
  [ -x "$d/initdb" ] && { BIN="$d"; break; }
done
[ -n "$BIN" ] || { echo "no PostgreSQL binaries (initdb)" >&2; exit 69; }
dotnet build bench/TrainWatt.Bench.StoreWrites -c Release -v q -nologo >/dev/null
DLL=bench/TrainWatt.Bench.StoreWrites/bin/Release/net10.0/linux-x64/TrainWatt.Bench.StoreWrites.dll
TMP="$(mktemp -d)"; chmod 755 "$TMP"
AS=(); [ "$(id -u)" = 0 ] && { chown postgres "$TMP"; AS=(runuser -u postgres --); }
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"${AS[@]}" "$BIN/initdb" -D "$TMP/data" -U postgres -A trust --no-locale -E UTF8 >/dev/null
"${AS[@]}" "$BIN/pg_ctl" -D "$TMP/data" -l "$TMP/log" -o "-c listen_addresses=127.0.0.1 -p $PORT -k $TMP" -w start >/dev/null
trap '"${AS[@]}" "$BIN/pg_ctl" -D "$TMP/data" -m fast -w stop >/dev/null; rm -rf "$TMP"' EXIT
echo "cores: $(nproc), load: $(cut -d' ' -f1-3 /proc/loadavg)"
for writers in 1 8; do
  rm -f "$TMP"/bench.db*
  dotnet "$DLL" "$TMP/bench.db" "$writers" "$BATCHES" "$SIZE"
  dotnet "$DLL" "postgres://postgres@127.0.0.1:$PORT/postgres" "$writers" "$BATCHES" "$SIZE"
done
