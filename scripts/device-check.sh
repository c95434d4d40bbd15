#!/usr/bin/env bash
# device-check.sh — checks TrainWatt's NVML readings against nvidia-smi on a machine with real NVIDIA GPUs.
#
# Needs: a self-contained TrainWatt (no .NET SDK on the GPU machine), built elsewhere with
#   dotnet publish src/TrainWatt.Cli -c Release -r linux-x64 --self-contained -o publish/
# plus nvidia-smi and python3 (with torch for the load; without torch the load step is skipped and said so).
#
# What it does (≤ 5 minutes: about 10 s of checks plus the load, 60 s by default):
#   1. `trainwatt doctor --json` and `nvidia-smi --query-gpu=...`: per GPU, name, UUID, PCI bus id, power limit,
#      energy counter and power, side by side; `nvidia-smi -q` is kept whole in the output folder.
#   2. Under a PyTorch matmul load on every GPU for --load-seconds, `trainwatt measure --meters nvml` (counter energy and
#      its own sampled power, sampled_energy_j) while nvidia-smi logs power.draw every second; the nvidia-smi series is
#      integrated over the run's span.
#   3. Writes report.json and report.md in the output folder.
#
# Usage: scripts/device-check.sh [--trainwatt PATH] [--out DIR] [--load-seconds N] [--python PYTHON] [--no-load]
#        [--nvidia-smi PATH]
# Exit codes: 0 checked (see the report for disagreements), 64 usage error, 69 no trainwatt / nvidia-smi / GPU.
set -u

here="$(cd "$(dirname "$0")" && pwd)"
trainwatt="${TRAINWATT:-}"
out="device-check-$(date -u +%Y%m%dT%H%M%SZ)"
load_seconds=60
python="${PYTHON:-python3}"
smi="${NVIDIA_SMI:-nvidia-smi}"
do_load=1

usage() {
    sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' >&2
}

die() { # code message
    echo "device-check: $2" >&2
    exit "$1"
}

while [ $# -gt 0 ]; do
    case "$1" in
        --trainwatt) [ $# -ge 2 ] || die 64 "--trainwatt needs a path"; trainwatt="$2"; shift 2 ;;
        --out) [ $# -ge 2 ] || die 64 "--out needs a folder"; out="$2"; shift 2 ;;
        --load-seconds)
            [ $# -ge 2 ] || die 64 "--load-seconds needs a number"
            case "$2" in ''|*[!0-9]*) die 64 "--load-seconds \"$2\" is not a whole number of seconds (1 to 240)" ;; esac
            [ "$2" -ge 1 ] && [ "$2" -le 240 ] || die 64 "--load-seconds $2 is out of range: use 1 to 240 (the whole check must finish in 5 minutes)"
            load_seconds="$2"; shift 2 ;;
        --python) [ $# -ge 2 ] || die 64 "--python needs an interpreter"; python="$2"; shift 2 ;;
        --nvidia-smi) [ $# -ge 2 ] || die 64 "--nvidia-smi needs a path"; smi="$2"; shift 2 ;;
        --no-load) do_load=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage; die 64 "unknown argument \"$1\"" ;;
    esac
done

if [ -z "$trainwatt" ]; then
    for candidate in "$here/../publish/trainwatt" "$here/trainwatt" "./trainwatt" "$(command -v trainwatt 2>/dev/null)"; do
        if [ -n "$candidate" ] && [ -x "$candidate" ]; then trainwatt="$candidate"; break; fi
    done
fi
[ -n "$trainwatt" ] && [ -x "$trainwatt" ] || die 69 "no trainwatt executable: publish it (dotnet publish src/TrainWatt.Cli -c Release -r linux-x64 --self-contained -o publish/) and pass --trainwatt publish/trainwatt"
command -v "$smi" >/dev/null 2>&1 || [ -x "$smi" ] || die 69 "nvidia-smi not found (\"$smi\"): install the NVIDIA driver or pass --nvidia-smi PATH"
command -v "$python" >/dev/null 2>&1 || die 69 "$python not found: it writes the report; pass --python PATH"

mkdir -p "$out" || die 73 "cannot create $out"
echo "device-check: writing to $out" >&2

# 1. Static readings.
"$trainwatt" doctor --json > "$out/doctor.json" 2> "$out/doctor.err"
echo $? > "$out/doctor.rc"
"$smi" -q > "$out/nvidia-smi-q.txt" 2>&1
"$smi" --query-gpu=index,name,uuid,pci.bus_id,power.limit,enforced.power.limit,power.draw \
    --format=csv,noheader,nounits > "$out/nvidia-smi-gpus.csv" 2> "$out/nvidia-smi-gpus.err" \
    || die 69 "nvidia-smi cannot list the GPUs: $(head -1 "$out/nvidia-smi-gpus.err")"

