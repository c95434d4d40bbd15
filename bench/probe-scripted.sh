#!/usr/bin/env bash
# Wall time of `trainwatt estimate --probe 12s` on the issue's scripted job (2 s start-up, 40 Keras-style epochs of
# 1 s: 42 s alone), with the machine's own meters (`trainwatt doctor` says which). The goal (issue 15) is < 30 s; the
# accuracy against `measure` is asserted in EstimateProbeTests with a fake 250 W GPU meter.
#
# Usage: bench/probe-scripted.sh [REPEATS=3]   (needs a built CLI: dotnet build src/TrainWatt.Cli)
set -euo pipefail
repeats=${1:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
tw="$root/src/TrainWatt.Cli/bin/Debug/net10.0/linux-x64/trainwatt"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat > "$dir/job.sh" <<'JOB'
#!/bin/bash
sleep 2
for i in $(seq 1 40); do
  echo "Epoch $i/40"
  sleep 1
  echo "10/10 [==============================] - 1s 100ms/step - loss: 0.5"
done
JOB
printf 'repeat\twall_s\texit\tenergy_j\tduration_s\tleft_running\n'
for i in $(seq 1 "$repeats"); do
  start=$(date +%s.%N)
  set +e
  "$tw" estimate --probe 12s --json --db "$dir/runs.db" -- bash "$dir/job.sh" > "$dir/out.json" 2> "$dir/err.log"
  code=$?
  set -e
  end=$(date +%s.%N)
  left=$(pgrep -f "$dir/job.sh" | wc -l || true)
  python3 -c "import json,sys; d=json.load(open('$dir/out.json')); print(f\"$i\t{$end-$start:.1f}\t$code\t{d['energy_j']:.0f}\t{d['duration_s']:.2f}\t$left\")"
done
