"""Unit tests of the trainwatt module (stdlib unittest; run: python3 -m unittest discover -s python/tests).

The framework callbacks are tested against minimal stand-in base classes injected as the ``keras``,
``lightning.pytorch`` and ``transformers`` modules, driven through the hooks in the order the frameworks document
(Keras: on_train_begin, on_epoch_begin, on_train_batch_end..., on_epoch_end; Lightning: on_train_start,
on_train_epoch_start, on_train_batch_end..., validation, on_train_epoch_end; Transformers: on_train_begin,
on_epoch_begin, on_step_end..., on_epoch_end, on_evaluate). They are not the real frameworks: they check the markers a
callback prints for given hook calls, not that a framework calls the hooks that way.
"""

import io
import os
import sys
import types
import unittest
from contextlib import redirect_stdout
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import trainwatt  # noqa: E402
from trainwatt import callbacks  # noqa: E402


def capture(action):
    out = io.StringIO()
    with redirect_stdout(out):
        action()
    return out.getvalue().splitlines()


class MarkerTests(unittest.TestCase):
    def setUp(self):
        trainwatt._state.update(planned=None, steps=None, last_step_line=0.0, broken=False)
        os.environ.pop("TRAINWATT_MARKERS", None)

    def test_lines_match_the_protocol(self):
        def run():
            trainwatt.planned_epochs(3)
            trainwatt.epoch_start(1)
            trainwatt.step(1, 45)
            trainwatt.metric("f1", 0.5)
            trainwatt.metric(accuracy=0.25, loss=float("nan"))
            trainwatt.epoch_end(1, samples=100)

        self.assertEqual(
            [
                "##trainwatt plan epochs=3",
                "##trainwatt epoch-start n=1 total=3",
                "##trainwatt step n=1 total=45",
                "##trainwatt metric f1=0.5",
                "##trainwatt metric accuracy=0.25",
                "##trainwatt epoch-end n=1 total=3 samples=100",
            ],
            capture(run),
        )

    def test_steps_are_throttled_but_first_and_last_always_print(self):
        with mock.patch("trainwatt.time.monotonic", side_effect=[100.0, 100.5, 101.0, 103.0, 103.1]):
            lines = capture(lambda: [trainwatt.step(i, 5) for i in range(1, 6)])
        # step 1 (first), 2 at +0.5 s and 3 at +1 s skipped, 4 at +3 s printed, 5 (last) printed
        self.assertEqual(["##trainwatt step n=1 total=5", "##trainwatt step n=4 total=5", "##trainwatt step n=5 total=5"], lines)

    def test_markers_off_when_asked(self):
        os.environ["TRAINWATT_MARKERS"] = "0"
        self.assertEqual([], capture(lambda: trainwatt.epoch_end(1)))

    def test_closed_stdout_never_raises(self):
        closed = io.StringIO()
        closed.close()
        with mock.patch.object(sys, "stdout", closed):
            trainwatt.epoch_end(1)  # ValueError inside: swallowed
            trainwatt.metric("f1", 1.0)
        self.assertTrue(trainwatt._state["broken"])

    def test_broken_pipe_never_raises(self):
        class Broken(io.StringIO):
            def write(self, text):
                raise BrokenPipeError(32, "Broken pipe")

        with mock.patch.object(sys, "stdout", Broken()):
            trainwatt.epoch_start(1)
        self.assertFalse(trainwatt.enabled())

    def test_epochs_iterator_marks_whole_epochs_only(self):
        def run():
            for epoch in trainwatt.epochs(3):
                if epoch == 2:
                    break

        self.assertEqual(
            [
                "##trainwatt plan epochs=3",
                "##trainwatt epoch-start n=1 total=3",
                "##trainwatt epoch-end n=1 total=3",
                "##trainwatt epoch-start n=2 total=3",
            ],
            capture(run),
        )

    def test_bad_numbers_are_refused_loudly_by_the_caller_api(self):
        with self.assertRaises(ValueError):
            trainwatt.epoch_end(0)


class ValidationMetricsTests(unittest.TestCase):
    def test_canonical_names_from_validation_values(self):
        class Scalar:
            def __init__(self, v):
                self.v = v

            def item(self):
                return self.v

        got = callbacks.validation_metrics({"loss": 0.9, "val_loss": 0.7, "val_accuracy": Scalar(0.8), "eval_f1": 0.6, "lr": "x"})
        self.assertEqual({"loss": 0.7, "val_loss": 0.7, "val_accuracy": 0.8, "accuracy": 0.8, "eval_f1": 0.6, "f1": 0.6}, got)


def install(name, **attributes):
    module = types.ModuleType(name)
    module.__dict__.update(attributes)
    sys.modules[name] = module
    return module


