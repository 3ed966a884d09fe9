"""PyTorch adapter. Imports torch lazily: only `import_framework` pays for it."""

from __future__ import annotations

import importlib.util
import os
import random
from types import ModuleType

import numpy as np

NAME = "torch"
DISPLAY_NAME = "PyTorch"
IMPORT_NAME = "torch"
INSTALL_HINT = "pip install 'easeval[torch]'  (CPU build; for CUDA see README, 'GPU install')"
ORDER = 0
STYLE_NAME = "PyTorch"
VARIANT_NAMES = {"compiled": "torch.compile"}
IMPORT_STATEMENT = "import torch"
TENSOR_FROM_NUMPY = "torch.from_numpy(array).to(device)"
# Imported by the worker after the timed `import torch` and before it forks: torch imports dynamo
# lazily on the first optimizer or torch.compile (1.2 s here), which every measurement process would
# otherwise pay again inside `setup` or the first call. It starts no thread.
PRELOAD_MODULES = ("torch._dynamo",)
# Imported, in addition, by the workers that time COMPILED_VARIANT files only: `torch.compile` imports
# inductor's compiler when the file is imported (about 1 s here), before the memory baseline and outside
# every timed phase, so preloading it changes no figure and spares each compiled measurement process the
# import. Eager files are timed in other workers: their processes never hold the compiler.
COMPILED_PRELOAD = ("torch._inductor.compile_fx",)
# `easeval debug` (docs/debugging.md): modules its jobs would import lazily in every forked child, imported
# once per worker; the relative cost of one debugging job (to share workers out); the debugging aids.
DEBUG_PRELOAD = ("torch._dynamo", "torch._inductor.compile_fx", "torch.optim")
DEBUG_COST = 1.0   # a PyTorch job mostly runs eagerly
DEBUG_AIDS = ("torch.autograd.set_detect_anomaly(True)",)
# The site rules its files are read with (evaluator/debugging/sites.py) and the top-level modules whose
# names those rules resolve; the variant whose mutants are compared with the eager primary's, by name.
DEBUG_DIALECT = "torch"
DEBUG_ROOTS = ("torch",)
DEBUG_VARIANT_COMPARISONS = {"compiled": "torch-eager-vs-compiled"}
COMPILED_VARIANT = "compiled"   # the variant that compiles the primary (torch.compile)


def use_compiler_cache(folder: str) -> None:
    """torch.compile's on-disk caches (inductor's FX graph and kernel caches, Triton's) in `folder`; in a
    forked child before its first compile. They are on by default for a user, so only the place moves."""
    os.environ["TORCHINDUCTOR_CACHE_DIR"] = os.path.join(folder, "torchinductor")
    os.environ["TRITON_CACHE_DIR"] = os.path.join(folder, "triton")


def enable_debug_aids() -> None:
    """Switch DEBUG_AIDS on, in a debugging job's child, before any user code runs."""
    import torch

    torch.autograd.set_detect_anomaly(True)


def is_installed() -> bool:
    return importlib.util.find_spec(IMPORT_NAME) is not None


def import_framework() -> ModuleType:
    import torch

    return torch


def version() -> str:
    return import_framework().__version__


def available_devices() -> list[str]:
    torch = import_framework()
    return ["cpu", "cuda"] if torch.cuda.is_available() else ["cpu"]


def configure(threads: int, seed: int, device: str = "cpu") -> None:
    """Same intra-op thread count as every other framework; deterministic seeds.

    Raises NotImplementedError when `device` is not available, so the job is reported as skipped.
    """
    torch = import_framework()
    if device == "cuda" and not torch.cuda.is_available():
        raise NotImplementedError("torch sees no CUDA device")
    torch.set_num_threads(threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:  # only settable before the first parallel op; a fresh child has none
        pass
    # Full float32 on both sides: TF32 (cuDNN convolutions default to it) would make one framework
    # compute in lower precision than the other and fail the float32 tolerances.
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def gpu_name() -> str | None:
    torch = import_framework()
    return torch.cuda.get_device_name(0) if torch.cuda.is_available() else None


def synchronize(device: str) -> None:
    if device == "cuda":
        import_framework().cuda.synchronize()


def is_tensor(value: object) -> bool:
    return import_framework().is_tensor(value)


def to_numpy(value: object) -> np.ndarray:
    torch = import_framework()
    if torch.is_tensor(value):
        value = value.detach().cpu()
        if value.dtype in (torch.bfloat16, torch.float16):  # NumPy has no bfloat16
            value = value.float()
        return value.numpy()
    return np.asarray(value)


def reset_peak_memory(device: str) -> None:
    if device == "cuda":
        import_framework().cuda.reset_peak_memory_stats()


def peak_memory(device: str) -> int | None:
    if device == "cuda":
        return int(import_framework().cuda.max_memory_allocated())
    return None
