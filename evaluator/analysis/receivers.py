"""Is `receiver.m()` a call on a framework object? A light, file-wide inference without types.

The API-surface walk records, for every method call that no import resolves, a description of its
receiver; once the whole file is read, `ValueKinds` classifies each one as a framework value, a
foreign (plain Python or non-framework) value, or unknown. The rules are in docs/metrics.md.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass, field
from typing import Callable

import libcst as cst

FRAMEWORK, FOREIGN, UNKNOWN = "framework", "foreign", "unknown"
Description = tuple[str, str]  # ("name", root name), ("element", name iterated over), or (kind, "")

# Method names of Python's built-in types: on a receiver of unknown type, `x.append()` or
# `d.items()` is far more likely plain Python than a framework call.
BUILTIN_METHOD_NAMES = frozenset(
    name
    for kind in (str, bytes, bytearray, list, tuple, dict, set, frozenset, int, float, complex, object)
    for name in dir(kind) if not name.startswith("_")
)
_BUILTIN_NAMES = frozenset(dir(builtins))
_LITERALS = (
    cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.ConcatenatedString, cst.FormattedString,
    cst.List, cst.Tuple, cst.Dict, cst.Set, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp, cst.Lambda,
)


@dataclass
class ClassInfo:
    """What a class body tells about `self.m()` calls: its bases and its own members."""

    bases: list[Description]
    members: set[str] = field(default_factory=set)


def describe(expr: cst.CSTNode) -> Description:
    """What can be said of a value without types: the name it derives from, or a kind."""
    while True:
        if isinstance(expr, (cst.Attribute, cst.Subscript)):
            expr = expr.value
        elif isinstance(expr, cst.Call):
            if isinstance(expr.func, cst.Name) and expr.func.value == "super":
                return (FOREIGN, "")
            expr = expr.func
        elif isinstance(expr, cst.Name):
            return ("name", expr.value)
        elif isinstance(expr, _LITERALS):
            return (FOREIGN, "")
        else:
            return (UNKNOWN, "")


@dataclass
class ValueKinds:
    """Framework, foreign or unknown, for names of one file (memoized; cycles read as unknown)."""

    imports: dict[str, str]                    # name -> canonical dotted name it was imported as
    is_framework: Callable[[str], bool]        # of a canonical dotted name
    classes: dict[str, ClassInfo]              # classes defined in the file
    assigned: dict[str, list[Description]]     # name -> descriptions of the values assigned to it
    memo: dict[str, str] = field(default_factory=dict)

    def is_framework_method_call(self, method: str, receiver: Description, own_class: ClassInfo | None) -> bool:
        """Whether `receiver.method()` counts as a call on a framework object (docs/metrics.md)."""
        if own_class is not None:  # self.method() inside a class
            return self.class_kind(own_class) == FRAMEWORK and method not in self.class_members(own_class)
        kind = self.of(receiver)
        return kind == FRAMEWORK or (kind == UNKNOWN and method not in BUILTIN_METHOD_NAMES)

    def of(self, description: Description) -> str:
        tag, name = description
        if tag == "element":  # an element of an iterated value: a framework value only if that is one
            return FRAMEWORK if self.name(name) == FRAMEWORK else UNKNOWN
        return self.name(name) if tag == "name" else tag

    def name(self, name: str) -> str:
        if name in self.memo:
            return self.memo[name]
        self.memo[name] = UNKNOWN  # guards against cycles such as `a = b; b = a`
        if name in self.imports:
            kind = FRAMEWORK if self.is_framework(self.imports[name]) else FOREIGN
        elif name in self.classes:
            kind = self.class_kind(self.classes[name])
        elif name in self.assigned:
            kinds = {self.of(d) for d in self.assigned[name]}
            kind = FRAMEWORK if FRAMEWORK in kinds else FOREIGN if kinds == {FOREIGN} else UNKNOWN
        elif name in _BUILTIN_NAMES:
            kind = FOREIGN
        else:
            kind = UNKNOWN
        self.memo[name] = kind
        return kind

    def class_kind(self, info: ClassInfo) -> str:
        """A class of the file makes framework objects if it derives from a framework class."""
        return FRAMEWORK if any(self.of(base) == FRAMEWORK for base in info.bases) else FOREIGN

    def class_members(self, info: ClassInfo) -> set[str]:
        """Members of the class and of the classes of this file it derives from."""
        members: set[str] = set()
        seen: list[ClassInfo] = []
        pending = [info]
        while pending:
            current = pending.pop()
            if any(current is s for s in seen):
                continue
            seen.append(current)
            members |= current.members
            pending.extend(self.classes[name] for tag, name in current.bases if tag == "name" and name in self.classes)
        return members
