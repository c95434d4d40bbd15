"""A stand-in for a training script, for trying `trainwatt measure` without a GPU or any ML library.

It prints Keras-style output: an ``Epoch k/N`` line when each epoch starts, a progress bar redrawn with ``\\r``, and the
epoch's final progress line; each epoch keeps one CPU core busy for --seconds (so the process meter has work to see).
At the end it prints a ``##trainwatt metric`` line.

    dotnet run --project src/TrainWatt.Cli -- measure -- python3 samples/python/demo_train.py --epochs 3 --seconds 1
"""

import argparse
import sys
import time

from trainwatt_marker import metric

STEPS = 20


def busy(seconds):
    end = time.monotonic() + seconds
    x = 0
    while time.monotonic() < end:
        for i in range(10_000):
            x += i * i
    return x


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=1.0, help="busy time per epoch")
    parser.add_argument("--sleep", action="store_true", help="sleep instead of keeping a core busy")
    args = parser.parse_args()

    loss = 2.0
    for epoch in range(1, args.epochs + 1):
        print(f"Epoch {epoch}/{args.epochs}", flush=True)
        for step in range(1, STEPS + 1):
            if args.sleep:
                time.sleep(args.seconds / STEPS)
            else:
                busy(args.seconds / STEPS)
            loss *= 0.99
            done = "=" * (step * 30 // STEPS)
            end = "\n" if step == STEPS else ""
            sys.stdout.write(f"\r{step}/{STEPS} [{done:<30}] - loss: {loss:.4f}{end}")
            sys.stdout.flush()
    metric(accuracy=round(1.0 - loss / 4, 4))


if __name__ == "__main__":
    main()
