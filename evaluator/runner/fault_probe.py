"""Child side of `easeval debug`: each framework's debugging aids, and a count of training steps.

Imported by the worker (runner/worker.py) in the forked child of a debugging job, after the framework
is configured and before the implementation is imported; so it imports nothing at module level beyond
the standard library, and the framework only inside `install`.

Training steps are the optimizer steps the implementation completed before it failed (or finished):
PyTorch's global optimizer step hook; Keras optimizers' `iterations` counters. Code that updates its
variables by hand (`assign_sub`) has no optimizer to count: its steps are unknown (None).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import Any, Callable

# The aids each framework offers for debugging, switched on when a job asks for them (docs/debugging.md).
AIDS = {
    "torch": ("torch.autograd.set_detect_anomaly(True)",),
    "tensorflow": ("tf.debugging.enable_check_numerics()", "tf.config.run_functions_eagerly(True)"),
}


@dataclass
class Probe:
    framework: str
    aids: bool
    count: Callable[[], int | None] = lambda: None
    problems: list[str] = field(default_factory=list)

    def steps(self) -> int | None:
        try:
            return self.count()
        except Exception as exc:  # noqa: BLE001 - a counter must never turn a result into a crash
            self.problems.append(f"step count unavailable: {type(exc).__name__}: {exc}")
            return None


def install(framework: str, settings: dict[str, Any]) -> Probe:
    """Switch the framework's aids on if `settings["aids"]`, and start counting optimizer steps."""
    probe = Probe(framework, bool(settings.get("aids")))
    try:
        if framework == "torch":
            _torch(probe)
        elif framework == "tensorflow":
            _tensorflow(probe)
    except Exception as exc:  # noqa: BLE001 - say so in the record; the job itself still runs
        probe.problems.append(f"probe not installed: {type(exc).__name__}: {exc}")
    return probe


def _torch(probe: Probe) -> None:
    import torch
    from torch.optim.optimizer import register_optimizer_step_post_hook

    steps = [0]
    created = [0]
    original = torch.optim.Optimizer.__init__

    def remember(self, *args, **kwargs) -> None:
        original(self, *args, **kwargs)
        created[0] += 1

    def count_step(optimizer, args, kwargs) -> None:
        steps[0] += 1

    torch.optim.Optimizer.__init__ = remember
    register_optimizer_step_post_hook(count_step)
    if probe.aids:
        torch.autograd.set_detect_anomaly(True)
    probe.count = lambda: steps[0] if created[0] else None


def _tensorflow(probe: Probe) -> None:
    import tensorflow as tf
    import keras

    optimizers: list[weakref.ref] = []
    original = keras.optimizers.Optimizer.__init__

    def remember(self, *args, **kwargs) -> None:
        original(self, *args, **kwargs)
        optimizers.append(weakref.ref(self))

    keras.optimizers.Optimizer.__init__ = remember
    if probe.aids:
        tf.debugging.enable_check_numerics()
        tf.config.run_functions_eagerly(True)

    def count() -> int | None:
        alive = [ref() for ref in optimizers if ref() is not None]
        return sum(int(opt.iterations.numpy()) for opt in alive) if alive else None

    probe.count = count
