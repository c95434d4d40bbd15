#!/usr/bin/env bash
# Benchmark (not a test) for issue 3: CPU used by `trainwatt measure` itself while it samples the fake NVML
# (2 GPUs: one energy counter, one sampled) at 10 Hz for SECONDS (default 30) s. Goal: <= 0.5 % of one core.
#
#   [BUILD=publish] bash bench/sampler-overhead.sh [SECONDS]
#
# Method: CPU time (user + system, GNU time) of `measure -- sleep SECONDS` minus that of `measure -- true` (start-up,
# store creation and shutdown, which do not depend on the run length), divided by SECONDS ("overall", which still
# holds the one-time tiered-JIT work of the sampling path); and the CPU of a 2×SECONDS run minus a SECONDS run, divided
# by SECONDS ("steady state"). The wrapped `sleep` uses ~1 ms of CPU. Release build; the store is a temporary file.
set -euo pipefail
seconds="${1:-30}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

make -s -C "$root/native/fake-nvml" OUT="$root/native/build/"
# BUILD=publish measures the published CLI users run (ReadyToRun, no tiered JIT); default: a Release build.
if [ "${BUILD:-build}" = publish ]; then
  dotnet publish -c Release -v q --nologo "$root/src/TrainWatt.Cli" -o "$work/bin" >/dev/null
else
  dotnet build -c Release -v q --nologo "$root/src/TrainWatt.Cli" -o "$work/bin" >/dev/null
fi
cp "$root/native/build/libnvidia-ml.so.1" "$work/libnvidia-ml.so.1"
cat > "$work/fake-nvml-scenario.txt" <<'SCENARIO'
[device]
name = NVIDIA Fake A100
uuid = GPU-aaaaaaaa-1111-2222-3333-444444444444
energy_counter = yes
power_w = 0:100, 5:300, 10:200
sine_amplitude_w = 20
sine_period_s = 0.8
[device]
name = NVIDIA Fake TITAN Xp
uuid = GPU-bbbbbbbb-5555-6666-7777-888888888888
energy_counter = no
power_w = 0:80, 10:180
SCENARIO
export TRAINWATT_NVML_LIBRARY="$work/libnvidia-ml.so.1"

cpu() { # prints user+system CPU seconds of one measure run
  /usr/bin/time -f "%U %S" -o "$work/time.txt" \
    dotnet "$work/bin/trainwatt.dll" measure --meters nvml --interval 100ms --progress quiet --db "$work/runs.db" -- "$@" 2>/dev/null >/dev/null
  awk '{ printf "%.3f", $1 + $2 }' "$work/time.txt"
}

base="$(cpu true)"
short="$(cpu sleep "$seconds")"
long="$(cpu sleep "$((2 * seconds))")"
awk -v b="$base" -v r="$short" -v l="$long" -v s="$seconds" 'BEGIN {
  printf "CPU: start-up only %.3f s; %d s run %.3f s; %d s run %.3f s\n", b, s, r, 2 * s, l
  printf "overall: %.3f s CPU over the %d s run = %.3f %% of one core (includes one-time JIT warm-up)\n", r - b, s, 100 * (r - b) / s
  printf "steady state: %.3f s CPU per extra %d s = %.3f %% of one core (goal <= 0.5 %%)\n", l - r, s, 100 * (l - r) / s
}'
