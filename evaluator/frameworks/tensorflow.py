"""TensorFlow adapter. Imports TensorFlow lazily: only `import_framework` pays for it (about 3 s)."""

from __future__ import annotations

import importlib.util
import os
import random
from types import ModuleType

import numpy as np

NAME = "tensorflow"
DISPLAY_NAME = "TensorFlow"
IMPORT_NAME = "tensorflow"
INSTALL_HINT = "pip install 'easeval[tensorflow]'  (CPU build; for CUDA see README, 'GPU install')"
ORDER = 1
STYLE_NAME = "Keras"  # TensorFlow's guides teach Keras, so the primaries use it (tasks/README.md)
VARIANT_NAMES = {
    "lowlevel": "low-level TensorFlow",
    "function": "tf.function",
    "explicit": "TensorFlow (explicit device placement)",
    "loop": "Keras layers + hand-written tf.function loop",
    "jit": "Keras with XLA (jit_compile=True)",
}
IMPORT_STATEMENT = "import tensorflow as tf"
TENSOR_FROM_NUMPY = "tf.constant(array)"  # placement follows configure's device visibility
# `easeval debug`: Keras is TensorFlow's lazily loaded front end (imported once per worker); a Keras job
# forks, builds and traces a model (three times a PyTorch job's cost, measured on the corpus); the aids.
DEBUG_PRELOAD = ("keras",)
DEBUG_COST = 3.0
DEBUG_AIDS = ("tf.debugging.enable_check_numerics()", "tf.config.run_functions_eagerly(True)")
# The site rules its files are read with (evaluator/debugging/sites.py: `keras.` resolves to
# `tensorflow.keras.`) and the top-level modules whose names they resolve; the variants whose mutants are
# compared with the primary's, by comparison name.
DEBUG_DIALECT = "tensorflow"
DEBUG_ROOTS = ("tensorflow", "keras")
DEBUG_VARIANT_COMPARISONS = {"function": "tf-eager-vs-function", "jit": "tf-graph-vs-xla"}
COMPILED_VARIANT = "function"   # the variant that compiles the primary (tf.function)
# Core-level stand-ins for the high-level (Keras fit) primary, in order of preference: Keras layers with
# a hand-written GradientTape loop first (closest to what a PyTorch user writes), then tf.Module.
CORE_VARIANTS = ("loop", "lowlevel")


def enable_debug_aids() -> None:
    """Switch DEBUG_AIDS on, in a debugging job's child, before any user code runs (eager functions also
    make Keras's compiled fit run eagerly)."""
    import tensorflow as tf

    tf.debugging.enable_check_numerics()
    tf.config.run_functions_eagerly(True)


def is_installed() -> bool:
    return importlib.util.find_spec(IMPORT_NAME) is not None


def import_framework() -> ModuleType:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # keep C++ start-up chatter off the terminal
    import tensorflow as tf

    return tf


def version() -> str:
    return import_framework().__version__


def available_devices() -> list[str]:
    tf = import_framework()
    return ["cpu", "cuda"] if tf.config.list_physical_devices("GPU") else ["cpu"]


def configure(threads: int, seed: int, device: str = "cpu") -> None:
    """Same intra-op thread count as every other framework; deterministic seeds; device visibility.

    TensorFlow places ops on a GPU by itself whenever one is visible, so a CPU measurement hides the
    GPUs (as CUDA_VISIBLE_DEVICES would). These settings only take effect before TensorFlow's runtime
    starts, which is why the harness calls this in a fresh child before any op runs. Raises
    NotImplementedError when `device` is not available, so the job is reported as skipped.
    """
    tf = import_framework()
    gpus = tf.config.list_physical_devices("GPU")
    if device == "cuda" and not gpus:
        raise NotImplementedError("TensorFlow sees no GPU (the tensorflow-cpu build has none)")
    tf.config.set_visible_devices([] if device == "cpu" else gpus[:1], "GPU")
    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    # Full float32 on both sides: TensorFlow enables TF32 on Ampere and newer GPUs by default.
    tf.config.experimental.enable_tensor_float_32_execution(False)
    random.seed(seed)
    np.random.seed(seed)
    tf.random.set_seed(seed)


def gpu_name() -> str | None:
    tf = import_framework()
    gpus = tf.config.list_physical_devices("GPU")
    if not gpus:
        return None
    return tf.config.experimental.get_device_details(gpus[0]).get("device_name", gpus[0].name)


def synchronize(device: str) -> None:
    tf = import_framework()
    if device == "cuda":
        tf.test.experimental.sync_devices()


def is_tensor(value: object) -> bool:
    tf = import_framework()
    return isinstance(value, (tf.Tensor, tf.Variable))


def to_numpy(value: object) -> np.ndarray:
    tf = import_framework()
    if isinstance(value, (tf.Tensor, tf.Variable)):
        if value.dtype in (tf.bfloat16, tf.float16):
            value = tf.cast(value, tf.float32)
        return value.numpy()
    return np.asarray(value)


def reset_peak_memory(device: str) -> None:
    if device == "cuda":
        import_framework().config.experimental.reset_memory_stats("GPU:0")


def peak_memory(device: str) -> int | None:
    if device == "cuda":
        return int(import_framework().config.experimental.get_memory_info("GPU:0")["peak"])
    return None
