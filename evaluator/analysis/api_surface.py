"""API surface: which framework symbols a file uses, by the canonical dotted name its imports reach.

`import torch.nn.functional as F` makes `F.relu` `torch.nn.functional.relu`; `from tensorflow.keras
import layers` makes `layers.Dense` `tensorflow.keras.layers.Dense`, the same name as
`tf.keras.layers.Dense` under `import tensorflow as tf`. Names are resolved textually, as the
user's imports spell them, with one file-wide table of imports and assignments (no scopes, no flow):
cheap, and right for the plain scripts the corpus holds. Re-exports are not followed, except those an
imported corpus declares in its `[aliases]` (`"...modeling_tf_utils.keras" = "keras"`): a name whose
import reaches an alias key is read as the framework name it stands for. Imports inside harness glue
bind names too (the glue's lines are not counted, but the code after it uses what they import).

Method calls on values whose type no import reaches (`loss.backward()`) are counted by method
name when the receiver is, by a light file-wide inference, a framework value or of unknown type
and the method is not one of Python's built-in types (so `results.append(x)` is not counted).
See docs/metrics.md for every rule.
"""

from __future__ import annotations

import dataclasses
import functools
import textwrap
from collections import Counter
from typing import Mapping

import libcst as cst

from evaluator.analysis.analysis_types import KNOWN_FRAMEWORK_ALIASES, ApiSurface, framework_roots
from evaluator.analysis.receivers import UNKNOWN, ClassInfo, Description, ValueKinds, describe
from evaluator.analysis.statements import statements_with_depth

_SELF_NAMES = ("self", "cls")


def api_surface(source: str, roots: frozenset[str] | None = None, aliases: Mapping[str, str] | None = None) -> ApiSurface:
    """API surface of `source`; raises libcst.ParserSyntaxError if it does not parse."""
    return api_surface_from_module(cst.parse_module(source), framework_roots() if roots is None else roots, aliases)


def api_surface_from_module(module: cst.Module, roots: frozenset[str], aliases: Mapping[str, str] | None = None,
                            extra_bindings: Mapping[str, str] | None = None) -> ApiSurface:
    """API surface of an already parsed module; `extra_bindings` (imports of the glue) yield to the file's own."""
    bindings = {**(extra_bindings or {}), **import_bindings(module)}
    collector = _Collector(bindings, roots, Aliases(aliases or {}))
    collector.visit(module)
    return collector.result()


def glue_bindings(blocks: list[str]) -> dict[str, str]:
    """Names bound by the imports in blocks of glue code; a block that does not parse on its own binds nothing."""
    bindings: dict[str, str] = {}
    for block in blocks:
        try:
            bindings.update(import_bindings(cst.parse_module(textwrap.dedent(block))))
        except (cst.ParserSyntaxError, RecursionError, ValueError):
            continue
    return bindings


class Aliases:
    """A corpus's `[aliases]`: dotted names as imported (re-exports) -> the framework names they stand for."""

    def __init__(self, table: Mapping[str, str]):
        self.table = dict(table)
        self.keys = sorted(self.table, key=len, reverse=True)  # the longest, most specific key first

    def __bool__(self) -> bool:
        return bool(self.table)

    def rewrite(self, dotted: str) -> str:
        for key in self.keys:
            if dotted == key or dotted.startswith(key + "."):
                return self.table[key] + dotted[len(key):]
        return dotted

    def below(self, dotted: str) -> bool:
        """Whether some key lies under `dotted` (`a.b` for the key `a.b.keras`): its attributes may be aliased."""
        return any(key.startswith(dotted + ".") for key in self.keys)


def namespace(name: str) -> str:
    """The module part of a dotted name: `torch.nn.Linear` -> `torch.nn`, `tf.data.Dataset.map` -> `tf.data`.

    Modules are told from classes and functions by convention: the namespace stops before the last
    component and before the first capitalised one.
    """
    parts = name.split(".")
    kept = [parts[0]]
    for part in parts[1:-1]:
        if part[:1].isupper():
            break
        kept.append(part)
    return ".".join(kept)


