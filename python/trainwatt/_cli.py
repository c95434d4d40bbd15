"""The ``trainwatt`` console command of the wheel: runs the self-contained TrainWatt executable shipped in it."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def executable() -> Path:
    """The bundled executable (``trainwatt/bin/trainwatt`` in the installed package)."""
    return Path(__file__).resolve().parent / "bin" / "trainwatt"


def main() -> None:
    exe = executable()
    if not exe.is_file():
        sys.stderr.write(f"trainwatt: the executable {exe} is missing from this installation; reinstall the trainwatt wheel for this platform (linux x86_64).\n")
        raise SystemExit(69)
    if not os.access(exe, os.X_OK):
        try:
            exe.chmod(exe.stat().st_mode | 0o111)
        except OSError as error:
            sys.stderr.write(f"trainwatt: {exe} is not executable ({error}); run chmod +x on it.\n")
            raise SystemExit(69) from error
    # Replace this Python process: signals, the exit code and stdin/stdout/stderr go straight to TrainWatt.
    os.execv(str(exe), [str(exe), *sys.argv[1:]])


if __name__ == "__main__":
    main()