# 2. Load: trainwatt measures a PyTorch matmul loop while nvidia-smi logs power.draw every second.
load_state="skipped (--no-load)"
if [ "$do_load" = 1 ]; then
    if "$python" -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
        cat > "$out/load.py" <<'EOF'
import sys, time, torch
seconds = float(sys.argv[1])
streams = []
for d in range(torch.cuda.device_count()):
    a = torch.randn(8192, 8192, device=f"cuda:{d}", dtype=torch.float16)
    streams.append((d, a))
print("##trainwatt epoch-start 1/1", flush=True)
end = time.monotonic() + seconds
while time.monotonic() < end:
    for d, a in streams:
        with torch.cuda.device(d):
            for _ in range(8):
                a = (a @ a).clamp_(-1, 1)
    for d, _ in streams:
        torch.cuda.synchronize(d)
print("##trainwatt epoch-end 1/1", flush=True)
EOF
        "$smi" --query-gpu=timestamp,index,power.draw --format=csv,noheader,nounits -lms 1000 > "$out/nvidia-smi-power.csv" 2>/dev/null &
        smi_pid=$!
        timeout $((load_seconds + 90)) "$trainwatt" measure --meters nvml --db "$out/runs.db" --summary-json "$out/summary.json" \
            -- "$python" "$out/load.py" "$load_seconds" > "$out/measure.out" 2> "$out/measure.err"
        echo $? > "$out/measure.rc"
        kill "$smi_pid" 2>/dev/null
        wait "$smi_pid" 2>/dev/null
        load_state="ran ${load_seconds} s"
    else
        load_state="skipped: $python has no torch with CUDA (pip install torch, or pass --python)"
    fi
fi

# 3. Report.
"$python" - "$out" "$load_state" <<'EOF'
import csv, datetime, json, os, re, sys

out, load_state = sys.argv[1], sys.argv[2]

def read(name, default=""):
    try:
        with open(os.path.join(out, name), encoding="utf-8") as f:
            return f.read()
    except OSError:
        return default

