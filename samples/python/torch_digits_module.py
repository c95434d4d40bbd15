"""A real PyTorch training loop marked with the `trainwatt` Python module (python/trainwatt, or the wheel).

A small MLP learns scikit-learn's bundled 8x8 digits (no download) on the CPU: 1,437 training and 360 validation
images, SGD, a few epochs. The loop uses ``trainwatt.epochs(n)`` (plan, epoch start and end markers) and
``trainwatt.steps(batches)`` (step markers), and reports the validation accuracy, macro F1 and loss with
``trainwatt.metric`` after every epoch, so that `trainwatt measure` stores epochs, the planned total and the scores,
and `trainwatt recommend --runs all --metric accuracy` can compare runs.

    PYTHONPATH=python trainwatt measure --framework marker -- /usr/bin/python3 samples/python/torch_digits_module.py --epochs 5
"""
import argparse

import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.metrics import f1_score

import trainwatt


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--seed", type=int, default=2022)
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    torch.set_num_threads(1)
    digits = load_digits()
    x = torch.tensor(digits.data, dtype=torch.float32) / 16.0
    y = torch.tensor(digits.target, dtype=torch.long)
    order = torch.randperm(len(y))
    train, val = order[:1437], order[1437:]
    model = torch.nn.Sequential(torch.nn.Linear(64, args.hidden), torch.nn.ReLU(), torch.nn.Linear(args.hidden, 10))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    batches = [train[i:i + args.batch_size] for i in range(0, len(train), args.batch_size)]

    for epoch in trainwatt.epochs(args.epochs, samples=len(train)):
        model.train()
        for batch in trainwatt.steps(batches):
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x[batch]), y[batch])
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            logits = model(x[val])
            predicted = logits.argmax(dim=1)
            val_loss = F.cross_entropy(logits, y[val]).item()
        accuracy = (predicted == y[val]).float().mean().item()
        f1 = f1_score(y[val].numpy(), predicted.numpy(), average="macro")
        trainwatt.metric(accuracy=accuracy, f1=f1, loss=val_loss)
        print(f"epoch {epoch}: val_loss {val_loss:.4f} accuracy {accuracy:.4f} f1 {f1:.4f}", flush=True)


if __name__ == "__main__":
    main()
