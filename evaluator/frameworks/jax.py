"""JAX adapter. Imports jax lazily: only `import_framework` pays for it.

JAX differs from the eager frameworks in three ways the harness has to respect:

- Threads. XLA's CPU client sizes its intra-op ("XLAEigen") thread pool once, when the backend starts,
  from the environment variable PJRT_NPROC (else the number of usable cores). jaxlib 0.10.2 ignores
  the often-quoted `XLA_FLAGS=--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=N`:
  measured on 2 cores, a 1536x1536 matmul still used 1.96 CPU-seconds per second with it, and 1.00
  with PJRT_NPROC=1. So `prepare_environment` sets PJRT_NPROC, and the worker calls it before the
  import; `configure` sets it again for callers that skip the worker (it works until the first op).
- Asynchronous dispatch, on the CPU too: a call returns before its result exists. The harness
  blocks on every timed output with `block_until_ready` before it stops a clock.
- No global seed: JAX's randomness comes from explicit keys. Implementations take theirs from
  `jax.random.key(seed)` or from the NumPy inputs; `configure` seeds Python's and NumPy's generators.

x64 stays off, so arrays are float32 like the other frameworks'.
"""

from __future__ import annotations

import importlib.util
import os
import random
from types import ModuleType

import numpy as np

NAME = "jax"
DISPLAY_NAME = "JAX"
IMPORT_NAME = "jax"
INSTALL_HINT = "pip install 'easeval[jax]'  (CPU build; for CUDA see README, 'GPU install')"
ORDER = 2
STYLE_NAME = "JAX"
VARIANT_NAMES: dict[str, str] = {}
IMPORT_STATEMENT = "import jax.numpy as jnp"
TENSOR_FROM_NUMPY = "jnp.asarray(array)"  # on the default device, which configure chooses
THREADS_VARIABLE = "PJRT_NPROC"  # read by jaxlib's CPU client when the backend starts


def is_installed() -> bool:
    return importlib.util.find_spec(IMPORT_NAME) is not None


def prepare_environment(threads: int) -> None:
    """Size XLA's CPU thread pool; must happen before the backend starts (the worker: before the import)."""
    os.environ[THREADS_VARIABLE] = str(threads)


def import_framework() -> ModuleType:
    import jax

    return jax


def version() -> str:
    return import_framework().__version__


def _gpus() -> list:
    try:
        return import_framework().devices("gpu")
    except RuntimeError:  # "Unknown backend: 'gpu' requested": the CPU jaxlib build has none
        return []


def available_devices() -> list[str]:
    return ["cpu", "cuda"] if _gpus() else ["cpu"]


def use_compiler_cache(folder: str) -> None:
    """XLA's persistent compilation cache in `folder`, for every compiled computation however short its
    compile; in a forked child before its first compile (the worker that forks it compiles nothing).

    Off by default for a user (jax_compilation_cache_dir is unset), unlike torch.compile's caches: so a
    measurement's first process, whose first call is reported, pays for writing the entries. Measured
    2026-12-07 (runner/README.md, "Compiler caches"): the write did not show in a cold first call, and a
    later process of the same measurement loads the executables instead of compiling them again.
    """
    jax = import_framework()
    jax.config.update("jax_compilation_cache_dir", os.path.join(folder, "jax"))
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)


def configure(threads: int, seed: int, device: str = "cpu") -> None:
    """Same intra-op thread count as every other framework; float32; device choice; seeds.

    Must run before the first JAX op (the harness calls it in a fresh child): the thread count and
    the platform list only take effect when the backend starts. Raises NotImplementedError when
    `device` is not available, so the job is reported as skipped.
    """
    prepare_environment(threads)
    jax = import_framework()
    jax.config.update("jax_enable_x64", False)
    # Full float32 on every side: on GPUs JAX's default matmul precision may use TF32 or bfloat16
    # passes, which the other adapters switch off.
    jax.config.update("jax_default_matmul_precision", "highest")
    if device == "cpu":
        jax.config.update("jax_platforms", "cpu")  # never start (or preallocate memory on) a GPU for a CPU run
    elif device == "cuda" and (gpus := _gpus()):
        jax.config.update("jax_default_device", gpus[0])
    else:
        raise NotImplementedError(f"JAX sees no {device} device (the CPU jaxlib build has no GPU)")
    random.seed(seed)
    np.random.seed(seed)


def gpu_name() -> str | None:
    gpus = _gpus()
    return gpus[0].device_kind if gpus else None


def block_until_ready(value: object) -> None:
    """Wait for every JAX array in `value` (any tree of outputs); other leaves are ignored."""
    import_framework().block_until_ready(value)


def synchronize(device: str) -> None:
    """Wait for every array still referenced: JAX has no device-wide barrier, and dispatch is asynchronous."""
    jax = import_framework()
    jax.block_until_ready(jax.live_arrays())


def is_tensor(value: object) -> bool:
    return isinstance(value, import_framework().Array)


def to_numpy(value: object) -> np.ndarray:
    jax = import_framework()
    if isinstance(value, jax.Array) and value.dtype in (jax.numpy.bfloat16, jax.numpy.float16):
        value = value.astype(jax.numpy.float32)  # compared as float32, as torch's and TensorFlow's are
    return np.asarray(value)


def reset_peak_memory(device: str) -> None:
    """Nothing to reset: JAX offers no reset, and each measurement starts its backend in a fresh child."""


def peak_memory(device: str) -> int | None:
    if device != "cuda":
        return None
    gpus = _gpus()
    stats = gpus[0].memory_stats() if gpus else None
    return int(stats["peak_bytes_in_use"]) if stats and "peak_bytes_in_use" in stats else None