class CallbackTests(unittest.TestCase):
    def setUp(self):
        trainwatt._state.update(planned=None, steps=None, last_step_line=0.0, broken=False)
        self.saved = {k: sys.modules.get(k) for k in ("keras", "lightning", "lightning.pytorch", "transformers")}

    def tearDown(self):
        for name, module in self.saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module

    def test_keras(self):
        class Callback:  # stand-in for keras.callbacks.Callback: fit() sets self.params
            params = None

        install("keras", callbacks=types.SimpleNamespace(Callback=Callback))
        cb = callbacks.keras_callback()
        self.assertIsInstance(cb, Callback)
        cb.params = {"epochs": 2, "steps": 3, "verbose": 1}

        def fit():
            cb.on_train_begin()
            for epoch in range(2):
                cb.on_epoch_begin(epoch)
                for batch in range(3):
                    cb.on_train_batch_end(batch, {"loss": 1.0})
                cb.on_epoch_end(epoch, {"loss": 0.5, "accuracy": 0.75, "val_loss": 0.625, "val_accuracy": 0.5})

        with mock.patch("trainwatt.time.monotonic", return_value=50.0):
            lines = capture(fit)
        self.assertEqual("##trainwatt plan epochs=2", lines[0])
        self.assertEqual("##trainwatt epoch-start n=1 total=2", lines[1])
        self.assertEqual(["##trainwatt step n=1 total=3", "##trainwatt step n=3 total=3"], lines[2:4])
        self.assertEqual("##trainwatt metric loss=0.625 accuracy=0.5 val_loss=0.625 val_accuracy=0.5", lines[4])
        self.assertEqual("##trainwatt epoch-end n=1 total=2", lines[5])
        self.assertEqual("##trainwatt epoch-end n=2 total=2", lines[-1])

    def test_lightning(self):
        class Callback:  # stand-in for lightning.pytorch.Callback
            pass

        install("lightning")
        install("lightning.pytorch", Callback=Callback)
        cb = callbacks.lightning_callback()
        self.assertIsInstance(cb, Callback)
        trainer = types.SimpleNamespace(max_epochs=4, num_training_batches=2, current_epoch=0, callback_metrics={"val_acc": 0.5, "train_loss": 0.25})

        def fit():
            cb.on_train_start(trainer, None)
            cb.on_train_epoch_start(trainer, None)
            cb.on_train_batch_end(trainer, None, None, None, 0)
            cb.on_train_batch_end(trainer, None, None, None, 1)
            cb.on_train_epoch_end(trainer, None)

        with mock.patch("trainwatt.time.monotonic", return_value=50.0):
            lines = capture(fit)
        self.assertEqual(
            [
                "##trainwatt plan epochs=4",
                "##trainwatt epoch-start n=1 total=4",
                "##trainwatt step n=1 total=2",
                "##trainwatt step n=2 total=2",
                "##trainwatt metric val_acc=0.5 train_loss=0.25 accuracy=0.5",
                "##trainwatt epoch-end n=1 total=4",
            ],
            lines,
        )

    def test_transformers(self):
        class TrainerCallback:  # stand-in for transformers.TrainerCallback
            pass

        install("transformers", TrainerCallback=TrainerCallback)
        cb = callbacks.hf_callback()
        self.assertIsInstance(cb, TrainerCallback)
        args = types.SimpleNamespace(num_train_epochs=2.0, max_steps=-1)
        state = types.SimpleNamespace(max_steps=6, epoch=0.0, global_step=0)

        def train():
            cb.on_train_begin(args, state, None)
            cb.on_epoch_begin(args, state, None)
            for s in range(1, 4):
                state.global_step = s
                cb.on_step_end(args, state, None)
            state.epoch = 1.0
            cb.on_epoch_end(args, state, None)
            cb.on_evaluate(args, state, None, metrics={"eval_loss": 0.5, "eval_accuracy": 0.75, "epoch": 1.0})
            cb.on_epoch_begin(args, state, None)

        with mock.patch("trainwatt.time.monotonic", return_value=50.0):
            lines = capture(train)
        self.assertEqual(
            [
                "##trainwatt plan epochs=2",
                "##trainwatt epoch-start n=1 total=2",
                "##trainwatt step n=1 total=3",
                "##trainwatt step n=3 total=3",
                "##trainwatt epoch-end n=1 total=2",
                "##trainwatt metric eval_loss=0.5 eval_accuracy=0.75 epoch=1.0 accuracy=0.75 loss=0.5",
                "##trainwatt epoch-start n=2 total=2",
            ],
            lines,
        )

    def test_missing_framework_names_what_to_install(self):
        sys.modules["transformers"] = None  # import of it fails
        with self.assertRaises(ImportError) as caught:
            callbacks.hf_callback()
        self.assertIn("transformers", str(caught.exception))


if __name__ == "__main__":
    unittest.main()
