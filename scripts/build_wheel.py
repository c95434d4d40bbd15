"""Builds TrainWatt's Python wheel with the standard library only (no pip, build or network).

The wheel holds the pure-Python module ``trainwatt`` (python/trainwatt) and the self-contained single-file TrainWatt
executable as ``trainwatt/bin/trainwatt``; its console script ``trainwatt`` (trainwatt._cli:main) replaces the Python
process with that executable. It is a platform wheel: py3-none-<platform tag>.

usage: python3 scripts/build_wheel.py --exe PATH --version 0.1.0 --out DIR [--platform manylinux_2_34_x86_64]
Written from the wheel format (PEP 427 / the PyPA binary distribution format) and core metadata 2.1 specifications.
"""

import argparse
import base64
import hashlib
import os
import stat
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXED_TIME = (2026, 1, 1, 0, 0, 0)  # reproducible archives: every entry gets this time stamp


def digest(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exe", required=True, help="the single-file trainwatt executable (linux-x64)")
    parser.add_argument("--version", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--platform", default="manylinux_2_34_x86_64")
    args = parser.parse_args()

    exe = Path(args.exe)
    if not exe.is_file():
        print(f"build_wheel: {exe} does not exist; run scripts/package.sh (it publishes the executable first)", file=sys.stderr)
        return 66
    name, version = "trainwatt", args.version
    dist_info = f"{name}-{version}.dist-info"
    tag = f"py3-none-{args.platform}"
    files = []  # (archive path, bytes, executable)
    for source in sorted((ROOT / "python" / "trainwatt").glob("*.py")):
        files.append((f"trainwatt/{source.name}", source.read_bytes(), False))
    files.append(("trainwatt/bin/trainwatt", exe.read_bytes(), True))

    readme = (ROOT / "python" / "README.md").read_text(encoding="utf-8") if (ROOT / "python" / "README.md").exists() else ""
    metadata = "\n".join([
        "Metadata-Version: 2.1",
        f"Name: {name}",
        f"Version: {version}",
        "Summary: Measure, project and predict the energy of deep-learning training runs (TrainWatt CLI + Python markers)",
        "Requires-Python: >=3.8",
        "License: see the TrainWatt repository",
        "Classifier: Operating System :: POSIX :: Linux",
        "Classifier: Programming Language :: Python :: 3",
        "Description-Content-Type: text/markdown",
        "",
        readme,
    ])
    wheel = "\n".join(["Wheel-Version: 1.0", "Generator: trainwatt scripts/build_wheel.py", "Root-Is-Purelib: false", f"Tag: {tag}", ""])
    entry_points = "[console_scripts]\ntrainwatt = trainwatt._cli:main\n"
    files += [
        (f"{dist_info}/METADATA", metadata.encode("utf-8"), False),
        (f"{dist_info}/WHEEL", wheel.encode("utf-8"), False),
        (f"{dist_info}/entry_points.txt", entry_points.encode("utf-8"), False),
    ]
    record_lines = [f"{path},{digest(data)},{len(data)}" for path, data, _ in files]
    record_lines.append(f"{dist_info}/RECORD,,")
    files.append((f"{dist_info}/RECORD", ("\n".join(record_lines) + "\n").encode("utf-8"), False))

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"{name}-{version}-{tag}.whl"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, data, executable in files:
            info = zipfile.ZipInfo(path, date_time=FIXED_TIME)
            mode = 0o755 if executable else 0o644
            info.external_attr = (stat.S_IFREG | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
