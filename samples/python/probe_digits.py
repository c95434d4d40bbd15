"""A real CPU training job for `trainwatt estimate --probe`: a torchvision network on scikit-learn's bundled digits.

No download: the 1,797 8x8 digit images ship with scikit-learn. Each image is scaled to 32x32 and repeated to three
channels, and torchvision's MobileNetV3-Small (random weights, 10 classes) is trained on 1,437 of them with SGD and
validated on the other 360 after every epoch. The output is Keras-style, which `trainwatt` reads on its own:

    Epoch 3/40
    12/45 [=======>......................] - ETA: 4s - loss: 1.9031
    45/45 [==============================] - 6s - loss: 1.7713 - val_accuracy: 0.4361

so a probe sees epochs and the steps within them. With --markers it prints TrainWatt's marker lines instead
(``##trainwatt step n=12 total=45`` and ``##trainwatt epoch-end n=3 total=40``, see trainwatt_marker.py).

Install (Debian): apt-get install python3-torch python3-torchvision python3-sklearn

    trainwatt measure -- /usr/bin/python3 samples/python/probe_digits.py --epochs 40
    trainwatt estimate --probe 45s -- /usr/bin/python3 samples/python/probe_digits.py --epochs 40
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
import torchvision  # noqa: E402
from sklearn.datasets import load_digits  # noqa: E402

from trainwatt_marker import epoch_end, epoch_start, step  # noqa: E402


def bar(done, total, width=30):
    if done >= total:
        return "[" + "=" * width + "]"
    filled = width * done // total
    return "[" + "=" * filled + ">" + "." * (width - filled - 1) + "]"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--size", type=int, default=32, help="image side after scaling (default 32)")
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads (default 1)")
    parser.add_argument("--markers", action="store_true", help="print ##trainwatt marker lines instead of Keras-style lines")
    parser.add_argument("--seed", type=int, default=2022)
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    digits = load_digits()
    x = torch.tensor(digits.images, dtype=torch.float32).unsqueeze(1) / 16.0
    x = F.interpolate(x, size=(args.size, args.size), mode="bilinear", align_corners=False).repeat(1, 3, 1, 1)
    y = torch.tensor(digits.target, dtype=torch.long)
    order = torch.randperm(len(y))
    train, val = order[:1437], order[1437:]

    model = torchvision.models.mobilenet_v3_small(num_classes=10)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    steps = (len(train) + args.batch_size - 1) // args.batch_size

    for epoch in range(1, args.epochs + 1):
        started = time.monotonic()
        if args.markers:
            epoch_start(n=epoch, total=args.epochs)
        else:
            print(f"Epoch {epoch}/{args.epochs}", flush=True)
        model.train()
        shuffled = train[torch.randperm(len(train))]
        loss_sum = 0.0
        for s in range(steps):
            batch = shuffled[s * args.batch_size:(s + 1) * args.batch_size]
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x[batch]), y[batch])
            loss.backward()
            optimizer.step()
            loss_sum += loss.item()
            if s + 1 < steps:
                if args.markers:
                    step(n=s + 1, total=steps)
                else:
                    print(f"{s + 1}/{steps} {bar(s + 1, steps)} - ETA: ? - loss: {loss_sum / (s + 1):.4f}", flush=True)
        model.eval()
        with torch.no_grad():
            accuracy = (model(x[val]).argmax(1) == y[val]).float().mean().item()
        elapsed = time.monotonic() - started
        if args.markers:
            epoch_end(n=epoch, total=args.epochs, samples=len(train))
        else:
            print(f"{steps}/{steps} {bar(steps, steps)} - {elapsed:.0f}s - loss: {loss_sum / steps:.4f} - val_accuracy: {accuracy:.4f}", flush=True)


if __name__ == "__main__":
    main()
