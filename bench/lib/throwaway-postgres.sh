# Sourced by the PostgreSQL benchmarks (bench/store-writes.sh, store-writes-ab.sh, sync-memory.sh): starts a throw-away
# local server (initdb in a temp folder, loopback port, fsync on as in production; as root it runs as the postgres
# user) and stops it and removes the folder when the script exits. Sets BIN (the server's binaries, psql beside the
# real initdb), TMP (the temp folder), AS (the command prefix that runs as the server's user) and PORT.
BIN=""
for d in $(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/x)") /usr/local/bin /usr/lib/postgresql/*/bin; do
  [ -x "$d/initdb" ] && { BIN="$(dirname "$(readlink -f "$d/initdb")")"; break; }
done
[ -n "$BIN" ] || { echo "no PostgreSQL binaries (initdb)" >&2; exit 69; }
TMP="$(mktemp -d)"; chmod 755 "$TMP"
AS=(); [ "$(id -u)" = 0 ] && { chown postgres "$TMP"; AS=(runuser -u postgres --); }
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"${AS[@]}" "$BIN/initdb" -D "$TMP/data" -U postgres -A trust --no-locale -E UTF8 >/dev/null
"${AS[@]}" "$BIN/pg_ctl" -D "$TMP/data" -l "$TMP/log" -o "-c listen_addresses=127.0.0.1 -p $PORT -k $TMP" -w start >/dev/null
trap '"${AS[@]}" "$BIN/pg_ctl" -D "$TMP/data" -m fast -w stop >/dev/null; rm -rf "$TMP"' EXIT
