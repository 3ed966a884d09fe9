"""Inspect the installed documentation of framework names: `python -m evaluator.apidocs.inspect_worker IN.json OUT.json`.

IN is `{"framework": "torch", "names": [...]}`; OUT is `{"schema_version", "framework", "version",
"records": [ApiDoc...]}`. The worker imports the standard library and its one framework only (for
`tensorflow`, TensorFlow and Keras, which TensorFlow implementations reach as `tf.keras` or `keras`);
it never imports task code. A name that cannot be resolved gets `exists: False` and a `reason`.

Resolution: attribute access from the top-level module, importing a submodule where an attribute
is missing (see `resolve` for why not the longest importable prefix first), so aliases (`tensorflow.keras.layers.Dense`, `torch.relu`) end at the object they
name, whose `__module__.__qualname__` is recorded. A routine reached through a class
(`torch.nn.Module.eval`) is a method. A class's documentation is its docstring plus its own
`__init__`'s, as `help()` shows both, and its parameters are those of `__init__`. A value (a dtype,
`tf.newaxis`) is documented by its type's docstring only when that type belongs to the framework.
When `inspect.signature` fails (torch's C builtins), the parameters come from the signature torch
writes on the docstring's first line (`tanh(input, *, out=None) -> Tensor`). Sections and examples
are recognised as `evaluator.apidocs.docstrings` documents.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import inspect
import json
import re
import sys
from pathlib import Path

from evaluator.apidocs.api_doc import RECORD_SCHEMA_VERSION, ApiDoc, unresolved
from evaluator.apidocs.docstrings import documented_parameters, has_example

# The top-level modules each framework's worker imports and answers for: Keras is TensorFlow's
# high-level API in this corpus, so `keras.*` names are inspected beside TensorFlow.
FRAMEWORK_ROOTS: dict[str, tuple[str, ...]] = {
    "torch": ("torch",),
    "tensorflow": ("tensorflow", "keras"),
    "jax": ("jax",),
}
# The distribution whose version keys the cache, per framework.
FRAMEWORK_DISTRIBUTIONS = {"torch": "torch", "tensorflow": "tensorflow", "jax": "jax"}

_ONLY_VARIADIC = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)


def installed_version(framework: str) -> str | None:
    """The installed distribution's version; None when it is not installed under that name."""
    for dist in (FRAMEWORK_DISTRIBUTIONS[framework], f"{FRAMEWORK_DISTRIBUTIONS[framework]}-cpu"):
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            continue
    return None


def resolve(name: str) -> tuple[object, object | None]:
    """(object, the object it was reached through or None); raises LookupError saying why not.

    Attribute access first, as the user's code does, importing a submodule only where the attribute
    is missing: `import tensorflow.distribute` finds an internal package, not the public
    `tf.distribute` namespace (which has `ReduceOp`), so importing the longest importable prefix
    first would answer for the wrong module."""
    parts = name.split(".")
    try:
        obj: object = importlib.import_module(parts[0])
    except Exception as exc:
        raise LookupError(f"import {parts[0]} failed: {type(exc).__name__}: {exc}") from None
    parent = None
    for depth in range(1, len(parts)):
        try:
            parent, obj = obj, getattr(obj, parts[depth])
            continue
        except Exception as exc:
            missing = f"{'.'.join(parts[:depth])} has no attribute {parts[depth]!r} ({type(exc).__name__})"
        if not inspect.ismodule(obj):
            raise LookupError(missing)
        try:  # a submodule not yet imported by its package
            parent, obj = obj, importlib.import_module(".".join(parts[:depth + 1]))
        except ModuleNotFoundError:
            raise LookupError(missing) from None
        except Exception as exc:
            raise LookupError(f"{missing}; import {'.'.join(parts[:depth + 1])} failed: "
                              f"{type(exc).__name__}: {exc}") from None
    return obj, parent


def kind_of(obj: object, parent: object | None) -> str:
    if inspect.ismodule(obj):
        return "module"
    if inspect.isclass(obj):
        return "class"
    if callable(obj):
        return "method" if inspect.isclass(parent) else "function"
    return "other"


def resolved_name_of(obj: object) -> str | None:
    if inspect.ismodule(obj):
        return obj.__name__
    module, qualname = getattr(obj, "__module__", None), getattr(obj, "__qualname__", None)
    return f"{module}.{qualname}" if isinstance(module, str) and isinstance(qualname, str) else None


def _own_init(cls: type) -> object | None:
    """The class's `__init__` when some framework class defines it (not object's or a C slot's)."""
    init = getattr(cls, "__init__", None)
    return init if inspect.isfunction(init) else None


def documentation(obj: object, kind: str, roots: tuple[str, ...]) -> str:
    """The text help() shows first for the object, as `inspect.getdoc` cleans it."""
    if kind == "other":
        owner = type(obj).__module__.split(".")[0]
        return (inspect.getdoc(type(obj)) or "") if owner in roots else ""
    doc = inspect.getdoc(obj) or ""
    if kind == "class":
        init = _own_init(obj)
        init_doc = inspect.getdoc(init) if init is not None else None
        if init_doc and init_doc not in doc:
            doc = f"{doc}\n\n{init_doc}" if doc else init_doc
    return doc


