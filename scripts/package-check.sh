#!/usr/bin/env bash
# CI step: builds the packages (scripts/package.sh), then installs each into a temp folder as a user would and runs
# `trainwatt --version` and a short `measure` with it:
#   the single-file executable as it is; the .NET tool with `dotnet tool install --tool-path`; the wheel with pip into a
#   fresh venv (offline: --no-index), whose Python also runs the measured job through `import trainwatt`.
# Exit 0 when all pass; prints one line per check. SKIP_BUILD=1 reuses artifacts/packages.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${SKIP_BUILD:-0}" = 1 ] || scripts/package.sh
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -n 1)
pkgs=$PWD/artifacts/packages
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

check() { # NAME TRAINWATT [PYTHON]: --version, then a two-epoch measure whose epochs and metric must be stored
  local name=$1 tw=$2 py=${3:-python3} db="$tmp/$1.db" got
  if ! got=$("$tw" --version 2>&1) || [[ "$got" != *"$version"* ]]; then
    echo "FAIL $name: --version printed '$got' (expected $version)"; fail=1; return
  fi
  if ! "$tw" measure --db "$db" --meters process --progress quiet --framework marker -- "$py" -c \
      'import trainwatt as t
for e in t.epochs(2):
    sum(range(200000))
t.metric("accuracy", 0.5)' >"$tmp/$name.out" 2>"$tmp/$name.err"; then
    echo "FAIL $name: measure failed: $(tail -n 3 "$tmp/$name.err")"; fail=1; return
  fi
  got=$("$tw" runs show 1 --db "$db" --json | "$py" -c 'import json,sys; r=json.load(sys.stdin); print(len(r["epochs"]))')
  if [ "$got" != 2 ]; then echo "FAIL $name: $got epochs stored (expected 2)"; fail=1; return; fi
  echo "ok   $name: $("$tw" --version | head -n 1), measure stored 2 epochs"
}

# 1. single-file executable (the job's Python needs the module: point PYTHONPATH at the sources)
install -m 755 "$pkgs/trainwatt-$version-linux-x64" "$tmp/trainwatt"
PYTHONPATH=$PWD/python check single-file "$tmp/trainwatt"

# 2. .NET tool into a temp --tool-path
dotnet tool install --tool-path "$tmp/tools" --add-source "$pkgs" trainwatt --version "$version" >/dev/null
PYTHONPATH=$PWD/python check dotnet-tool "$tmp/tools/trainwatt"

# 3. wheel into a fresh venv, offline; the venv's own python imports the installed module
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install --no-index --quiet "$pkgs"/trainwatt-"$version"-py3-none-*.whl
"$tmp/venv/bin/python" -c 'import trainwatt; trainwatt.epoch_end; trainwatt.metric' \
  || { echo "FAIL wheel: import trainwatt"; fail=1; }
check wheel "$tmp/venv/bin/trainwatt" "$tmp/venv/bin/python"

exit "$fail"
