"""Epoch and metric markers for `trainwatt measure`.

Copy this file next to your training script (it has no dependencies) and call the functions from it:

    from trainwatt_marker import epoch_end, metric

    for epoch in range(1, epochs + 1):
        train_one_epoch()
        epoch_end(n=epoch, total=epochs, samples=len(train_set))
    metric(f1=0.97)

Each call prints one line to standard output and flushes it at once, for example
``##trainwatt epoch-end n=3 total=50 samples=23807``, so that `trainwatt measure` (which reads the script's output
through a pipe) sees the boundary when it happens. Outside `trainwatt measure` the lines are harmless text.
An epoch without an ``epoch_start`` call begins where the previous one ended (the first at the command's start);
call ``epoch_start`` to leave set-up work out of the epoch. ``step(n, total)`` reports progress inside an epoch
(``##trainwatt step n=120 total=469``), which `trainwatt estimate --probe` uses when epochs are long.
"""

import math
import sys

PREFIX = "##trainwatt"


def _positive(name, value):
    if value is None:
        return ""
    value = int(value)
    if value <= 0:
        raise ValueError(f"{name} must be a positive integer, got {value}")
    return f" {name}={value}"


def _emit(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def epoch_end(n=None, total=None, samples=None):
    """Mark the end of an epoch. n: 1-based epoch number (None: the next one); total: planned epochs; samples: training
    samples in this epoch."""
    _emit(PREFIX + " epoch-end" + _positive("n", n) + _positive("total", total) + _positive("samples", samples))


def epoch_start(n=None, total=None):
    """Mark the start of an epoch (optional)."""
    _emit(PREFIX + " epoch-start" + _positive("n", n) + _positive("total", total))


def step(n, total=None):
    """Mark progress inside the current epoch: step n (1-based) of total steps in the epoch. Optional; it lets
    `trainwatt estimate --probe` measure the speed of epochs longer than the probe. Print it every few seconds at most."""
    _emit(PREFIX + " step" + _positive("n", n) + _positive("total", total))


def metric(**values):
    """Record run metrics, e.g. metric(f1=0.97, accuracy=0.93). Values must be finite numbers."""
    parts = []
    for name, value in values.items():
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"metric {name} must be finite, got {value}")
        parts.append(f"{name}={value!r}")
    if parts:
        _emit(PREFIX + " metric " + " ".join(parts))
