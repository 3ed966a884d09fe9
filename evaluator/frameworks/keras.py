"""Keras 3 adapter: one `keras_impl.py` per task, run on every installed backend. Imports keras lazily.

A Keras file is written against `keras` alone (keras.ops, layers, models, losses, optimizers,
keras.random), so the same file runs on TensorFlow, PyTorch and JAX. Keras reads its backend once,
from the environment variable KERAS_BACKEND, when it is imported; so the harness starts one worker per
(framework, backend) and calls `select_backend` before anything imports Keras. Everything that depends
on the backend (threads, seeds, device visibility, waiting for outputs, NumPy conversion, memory) is
the backend's own adapter's code, called from here, so a Keras measurement on PyTorch is set up exactly
as a `torch_impl.py` measurement is:

- threads: the backend adapter's `prepare_environment` (JAX's PJRT_NPROC, before the import) and
  `configure` (torch.set_num_threads, TensorFlow's intra-op threads), 1 intra-op thread as for the others;
- seeds: the backend's, then what `keras.utils.set_random_seed` sets (Python, NumPy, Keras's global seed and
  the backend's generator), without importing TensorFlow on the other backends (`_set_random_seed`);
- outputs: `block_until_ready` of the JAX adapter on the JAX backend (asynchronous dispatch), a no-op on
  the eager ones; `to_numpy` unwraps a keras.Variable and converts with the backend adapter.

On the torch backend Keras chooses its default device when it is imported (KERAS_TORCH_DEVICE, else
CUDA when torch sees a GPU); `select_backend` pins it to the device the jobs ask for.
The extra interface, beyond the package docstring's: BACKENDS, installed_backends(), select_backend(name,
device), current_backend(), FORBIDDEN_IMPORTS (what a keras_impl.py may not import).
"""

from __future__ import annotations

import functools
import importlib.util
import os
from types import ModuleType

import numpy as np

from evaluator.frameworks import get_adapter

NAME = "keras"
DISPLAY_NAME = "Keras"
IMPORT_NAME = "keras"
INSTALL_HINT = "pip install keras  (plus at least one backend: tensorflow, torch or jax)"
ORDER = 3
STYLE_NAME = "Keras"
VARIANT_NAMES: dict[str, str] = {}
IMPORT_STATEMENT = "import keras"
TENSOR_FROM_NUMPY = "keras.ops.convert_to_tensor(array)"
BACKENDS = ("tensorflow", "torch", "jax")  # each is also the name of its easeval adapter
BACKEND_VARIABLE = "KERAS_BACKEND"
TORCH_DEVICE_VARIABLE = "KERAS_TORCH_DEVICE"
DEFAULT_BACKEND = "tensorflow"  # Keras's own default when KERAS_BACKEND is unset
# `easeval debug`: Keras files are read with TensorFlow's site rules (Keras is how TensorFlow's files
# spell their models too) and debugged on DEFAULT_BACKEND.
DEBUG_DIALECT = "tensorflow"
DEBUG_ROOTS = ("keras",)
# A keras_impl.py that imports a backend is no longer backend-independent: a task problem (discovery).
FORBIDDEN_IMPORTS = ("tensorflow", "torch", "jax", "jaxlib")


def is_installed() -> bool:
    return importlib.util.find_spec(IMPORT_NAME) is not None


def installed_backends() -> list[str]:
    """The backends whose framework is installed here (none imported), in BACKENDS order."""
    return [name for name in BACKENDS if get_adapter(name).is_installed()]


def backend_display_name(backend: str) -> str:
    """How reports name Keras on one backend: 'Keras (torch backend)'."""
    return f"{DISPLAY_NAME} ({backend} backend)"


def select_backend(name: str, device: str = "cpu") -> None:
    """Choose the backend (and on torch the device) Keras will use; before Keras is imported."""
    if name not in BACKENDS:
        raise ValueError(f"unknown Keras backend {name!r}; known: {', '.join(BACKENDS)}")
    os.environ[BACKEND_VARIABLE] = name
    if name == "torch":
        os.environ[TORCH_DEVICE_VARIABLE] = "cuda" if device == "cuda" else "cpu"


def current_backend() -> str:
    return os.environ.get(BACKEND_VARIABLE) or DEFAULT_BACKEND


def backend_adapter() -> ModuleType:
    """The adapter of the backend Keras runs on (chosen by select_backend)."""
    return _adapter(current_backend())


