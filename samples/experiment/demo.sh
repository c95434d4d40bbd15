#!/usr/bin/env bash
# End-to-end demo of `trainwatt experiment`: runs samples/experiment/plan.json (3 configurations x 3 repetitions),
# interrupts it with SIGINT during the second run, resumes it, writes the HTML report and takes a screenshot of the
# page with headless Chromium (Debian: apt-get install -y chromium). Run from the repository root:
#   samples/experiment/demo.sh [OUT_DIR]
set -euo pipefail
set -m # job control: a background job started by a script otherwise ignores SIGINT
out="${1:-artifacts/experiment-demo}"
rm -rf "$out" && mkdir -p "$out"
dotnet build src/TrainWatt.Cli -v q -nologo >/dev/null
tw=(dotnet src/TrainWatt.Cli/bin/Debug/net10.0/linux-x64/trainwatt.dll)
db="$out/runs.db"

"${tw[@]}" experiment run samples/experiment/plan.json --db "$db" </dev/null 2>"$out/first.log" &
pid=$!
until grep -q "run 2/9" "$out/first.log" 2>/dev/null; do sleep 0.1; done
sleep 0.3
kill -INT "$pid"
wait "$pid" || echo "first attempt exited with $? (130 = interrupted)"
"${tw[@]}" experiment status samples/experiment/plan.json --db "$db"
"${tw[@]}" experiment run samples/experiment/plan.json --db "$db" </dev/null 2>"$out/resume.log"
"${tw[@]}" experiment status samples/experiment/plan.json --db "$db"
"${tw[@]}" report --experiment demo --db "$db" --out "$out/report"
if command -v chromium >/dev/null; then
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking --window-size=1200,3000 \
    --screenshot="$out/report-screenshot.png" "file://$(realpath "$out/report/index.html")" 2>/dev/null
  echo "screenshot: $out/report-screenshot.png"
fi
