"""Framework adapters, one module per framework, found by scanning this package.

An adapter is a plain module (no base class) exposing:

    NAME, DISPLAY_NAME, IMPORT_NAME, INSTALL_HINT   constants
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

Adapters import only the standard library and NumPy at module level; the framework itself is
imported lazily. Adding a framework (say JAX) is one module here plus `jax_impl.py` files in tasks.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

REQUIRED_ATTRIBUTES = (
    "NAME", "DISPLAY_NAME", "IMPORT_NAME", "INSTALL_HINT", "is_installed", "import_framework",
    "version", "available_devices", "configure", "synchronize", "to_numpy", "is_tensor",
    "reset_peak_memory", "peak_memory",
)


def adapter_names() -> list[str]:
    """Names of every framework easeval has an adapter for, sorted."""
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
    """Frameworks whose package is importable in this environment (not imported)."""
    return [n for n in adapter_names() if get_adapter(n).is_installed()]


def ordered_frameworks(names) -> list[str]:
    """`names` in the order adapters declare (ORDER); unknown names last, then by name."""
    known = set(adapter_names())

    def key(name: str) -> tuple[int, str]:
        order = getattr(get_adapter(name), "ORDER", 1000) if name in known else 10_000
        return (order, name)

    return sorted(set(names), key=key)
