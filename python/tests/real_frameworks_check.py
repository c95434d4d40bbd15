"""Checks the callbacks against the real frameworks where they are installed (the GPU machine has Lightning and
Transformers; this machine has neither, so it has NOT been run here). For each framework that imports, it trains a
tiny model for 2 epochs on CPU with the TrainWatt callback, captures stdout and checks the marker lines: the plan,
epoch-start/-end n=1 and n=2 with total=2, at least one step line. Frameworks that do not import are reported as
skipped. Exit 0 when every importable framework passed.

usage: PYTHONPATH=python python3 python/tests/real_frameworks_check.py
"""

import contextlib
import io
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from trainwatt import callbacks  # noqa: E402

EXPECTED = ["##trainwatt plan epochs=2", "##trainwatt epoch-start n=1 total=2", "##trainwatt epoch-end n=1 total=2",
            "##trainwatt epoch-start n=2 total=2", "##trainwatt epoch-end n=2 total=2"]


def check(name, lines):
    markers = [line for line in lines if line.startswith("##trainwatt")]
    order = [line for line in markers if line.split(" ")[1] in ("plan", "epoch-start", "epoch-end")]
    ok = order == EXPECTED and any(line.startswith("##trainwatt step ") for line in markers)
    print(f"{'ok  ' if ok else 'FAIL'} {name}: {order} ({len(markers)} marker lines)", file=sys.stderr)
    return ok


def lightning():
    import torch
    from lightning.pytorch import LightningModule, Trainer  # noqa: F401  (pytorch_lightning also works)

    class Tiny(LightningModule):
        def __init__(self):
            super().__init__()
            self.layer = torch.nn.Linear(4, 1)

        def training_step(self, batch, batch_idx):
            x, y = batch
            return torch.nn.functional.mse_loss(self.layer(x), y)

        def configure_optimizers(self):
            return torch.optim.SGD(self.parameters(), lr=0.1)

    data = torch.utils.data.TensorDataset(torch.randn(32, 4), torch.randn(32, 1))
    loader = torch.utils.data.DataLoader(data, batch_size=8)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        Trainer(max_epochs=2, accelerator="cpu", callbacks=[callbacks.lightning_callback()], enable_progress_bar=False,
                logger=False, enable_checkpointing=False, enable_model_summary=False).fit(Tiny(), loader)
    return out.getvalue().splitlines()


def transformers_trainer():
    import torch
    from transformers import Trainer, TrainingArguments

    class Tiny(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.layer = torch.nn.Linear(4, 1)

        def forward(self, x=None, labels=None):
            prediction = self.layer(x)
            return {"loss": torch.nn.functional.mse_loss(prediction, labels), "logits": prediction}

    rows = [{"x": torch.randn(4), "labels": torch.randn(1)} for _ in range(32)]
    with tempfile.TemporaryDirectory() as folder:
        args = TrainingArguments(output_dir=folder, num_train_epochs=2, per_device_train_batch_size=8, report_to=[],
                                 save_strategy="no", logging_strategy="no", disable_tqdm=True, use_cpu=True)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            Trainer(model=Tiny(), args=args, train_dataset=rows, callbacks=[callbacks.hf_callback()]).train()
    return out.getvalue().splitlines()


def main():
    results = []
    for name, run in (("lightning", lightning), ("transformers", transformers_trainer)):
        try:
            lines = run()
        except ImportError as error:
            print(f"skip {name}: {error}", file=sys.stderr)
            continue
        results.append(check(name, lines))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
