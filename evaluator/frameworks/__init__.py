"""Framework adapters, one module per framework, found by scanning this package. Imports only base.

An adapter is a plain module (no base class) exposing:

    NAME, DISPLAY_NAME, IMPORT_NAME, INSTALL_HINT   constants
    ORDER: int                          position in comparisons (torch 0, tensorflow 1, jax 2): tables and
                                        sentences name frameworks in this order, not alphabetically
    STYLE_NAME: str                     what the primary implementations are written with ("Keras" for
                                        TensorFlow), used when a primary is compared with its own variants
    VARIANT_NAMES: dict[str, str]       display names of the variants in tasks/ ("lowlevel" -> "low-level
                                        TensorFlow"); a variant not listed is named "<DISPLAY_NAME> (<variant>)"
    IMPORT_STATEMENT: str               how the official guides import it ("import tensorflow as tf")
    TENSOR_FROM_NUMPY: str              an expression turning the NumPy `array` into a tensor on `device`
                                        (the last two build `easeval new-task`'s skeletons)
    is_installed() -> bool              without importing the framework
    import_framework() -> module        the (slow) import, paid once per worker
    version() -> str
    available_devices() -> list[str]    easeval device names: "cpu", "cuda"
    configure(threads, seed, device)    intra-op threads, seeds, device visibility; before any op;
                                        NotImplementedError if the device is unavailable
    synchronize(device) -> None         wait for queued device work
    to_numpy(value) -> numpy.ndarray    one framework tensor (or scalar) as NumPy
    is_tensor(value) -> bool
    reset_peak_memory(device) -> None   allocator peak stats (GPU); no-op on CPU
    peak_memory(device) -> int | None   allocator peak in bytes (GPU); None on CPU (RSS is used)

and optionally, where the framework needs them (the harness checks with getattr):

    prepare_environment(threads)        environment variables the framework reads once, at import or when its
                                        runtime starts (JAX's CPU thread pool); the worker calls it before
                                        import_framework
    block_until_ready(value) -> None    wait until `value` (a tree of outputs) is computed, for frameworks
                                        whose calls return before the work is done (JAX's asynchronous
                                        dispatch); the harness calls it on every output it times
    gpu_name() -> str | None            the GPU's model name, recorded with CUDA measurements
    use_compiler_cache(folder) -> None  puts the framework's on-disk compiler caches in `folder`, in a forked
                                        child before its first compile (torch.compile's; XLA's on JAX): the
                                        timing processes of one measurement share one folder
    PRELOAD_MODULES: tuple[str, ...]    modules every measurement would import lazily, imported once per worker
    DEBUG_PRELOAD: tuple[str, ...]      `easeval debug`: modules its jobs would import lazily in every child
                                        (imported once per debugging worker)
    DEBUG_COST: float                   `easeval debug`: relative cost of one job, to share workers out (1.0)
    DEBUG_AIDS: tuple[str, ...]         `easeval debug --aids`: the debugging aids, in words (the report lists them)
    enable_debug_aids() -> None         switches DEBUG_AIDS on in a debugging job's child, before user code
    DEBUG_DIALECT: str                  `easeval debug`: the site rules its files are read with ("torch",
                                        "tensorflow": evaluator/debugging/sites.py); none: no sites (a
                                        framework the catalogue does not cover yet, listed as not mutated)
    DEBUG_ROOTS: tuple[str, ...]        `easeval debug`: the top-level modules whose names the site rules
                                        resolve (("tensorflow", "keras")); required with DEBUG_DIALECT
    DEBUG_VARIANT_COMPARISONS: dict[str, str]  `easeval debug`: variant -> the name of the comparison pairing
                                        its mutants with the primary's ({"compiled": "torch-eager-vs-compiled"})
    COMPILED_VARIANT: str               the variant that compiles the primary (torch.compile's "compiled",
                                        tf.function's "function"); `easeval debug` pairs two frameworks' ones
    COMPILED_PRELOAD: tuple[str, ...]   optional: modules the workers timing COMPILED_VARIANT files import
                                        before forking (torch's inductor compiler); eager files never get them
    CORE_VARIANTS: tuple[str, ...]      core-level stand-ins for a high-level primary, in order of preference
                                        (TensorFlow's "loop", "lowlevel"): the primary comparison's side

and, for a framework whose one file runs on several backends (Keras 3 on TensorFlow, PyTorch, JAX):

    BACKENDS: tuple[str, ...]           the backends, each named as its own adapter
    installed_backends() -> list[str]   those installed here (not imported)
    select_backend(name, device)        chooses the backend; the worker calls it before anything else, so
                                        the backend is fixed before the framework is imported
    backend_display_name(name) -> str   how reports name a run: "Keras (torch backend)"
    FORBIDDEN_IMPORTS: tuple[str, ...]  imports that make a file backend-specific (a task problem)

Such a file is one implementation (one static analysis) and one measurement per backend: the job, the
worker and the measurement carry the backend (`backends_of`).

Adapters import only the standard library and NumPy at module level; the framework itself is
imported lazily. Adding a framework is one module here plus `<name>_impl.py` files in tasks
(jax.py and the exemplars' jax_impl.py show it).
"""

