"""Framework callbacks that print TrainWatt's markers (planned epochs, epoch boundaries, steps, validation metrics).

Each factory imports its framework only when called, so ``import trainwatt`` needs none of them:

* ``keras_callback()``: a ``keras.callbacks.Callback`` (Keras 3, or ``tensorflow.keras``):
  ``model.fit(..., callbacks=[trainwatt.callbacks.keras_callback()])``.
* ``lightning_callback()``: a ``lightning.pytorch.Callback`` (or ``pytorch_lightning.Callback``):
  ``Trainer(callbacks=[trainwatt.callbacks.lightning_callback()])``.
* ``hf_callback()``: a ``transformers.TrainerCallback``: ``Trainer(..., callbacks=[trainwatt.callbacks.hf_callback()])``.

They use only the documented callback hooks and attributes (Keras ``self.params["epochs"|"steps"]``; Lightning
``trainer.max_epochs``, ``num_training_batches``, ``current_epoch``, ``callback_metrics``; Transformers
``args.num_train_epochs``, ``state.max_steps``, ``state.epoch``, ``on_evaluate(metrics=...)``). Metrics are printed as
the framework names them, plus ``accuracy``, ``f1`` and ``loss`` from the validation values (``val_*`` or ``eval_*``)
when there are any, so that ``trainwatt recommend --metric accuracy`` works on the runs.

Since the frameworks print their own progress too, run them with ``trainwatt measure --framework marker`` so that the
markers are the only epoch convention TrainWatt follows.
"""

from __future__ import annotations

import importlib
import math
from typing import Any, Dict, Mapping, Optional

import trainwatt as _tw

__all__ = ["keras_callback", "lightning_callback", "hf_callback", "validation_metrics"]

_CANONICAL = ("accuracy", "f1", "loss")


def validation_metrics(logs: Optional[Mapping[str, Any]]) -> Dict[str, float]:
    """The finite numeric values of a framework's logs (tensors and numpy scalars included), plus ``accuracy``,
    ``f1`` and ``loss`` taken from ``val_X`` or ``eval_X`` when present (else from ``X`` itself)."""
    out: Dict[str, float] = {}
    for key, value in (logs or {}).items():
        try:
            number = float(value.item() if hasattr(value, "item") else value)
        except (TypeError, ValueError, RuntimeError):
            continue
        if math.isfinite(number):
            out[str(key)] = number
    for name in _CANONICAL:
        for source in ("val_" + name, "eval_" + name, "val_acc" if name == "accuracy" else None):
            if source is not None and source in out:
                out[name] = out[source]
                break
    return out


def _first_module(*names: str) -> Any:
    errors = []
    for name in names:
        try:
            return importlib.import_module(name)
        except ImportError as error:  # try the next spelling of the framework
            errors.append(f"{name}: {error}")
    raise ImportError("none of " + ", ".join(names) + " can be imported (" + "; ".join(errors) + ")")


def keras_callback() -> Any:
    """A Keras callback printing the markers; needs ``keras`` (3.x) or ``tensorflow.keras``."""
    keras = _first_module("keras", "tensorflow.keras")
    return _keras_class(keras.callbacks.Callback)()


def _keras_class(base: type) -> type:
    class TrainWattKerasCallback(base):  # type: ignore[misc, valid-type]
        """Markers from Keras' fit(): plan, epoch start/end, steps, the epoch's logs as metrics."""

        def on_train_begin(self, logs: Optional[Dict[str, Any]] = None) -> None:
            params = getattr(self, "params", None) or {}
            if params.get("epochs"):
                _tw.planned_epochs(int(params["epochs"]))

        def on_epoch_begin(self, epoch: int, logs: Optional[Dict[str, Any]] = None) -> None:
            _tw.epoch_start(epoch + 1)

        def on_train_batch_end(self, batch: int, logs: Optional[Dict[str, Any]] = None) -> None:
            params = getattr(self, "params", None) or {}
            _tw.step(batch + 1, params.get("steps"))

        def on_epoch_end(self, epoch: int, logs: Optional[Dict[str, Any]] = None) -> None:
            _tw.metrics(validation_metrics(logs))
            _tw.epoch_end(epoch + 1)

    return TrainWattKerasCallback


def lightning_callback() -> Any:
    """A Lightning callback printing the markers; needs ``lightning`` (2.x) or ``pytorch_lightning``."""
    module = _first_module("lightning.pytorch", "pytorch_lightning")
    return _lightning_class(module.Callback)()


def _lightning_class(base: type) -> type:
    class TrainWattLightningCallback(base):  # type: ignore[misc, valid-type]
        """Markers from Lightning's fit loop: plan, epoch start/end, steps, callback_metrics as metrics."""

        def on_train_start(self, trainer: Any, pl_module: Any) -> None:
            if isinstance(trainer.max_epochs, int) and trainer.max_epochs > 0:
                _tw.planned_epochs(trainer.max_epochs)

        def on_train_epoch_start(self, trainer: Any, pl_module: Any) -> None:
            _tw.epoch_start(trainer.current_epoch + 1)

        def on_train_batch_end(self, trainer: Any, pl_module: Any, outputs: Any, batch: Any, batch_idx: int) -> None:
            total = trainer.num_training_batches
            _tw.step(batch_idx + 1, int(total) if isinstance(total, int) or (isinstance(total, float) and math.isfinite(total)) else None)

        def on_train_epoch_end(self, trainer: Any, pl_module: Any) -> None:
            _tw.metrics(validation_metrics(trainer.callback_metrics))
            _tw.epoch_end(trainer.current_epoch + 1)

    return TrainWattLightningCallback


def hf_callback() -> Any:
    """A Hugging Face ``transformers.TrainerCallback`` printing the markers."""
    transformers = _first_module("transformers")
    return _hf_class(transformers.TrainerCallback)()


def _hf_class(base: type) -> type:
    class TrainWattTrainerCallback(base):  # type: ignore[misc, valid-type]
        """Markers from the Trainer: plan (whole epochs), epoch start/end, steps, evaluation metrics."""

        _steps_per_epoch: Optional[int] = None

        def on_train_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
            epochs = float(args.num_train_epochs)
            if state.max_steps and state.max_steps > 0 and epochs > 0:
                self._steps_per_epoch = max(1, math.ceil(state.max_steps / math.ceil(epochs)))
            if epochs >= 1 and float(epochs).is_integer() and (getattr(args, "max_steps", -1) or -1) <= 0:
                _tw.planned_epochs(int(epochs))

        def on_epoch_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
            _tw.epoch_start(int(math.floor(state.epoch or 0)) + 1)

        def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
            if self._steps_per_epoch:
                done = (state.global_step - 1) % self._steps_per_epoch + 1
                _tw.step(done, self._steps_per_epoch)

        def on_evaluate(self, args: Any, state: Any, control: Any, metrics: Optional[Dict[str, Any]] = None, **kwargs: Any) -> None:
            _tw.metrics(validation_metrics(metrics))

        def on_epoch_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
            _tw.epoch_end(max(1, int(round(state.epoch or 0))))

    return TrainWattTrainerCallback
