#!/usr/bin/env bash
# Builds TrainWatt's packages into artifacts/packages/ (Linux x64 with the .NET SDK; python3 for the wheel):
#   trainwatt-VERSION-linux-x64          self-contained single-file executable (no .NET needed to run it)
#   trainwatt.VERSION.nupkg              .NET tool, command `trainwatt` (needs the .NET 10 runtime):
#                                        dotnet tool install -g --add-source artifacts/packages trainwatt
#   trainwatt-VERSION-py3-none-manylinux_2_34_x86_64.whl
#                                        Python wheel: the same executable as the `trainwatt` console command and the
#                                        pure-Python module `trainwatt` (markers, framework callbacks)
# RIDS="linux-x64 linux-arm64" also publishes a linux-arm64 executable (the wheel stays x86_64).
# Then scripts/package-check.sh installs each package into a temp folder and runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -n 1)
out=artifacts/packages
rm -rf "$out" artifacts/publish
mkdir -p "$out"
start=$(date +%s)

for rid in ${RIDS:-linux-x64}; do
  # Single file, self-contained, not trimmed; ReadyToRun (the csproj's publish setting) for TrainWatt's own and the
  # packages' assemblies only: the runtime's are precompiled already, and a composite image of the whole framework
  # (the SDK's default when self-contained) took over 12 minutes to compile here. Measured: docs/benchmarks.md, "Packages".
  dotnet publish src/TrainWatt.Cli -c Release -r "$rid" --self-contained true \
    -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true -p:PublishReadyToRunComposite=false -p:DebugType=none \
    -o "artifacts/publish/$rid" -v quiet -nologo
  cp "artifacts/publish/$rid/trainwatt" "$out/trainwatt-$version-$rid"
done

# .NET tool: framework-dependent and portable (no RuntimeIdentifier), so one package serves every platform .NET runs on.
# (PackageId, ToolCommandName: src/TrainWatt.Cli/TrainWatt.Cli.csproj.)
dotnet pack src/TrainWatt.Cli -c Release -p:TrainWattTool=true -p:RuntimeIdentifier= -p:SelfContained=false \
  -o "$out" -v quiet -nologo

python3 scripts/build_wheel.py --exe "artifacts/publish/linux-x64/trainwatt" --version "$version" --out "$out" >/dev/null

echo "packages in $out ($(( $(date +%s) - start )) s):"
ls -l "$out"
