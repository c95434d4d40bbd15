#!/bin/sh
# FLOPs counter benchmark: exports VGG16 (torchvision, 224 px, float32 weights: ~553 MB) with the published CLI into a
# temp dir, then counts it under /usr/bin/time -v and prints wall time and peak RSS. Goal: <= 1 s, <= 100 MB.
# Usage: bench/flops-bench.sh   (from the repository root; needs the .NET SDK and GNU time at /usr/bin/time)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/trainwatt-flops-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
dotnet publish "$root/src/TrainWatt.Cli" -c Release -o "$work/cli" --nologo -v quiet > /dev/null
cli="$work/cli/trainwatt"
"$cli" flops --arch vgg16 --variant torchvision --input 3x224x224 --export-onnx "$work/vgg16.onnx" --json > /dev/null
ls -l "$work/vgg16.onnx" | awk '{ printf "file: %d bytes (%.1f MB)\n", $5, $5 / 1e6 }'
sync
for run in 1 2 3 4 5; do
  /usr/bin/time -v "$cli" flops "$work/vgg16.onnx" --json > "$work/out.json" 2> "$work/time.txt"
  wall=$(grep "Elapsed (wall clock)" "$work/time.txt" | awk '{ print $NF }')
  rss=$(grep "Maximum resident set size" "$work/time.txt" | awk '{ print $NF }')
  echo "run $run: wall $wall, peak RSS $((rss / 1024)) MiB"
done
grep -E '"(params|macs|flops)"' "$work/out.json"
