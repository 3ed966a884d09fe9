"""Propose `[aliases]` for re-exported framework modules, reading the source, never importing it.

Every HuggingFace TensorFlow file gets Keras through `from ...modeling_tf_utils import keras`. A name
imported from a module that is not a framework, when the name is a framework root or a known alias
(`keras`, `tf`, `jnp`, ...), becomes an alias candidate keyed as the file spells it
(`"...modeling_tf_utils.keras"`). Where the source holds that module, its own imports decide what the
name is (`import tf_keras as keras` or `import keras`: Keras; `keras = object()`: no alias); where it
does not, the name's conventional meaning is used. Parsing uses `ast`, which compiles nothing.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Callable

from evaluator.analysis.analysis_types import KNOWN_FRAMEWORK_ALIASES

_FOLLOW = 3  # re-exports of re-exports followed this deep


@dataclass(frozen=True)
class Alias:
    key: str        # the dotted name as imported, e.g. "...modeling_tf_utils.keras"
    value: str      # the framework module it is, e.g. "keras"
    evidence: str   # where that was read, for the import's listing


def _canonical(target: str, roots: frozenset[str]) -> str | None:
    root, dot, rest = target.partition(".")
    root = KNOWN_FRAMEWORK_ALIASES.get(root, root)
    full = root + dot + rest
    return full if full.partition(".")[0] in roots else None


def _parse(data: bytes) -> ast.Module | None:
    try:
        return ast.parse(data)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _module_file(importer: str, level: int, module: str | None, files: set[str]) -> str | None:
    """The file of the module `from <level dots><module> import ...` names, from `importer`'s place."""
    parts = module.split(".") if module else []
    if level:
        base = importer.split("/")[:-1]
        if level - 1 > len(base):
            return None
        base = base[:len(base) - (level - 1)]
        candidates = ["/".join(base + parts)]
    else:
        candidates = ["/".join(parts)]
    for stem in candidates:
        for path in (f"{stem}.py", f"{stem}/__init__.py"):
            if path in files:
                return path
    if not level:  # an absolute import: the package may sit below a prefix (sdist: pkg-1.0/src/...)
        tail = "/" + "/".join(parts)
        for path in files:
            if path.endswith(tail + ".py") or path.endswith(tail + "/__init__.py"):
                return path
    return None


def _bindings_of(tree: ast.Module, name: str) -> list[tuple[str, int, str | None]]:
    """What `name` is bound to by imports anywhere in the module: (target, level, from-module)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                bound = alias.asname or alias.name.partition(".")[0]
                if bound == name:
                    found.append((alias.name if alias.asname else bound, 0, None))
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if (alias.asname or alias.name) == name:
                    found.append((alias.name, node.level, node.module))
    return found


def _resolve(path: str, name: str, read: Callable[[str], bytes], files: set[str], roots: frozenset[str],
             depth: int) -> str | None:
    """The framework module `name` is in the module at `path`, following re-exports; None if not one."""
    try:
        tree = _parse(read(path))
    except OSError:
        return None
    if tree is None:
        return None
    for target, level, module in _bindings_of(tree, name):
        if module is None:  # `import X as name`
            canonical = _canonical(target, roots)
            if canonical:
                return canonical
            continue
        if level == 0 and _canonical(module, roots):  # `from tensorflow import keras`
            return _canonical(f"{module}.{target}", roots)
        if depth < _FOLLOW:
            inner = _module_file(path, level, module, files)
            if inner is not None and (found := _resolve(inner, target, read, files, roots, depth + 1)):
                return found
    return None


def find_aliases(paths: list[str], read: Callable[[str], bytes], files: set[str], roots: frozenset[str]) -> list[Alias]:
    """Alias candidates in the files at `paths`, each checked in the source where it can be."""
    looks = roots | set(KNOWN_FRAMEWORK_ALIASES)
    proposals: dict[str, Alias] = {}
    for path in paths:
        try:
            tree = _parse(read(path))
        except OSError:
            continue
        if tree is None:
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom) or (node.level == 0 and _canonical(node.module or "", roots)):
                continue
            for alias in node.names:
                if alias.name not in looks:
                    continue
                key = "." * node.level + (f"{node.module}." if node.module else "") + alias.name
                if key in proposals:
                    continue
                module_file = _module_file(path, node.level, node.module, files)
                if module_file is not None:
                    value = _resolve(module_file, alias.name, read, files, roots, 1)
                    if value:
                        proposals[key] = Alias(key, value, f"imported in {module_file}")
                else:
                    value = _canonical(alias.name, roots)
                    if value:
                        proposals[key] = Alias(key, value, "module not in the source: by its name")
    return sorted(proposals.values(), key=lambda a: a.key)
