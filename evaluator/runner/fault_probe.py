"""Child side of `easeval debug`: each framework's debugging aids, and a count of training steps.

Imported by the worker (runner/worker.py) in the forked child of a debugging job, after the framework
is configured and before the implementation is imported; so it imports nothing at module level beyond
the standard library and the adapters (which import no framework), and the framework only inside
`install`. The aids themselves are the adapters' (`DEBUG_AIDS`, `enable_debug_aids`).

Warnings are what the user's code made Python's `warnings` show (under the filters a script has by
default) and what the frameworks logged at WARNING or above through Python's `logging` (TensorFlow's
`tf.get_logger()` and absl's logger: the legacy Keras optimizer's "Gradients do not exist for
variables" goes there), while setup and run ran: the worker wraps those two calls in `Probe.capture()`.

None of it reaches a process the user's code forks (data_parallel_step's DDP ranks, started with
torch.multiprocessing's fork): `install` registers an after-fork hook that, in a forked child, removes
every hook the probe added (logging handlers, the warnings recorder, the optimizer patches and the step
hook), so a rank runs with the framework as `easeval check` and the timing harness leave it. A rank's
warnings are its own (and lost with it), as they would be for the user.

Training steps are the optimizer steps the implementation completed before it failed (or finished):
PyTorch's global optimizer step hook; Keras optimizers' `iterations` counters. Code that updates its
variables by hand (`assign_sub`) has no optimizer to count: its steps are unknown (None).
"""

from __future__ import annotations

import contextlib
import logging
import os
import warnings
import weakref
from dataclasses import dataclass, field
from typing import Any, Callable

from evaluator.frameworks import get_adapter

# Loggers the frameworks warn through (tf.get_logger() is "tensorflow"; absl's is "absl"); the root logger
# catches whatever propagates. Records are collected once each, whichever logger saw them.
WARNING_LOGGERS = ("", "tensorflow", "absl")
WARNING_MESSAGE_CAP = 2_000   # characters kept per warning


class _ListHandler(logging.Handler):
    def __init__(self, seen: list[dict[str, Any]]) -> None:
        super().__init__(logging.WARNING)
        self.seen, self.ids = seen, set()

    def emit(self, record: logging.LogRecord) -> None:
        if id(record) in self.ids:
            return
        self.ids.add(id(record))
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed log call must not break the run
            message = str(record.msg)
        self.seen.append({"category": f"logging.{record.levelname}", "source": f"logging:{record.name}",
                          "message": message[:WARNING_MESSAGE_CAP], "file": record.pathname, "line": record.lineno})


@dataclass
class Probe:
    framework: str
    aids: bool
    count: Callable[[], int | None] = lambda: None
    problems: list[str] = field(default_factory=list)
    # how to take back each hook the probe installed (run in a forked child: `forget`)
    undo: list[Callable[[], None]] = field(default_factory=list)
    forgotten: bool = False

    def forget(self) -> None:
        """Take back every hook the probe installed, in this process (a child the user's code forked)."""
        self.forgotten = True
        for step in reversed(self.undo):
            try:
                step()
            except Exception:  # noqa: BLE001 - a forked child must go on whatever is left
                pass
        self.undo.clear()

    @contextlib.contextmanager
    def capture(self):
        """Collect the warnings raised and logged inside the block, as JSON-ready dicts (category, source,
        message, file, line), in the order they came. Python's default filters stay as they are, so
        what is collected is what a script would have printed."""
        seen: list[dict[str, Any]] = []
        handler = _ListHandler(seen)
        loggers = [logging.getLogger(name) for name in WARNING_LOGGERS]
        for logger in loggers:
            logger.addHandler(handler)
        show, show_impl = warnings.showwarning, warnings._showwarnmsg_impl  # what a forked child gets back

        def undo_capture() -> None:
            for logger in loggers:
                logger.removeHandler(handler)
            warnings.showwarning, warnings._showwarnmsg_impl = show, show_impl

        self.undo.append(undo_capture)
        with warnings.catch_warnings(record=True) as caught:
            try:
                yield seen
            finally:
                if undo_capture in self.undo:
                    self.undo.remove(undo_capture)
                for logger in loggers:
                    logger.removeHandler(handler)
                for w in caught:
                    seen.append({"category": getattr(w.category, "__name__", str(w.category)), "source": "warnings",
                                 "message": str(w.message)[:WARNING_MESSAGE_CAP], "file": w.filename, "line": w.lineno})

    def steps(self) -> int | None:
        try:
            return self.count()
        except Exception as exc:  # noqa: BLE001 - a counter must never turn a result into a crash
            self.problems.append(f"step count unavailable: {type(exc).__name__}: {exc}")
            return None


def install(framework: str, settings: dict[str, Any]) -> Probe:
    """Switch the framework's aids on if `settings["aids"]` (its adapter's enable_debug_aids), and start
    counting optimizer steps."""
    probe = Probe(framework, bool(settings.get("aids")))
    if hasattr(os, "register_at_fork"):   # a child the user's code forks (a DDP rank) gets none of the hooks
        os.register_at_fork(after_in_child=probe.forget)
    try:
        if framework == "torch":
            _torch(probe)
        elif framework == "tensorflow":
            _tensorflow(probe)
        elif probe.aids and hasattr(get_adapter(framework), "enable_debug_aids"):
            get_adapter(framework).enable_debug_aids()
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
    handle = register_optimizer_step_post_hook(count_step)

    def undo() -> None:
        torch.optim.Optimizer.__init__ = original
        handle.remove()

    probe.undo.append(undo)
    if probe.aids:
        get_adapter("torch").enable_debug_aids()
    probe.count = lambda: steps[0] if created[0] else None


def _tensorflow(probe: Probe) -> None:
    import keras

    optimizers: list[weakref.ref] = []
    original = keras.optimizers.Optimizer.__init__

    def remember(self, *args, **kwargs) -> None:
        original(self, *args, **kwargs)
        optimizers.append(weakref.ref(self))

    keras.optimizers.Optimizer.__init__ = remember

    def undo() -> None:
        keras.optimizers.Optimizer.__init__ = original

    probe.undo.append(undo)
    if probe.aids:
        get_adapter("tensorflow").enable_debug_aids()

    def count() -> int | None:
        alive = [ref() for ref in optimizers if ref() is not None]
        return sum(int(opt.iterations.numpy()) for opt in alive) if alive else None

    probe.count = count