def num(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return None

# nvidia-smi's view: index, name, uuid, bus id, limits (W), power (W)
smi = {}
for row in csv.reader(read("nvidia-smi-gpus.csv").splitlines()):
    if len(row) < 7:
        continue
    row = [c.strip() for c in row]
    smi[row[0]] = {"name": row[1], "uuid": row[2], "pci_bus_id": row[3], "power_limit_w": num(row[4]),
                   "enforced_power_limit_w": num(row[5]), "power_w": num(row[6])}

# TrainWatt's view, from doctor's NVML lines: "gpu:0 NAME UUID bus BUS, power limit N W, energy counter, ..."
tw, doctor_error = {}, None
try:
    doctor = json.loads(read("doctor.json", "{}") or "{}")
except json.JSONDecodeError as e:
    doctor, doctor_error = {}, f"doctor.json is not JSON: {e}"
for meter in doctor.get("meters", []):
    if meter.get("meter") != "nvml":
        continue
    if not meter.get("available"):
        doctor_error = f"NVML unavailable: {meter.get('reason')} Fix: {meter.get('fix')}"
    for line in meter.get("found", []):
        m = re.match(r"gpu:(\d+) (.+) (GPU-[0-9A-Fa-f-]+|\(index.*?\)) bus (\S+?)(?:, power limit (\d+) W)?, (.*)$", line)
        if m:
            rest = m.group(6)
            tw[m.group(1)] = {"name": m.group(2), "uuid": m.group(3), "pci_bus_id": m.group(4),
                              "enforced_power_limit_w": num(m.group(5)),
                              "energy_counter": rest.startswith("energy counter") or rest.startswith("module energy counter"),
                              "instant_power": "instant power" in rest, "mig": "MIG enabled" in rest}

def same_bus(a, b):
    return a is not None and b is not None and a.upper().lstrip("0") == b.upper().lstrip("0")

gpus = []
for index in sorted(set(smi) | set(tw), key=int):
    s, t = smi.get(index, {}), tw.get(index, {})
    checks = {
        "name": s.get("name") == t.get("name"),
        "uuid": s.get("uuid") == t.get("uuid"),
        "pci_bus_id": same_bus(s.get("pci_bus_id"), t.get("pci_bus_id")),
        "enforced_power_limit_w": s.get("enforced_power_limit_w") is not None and t.get("enforced_power_limit_w") is not None
            and abs(s["enforced_power_limit_w"] - t["enforced_power_limit_w"]) <= 1,
    }
    gpus.append({"index": int(index), "nvidia_smi": s, "trainwatt": t, "checks": checks})

# Load: counter vs TrainWatt's sampled power vs nvidia-smi's 1 s power.draw over the same span
load = {"state": load_state}
summary = None
if read("summary.json"):
    try:
        summary = json.loads(read("summary.json"))
    except json.JSONDecodeError:
        summary = None
if summary is not None:
    duration = summary.get("duration_s")
    load["duration_s"] = duration
    load["measure_exit_code"] = num(read("measure.rc").strip())
    series = {}
    for row in csv.reader(read("nvidia-smi-power.csv").splitlines()):
        if len(row) < 3:
            continue
        try:
            t = datetime.datetime.strptime(row[0].strip(), "%Y/%m/%d %H:%M:%S.%f").timestamp()
        except ValueError:
            continue
        w = num(row[2].strip())
        if w is not None:
            series.setdefault(row[1].strip(), []).append((t, w))
    components = []
    for c in summary.get("components", []):
        name = c.get("name", "")
        if not name.startswith("gpu:"):
            continue
        idx = name[4:]
        points = series.get(idx, [])
        smi_mean = sum(w for _, w in points) / len(points) if points else None
        smi_energy = smi_mean * duration if smi_mean is not None and duration else None
        counter = c.get("energy_j")
        entry = {"name": name, "provenance": c.get("provenance"), "counter_energy_j": counter,
                 "sampled_energy_j": c.get("sampled_energy_j"), "sampled_vs_counter": c.get("sampled_vs_counter"),
                 "sampled_disagrees": c.get("sampled_disagrees"), "nvidia_smi_samples": len(points),
                 "nvidia_smi_energy_j": smi_energy,
                 "nvidia_smi_vs_counter": (smi_energy - counter) / counter if smi_energy is not None and counter else None}
        components.append(entry)
    load["gpus"] = components
elif load_state.startswith("ran"):
    load["error"] = "trainwatt measure wrote no summary: " + (read("measure.err").strip().splitlines() or ["(no message)"])[-1]

report = {"generated": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
          "trainwatt_doctor_error": doctor_error, "gpus": gpus, "load": load}
with open(os.path.join(out, "report.json"), "w", encoding="utf-8") as f:
    json.dump(report, f, indent=2)
    f.write("\n")

def fmt(v, pattern="{:.1f}"):
    return "-" if v is None else pattern.format(v)

md = ["# TrainWatt device check", "", f"Generated {report['generated']}.", ""]
if doctor_error:
    md += [f"**TrainWatt NVML:** {doctor_error}", ""]
md += ["## Static readings (TrainWatt NVML vs nvidia-smi)", "",
       "| GPU | name | UUID | bus id | enforced limit W (TW / smi) | counter | instant power | MIG |", "|---|---|---|---|---|---|---|---|"]
ok = lambda b: "ok" if b else "**differs**"
for g in gpus:
    t, s, c = g["trainwatt"], g["nvidia_smi"], g["checks"]
    md.append(f"| {g['index']} | {ok(c['name'])} {t.get('name', '-')} | {ok(c['uuid'])} | {ok(c['pci_bus_id'])} {t.get('pci_bus_id', '-')} | "
              f"{fmt(t.get('enforced_power_limit_w'), '{:.0f}')} / {fmt(s.get('enforced_power_limit_w'), '{:.0f}')} | "
              f"{'yes' if t.get('energy_counter') else 'no'} | {'yes' if t.get('instant_power') else 'no'} | {'yes' if t.get('mig') else 'no'} |")
md += ["", f"## Under load ({load['state']})", ""]
if "gpus" in load:
    md += ["| GPU | counter J | sampled J (TrainWatt) | sampled vs counter | nvidia-smi power.draw J | smi vs counter |", "|---|---|---|---|---|---|"]
    for c in load["gpus"]:
        md.append(f"| {c['name']} | {fmt(c['counter_energy_j'])} | {fmt(c['sampled_energy_j'])} | {fmt(c['sampled_vs_counter'], '{:+.1%}')} | "
                  f"{fmt(c['nvidia_smi_energy_j'])} | {fmt(c['nvidia_smi_vs_counter'], '{:+.1%}')} |")
elif "error" in load:
    md.append(load["error"])
with open(os.path.join(out, "report.md"), "w", encoding="utf-8") as f:
    f.write("\n".join(md) + "\n")
print(os.path.join(out, "report.md"))
EOF