def dotted_name(node: cst.CSTNode) -> str | None:
    """`a.b.c` for a chain of names and attributes; None for anything else."""
    parts = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if not isinstance(node, cst.Name):
        return None
    parts.append(node.value)
    return ".".join(reversed(parts))


def import_bindings(module: cst.Module) -> dict[str, str]:
    """Every name an import statement binds, anywhere in the file, and the dotted name it stands for."""
    bindings: dict[str, str] = {}
    for statement, _ in statements_with_depth(module):
        smalls = statement.body if isinstance(statement, cst.SimpleStatementLine) else (statement,)
        for small in smalls:
            if isinstance(small, cst.Import):
                for alias in small.names:
                    full = dotted_name(alias.name)
                    if alias.asname is not None:
                        bindings[alias.asname.name.value] = full
                    else:  # `import a.b.c` binds `a`
                        root = full.partition(".")[0]
                        bindings[root] = root
            elif isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
                # A relative import keeps its leading dots, so it never matches a framework.
                module_name = dotted_name(small.module) if small.module is not None else ""
                prefix = "." * len(small.relative) + module_name + ("." if module_name else "")
                for alias in small.names:
                    name = dotted_name(alias.name)
                    bound = alias.asname.name.value if alias.asname is not None else name
                    bindings[bound] = prefix + name
    return bindings


# Fields worth visiting, per node type; the rest is formatting (whitespace, commas, parentheses)
# or names that are not references (a parameter's name, a keyword's name, an attribute's name).
_FIELDS_OVERRIDE: dict[type, tuple[str, ...]] = {
    cst.Arg: ("value",),
    cst.Param: ("annotation", "default"),
    cst.FunctionDef: ("decorators", "params", "returns", "body"),
    cst.ClassDef: ("decorators", "bases", "keywords", "body"),
    cst.Attribute: ("value",),
    cst.Import: (),
    cst.ImportFrom: (),
    cst.Global: (),
    cst.Nonlocal: (),
    cst.AsName: (),  # `with … as x`, `except … as x`: a binding, not a use
}
_SKIPPED_FIELDS = frozenset({
    "lpar", "rpar", "comma", "semicolon", "leading_lines", "lines_after_decorators", "header", "footer",
    "newline", "equal", "colon", "dot", "star", "operator", "asynchronous", "lbrace", "rbrace", "lbracket",
    "rbracket", "trailing_whitespace",
})


@functools.cache
def _child_fields(kind: type) -> tuple[str, ...]:
    if kind in _FIELDS_OVERRIDE:
        return _FIELDS_OVERRIDE[kind]
    return tuple(f.name for f in dataclasses.fields(kind) if f.name not in _SKIPPED_FIELDS and "whitespace" not in f.name)