from __future__ import annotations

import importlib
import math
import pkgutil
from types import ModuleType
from typing import Iterable

REQUIRED_ATTRIBUTES = (
    "NAME", "DISPLAY_NAME", "IMPORT_NAME", "INSTALL_HINT", "ORDER", "STYLE_NAME", "VARIANT_NAMES",
    "IMPORT_STATEMENT", "TENSOR_FROM_NUMPY", "is_installed", "import_framework", "version",
    "available_devices", "configure", "synchronize", "to_numpy", "is_tensor", "reset_peak_memory",
    "peak_memory",
)


def adapter_names() -> list[str]:
    """Names of every framework easeval has an adapter for, sorted by name (see ordered_frameworks)."""
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


def get_adapter(name: str) -> ModuleType:
    """Import the adapter module for framework `name` (cheap: the framework is not imported)."""
    if name not in adapter_names():
        raise KeyError(f"unknown framework {name!r}; known: {', '.join(adapter_names())}")
    module = importlib.import_module(f"{__name__}.{name}")
    missing = [a for a in REQUIRED_ATTRIBUTES if not hasattr(module, a)]
    if missing:
        raise TypeError(f"adapter {module.__file__} lacks {', '.join(missing)}")
    return module


def installed_frameworks() -> list[str]:
    """Frameworks whose package is importable in this environment (not imported), in ORDER."""
    return ordered_frameworks(n for n in adapter_names() if get_adapter(n).is_installed())


def ordered_frameworks(names: Iterable[str]) -> list[str]:
    """`names` without repeats in the adapters' declared ORDER; names with no adapter last, by name."""
    known = set(adapter_names())
    return sorted(dict.fromkeys(names), key=lambda n: (get_adapter(n).ORDER if n in known else math.inf, n))


def backends_of(framework: str) -> tuple[str, ...]:
    """The backends a framework's files run on (Keras: tensorflow, torch, jax); () for one that is its own backend."""
    if framework not in adapter_names():
        return ()
    return tuple(getattr(get_adapter(framework), "BACKENDS", ()))


def run_name(impl_key: str, backend: str | None) -> str:
    """How reports name one run of an implementation: 'PyTorch', or 'Keras (torch backend)'."""
    name = implementation_name(impl_key)
    return f"{name} ({backend} backend)" if backend else name


def split_impl_key(impl_key: str) -> tuple[str, str | None]:
    """('tensorflow', 'lowlevel') for 'tensorflow_lowlevel': the longest adapter name the key starts with.

    A key with no adapter is returned whole, as its own framework: ('mxnet_fast', None).
    """
    for name in sorted(adapter_names(), key=len, reverse=True):
        if impl_key == name:
            return name, None
        if impl_key.startswith(name + "_"):
            return name, impl_key[len(name) + 1:]
    return impl_key, None


def implementation_name(impl_key: str, *, style: bool = False) -> str:
    """How reports name an implementation: 'torch' -> 'PyTorch', 'tensorflow_lowlevel' -> 'low-level TensorFlow'.

    A variant the adapter does not name is '<DISPLAY_NAME> (<variant>)'. With `style`, a primary is named
    by what it is written with (STYLE_NAME: 'Keras' for 'tensorflow'), as when it is compared with its
    own variants. A key with no adapter is returned unchanged.
    """
    framework, variant = split_impl_key(impl_key)
    if framework not in adapter_names():
        return impl_key
    adapter = get_adapter(framework)
    if variant is None:
        return adapter.STYLE_NAME if style else adapter.DISPLAY_NAME
    return adapter.VARIANT_NAMES.get(variant, f"{adapter.DISPLAY_NAME} ({variant})")
