#!/usr/bin/env bash
# Makes the schema-3 store fixtures of the schema-4 migration tests with the TrainWatt that wrote schema 3 (main at
# commit e9f28ce, before sample chunks): a SQLite store and a PostgreSQL dump holding the same three runs, and what
# that TrainWatt printed about each run (`runs show --json`, `export --format json`, `export --format csv`), which the
# tests compare with what this TrainWatt prints after migrating the store.
#
#   bash tests/TrainWatt.Storage.Tests/Fixtures/make-schema3-fixtures.sh     (from the repository root; needs gcc,
#   make and PostgreSQL's initdb/pg_ctl/pg_dump)
#
# Runs: 1 `measure` of a 3-epoch Keras-style script on two fake NVML GPUs (one with an energy counter, one sampled)
# at 50 ms; 2 `import nvidia-smi samples/traces/gpu-power-sample.csv.gz`; 3 a `measure` of `sleep 1` on the same GPUs.
set -euo pipefail
COMMIT=e9f28ce
root="$(cd "$(dirname "$0")/../../.." && pwd)"
out="$root/tests/TrainWatt.Storage.Tests/Fixtures"
work="$(mktemp -d)"; chmod 755 "$work"
cleanup() {
  [ -n "${PG_STARTED:-}" ] && "${AS[@]}" "$BIN/pg_ctl" -D "$work/pg" -m fast -w stop >/dev/null || true
  git -C "$root" worktree remove --force "$work/src" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
git -C "$root" worktree add --detach "$work/src" "$COMMIT" >/dev/null
dotnet build "$work/src/src/TrainWatt.Cli" -v q -nologo -o "$work/bin" >/dev/null
make -s -C "$root/native/fake-nvml" OUT="$work/nvml/"
cat > "$work/nvml/fake-nvml-scenario.txt" <<'SCENARIO'
[device]
name = NVIDIA Fake A100
uuid = GPU-aaaaaaaa-1111-2222-3333-444444444444
energy_counter = yes
power_w = 0:100, 1:300, 3:200
sine_amplitude_w = 20
sine_period_s = 0.8
[device]
name = NVIDIA Fake TITAN Xp
uuid = GPU-bbbbbbbb-5555-6666-7777-888888888888
energy_counter = no
power_w = 0:80, 3:180
SCENARIO
export TRAINWATT_NVML_LIBRARY="$work/nvml/libnvidia-ml.so.1"
tw() { dotnet "$work/bin/trainwatt.dll" "$@"; }
job='for i in 1 2 3; do echo "Epoch $i/3"; sleep 0.6; echo "10/10 - 1s - loss: 0.5"; done'

write_runs() { # $1: --db value
  tw measure --db "$1" --meters nvml --interval 50ms --progress quiet -- bash -c "$job" >/dev/null 2>&1
  tw import nvidia-smi "$root/samples/traces/gpu-power-sample.csv.gz" --db "$1" >/dev/null 2>&1
  tw measure --db "$1" --meters nvml --interval 50ms --progress quiet -- sleep 1 >/dev/null 2>&1
}

if [ -z "${ONLY_POSTGRES:-}" ]; then  # ONLY_POSTGRES=1: remake the PostgreSQL dump only
rm -f "$out"/schema3.db* "$out"/schema3-*.json "$out"/schema3-*.csv "$out"/schema3-postgres.sql
write_runs "$out/schema3.db"
# The import stores the trace's absolute path: make it repository-relative so no checkout's path is committed.
sqlite3 "$out/schema3.db" "UPDATE runs SET source_key = replace(source_key, '$root/', ''), metadata = replace(metadata, '$root/', ''); VACUUM;" >/dev/null
sqlite3 "$out/schema3.db" "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE;" >/dev/null
for id in 1 2 3; do
  tw runs show "$id" --json --db "$out/schema3.db" > "$out/schema3-runs-show-$id.json"
  tw export "$id" --format json --db "$out/schema3.db" > "$out/schema3-export-$id.json"
  tw export "$id" --format csv --db "$out/schema3.db" > "$out/schema3-export-$id.csv"
done
fi

BIN="$(dirname "$(command -v initdb 2>/dev/null || echo /usr/local/bin/initdb)")"
AS=(); [ "$(id -u)" = 0 ] && { chown -R postgres "$work"; AS=(runuser -u postgres --); }
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"${AS[@]}" "$BIN/initdb" -D "$work/pg" -U postgres -A trust --no-locale -E UTF8 >/dev/null
"${AS[@]}" "$BIN/pg_ctl" -D "$work/pg" -l "$work/pg.log" -o "-c listen_addresses=127.0.0.1 -p $PORT -k $work" -w start >/dev/null
PG_STARTED=1
url="postgres://postgres@127.0.0.1:$PORT/postgres"
write_runs "$url"
pg_dump -h 127.0.0.1 -p "$PORT" -U postgres --inserts --no-owner --no-privileges --no-comments postgres \
  | grep -v -E '^(\\|SET |SELECT pg_catalog.set_config)' | sed "s|$root/||g" > "$out/schema3-postgres.sql"
echo "fixtures written to $out"