def _named(parameters: list[inspect.Parameter]) -> tuple[str, ...]:
    return tuple(p.name for p in parameters if p.kind not in _ONLY_VARIADIC and p.name not in ("self", "cls"))


def signature_parameters(obj: object, kind: str) -> tuple[tuple[str, ...] | None, str | None]:
    """(parameter names, source), source "inspect" or "docstring"; (None, None) when unknown."""
    if kind in ("module", "other"):
        return None, None
    target = obj
    if kind == "class":
        target = _own_init(obj) or obj
    python_level = inspect.isfunction(inspect.unwrap(target)) or inspect.ismethod(target)
    try:
        parameters = list(inspect.signature(target).parameters.values())
    except (TypeError, ValueError):
        parameters = None
    # C callables often report a bare (*args, **kwargs): that says nothing about their parameters
    if parameters is not None and (python_level or _named(parameters)):
        return _named(parameters), "inspect"
    from_doc = _docstring_signature(obj)
    return (from_doc, "docstring") if from_doc is not None else (None, None)


def _docstring_signature(obj: object) -> tuple[str, ...] | None:
    """Parameters of the `name(a, *, b=None) -> T` line torch puts first in a builtin's docstring."""
    doc = getattr(obj, "__doc__", None)
    short = getattr(obj, "__name__", None)
    if not isinstance(doc, str) or not isinstance(short, str):
        return None
    first = doc.strip().splitlines()[0] if doc.strip() else ""
    match = re.match(rf"^(?:[\w.]+\.)?{re.escape(short)}\((?P<params>.*)\)\s*(->.*)?$", first)
    if not match:
        return None
    return tuple(name for name in map(_parameter_name, _top_level_split(match["params"])) if name)


def _top_level_split(text: str) -> list[str]:
    """Split at the commas outside brackets (defaults such as `dim=(0, 1)` hold commas)."""
    pieces, depth, current = [], 0, []
    for char in text:
        depth += char in "([{"
        depth -= char in ")]}"
        if char == "," and depth == 0:
            pieces.append("".join(current))
            current = []
        else:
            current.append(char)
    return pieces + ["".join(current)]


def _parameter_name(piece: str) -> str | None:
    """`out=None` -> out; variadic `*size`, the bare `*` and `/` markers, and self -> None.

    Not ast: torch writes `zeros(*size, *, out=None)`, which is not valid Python."""
    match = re.match(r"^\s*([A-Za-z_]\w*)", piece)
    return match[1] if match and match[1] not in ("self", "cls") else None


def inspect_name(name: str, roots: tuple[str, ...]) -> ApiDoc:
    """The documentation record of one canonical name; never raises for a bad name."""
    if name.split(".")[0] not in roots:
        return unresolved(name, f"not a name of {'/'.join(roots)}")
    try:
        obj, parent = resolve(name)
    except LookupError as exc:
        return unresolved(name, str(exc))
    kind = kind_of(obj, parent)
    try:
        doc = documentation(obj, kind, roots)
        parameters, source = signature_parameters(obj, kind)
    except Exception as exc:  # an exotic object's introspection failing is a finding, not a crash
        return ApiDoc(name=name, exists=True, kind=kind, resolved_name=resolved_name_of(obj),
                      reason=f"introspection failed: {type(exc).__name__}: {exc}")
    documented = documented_parameters(doc)
    return ApiDoc(
        name=name, exists=True, kind=kind, resolved_name=resolved_name_of(obj),
        has_docstring=bool(doc.strip()), doc_chars=len(doc),
        parameters=parameters, signature_source=source,
        documented_parameters=tuple(p for p in documented if parameters is None or p in parameters),
        params_documented=all(p in documented for p in parameters) if parameters else None,
        has_example=has_example(doc),
    )


def inspect_framework(framework: str, names: list[str]) -> list[ApiDoc]:
    """Import the framework's roots, then inspect every name (a root that fails is each name's reason)."""
    roots = FRAMEWORK_ROOTS[framework]
    for root in roots:
        try:
            importlib.import_module(root)
        except Exception as exc:
            failure = f"import {root} failed: {type(exc).__name__}: {exc}"
            return [unresolved(n, failure) if n.split(".")[0] == root else inspect_name(n, roots) for n in names]
    return [inspect_name(name, roots) for name in names]


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m evaluator.apidocs.inspect_worker IN.json OUT.json", file=sys.stderr)
        return 2
    request = json.loads(Path(argv[0]).read_text())
    framework, names = request["framework"], list(request["names"])
    records = inspect_framework(framework, names)
    Path(argv[1]).write_text(json.dumps({
        "schema_version": RECORD_SCHEMA_VERSION, "framework": framework,
        "version": installed_version(framework), "records": [r.to_json() for r in records],
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
