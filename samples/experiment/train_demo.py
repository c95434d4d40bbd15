"""A stand-in training script for experiment demos: busy-loops for 3 'epochs' (longer for larger models) and reports
an F1 with the TrainWatt marker lines. Usage: python3 train_demo.py small|medium|large"""
import random
import sys
import time

model = sys.argv[1]
work = {"small": 1, "medium": 2, "large": 3}[model]
f1 = {"small": 0.95, "medium": 0.97, "large": 0.98}[model] + random.uniform(-0.003, 0.003)
for epoch in range(1, 4):
    start = time.time()
    while time.time() - start < 0.2 * work:
        pass
    print("##trainwatt epoch-end n=%d total=3" % epoch, flush=True)
print("##trainwatt metric f1=%.4f" % f1, flush=True)
