#!/usr/bin/env bash
# Publishes the linux-x64 CLI as a single file in three ways and measures each: size, start-up (best of 10 runs of
# `trainwatt --version` and of `trainwatt runs list` on an empty store) and whether a short `measure` works.
#   single-file   self-contained, ReadyToRun (what scripts/package.sh ships)
#   trimmed       the same, PublishTrimmed (trim warnings not errors, to see what it would give)
#   aot           Native AOT (PublishAot)
# usage: bench/package-variants.sh [VARIANT...]   results: one line per variant; logs in artifacts/variants/
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p artifacts/variants
common=(-c Release -r linux-x64 --self-contained true -p:DebugType=none -nologo -v quiet)
best() { # best wall time in ms of 10 runs of "$@"
  local b=999999 t0 t1 ms
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    t0=$(date +%s%N); "$@" >/dev/null 2>&1; t1=$(date +%s%N); ms=$(( (t1 - t0) / 1000000 ))
    (( ms < b )) && b=$ms
  done
  echo "$b"
}
for variant in "${@:-single-file trimmed aot}"; do
  for v in $variant; do
    out=artifacts/variants/$v
    case $v in
      single-file) extra=(-p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true -p:PublishReadyToRunComposite=false) ;;
      trimmed) extra=(-p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true -p:PublishReadyToRunComposite=false -p:PublishTrimmed=true -p:TreatWarningsAsErrors=false) ;;
      aot) extra=(-p:PublishAot=true -p:TreatWarningsAsErrors=false) ;;
      *) echo "unknown variant $v"; continue ;;
    esac
    start=$(date +%s)
    if ! dotnet publish src/TrainWatt.Cli "${common[@]}" "${extra[@]}" -o "$out" >"artifacts/variants/$v.log" 2>&1; then
      echo "$v: publish failed after $(( $(date +%s) - start )) s (artifacts/variants/$v.log: $(grep -m1 -E 'error' "artifacts/variants/$v.log" | cut -c1-200))"
      continue
    fi
    secs=$(( $(date +%s) - start ))
    exe=$out/trainwatt
    size=$(du -sm "$out" | cut -f1)
    db=$(mktemp -d)
    version_ms=$(best "$exe" --version)
    list_ms=$(best "$exe" runs list --db "$db/x.db")
    if "$exe" measure --db "$db/m.db" --meters process --progress quiet --framework marker -- bash -c 'echo "##trainwatt epoch-end"; echo "##trainwatt epoch-end"' >/dev/null 2>"$db/err" \
       && "$exe" runs show 1 --db "$db/m.db" --json | grep -q '"epochs"'; then works=yes; else works="no ($(tail -n 1 "$db/err" | cut -c1-160))"; fi
    rm -rf "$db"
    echo "$v: publish ${secs} s, ${size} MB (folder), --version best ${version_ms} ms, runs list best ${list_ms} ms, measure works: $works"
  done
done
