#!/usr/bin/env bash
# Readers on a long run (issue 21, part of the long-run proof): writes a measured-like run of GPUS GPUs at 10 Hz for
# HOURS (default 72 h, 8 GPUs, 100 epochs with idle evaluations between them: 20.7 M readings) through the store API
# (bench/TrainWatt.Bench.ReaderStore: StartRun, AppendSamples in one-second batches as measure writes, AddEpoch,
# FinishRun), then times the Release CLI's `runs show`, `export` (codecarbon, boamps, json, csv) and `report` on it with
# GNU time (wall, user, system, peak RSS). BEFORE=DIR also times a CLI built from another commit (a folder holding
# trainwatt.dll), each command run before then after (interleaved pairs), and compares their outputs; BEFORE_REPORT=0
# skips the old `report` (it holds every reading: gigabytes and minutes on 8 GPUs for 72 h).
# It does not go through `measure` with an accelerated clock (measure's RSS over days is another benchmark).
#   bash bench/long-run-readers.sh [HOURS] [GPUS] [EPOCHS]     (from the repository root)
set -euo pipefail
hours="${1:-72}"; gpus="${2:-8}"; epochs="${3:-100}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
bin="${AFTER:-$work/bin}"   # AFTER=DIR: a CLI already built (Release) instead of building this checkout's
[ -n "${AFTER:-}" ] || dotnet build -c Release -v q --nologo "$root/src/TrainWatt.Cli" -o "$work/bin" >/dev/null
db="${DB:-$work/long.db}"  # DB=FILE: a store this script wrote before, instead of writing it again
if [ -z "${DB:-}" ]; then
  dotnet build -c Release -v q --nologo "$root/bench/TrainWatt.Bench.ReaderStore" -o "$work/gen" >/dev/null
  /usr/bin/time -f "write: %e s wall, %U s user, %S s sys, %M KB peak RSS" dotnet "$work/gen/TrainWatt.Bench.ReaderStore.dll" "$db" "$hours" "$gpus" "$epochs"
fi
echo "cores: $(nproc); store: $(stat -c %s "$db") bytes, $(sqlite3 "$db" 'SELECT SUM(n) FROM sample_chunks') readings"
timed() { # LABEL CLI_DIR OUT ARGS...
  local label="$1" bin="$2" out="$3"; shift 3
  /usr/bin/time -o "$work/t" -f "%e s wall, %U s user, %S s sys, %M KB peak RSS" dotnet "$bin/trainwatt.dll" "$@" --db "$db" >"$out" 2>/dev/null || echo "$label: exit $?"
  echo "$label: $(cat "$work/t"), $(stat -c %s "$out") bytes out, load $(cut -d' ' -f1 /proc/loadavg)"
}
for cmd in "runs show 1" "runs show 1 --json" "export 1 --format codecarbon" "export 1 --format boamps" "export 1 --format json" "export 1 --format csv" "report 1"; do
  args=($cmd); tag="${cmd// /_}"
  extra=(); [ "${args[0]}" = report ] && extra=(--out "$work/report-after")
  if [ -n "${BEFORE:-}" ] && { [ "${args[0]}" != report ] || [ "${BEFORE_REPORT:-1}" = 1 ]; }; then
    [ "${args[0]}" = report ] && extra=(--out "$work/report-before")
    timed "before $cmd" "$BEFORE" "$work/before-$tag" "${args[@]}" "${extra[@]}"
  fi
  [ "${args[0]}" = report ] && extra=(--out "$work/report-after")
  timed "after  $cmd" "$bin" "$work/after-$tag" "${args[@]}" "${extra[@]}"
  if [ -n "${BEFORE:-}" ] && [ "${args[0]}" != report ]; then
    cmp -s "$work/before-$tag" "$work/after-$tag" && echo "  same output" || echo "  OUTPUT DIFFERS"
  fi
done
if [ -n "${BEFORE:-}" ] && [ -f "$work/report-before/index.html" ]; then
  # The page's text (energies, phases, epochs) without the embedded images: the plots are drawn from fewer points now.
  strip() { sed -e 's/src="[^"]*"//g' "$1"; }
  cmp -s <(strip "$work/report-before/index.html") <(strip "$work/report-after/index.html") && echo "report: same page text" || echo "report: PAGE TEXT DIFFERS"
fi