class _Collector:
    """One walk over the tree: references, calls, bases, decorators, assignments, method calls."""

    def __init__(self, bindings: dict[str, str], roots: frozenset[str], aliases: Aliases | None = None) -> None:
        aliases = aliases or Aliases({})
        self.aliases = aliases
        self.bindings = {name: aliases.rewrite(target) for name, target in bindings.items()} if aliases else bindings
        self.roots = roots
        # names whose attributes may reach a longer alias key (`mtu` for `import pkg.modeling_tf_utils as mtu`
        # and the key `pkg.modeling_tf_utils.keras`): resolved from the import as written, whole name at once
        self.partial = {name: target for name, target in bindings.items() if aliases.below(target)} if aliases else {}
        looks = roots | set(KNOWN_FRAMEWORK_ALIASES)
        self.lookalike_targets = {
            name: target for name, target in self.bindings.items()
            if not self.is_framework(target) and (target.rpartition(".")[2] in looks or name in looks)
        }
        self.lookalikes: Counter[str] = Counter()
        self.references: Counter[str] = Counter()
        self.calls = 0
        self.call_keywords = 0
        self.subclassed: list[str] = []
        self.decorators = 0
        self.classes: dict[str, ClassInfo] = {}
        self.class_stack: list[ClassInfo] = []
        self.assigned: dict[str, list[Description]] = {}  # name -> descriptions of the values it gets
        # method name, receiver description, enclosing class for `self.m()`, keyword arguments
        self.method_calls: list[tuple[str, Description, ClassInfo | None, int]] = []
        self.handlers = {
            cst.Name: self._name, cst.Attribute: self._attribute, cst.Call: self._call,
            cst.ClassDef: self._class, cst.Decorator: self._decorator,
            cst.Assign: self._assign, cst.AnnAssign: self._assign, cst.AugAssign: self._assign,
            cst.For: self._for, cst.CompFor: self._for, cst.WithItem: self._with_item, cst.NamedExpr: self._assign,
        }

    # --- walking -------------------------------------------------------------------------------
    def visit(self, node: cst.CSTNode) -> None:
        handler = self.handlers.get(type(node))
        if handler is None or handler(node):
            self.visit_children(node)

    def visit_children(self, node: cst.CSTNode) -> None:
        for name in _child_fields(type(node)):
            value = getattr(node, name)
            if name == "target":  # of an assignment, a `for`, a comprehension or a `:=`
                self.visit_target(value)
            elif isinstance(value, cst.CSTNode):
                self.visit(value)
            elif isinstance(value, (tuple, list)):
                for item in value:
                    if isinstance(item, cst.CSTNode):
                        self.visit(item)

    def visit_target(self, target: cst.CSTNode) -> None:
        """A plain name assigned to is rebound, not used (`tf = None`); `a.b = …` or `a[i] = …` uses `a`."""
        if isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self.visit_target(element.value)
        elif isinstance(target, cst.StarredElement):
            self.visit_target(target.value)
        elif not isinstance(target, cst.Name):
            self.visit(target)

    def resolve(self, dotted: str | None) -> str | None:
        """Canonical name of a dotted reference if its root was imported, else None."""
        if dotted is None:
            return None
        root, dot, rest = dotted.partition(".")
        target = self.bindings.get(root)
        if target is None:
            return None
        if root in self.partial:
            return self.aliases.rewrite(self.partial[root] + dot + rest)
        return target + dot + rest

    def is_framework(self, name: str | None) -> bool:
        return name is not None and name.partition(".")[0] in self.roots

    # --- handlers: return True to walk the node's children -------------------------------------
    def _name(self, node: cst.Name) -> bool:
        resolved = self.resolve(node.value)
        if self.is_framework(resolved):
            self.references[resolved] += 1
        elif node.value in self.lookalike_targets:
            self.lookalikes[self.lookalike_targets[node.value]] += 1
        return False

    def _attribute(self, node: cst.Attribute) -> bool:
        dotted = dotted_name(node)
        if dotted is None:
            return True  # `f(x).attr` or `a[0].attr`: only the value may hold references
        resolved = self.resolve(dotted)
        if self.is_framework(resolved):
            self.references[resolved] += 1
        else:
            root = dotted.partition(".")[0]
            if root in self.lookalike_targets:
                self.lookalikes[self.lookalike_targets[root]] += 1
        return False

    def _call(self, node: cst.Call) -> bool:
        func = node.func
        resolved = self.resolve(dotted_name(func))
        keywords = sum(1 for arg in node.args if arg.keyword is not None)
        if resolved is not None:
            if self.is_framework(resolved):
                self.calls += 1
                self.call_keywords += keywords
        elif isinstance(func, cst.Attribute):  # a method call on something no import reaches
            receiver = func.value
            own_class = None
            if isinstance(receiver, cst.Name) and receiver.value in _SELF_NAMES and self.class_stack:
                own_class = self.class_stack[-1]
            self.method_calls.append((func.attr.value, describe(receiver), own_class, keywords))
        return True

    def _class(self, node: cst.ClassDef) -> bool:
        info = ClassInfo(bases=[describe(arg.value) for arg in node.bases])
        for arg in node.bases:
            resolved = self.resolve(dotted_name(arg.value))
            if self.is_framework(resolved):
                self.subclassed.append(resolved)
        for statement in node.body.body:
            if isinstance(statement, cst.FunctionDef):
                info.members.add(statement.name.value)
            elif isinstance(statement, cst.SimpleStatementLine):
                info.members.update(n for s in statement.body for n in _assigned_names(s))
        self.classes[node.name.value] = info
        self.class_stack.append(info)
        self.visit_children(node)
        self.class_stack.pop()
        return False

    def _decorator(self, node: cst.Decorator) -> bool:
        target = node.decorator.func if isinstance(node.decorator, cst.Call) else node.decorator
        if self.is_framework(self.resolve(dotted_name(target))):
            self.decorators += 1
        return True

    def _assign(self, node: cst.CSTNode) -> bool:
        value = getattr(node, "value", None)
        targets = [t.target for t in node.targets] if isinstance(node, cst.Assign) else [node.target]
        for target in targets:
            self._bind(target, value)
        return True

    def _for(self, node: cst.For | cst.CompFor) -> bool:
        # Iterating over a framework value (a DataLoader, a tf.data.Dataset) yields framework values.
        tag, name = describe(node.iter)
        element = ("element", name) if tag == "name" else (UNKNOWN, "")
        for target in _target_names(node.target):
            self.assigned.setdefault(target, []).append(element)
        return True

    def _with_item(self, node: cst.WithItem) -> bool:
        if node.asname is not None:
            self._bind(node.asname.name, node.item)
        return True

    def _bind(self, target: cst.CSTNode, value: cst.CSTNode | None) -> None:
        if isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name) and target.value.value == "self":
            if self.class_stack:
                self.class_stack[-1].members.add(target.attr.value)
            return
        if isinstance(target, (cst.Tuple, cst.List)) and isinstance(value, (cst.Tuple, cst.List)) \
                and len(target.elements) == len(value.elements):
            for t, v in zip(target.elements, value.elements):
                self._bind(t.value, v.value)
            return
        description = describe(value) if value is not None else (UNKNOWN, "")
        for name in _target_names(target):
            self.assigned.setdefault(name, []).append(description)

    # --- after the walk --------------------------------------------------------------------------
    def result(self) -> ApiSurface:
        uses_framework = any(self.is_framework(target) for target in self.bindings.values())
        methods: Counter[str] = Counter()
        method_keywords = 0
        if uses_framework:
            kinds = ValueKinds(self.bindings, self.is_framework, self.classes, self.assigned)
            for method, receiver, own_class, keywords in self.method_calls:
                if kinds.is_framework_method_call(method, receiver, own_class):
                    methods[method] += 1
                    method_keywords += keywords
        return ApiSurface(
            apis=tuple(sorted(self.references.items())),
            references=sum(self.references.values()),
            calls=self.calls,
            call_keywords=self.call_keywords,
            subclassed=tuple(self.subclassed),
            decorators=self.decorators,
            namespaces=tuple(sorted({namespace(name) for name in self.references})),
            unresolved_method_calls=tuple(sorted(methods.items())),
            unresolved_method_call_keywords=method_keywords,
            lookalikes=tuple(sorted(self.lookalikes.items())),
        )


def _target_names(target: cst.CSTNode) -> list[str]:
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [n for element in target.elements for n in _target_names(element.value)]
    if isinstance(target, cst.StarredElement):
        return _target_names(target.value)
    return []


def _assigned_names(statement: cst.CSTNode) -> list[str]:
    if isinstance(statement, cst.Assign):
        return [n for t in statement.targets for n in _target_names(t.target)]
    if isinstance(statement, (cst.AnnAssign, cst.AugAssign)):
        return _target_names(statement.target)
    return []
