#!/bin/sh
# PRE benchmark: fit-with-search time per model family on a PRE dataset and one-prediction latency (Release build).
# Usage: bench/pre-bench.sh PATH/training-set.csv [PATH/model-params]
#   e.g. bench/pre-bench.sh ../shared/data/journal2027-pre/training-set.csv ../shared/data/journal2027-pre/model-params
# Goals (issue 6): fit with the search on 857 rows <= 2 s; one prediction <= 1 ms. Results: docs/benchmarks.md.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
exec dotnet run -c Release --project "$root/bench/TrainWatt.PreBench" -- "$@"
