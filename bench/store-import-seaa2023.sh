#!/usr/bin/env bash
# Times `trainwatt import seaa2023` of the 309 SEAA 2023 runs into a fresh store (Release build), three times,
# and prints wall time, CPU time, peak RSS and the store's size. Needs ../shared/data/seaa2023 (or SEAA=path).
# Usage: bench/store-import-seaa2023.sh   (from the repository root)
set -euo pipefail
SEAA="${SEAA:-../shared/data/seaa2023}"
[ -d "$SEAA/traces" ] || { echo "no SEAA data at $SEAA (set SEAA=path)" >&2; exit 66; }
dotnet build src/TrainWatt.Cli -c Release -v q -nologo >/dev/null
DLL=src/TrainWatt.Cli/bin/Release/net10.0/linux-x64/trainwatt.dll
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
echo "cores: $(nproc), load: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in 1 2 3; do
  rm -f "$TMP"/store.db*
  /usr/bin/time -f "run $i: %e s wall, %U s user, %S s sys, %M KB peak RSS" \
    dotnet "$DLL" import seaa2023 "$SEAA" --db "$TMP/store.db" >/dev/null
done
echo "store size: $(stat -c %s "$TMP/store.db") bytes"
/usr/bin/time -f "re-import (all skipped): %e s wall" dotnet "$DLL" import seaa2023 "$SEAA" --db "$TMP/store.db"