# Cached: the harness calls block_until_ready and synchronize around every timed call, and looking an
# adapter up scans this package's folder (measured: that scan made a 1 ms Keras call time 3.5 ms).
@functools.cache
def _adapter(backend: str) -> ModuleType:
    return get_adapter(backend)


@functools.cache
def _keras(backend: str) -> ModuleType:
    """Keras, imported once per process (on `backend`, checked)."""
    _adapter(backend).import_framework()  # the backend's own import (TensorFlow's log level included)
    import keras

    if keras.backend.backend() != backend:
        raise RuntimeError(f"Keras was imported with backend {keras.backend.backend()!r} before {backend!r} "
                           f"was selected ({BACKEND_VARIABLE} must be set before the first `import keras`)")
    return keras


def prepare_environment(threads: int) -> None:
    """The backend's settings read once at start-up (JAX's CPU thread pool); before the import."""
    adapter = backend_adapter()
    if hasattr(adapter, "prepare_environment"):
        adapter.prepare_environment(threads)


def import_framework() -> ModuleType:
    return _keras(current_backend())


def version() -> str:
    return import_framework().__version__


def available_devices() -> list[str]:
    return backend_adapter().available_devices()


def use_compiler_cache(folder: str) -> None:
    """The backend's compiler caches (XLA's on JAX, torch.compile's on PyTorch) in `folder`."""
    adapter = backend_adapter()
    if hasattr(adapter, "use_compiler_cache"):
        adapter.use_compiler_cache(folder)


def configure(threads: int, seed: int, device: str = "cpu") -> None:
    """The backend adapter's threads, seeds and device visibility, then Keras's seed (keras.random and
    initializers draw from it). NotImplementedError when the device is unavailable, as the backend says."""
    backend_adapter().configure(threads, seed, device)
    _set_random_seed(import_framework(), seed)


def _set_random_seed(keras: ModuleType, seed: int) -> None:
    """`keras.utils.set_random_seed(seed)`, less its TensorFlow seed on the other backends.

    Keras seeds TensorFlow whenever it is installed (for tf.data pipelines), which imports it: 2 to
    3 s in every Keras-on-PyTorch or -JAX measurement process (measured 2026-12-07), and TensorFlow's
    memory in a process a Keras-on-PyTorch user would not have it in. Keras on those backends never
    imports TensorFlow itself (fit, predict and evaluate checked), and a keras_impl.py may not import
    it, so its seed would seed nothing here. What stays: the global seed Keras's SeedGenerator is made
    from, Python's and NumPy's seeds, and the backend's own (the backend adapter has set it too)."""
    if keras.backend.backend() == "tensorflow":
        keras.utils.set_random_seed(seed)
        return
    import random

    from keras.src.backend.common import global_state
    from keras.src.random import seed_generator
    from keras.src.utils import rng_utils

    global_state.set_global_attribute(rng_utils.GLOBAL_RANDOM_SEED, seed)
    global_state.set_global_attribute(seed_generator.GLOBAL_SEED_GENERATOR, None)
    random.seed(seed)
    np.random.seed(seed)
    if keras.backend.backend() == "torch":
        import torch

        torch.manual_seed(seed)


def gpu_name() -> str | None:
    adapter = backend_adapter()
    return adapter.gpu_name() if hasattr(adapter, "gpu_name") else None


def block_until_ready(value: object) -> None:
    """Wait for `value` where the backend dispatches asynchronously (JAX); nothing to wait for otherwise."""
    adapter = backend_adapter()
    if hasattr(adapter, "block_until_ready"):
        adapter.block_until_ready(_unwrap(value))  # keras.Variables hold the JAX arrays to wait for


def synchronize(device: str) -> None:
    backend_adapter().synchronize(device)


def _unwrap(value: object) -> object:
    """A keras.Variable's backend tensor; lists, tuples and dicts of them element by element."""
    keras = import_framework()
    if isinstance(value, keras.Variable):
        return value.value
    if isinstance(value, (list, tuple)):
        return type(value)(_unwrap(v) for v in value) if type(value) in (list, tuple) else value
    if isinstance(value, dict):
        return {k: _unwrap(v) for k, v in value.items()}
    return value


def is_tensor(value: object) -> bool:
    keras = import_framework()
    return isinstance(value, keras.Variable) or bool(keras.ops.is_tensor(value))


def to_numpy(value: object) -> np.ndarray:
    return backend_adapter().to_numpy(_unwrap(value))


def reset_peak_memory(device: str) -> None:
    backend_adapter().reset_peak_memory(device)


def peak_memory(device: str) -> int | None:
    return backend_adapter().peak_memory(device)
