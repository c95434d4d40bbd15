"""TrainWatt markers for Python training scripts.

``trainwatt measure -- python train.py`` (and ``estimate --probe``, ``experiment run``) read marker lines from the
script's standard output::

    import trainwatt

    trainwatt.planned_epochs(10)                  # ##trainwatt plan epochs=10
    for epoch in range(1, 11):
        trainwatt.epoch_start(epoch)              # ##trainwatt epoch-start n=3 total=10
        for i, batch in enumerate(loader, 1):
            ...
            trainwatt.step(i, len(loader))        # ##trainwatt step n=12 total=45 (at most one line every 2 s)
        trainwatt.metric("accuracy", acc)         # ##trainwatt metric accuracy=0.93
        trainwatt.epoch_end(epoch)                # ##trainwatt epoch-end n=3 total=10

or, for a plain PyTorch loop, ``for epoch in trainwatt.epochs(10): ...`` and ``for batch in trainwatt.steps(loader)``.
Framework callbacks (imported lazily, so this module needs none of them): ``trainwatt.callbacks.keras_callback()``,
``lightning_callback()``, ``hf_callback()``.

Each call writes one line and flushes it, so TrainWatt sees the boundary when it happens. Outside TrainWatt the lines
are harmless text; set ``TRAINWATT_MARKERS=0`` to turn them off. A marker never raises because standard output is
closed or broken (a training job must not die for a marker): it stops printing instead.
"""

from __future__ import annotations

import math
import os
import re
import sys
import time
from typing import Iterable, Iterator, Optional, TypeVar

__all__ = [
    "epoch_start",
    "epoch_end",
    "metric",
    "metrics",
    "planned_epochs",
    "step",
    "epochs",
    "steps",
    "enabled",
    "__version__",
]

__version__ = "0.1.0"

PREFIX = "##trainwatt"
STEP_INTERVAL_S = 2.0
"""Least seconds between two step lines (the first and the last step of an epoch are always printed)."""

_T = TypeVar("_T")
_state = {"planned": None, "steps": None, "last_step_line": 0.0, "broken": False}
_NAME_BAD = re.compile(r"[^A-Za-z0-9_./-]")


def enabled() -> bool:
    """True unless TRAINWATT_MARKERS is 0, false, no or off, or standard output has failed."""
    setting = os.environ.get("TRAINWATT_MARKERS", "1").strip().lower()
    return setting not in ("0", "false", "no", "off") and not _state["broken"]


def _emit(line: str) -> None:
    if not enabled():
        return
    try:
        out = sys.stdout
        if out is None:
            return
        out.write(line + "\n")
        out.flush()
    except (OSError, ValueError):
        # Closed (ValueError: I/O operation on closed file) or broken (EPIPE) stdout: stop printing, never raise.
        _state["broken"] = True


def _positive(name: str, value: Optional[int]) -> str:
    if value is None:
        return ""
    number = int(value)
    if number <= 0:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return f" {name}={number}"


def planned_epochs(n: int) -> None:
    """Announce the planned number of epochs before training (``##trainwatt plan epochs=N``); later epoch markers
    carry it as ``total=N``."""
    _state["planned"] = int(n) if n is not None and int(n) > 0 else None
    if _state["planned"] is not None:
        _emit(PREFIX + " plan" + _positive("epochs", _state["planned"]))


def epoch_start(n: Optional[int] = None) -> None:
    """Mark the start of epoch n (1-based; None: the next one). Optional: without it an epoch starts where the last
    ended."""
    _emit(PREFIX + " epoch-start" + _positive("n", n) + _positive("total", _state["planned"]))


def epoch_end(n: Optional[int] = None, samples: Optional[int] = None) -> None:
    """Mark the end of epoch n (1-based; None: the open or next one); samples: training samples in the epoch."""
    _state["last_step_line"] = 0.0
    _emit(PREFIX + " epoch-end" + _positive("n", n) + _positive("total", _state["planned"]) + _positive("samples", samples))


def step(n: int, total: Optional[int] = None) -> None:
    """Progress inside the current epoch: step n (1-based) of total steps per epoch (None: the last total given).
    Printed at most every STEP_INTERVAL_S seconds, and always for the first and the last step."""
    if total is not None:
        _state["steps"] = int(total)
    total = _state["steps"]
    n = int(n)
    if total is None or n <= 0 or n > total:
        return
    now = time.monotonic()
    if n != 1 and n != total and now - _state["last_step_line"] < STEP_INTERVAL_S:
        return
    _state["last_step_line"] = now
    _emit(f"{PREFIX} step n={n} total={total}")


def _metric_parts(values: dict) -> list:
    parts = []
    for name, value in values.items():
        try:
            number = float(value)
        except (TypeError, ValueError):
            continue
        if not math.isfinite(number):
            continue
        clean = _NAME_BAD.sub("_", str(name)).strip("_") or "metric"
        parts.append(f"{clean}={number!r}")
    return parts


def metric(name: Optional[str] = None, value: Optional[float] = None, /, **values: float) -> None:
    """Record run metrics: ``metric("f1", 0.97)`` or ``metric(f1=0.97, accuracy=0.93)``. The last value of each name
    is the run's (``trainwatt recommend --metric f1``). Names keep letters, digits, '_', '.', '-', '/' (others become
    '_'); non-finite or non-numeric values are skipped."""
    if name is not None:
        values = {name: value, **values}
    parts = _metric_parts(values)
    if parts:
        _emit(PREFIX + " metric " + " ".join(parts))


def metrics(values: dict) -> None:
    """Record a dict of metrics (e.g. a framework's logs); see :func:`metric`."""
    metric(**{str(k): v for k, v in values.items()})


def epochs(n: int, start: int = 1, samples: Optional[int] = None) -> Iterator[int]:
    """Iterate over epoch numbers start..n, printing the plan first, each epoch's start before the loop body and its end
    after it: ``for epoch in trainwatt.epochs(10): train(epoch)``. samples: training samples per epoch (for energy per
    sample). An epoch left by ``break`` or an exception is not marked as ended (TrainWatt records only whole epochs)."""
    planned_epochs(n)
    for epoch in range(start, int(n) + 1):
        epoch_start(epoch)
        yield epoch
        epoch_end(epoch, samples=samples)


def steps(iterable: Iterable[_T], total: Optional[int] = None) -> Iterator[_T]:
    """Iterate over an epoch's batches, printing step markers (total: len(iterable) when it has one)."""
    if total is None:
        try:
            total = len(iterable)  # type: ignore[arg-type]
        except TypeError:
            total = None
    for i, item in enumerate(iterable, 1):
        yield item
        step(i, total)
