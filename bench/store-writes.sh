#!/usr/bin/env bash
# Sample insert throughput of both stores (Release build): SQLite file vs a throw-away local PostgreSQL server
# (initdb in a temp folder, loopback port, fsync ON as in production; as root it runs as the postgres user).
# Usage: bench/store-writes.sh [BATCHES] [BATCH_SIZE]   (from the repository root)
set -euo pipefail
BATCHES="${1:-200}"; SIZE="${2:-500}"
dotnet build bench/TrainWatt.Bench.StoreWrites -c Release -v q -nologo >/dev/null
DLL=bench/TrainWatt.Bench.StoreWrites/bin/Release/net10.0/linux-x64/TrainWatt.Bench.StoreWrites.dll
source "$(dirname "$0")/lib/throwaway-postgres.sh"
echo "cores: $(nproc), load: $(cut -d' ' -f1-3 /proc/loadavg)"
for writers in 1 8; do
  rm -f "$TMP"/bench.db*
  dotnet "$DLL" "$TMP/bench.db" "$writers" "$BATCHES" "$SIZE"
  dotnet "$DLL" "postgres://postgres@127.0.0.1:$PORT/postgres" "$writers" "$BATCHES" "$SIZE"
done
