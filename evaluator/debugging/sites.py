"""Where each operator of the catalogue applies in one implementation file, found with libcst.

Names are matched by their canonical dotted name, resolved through the file's imports with the static
analysis's own resolution (`import torch.nn.functional as F` makes `F.relu` `torch.nn.functional.relu`;
`keras.` is read as `tensorflow.keras.`). A method call on a value no import reaches (`x.view(...)`) is
matched by its method name. Nothing is executed. Glue lines (tasks/README.md) are never sites.

Every site carries the node to replace and its replacement, so a mutant is one `deep_replace`
(`mutants.py`), and a role and an anchor, so `pairing.py` can tell which sites on two sides are the same bug.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

import libcst as cst
import libcst.metadata as md

from evaluator.analysis.api_surface import import_bindings, dotted_name
from evaluator.debugging.operators import OPERATOR_IDS
from evaluator.corpus.glue_markers import split_glue
from evaluator.frameworks import adapter_names, get_adapter, ordered_frameworks

# The dialect of site rules a framework's files are read with, and the modules those rules resolve, are the
# framework adapter's (DEBUG_DIALECT, DEBUG_ROOTS: evaluator/frameworks/__init__.py). A framework whose
# adapter declares no dialect (JAX), or that has no adapter, has no sites yet: `no_site_reason` says so.


def _adapter(framework: str):
    return get_adapter(framework) if framework in adapter_names() else None


def dialect(framework: str) -> str | None:
    """The site rules `framework`'s files are read with ("torch", "tensorflow"), or None (no sites)."""
    return getattr(_adapter(framework), "DEBUG_DIALECT", None)


def site_frameworks() -> tuple[str, ...]:
    """The frameworks the catalogue has sites for (their adapters declare DEBUG_DIALECT), in ORDER."""
    return tuple(ordered_frameworks(n for n in adapter_names() if dialect(n) is not None))


def _roots(framework: str) -> tuple[str, ...]:
    roots = getattr(_adapter(framework), "DEBUG_ROOTS", None)
    if not roots:
        raise TypeError(f"adapter of {framework} declares DEBUG_DIALECT but no DEBUG_ROOTS (evaluator/frameworks/__init__.py)")
    return tuple(roots)


def site_settings(framework: str) -> tuple[str | None, tuple[str, ...]]:
    """(dialect, roots): what the adapter of `framework` says about reading its files (a cache key part)."""
    rules = dialect(framework)
    return rules, (_roots(framework) if rules is not None else ())


def no_site_reason(framework: str) -> str | None:
    """Why an implementation in `framework` has no sites at all (None when the catalogue covers it)."""
    if dialect(framework) is not None:
        return None
    return f"no site rules for {framework} yet: the catalogue's matchers cover {', '.join(site_frameworks())}"

# Neutral names for AXIS roles: the same operation has one role on both sides.
_NEUTRAL_OP = {
    "reduce_sum": "sum", "reduce_mean": "mean", "reduce_max": "max", "reduce_min": "min", "reduce_std": "std",
    "reduce_logsumexp": "logsumexp", "reduce_prod": "prod", "concat": "cat", "expand_dims": "unsqueeze",
    "reduce_variance": "var", "argmax": "argmax", "argmin": "argmin",
}
_TORCH_WIDTH_LAYERS = {f"torch.nn.{n}" for n in ("Linear", "Conv1d", "Conv2d", "Conv3d", "LSTM", "GRU", "RNN")}
_TORCH_ACT_MODULES = {"ReLU", "GELU", "Tanh", "Sigmoid", "SiLU", "LeakyReLU", "ELU", "Softplus", "Mish"}
_ACT_FUNCTIONS = {"relu", "gelu", "tanh", "sigmoid", "silu", "leaky_relu", "elu", "softplus", "mish"}
_INPLACE_FUNCTIONS = {"relu", "sigmoid", "tanh", "exp"}
_TINY = 1e-3  # an added constant at most this large is a numeric guard (x + 1e-8)
MODEL_CALL = "<model call>"   # anchor placeholder, settled in finish() by the call's phase (train or eval)


@dataclass(frozen=True)
class Site:
    """One place where one operator plants its bug; `site_id` names it within its file."""

    operator: str
    role: str                 # what the code there does, in neutral words (pairing key)
    anchor: str               # the name it computes or reads (dict key, assigned name): pairing tie-breaker
    function: str             # enclosing function ("" at module level)
    line: int
    end_line: int
    column: int
    end_column: int
    before: str               # the replaced code
    after: str                # its replacement
    ordinal: int = 1          # among this operator's sites on the same line
    node: cst.CSTNode | None = field(default=None, compare=False, repr=False)
    replacement: cst.CSTNode | None = field(default=None, compare=False, repr=False)

    @property
    def site_id(self) -> str:
        return f"{self.operator}@{self.line}" + (f"#{self.ordinal}" if self.ordinal > 1 else "")


@dataclass(frozen=True)
class SiteScan:
    """The sites of one file, and the parsed module their nodes belong to."""

    module: cst.Module
    sites: tuple[Site, ...]
    glue_lines: frozenset[int]


def find_sites(source: str, framework: str, operators: Iterable[str] | None = None) -> SiteScan:
    """Every site of the chosen operators (all by default) in `source`, an implementation in `framework`.

    Raises libcst.ParserSyntaxError if the file does not parse, GlueMarkerError on unbalanced glue markers.
    """
    glue = frozenset(split_glue(source).glue_lines)
    wrapper = md.MetadataWrapper(cst.parse_module(source), unsafe_skip_copy=True)  # the tree is ours: no copy
    module = wrapper.module
    rules = dialect(framework)
    if rules is None:
        return SiteScan(module, (), glue)
    wanted = set(OPERATOR_IDS if operators is None else operators)
    finder = _Finder(module, source, rules, _roots(framework), import_bindings(module),
                     wrapper.resolve(md.PositionProvider), glue, wanted)
    module.visit(finder)
    sites = finder.finish()
    return SiteScan(module, tuple(sites), glue)


# --- small helpers -----------------------------------------------------------------------------------
def _int(expr: cst.BaseExpression) -> int | None:
    if isinstance(expr, cst.Integer):
        return int(expr.value, 0)
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus) and isinstance(expr.expression, cst.Integer):
        return -int(expr.expression.value, 0)
    return None


def _int_expr(value: int) -> cst.BaseExpression:
    return cst.Integer(str(value)) if value >= 0 else cst.UnaryOperation(cst.Minus(), cst.Integer(str(-value)))


def _string(expr: cst.BaseExpression | None) -> str | None:
    return expr.evaluated_value if isinstance(expr, cst.SimpleString) else None


def _paren(expr: cst.BaseExpression) -> cst.BaseExpression:
    """`expr` safe to follow with `.attr` or to put in an operation: parenthesized unless atomic."""
    atomic = (cst.Name, cst.Attribute, cst.Subscript, cst.Call, cst.SimpleString, cst.Integer, cst.Float)
    if isinstance(expr, atomic) or expr.lpar:
        return expr
    return expr.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])


def _plus_one(expr: cst.BaseExpression) -> cst.BaseExpression:
    value = _int(expr)
    if value is not None:
        return _int_expr(value + 1)
    return cst.BinaryOperation(_paren(expr), cst.Add(), cst.Integer("1"))


def _times_ten(value: cst.BaseExpression) -> cst.BaseExpression:
    number = float(value.value) * 10
    return cst.Float(repr(number)) if isinstance(value, cst.Float) else cst.Integer(str(int(number)))


def _twice(statement: cst.BaseSmallStatement) -> cst.SimpleStatementLine:
    """`s` -> `s; s` on the same line (the second run of a statement that must run once)."""
    first = statement.with_changes(semicolon=cst.Semicolon(whitespace_after=cst.SimpleWhitespace(" ")))
    return cst.SimpleStatementLine([first, statement.with_changes(semicolon=cst.MaybeSentinel.DEFAULT)])


def _method(expr: cst.BaseExpression, name: str, args: tuple[cst.Arg, ...] = ()) -> cst.Call:
    return cst.Call(cst.Attribute(_paren(expr), cst.Name(name)), args)


def _renamed(func: cst.BaseExpression, name: str) -> cst.BaseExpression:
    """`a.b.c` with its last name replaced (keeps how the user spelled the prefix)."""
    if isinstance(func, cst.Attribute):
        return func.with_changes(attr=cst.Name(name))
    return cst.Name(name)


def _kwarg(call: cst.Call, name: str) -> cst.Arg | None:
    return next((a for a in call.args if a.keyword is not None and a.keyword.value == name), None)


def _positional(call: cst.Call) -> list[cst.Arg]:
    return [a for a in call.args if a.keyword is None and not a.star]


def _with_kwarg(call: cst.Call, name: str, value: cst.BaseExpression) -> cst.Call:
    args = list(call.args)
    if args and args[-1].comma is cst.MaybeSentinel.DEFAULT:  # a trailing comma stays as the user wrote it
        args[-1] = args[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    args.append(cst.Arg(value, keyword=cst.Name(name), equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace(""))))
    return call.with_changes(args=args)


def _replace_arg_value(call: cst.Call, arg: cst.Arg, value: cst.BaseExpression) -> cst.Call:
    return call.with_changes(args=[a.with_changes(value=value) if a is arg else a for a in call.args])


def _subscript_key(expr: cst.BaseExpression) -> str | None:
    """'x' for `inputs["x"]` or `state["x"]`: the name a converted array goes by."""
    if isinstance(expr, cst.Subscript) and len(expr.slice) == 1 and isinstance(expr.slice[0].slice, cst.Index):
        return _string(expr.slice[0].slice.value)
    return None


# --- the walk ----------------------------------------------------------------------------------------
Found = tuple[str, str, cst.CSTNode, cst.CSTNode, str | None]  # operator, role, node, replacement, anchor


class _Finder(cst.CSTVisitor):
    def __init__(self, module: cst.Module, source: str, framework: str, roots: tuple[str, ...],
                 bindings: dict[str, str], positions, glue: frozenset[int], wanted: set[str]) -> None:
        super().__init__()
        self.module, self.source, self.framework, self.bindings, self.positions = module, source, framework, bindings, positions
        self.glue, self.wanted = glue, wanted
        self.roots = roots   # `framework` here is the dialect of rules (the adapter's DEBUG_DIALECT)
        self.alias = {target: name for name, target in bindings.items() if "." not in target}  # "tensorflow" -> "tf"
        self.found: list[tuple[Found, str, str]] = []   # (found, function, context anchor)
        self.functions: list[str] = []
        self.anchors: list[str] = []
        self.compiled = self._compiled_function_names(module)
        # DETACH: assignments and the values differentiated, per function, resolved after the walk
        self.assignments: list[tuple[str, str, int, cst.Assign]] = []
        self.differentiated: list[tuple[str, str, int]] = []
        # DTYPE: names bound to NumPy arrays (a task's inputs[...] or a NumPy call), per function -> anchor key;
        # only those can take .astype (a rewrite that does not fit its value is never planted)
        self.numpy_names: dict[str, dict[str, str]] = {}
        self.cross_entropy: set[str] = set()   # names and state keys bound to nn.CrossEntropyLoss()
        # the state dict's NumPy entries (a key -> its anchor, or a tuple of anchors), from the dicts setup() builds
        self.state_numpy: dict[str, str | tuple[str, ...]] = {}
        self.keras_model = "keras" in source and "Module)" not in source and "Layer)" not in source
        self.tape_functions: set[str] = set()   # functions that record gradients (a GradientTape block)

    # -- name resolution
    def resolve(self, node: cst.CSTNode) -> str | None:
        dotted = dotted_name(node)
        if dotted is None:
            return None
        root, dot, rest = dotted.partition(".")
        target = self.bindings.get(root)
        if target is None:
            return None
        name = target + dot + rest
        return "tensorflow." + name if name == "keras" or name.startswith("keras.") else name

    def is_mine(self, name: str | None) -> bool:
        return name is not None and name.split(".")[0] in self.roots

    def callee(self, call: cst.Call) -> tuple[str | None, str | None]:
        """(canonical name, None) for a framework or other imported callable; (None, method) for a method
        call on a value no import reaches; (None, None) otherwise."""
        name = self.resolve(call.func)
        if name is not None:
            return name, None
        if isinstance(call.func, cst.Attribute):
            return None, call.func.attr.value
        return None, None

    def _compiled_function_names(self, module: cst.Module) -> set[str]:
        """Functions passed to torch.compile(f) / tf.function(f) anywhere in the file."""
        names: set[str] = set()
        if "compile" not in self.source and "function" not in self.source:
            return names  # a walk of the whole tree saved for the files that cannot have one
        finder = self

        class Calls(cst.CSTVisitor):
            def visit_Call(self, node: cst.Call) -> None:
                if finder.is_compile(finder.resolve(node.func)):
                    args = _positional(node)
                    if args and isinstance(args[0].value, cst.Name):
                        names.add(args[0].value.value)

        module.visit(Calls())
        return names

    def is_compile(self, name: str | None) -> bool:
        return name in ("torch.compile", "tensorflow.function") and self.is_mine(name)

    def add(self, operator: str, role: str, node: cst.CSTNode, replacement: cst.CSTNode, anchor: str | None = None) -> None:
        if operator in self.wanted:
            self.found.append(((operator, role, node, replacement, anchor), self.functions[-1] if self.functions else "",
                               self.anchors[-1] if self.anchors else ""))

    # -- context
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.functions.append(node.name.value)
        compiled = node.name.value in self.compiled or any(
            self.is_compile(self.resolve(d.decorator.func if isinstance(d.decorator, cst.Call) else d.decorator))
            for d in node.decorators)
        if compiled and isinstance(node.body, cst.IndentedBlock):
            self._trace(node)
            self._side(node)

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.functions.pop()

    def visit_Assign(self, node: cst.Assign) -> None:
        target = node.targets[0].target if len(node.targets) == 1 else None
        name = ""
        if isinstance(target, cst.Name):
            name = target.value
            self.assignments.append((self.functions[-1] if self.functions else "", name, self._line(node), node))
        elif isinstance(target, cst.Attribute):
            name = target.attr.value
        self.anchors.append(name)
        if self.framework == "torch":
            self._inplace_update(node)

    def leave_Assign(self, node: cst.Assign) -> None:
        self.anchors.pop()
        scope = self.numpy_names.setdefault(self.functions[-1] if self.functions else "", {})
        if self._is_cross_entropy(node.value):
            self.cross_entropy |= {t.target.value if isinstance(t.target, cst.Name) else t.target.attr.value
                                   for t in node.targets if isinstance(t.target, (cst.Name, cst.Attribute))}
        for target in node.targets:
            pairs = [(target.target, node.value)]
            packed = self.state_numpy.get(_subscript_key(node.value) or "") if isinstance(node.value, cst.Subscript) else None
            if isinstance(target.target, (cst.Tuple, cst.List)) and isinstance(node.value, (cst.Tuple, cst.List)) \
                    and len(target.target.elements) == len(node.value.elements):
                pairs = [(t.value, v.value) for t, v in zip(target.target.elements, node.value.elements)]
            elif isinstance(target.target, (cst.Tuple, cst.List)) and isinstance(packed, tuple) \
                    and len(packed) == len(target.target.elements):
                for t, anchor in zip(target.target.elements, packed):   # x, y = state["train"] (a tuple of arrays)
                    if isinstance(t.value, cst.Name):
                        scope[t.value.value] = anchor or t.value.value
                continue
            for name, value in pairs:
                if isinstance(name, cst.Name):
                    key = self.numpy_key(value)
                    if key is None:
                        scope.pop(name.value, None)
                    else:
                        scope[name.value] = key or name.value
        if not self.functions and len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name) \
                and node.targets[0].target.value in ("lr", "learning_rate") and isinstance(node.value, (cst.Float, cst.Integer)):
            self.add("LR", "learning rate", node.value, _times_ten(node.value), "learning_rate")

    def numpy_key(self, expr: cst.BaseExpression) -> str | None:
        """The anchor of a value known to be a NumPy array ("" when it has none), None when not known to be one."""
        if isinstance(expr, cst.Subscript):
            if isinstance(expr.value, cst.Name) and expr.value.value == "inputs":
                return _subscript_key(expr) or ""
            if isinstance(expr.value, cst.Name) and expr.value.value == "state":
                known = self.state_numpy.get(_subscript_key(expr) or "")
                return known if isinstance(known, str) else None
            return self.numpy_key(expr.value)
        if isinstance(expr, cst.Name):
            return self.numpy_names.get(self.functions[-1] if self.functions else "", {}).get(expr.value)
        if isinstance(expr, cst.Call):
            name = self.resolve(expr.func)
            if name is not None:
                return "" if name.split(".")[0] == "numpy" else None
            if isinstance(expr.func, cst.Attribute) and expr.func.attr.value in ("astype", "copy", "reshape", "transpose"):
                return self.numpy_key(expr.func.value)
        if isinstance(expr, cst.Attribute) and expr.attr.value == "T":
            return self.numpy_key(expr.value)
        return None

    def visit_DictElement(self, node: cst.DictElement) -> None:
        self.anchors.append(_string(node.key) or "")

    def _is_cross_entropy(self, value: cst.BaseExpression) -> bool:
        return isinstance(value, cst.Call) and self.resolve(value.func) == "torch.nn.CrossEntropyLoss"

    def leave_DictElement(self, node: cst.DictElement) -> None:
        self.anchors.pop()
        key = _string(node.key)
        if key is None:
            return
        if self._is_cross_entropy(node.value):
            self.cross_entropy.add(key)
        if isinstance(node.value, cst.Tuple):
            keys = [self.numpy_key(e.value) for e in node.value.elements]
            if keys and all(k is not None for k in keys):
                self.state_numpy[key] = tuple(keys)
        elif (anchor := self.numpy_key(node.value)) is not None:
            self.state_numpy[key] = anchor or key

    # -- statements
    def visit_Expr(self, node: cst.Expr) -> None:
        call = node.value
        if not isinstance(call, cst.Call) or not isinstance(call.func, cst.Attribute):
            return
        method = call.func.attr.value
        receiver = self.module.code_for_node(call.func.value).lower()
        if self.framework == "torch" and method == "requires_grad_" and len(call.args) <= 1:
            self.add("WATCH", "watched input", node, cst.Pass())
        elif self.framework == "tensorflow" and method == "watch" and "tape" in receiver:
            self.add("WATCH", "watched input", node, cst.Pass())
        if self.framework == "torch" and method == "backward" and isinstance(call.func.value, (cst.Name, cst.Attribute, cst.Subscript)):
            self.add("GRAD-TWICE", "gradient computation", node, _twice(node))
        if self.framework == "torch":
            if method == "zero_grad" and not call.args:
                self.add("GRAD-RESET", "gradient reset", node, cst.Pass())
            elif method == "step" and "sched" not in receiver:
                self.add("OPT-STEP", "parameter update", node, cst.Pass())
            elif method in ("eval", "train") and not call.args and self.resolve(call.func) is None:
                other = "train" if method == "eval" else "eval"
                self.add("MODE", f"{method} mode", call, call.with_changes(func=_renamed(call.func, other)))
        elif method == "apply_gradients" or (method == "apply" and "optim" in receiver):
            self.add("OPT-STEP", "parameter update", node, cst.Pass())

    def visit_WithItem(self, node: cst.WithItem) -> None:
        call = node.item
        if not isinstance(call, cst.Call):
            return
        name = self.resolve(call.func)
        if name == "tensorflow.GradientTape" and self.functions:
            self.tape_functions.add(self.functions[-1])
        if self.framework == "torch" and name in ("torch.no_grad", "torch.inference_mode"):
            self.add("MODE", "no-grad context", call, call.with_changes(func=_renamed(call.func, "enable_grad"), args=()))
        elif self.framework == "tensorflow" and name == "tensorflow.device" and call.args:
            self.add("DEV", "placement", call, call.with_changes(args=[cst.Arg(cst.Name("None"))]))

    # -- expressions
    def visit_Call(self, node: cst.Call) -> None:
        name, method = self.callee(node)
        if name is not None and not self.is_mine(name):
            return  # NumPy, the standard library, ...: not the framework
        for rule in (self._shape_reshape, self._shape_width, self._axis, self._dtype, self._device, self._mode_flag,
                     self._reduction, self._differentiated, self._inplace, self._activation, self._numeric,
                     self._model_input, self._losses, self._loss_call, self._softmax, self._item):
            rule(node, name, method)

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        if isinstance(node.operator, cst.MatrixMultiply):
            if self.framework == "torch":
                self.add("SHP-W", "matmul", node.right, cst.Attribute(_paren(node.right), cst.Name("mT")))
            elif "tensorflow" in self.alias:
                transpose = cst.parse_expression(f"{self.alias['tensorflow']}.linalg.matrix_transpose")
                self.add("SHP-W", "matmul", node.right, cst.Call(transpose, [cst.Arg(node.right)]))
        elif isinstance(node.operator, cst.Add) and isinstance(node.right, cst.Float):
            value = float(node.right.value)
            if 0 < value <= _TINY:
                self.add("NUM", "epsilon", node, node.left)

    def visit_Slice(self, node: cst.Slice) -> None:
        if node.upper is not None:
            self.add("SLICE", "slice", node.upper, _plus_one(node.upper))
        elif node.lower is not None:
            self.add("SLICE", "slice", node.lower, _plus_one(node.lower))

    # -- the rules, one per operator (or part of one)
    def _shape_reshape(self, call: cst.Call, name: str | None, method: str | None) -> None:
        torch = self.framework == "torch"
        entries: list[cst.BaseExpression] | None = None
        holder: cst.CSTNode | None = None
        role = "reshape"
        if torch and method in ("view", "reshape", "permute"):
            role = "permute" if method == "permute" else "reshape"
            args = _positional(call)
            if len(args) == 1 and isinstance(args[0].value, (cst.Tuple, cst.List)):
                holder = args[0].value
            elif args and len(args) == len(call.args):
                self._swap_args(call, role)
                return
        elif torch and name in ("torch.reshape", "torch.permute"):
            role = "permute" if name.endswith("permute") else "reshape"
            args = _positional(call)
            holder = args[1].value if len(args) > 1 else None
        elif not torch and name in ("tensorflow.reshape", "tensorflow.transpose"):
            role = "permute" if name.endswith("transpose") else "reshape"
            arg = _kwarg(call, "perm" if role == "permute" else "shape") or (_positional(call)[1:2] or [None])[0]
            holder = arg.value if arg is not None else None
        elif not torch and name is not None and name.endswith(".Reshape"):
            arg = _kwarg(call, "target_shape") or (_positional(call)[:1] or [None])[0]
            holder = arg.value if arg is not None else None
        if not isinstance(holder, (cst.Tuple, cst.List)) or not holder.elements:
            return
        entries = [e.value for e in holder.elements]
        if len(entries) == 1:
            new = [holder.elements[0].with_changes(value=_plus_one(entries[0]))]
        else:
            if self.module.code_for_node(entries[-1]) == self.module.code_for_node(entries[-2]):
                return
            new = list(holder.elements)
            new[-1], new[-2] = new[-1].with_changes(value=entries[-2]), new[-2].with_changes(value=entries[-1])
        self.add("SHP-R", role, holder, holder.with_changes(elements=new))

    def _swap_args(self, call: cst.Call, role: str) -> None:
        args = list(call.args)
        if len(args) == 1:
            self.add("SHP-R", role, call, call.with_changes(args=[args[0].with_changes(value=_plus_one(args[0].value))]))
            return
        last, before = args[-1].value, args[-2].value
        if self.module.code_for_node(last) == self.module.code_for_node(before):
            return
        args[-1], args[-2] = args[-1].with_changes(value=before), args[-2].with_changes(value=last)
        self.add("SHP-R", role, call, call.with_changes(args=args))

    def _shape_width(self, call: cst.Call, name: str | None, method: str | None) -> None:
        if self.framework == "torch":
            if name in _TORCH_WIDTH_LAYERS:
                args = _positional(call)
                arg = args[0] if args else next((a for a in call.args if a.keyword is not None and a.keyword.value in
                                                 ("in_features", "in_channels", "input_size")), None)
                if arg is not None:
                    # which width it is (the model's input or an inner one) is settled in finish(): file order
                    self.add("SHP-W", "layer width", call, _replace_arg_value(call, arg, _plus_one(arg.value)))
            elif name == "torch.matmul" and len(_positional(call)) == 2:
                second = _positional(call)[1]
                self.add("SHP-W", "matmul", call, _replace_arg_value(call, second, cst.Attribute(_paren(second.value), cst.Name("mT"))))
        else:
            if name is not None and name.split(".")[-1] == "Input" and ".keras" in name:
                shape = _kwarg(call, "shape") or (_positional(call)[:1] or [None])[0]
                if shape is not None and isinstance(shape.value, (cst.Tuple, cst.List)) and shape.value.elements:
                    elements = list(shape.value.elements)
                    elements[-1] = elements[-1].with_changes(value=_plus_one(elements[-1].value))
                    self.add("SHP-W", "model input width", shape.value, shape.value.with_changes(elements=elements))
            elif name in ("tensorflow.matmul", "tensorflow.linalg.matmul") and _kwarg(call, "transpose_b") is None:
                self.add("SHP-W", "matmul", call, _with_kwarg(call, "transpose_b", cst.Name("True")))

    def _axis(self, call: cst.Call, name: str | None, method: str | None) -> None:
        arg = _kwarg(call, "dim" if self.framework == "torch" else "axis")
        value = _int(arg.value) if arg is not None else None
        if value is None:
            return
        new = 1 if value == 0 else value - 1
        op = (name.split(".")[-1] if name else method) or "call"
        self.add("AXIS", _NEUTRAL_OP.get(op, op).lower(), arg.value, _int_expr(new))

    def _float_target(self, expr: cst.BaseExpression) -> bool:
        if _string(expr) == "float32":
            return True
        name = self.resolve(expr)
        return name in ("torch.float32", "torch.float", "tensorflow.float32")

    def _dtype(self, call: cst.Call, name: str | None, method: str | None) -> None:
        torch = self.framework == "torch"
        first = (_positional(call)[:1] or [None])[0]
        converters = {"torch.from_numpy", "torch.tensor", "torch.as_tensor"} if torch else \
            {"tensorflow.constant", "tensorflow.convert_to_tensor", "tensorflow.Variable"}
        is_conversion = name in converters or (not torch and name is not None and name.endswith("Dataset.from_tensor_slices")) \
            or (not torch and method == "fit")
        converted_args = _positional(call)[:2] if not torch and method == "fit" else [first] if first is not None else []
        values = []
        for arg in converted_args if is_conversion else ():  # fit(x, y): both enter the framework there
            # Dataset.from_tensor_slices((x, y)): each array of the tuple enters there
            values += [e.value for e in arg.value.elements] if isinstance(arg.value, cst.Tuple) else [arg.value]
        for value in values:
            if not isinstance(value, (cst.Name, cst.Subscript, cst.Attribute)):
                continue
            # .astype fits only a NumPy array: torch.from_numpy's argument is one; elsewhere the value must be
            # known to be one (inputs[...] or a name bound to it), never a tensor such as state["x"] (issue 22 part 3)
            key = self.numpy_key(value)
            if key is None and name != "torch.from_numpy":
                continue
            converted = _method(value, "astype", (cst.Arg(cst.SimpleString('"float64"')),))
            self.add("DTYPE", "input conversion", value, converted, key or _subscript_key(value))
        dtype = _kwarg(call, "dtype")
        if dtype is not None and self._float_target(dtype.value):
            self.add("DTYPE", "cast", dtype.value, self._float64_like(dtype.value))
        if torch and method == "to" and first is not None and self._float_target(first.value):
            self.add("DTYPE", "cast", first.value, self._float64_like(first.value))
        elif torch and method == "float" and not call.args:
            self.add("DTYPE", "cast", call, call.with_changes(func=_renamed(call.func, "double")))
        elif not torch and name == "tensorflow.cast" and len(_positional(call)) > 1 and self._float_target(_positional(call)[1].value):
            target = _positional(call)[1].value
            self.add("DTYPE", "cast", target, self._float64_like(target))

    def _float64_like(self, expr: cst.BaseExpression) -> cst.BaseExpression:
        if isinstance(expr, cst.SimpleString):
            return cst.SimpleString(expr.prefix + expr.quote + "float64" + expr.quote)
        return _renamed(expr, "float64")

    def _device(self, call: cst.Call, name: str | None, method: str | None) -> None:
        if self.framework != "torch" or not isinstance(call.func, cst.Attribute) or name is not None:
            return
        args = _positional(call)
        if method == "to" and len(call.args) == 1 and len(args) == 1 and not self._float_target(args[0].value) \
                and not self.resolve(args[0].value):
            self.add("DEV", "placement", call, call.func.value)
        elif method == "cuda" and not call.args:
            self.add("DEV", "placement", call, call.func.value)

    def _mode_flag(self, call: cst.Call, name: str | None, method: str | None) -> None:
        if self.framework != "tensorflow":
            return
        arg = _kwarg(call, "training")
        if arg is not None and isinstance(arg.value, cst.Name) and arg.value.value in ("True", "False"):
            flipped = "False" if arg.value.value == "True" else "True"
            self.add("MODE", "train mode" if arg.value.value == "True" else "eval mode", arg.value, cst.Name(flipped))

    def _reduction(self, call: cst.Call, name: str | None, method: str | None) -> None:
        torch = self.framework == "torch"
        swap = {"mean": "sum", "sum": "mean"}
        if torch and (method in swap or name in ("torch.mean", "torch.sum")):
            kind = method or name.split(".")[-1]
            self.add("RED", kind, call, call.with_changes(func=_renamed(call.func, swap[kind])))
        elif not torch and name is not None and name.split(".")[-1] in ("reduce_mean", "reduce_sum"):
            kind = name.split(".")[-1].removeprefix("reduce_")
            self.add("RED", kind, call, call.with_changes(func=_renamed(call.func, "reduce_" + swap[kind])))
        arg = _kwarg(call, "reduction")
        value = _string(arg.value) if arg is not None else None
        if value is None:
            return
        if torch and value in swap:
            self.add("RED", value, arg.value, cst.SimpleString(repr(swap[value])))
        elif not torch and value in ("sum", "sum_over_batch_size", "mean"):
            kind = "sum" if value == "sum" else "mean"
            self.add("RED", kind, arg.value, cst.SimpleString(repr("sum_over_batch_size" if kind == "sum" else "sum")))

    def _differentiated(self, call: cst.Call, name: str | None, method: str | None) -> None:
        torch = self.framework == "torch"
        target = None
        if torch and method == "backward" and isinstance(call.func, cst.Attribute) and isinstance(call.func.value, cst.Name):
            target = call.func.value.value
        elif (torch and name == "torch.autograd.grad") or (not torch and method == "gradient"):
            args = _positional(call)
            if args and isinstance(args[0].value, cst.Name):
                target = args[0].value.value
        if target is not None:
            self.differentiated.append((self.functions[-1] if self.functions else "", target, self._line(call)))

    def _inplace(self, call: cst.Call, name: str | None, method: str | None) -> None:
        if self.framework != "torch":
            return
        if name == "torch.nn.ReLU" and _kwarg(call, "inplace") is None and not call.args:
            self.add("INPLACE", "activation", call, _with_kwarg(call, "inplace", cst.Name("True")))
        elif name == "torch.nn.functional.relu" and _kwarg(call, "inplace") is None and len(call.args) == 1:
            self.add("INPLACE", "activation", call, _with_kwarg(call, "inplace", cst.Name("True")))
        elif name in {f"torch.{f}" for f in _INPLACE_FUNCTIONS} and len(call.args) == 1:
            self.add("INPLACE", "activation", call, call.with_changes(func=_renamed(call.func, name.split(".")[-1] + "_")))
        elif name is None and method in _INPLACE_FUNCTIONS and not call.args:
            self.add("INPLACE", "activation", call, call.with_changes(func=_renamed(call.func, method + "_")))

    def _inplace_update(self, node: cst.Assign) -> None:
        """a = a + b -> a += b (the other operators: -, *, /)."""
        value, target = node.value, node.targets[0].target if len(node.targets) == 1 else None
        ops = {cst.Add: cst.AddAssign, cst.Subtract: cst.SubtractAssign, cst.Multiply: cst.MultiplyAssign, cst.Divide: cst.DivideAssign}
        if isinstance(target, cst.Name) and isinstance(value, cst.BinaryOperation) and isinstance(value.left, cst.Name) \
                and value.left.value == target.value and type(value.operator) in ops and not value.lpar:
            new = cst.AugAssign(target, ops[type(value.operator)](), value.right)
            self.add("INPLACE", "in-place update", node, new)

    def _activation(self, call: cst.Call, name: str | None, method: str | None) -> None:
        args = _positional(call)
        if self.framework == "torch":
            if name is not None and name.startswith("torch.nn.") and name.split(".")[-1] in _TORCH_ACT_MODULES and name.count(".") == 2:
                self.add("ACT", "activation", call, call.with_changes(func=_renamed(call.func, "Identity"), args=()))
            elif name in {f"torch.nn.functional.{f}" for f in _ACT_FUNCTIONS} | {"torch.relu", "torch.tanh", "torch.sigmoid"} and args:
                self.add("ACT", "activation", call, _paren(args[0].value))
            elif name is None and method in ("relu", "tanh", "sigmoid") and not call.args and isinstance(call.func, cst.Attribute):
                self.add("ACT", "activation", call, call.func.value)
            return
        keyword = _kwarg(call, "activation")
        named = (_string(keyword.value) or (self.resolve(keyword.value) or "").split(".")[-1]) if keyword is not None else None
        if named in _ACT_FUNCTIONS:  # a hidden activation; softmax on an output head is not one
            self.add("ACT", "activation", keyword.value, cst.Name("None"))
        last = name.split(".")[-1] if name else None
        if name is not None and (name.startswith(("tensorflow.nn.", "tensorflow.math.", "tensorflow.keras.activations."))
                                 or name in ("tensorflow.tanh", "tensorflow.sigmoid")) and last in _ACT_FUNCTIONS and args:
            if "\n" in cst.Module([]).code_for_node(call) and "tensorflow" in self.alias:
                # A call over several lines (a formatter's layout): tf.identity keeps every line in place,
                # where dropping the call would pull its argument onto fewer lines.
                identity = cst.parse_expression(f"{self.alias['tensorflow']}.identity")
                self.add("ACT", "activation", call, call.with_changes(func=identity, args=args[:1]))
            else:
                self.add("ACT", "activation", call, _paren(args[0].value))
        elif name is not None and name.startswith("tensorflow.keras.layers.") and last in ("ReLU", "LeakyReLU", "ELU"):
            self.add("ACT", "activation", call, call.with_changes(func=_renamed(call.func, "Identity"), args=()))

    def _numeric(self, call: cst.Call, name: str | None, method: str | None) -> None:
        torch = self.framework == "torch"
        last = name.split(".")[-1] if name else method
        if last == "log1p" and (name in ("torch.log1p", "tensorflow.math.log1p") or (torch and name is None)):
            self.add("NUM", "log1p", call, call.with_changes(func=_renamed(call.func, "log")))
        elif last == "log_softmax":
            softmax = call.with_changes(func=_renamed(call.func, "softmax"))
            if name is None and torch:
                self.add("NUM", "log_softmax", call, _method(softmax, "log"))
            elif name is not None:
                root = self.alias.get(name.split(".")[0])
                if root is not None:
                    log = cst.parse_expression(f"{root}.log" if torch else f"{root}.math.log")
                    self.add("NUM", "log_softmax", call, cst.Call(log, [cst.Arg(softmax)]))
        keyword = _kwarg(call, "eps" if torch else "epsilon")
        if keyword is not None and isinstance(keyword.value, (cst.Float, cst.Integer)) and float(keyword.value.value) > 0:
            self.add("NUM", "epsilon", keyword.value, cst.Float("0.0"))

    def _trace(self, node: cst.FunctionDef) -> None:
        for statement in _statements(node.body):
            if isinstance(statement, cst.SimpleStatementLine) and isinstance(statement.body[0], cst.Assign):
                assign = statement.body[0]
                target = assign.targets[0].target if len(assign.targets) == 1 else None
                if isinstance(target, cst.Name) and len(statement.body) == 1:
                    name = target.value
                    # the read goes on the same line, after a semicolon: no line moves
                    read = cst.SimpleStatementLine([assign.with_changes(semicolon=cst.Semicolon(whitespace_after=cst.SimpleWhitespace(" "))),
                                                    cst.Assign([cst.AssignTarget(cst.Name(f"{name}_value"))], _method(cst.Name(name), "numpy"))])
                    if "\n" in cst.Module([]).code_for_node(assign):
                        # over several lines: the whole statement line is the site, so the tree can hold the rewrite
                        self.add("TRACE", "compiled function", statement, statement.with_changes(body=read.body))
                    else:
                        self.add("TRACE", "compiled function", assign, read)
                    return


    # -- the operators added for issue 22
    def _model_input(self, call: cst.Call, name: str | None, method: str | None) -> None:
        """SHP-W at the model call: one input feature too few (the data side of a width mismatch, where the
        glue that loads the shared weights never sees it)."""
        if name is not None or not call.args or call.args[0].keyword is not None or call.args[0].star:
            return
        func = call.func
        owner = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else \
            _subscript_key(func) if isinstance(func, cst.Subscript) else None
        if owner is None or not owner.lower().endswith("model") or \
                owner.lower().startswith(("build", "make", "create", "load", "get", "init", "new", "clone")):
            return   # build_model(...) makes a model, it is not one
        if isinstance(func, cst.Name) and func.value[:1].isupper():
            return   # TwoRateModel(x_in, outputs) constructs a model (a class of the file): no data goes in
        arg = call.args[0]
        if isinstance(arg.value, (cst.Name, cst.Subscript, cst.Attribute)):
            cut = cst.Subscript(arg.value, [cst.SubscriptElement(cst.Index(cst.Ellipsis())),
                                            cst.SubscriptElement(cst.Slice(lower=cst.Integer("1"), upper=None))])
            self.add("SHP-W", "model call input", arg.value, cut, MODEL_CALL)
        # MODE on a Keras model call that leaves the flag to its default (inference): the flag a PyTorch
        # model.eval()/model.train() sets, passed the wrong way. A tf.Module's __call__ takes no training=.
        if self.framework == "tensorflow" and _kwarg(call, "training") is None and self.keras_model:
            self.add("MODE", MODEL_CALL, call, _with_kwarg(call, "training", cst.Name("True")), MODEL_CALL)

    _LOSS_SWAP = {"MSELoss": "L1Loss", "L1Loss": "MSELoss", "mse_loss": "l1_loss", "l1_loss": "mse_loss",
                  "MeanSquaredError": "MeanAbsoluteError", "MeanAbsoluteError": "MeanSquaredError",
                  "mean_squared_error": "mean_absolute_error", "mean_absolute_error": "mean_squared_error"}
    _LOGITS_SWAP = {"CrossEntropyLoss": "NLLLoss", "NLLLoss": "CrossEntropyLoss", "cross_entropy": "nll_loss",
                    "nll_loss": "cross_entropy", "BCEWithLogitsLoss": "BCELoss", "BCELoss": "BCEWithLogitsLoss",
                    "binary_cross_entropy_with_logits": "binary_cross_entropy",
                    "binary_cross_entropy": "binary_cross_entropy_with_logits"}
    _LABEL_SWAP = {"SparseCategoricalCrossentropy": "CategoricalCrossentropy", "CategoricalCrossentropy": "SparseCategoricalCrossentropy",
                   "sparse_categorical_crossentropy": "categorical_crossentropy",
                   "categorical_crossentropy": "sparse_categorical_crossentropy"}
    _OPTIMIZERS = ("SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adamax", "Nadam")

    def _losses(self, call: cst.Call, name: str | None, method: str | None) -> None:
        """LOSS, LOGITS, LABELS (loss classes and functions), OPTIM, LR keywords, WATCH's requires_grad=."""
        torch = self.framework == "torch"
        last = name.split(".")[-1] if name else None
        losses_ns = name is not None and (name.startswith(("torch.nn.", "tensorflow.keras.losses.")) or
                                          name.startswith("torch.nn.functional."))
        if losses_ns and last in self._LOSS_SWAP:
            self.add("LOSS", "regression loss", call.func, _renamed(call.func, self._LOSS_SWAP[last]))
        if torch and losses_ns and last in self._LOGITS_SWAP:
            self.add("LOGITS", "logits flag", call.func, _renamed(call.func, self._LOGITS_SWAP[last]))
        if not torch and losses_ns and last in self._LABEL_SWAP:
            self.add("LABELS", "label encoding", call.func, _renamed(call.func, self._LABEL_SWAP[last]))
        if not torch:
            flag = _kwarg(call, "from_logits")
            if flag is not None and isinstance(flag.value, cst.Name) and flag.value.value in ("True", "False"):
                self.add("LOGITS", "logits flag", flag.value, cst.Name("False" if flag.value.value == "True" else "True"))
            loss = _kwarg(call, "loss")
            value = _string(loss.value) if loss is not None else None
            if value in ("mse", "mae", "mean_squared_error", "mean_absolute_error"):
                swapped = {"mse": "mae", "mae": "mse"}.get(value) or self._LOSS_SWAP[value]
                self.add("LOSS", "regression loss", loss.value, cst.SimpleString(repr(swapped)))
            elif value in self._LABEL_SWAP:
                self.add("LABELS", "label encoding", loss.value, cst.SimpleString(repr(self._LABEL_SWAP[value])))
        optim_ns = name is not None and name.startswith(("torch.optim.", "tensorflow.keras.optimizers."))
        if optim_ns and last in self._OPTIMIZERS and name.count(".") == (2 if torch else 3):
            other = "Adam" if last == "SGD" else "SGD"
            # only where every option means the same to both optimisers: SGD(momentum=...) would not fit Adam
            if all(a.keyword is None or a.keyword.value in ("lr", "learning_rate", "params") for a in call.args):
                self.add("OPTIM", "optimiser", call.func, _renamed(call.func, other))
        for keyword in ("lr", "learning_rate"):
            arg = _kwarg(call, keyword)
            if arg is not None and isinstance(arg.value, (cst.Float, cst.Integer)):
                self.add("LR", "learning rate", arg.value, _times_ten(arg.value), "learning_rate")
        watch = _kwarg(call, "requires_grad")
        if torch and watch is not None and isinstance(watch.value, cst.Name) and watch.value.value == "True":
            self.add("WATCH", "watched input", watch.value, cst.Name("False"))

    def _loss_call(self, call: cst.Call, name: str | None, method: str | None) -> None:
        """TARGET (and, for PyTorch cross-entropy, LABELS) on the target handed to a loss."""
        torch = self.framework == "torch"
        args = _positional(call)
        if len(args) < 2 or len(args) != len(call.args):
            return
        if name is not None:
            is_loss = name.startswith(("torch.nn.functional.", "tensorflow.keras.losses.")) and \
                (name.endswith(("_loss", "entropy", "_error", "_with_logits")) or name.split(".")[-1] in ("mse", "mae"))
        owner = None
        if name is None:
            func = call.func
            owner = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else \
                _subscript_key(func) if isinstance(func, cst.Subscript) else None
            is_loss = owner is not None and (owner.lower().startswith("loss") or owner.lower().endswith(("loss_fn", "criterion", "loss_object")))
        if not is_loss:
            return
        target = args[1] if torch else args[0]
        if not isinstance(target.value, (cst.Name, cst.Subscript, cst.Attribute)):
            return
        key = _subscript_key(target.value) or (target.value.value if isinstance(target.value, cst.Name) else None)
        widened = cst.Subscript(target.value, [cst.SubscriptElement(cst.Index(cst.Ellipsis())),
                                               cst.SubscriptElement(cst.Index(cst.Name("None")))])
        self.add("TARGET", "loss target", target.value, widened, key)
        if torch and "torch" in self.alias and (name == "torch.nn.functional.cross_entropy" or (name is None and owner in self.cross_entropy)):
            one_hot = cst.parse_expression(f"{self.alias['torch']}.nn.functional.one_hot")
            self.add("LABELS", "label encoding", target.value, cst.Call(one_hot, [cst.Arg(target.value)]), key)

    def _softmax(self, call: cst.Call, name: str | None, method: str | None) -> None:
        """SOFTMAX2 (wrapped twice) and OUT-ACT (softmax <-> sigmoid) on softmax calls, modules and activation strings."""
        torch = self.framework == "torch"
        args = _positional(call)
        last = name.split(".")[-1] if name else None
        if "\n" in self.module.code_for_node(call):
            return   # a call spread over lines: the rewrites below would not keep them
        function = name in ("torch.softmax", "torch.nn.functional.softmax", "tensorflow.nn.softmax", "tensorflow.math.softmax",
                            "tensorflow.keras.activations.softmax")
        if (function and args) or (torch and name is None and method == "softmax" and isinstance(call.func, cst.Attribute)):
            inner = call if function else call
            twice = call.with_changes(args=[call.args[0].with_changes(value=inner)] + list(call.args[1:])) if function else \
                call.with_changes(func=call.func.with_changes(value=_paren(call)))
            self.add("SOFTMAX2", "softmax", call, twice)
            if function and "torch" in self.alias and torch:
                self.add("OUT-ACT", "output activation", call, cst.Call(cst.parse_expression(f"{self.alias['torch']}.sigmoid"),
                                                                        [args[0].with_changes(comma=cst.MaybeSentinel.DEFAULT)]))
            elif function and "tensorflow" in self.alias:
                self.add("OUT-ACT", "output activation", call, cst.Call(cst.parse_expression(f"{self.alias['tensorflow']}.sigmoid"),
                                                                        [args[0].with_changes(comma=cst.MaybeSentinel.DEFAULT)]))
        if torch and name in ("torch.nn.Softmax", "torch.nn.Sigmoid"):
            self.add("OUT-ACT", "output activation", call, call.with_changes(
                func=_renamed(call.func, "Sigmoid" if last == "Softmax" else "Softmax"),
                args=() if last == "Softmax" else [cst.Arg(_int_expr(-1), keyword=cst.Name("dim"),
                                                           equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")))]))
        if not torch:
            keyword = _kwarg(call, "activation")
            value = _string(keyword.value) if keyword is not None else None
            if value in ("softmax", "sigmoid"):
                self.add("OUT-ACT", "output activation", keyword.value,
                         cst.SimpleString(repr("sigmoid" if value == "softmax" else "softmax")))

    def _item(self, call: cst.Call, name: str | None, method: str | None) -> None:
        """ITEM: x.item() / x.numpy() / float(x) -> x."""
        torch = self.framework == "torch"
        if "\n" in self.module.code_for_node(call):
            return   # dropping a call spread over lines would pull its argument onto fewer lines
        if name is None and not call.args and isinstance(call.func, cst.Attribute) and method == ("item" if torch else "numpy"):
            self.add("ITEM", "python number", call, call.func.value)
        elif not torch and isinstance(call.func, cst.Name) and call.func.value == "float" and len(call.args) == 1 \
                and self.resolve(call.func) is None and isinstance(call.args[0].value, (cst.Name, cst.Subscript, cst.Call)):
            self.add("ITEM", "python number", call, call.args[0].value)

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        if self.framework != "tensorflow" or len(node.body) != 1 or not isinstance(node.body[0], cst.Assign):
            return
        value = node.body[0].value
        if isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) and value.func.attr.value == "gradient" \
                and "tape" in self.module.code_for_node(value.func.value).lower():
            if "\n" not in self.module.code_for_node(node.body[0]):
                self.add("GRAD-TWICE", "gradient computation", node.body[0], _twice(node.body[0]))

    def _side(self, node: cst.FunctionDef) -> None:
        """SIDE: the compiled function's first assignment v = ... gets ; v_state = <framework variable>(v)."""
        for statement in _statements(node.body):
            if isinstance(statement, cst.SimpleStatementLine) and isinstance(statement.body[0], cst.Assign) and len(statement.body) == 1:
                assign = statement.body[0]
                target = assign.targets[0].target if len(assign.targets) == 1 else None
                root = self.alias.get("torch" if self.framework == "torch" else "tensorflow")
                if not isinstance(target, cst.Name) or root is None or "\n" in cst.Module([]).code_for_node(assign):
                    return
                maker = f"{root}.nn.Parameter({target.value}.detach())" if self.framework == "torch" else f"{root}.Variable({target.value})"
                state = cst.Assign([cst.AssignTarget(cst.Name(f"{target.value}_state"))], cst.parse_expression(maker))
                self.add("SIDE", "compiled function", assign, cst.SimpleStatementLine(
                    [assign.with_changes(semicolon=cst.Semicolon(whitespace_after=cst.SimpleWhitespace(" "))), state]))
                return

    # -- after the walk
    def _line(self, node: cst.CSTNode) -> int:
        return self.positions[node].start.line

    def finish(self) -> list[Site]:
        self._detach_sites()
        sites = []
        widths_seen = False
        training = {f for f, _, _ in self.differentiated} | self.tape_functions
        for (operator, role, node, replacement, anchor), function, context in self.found:
            if anchor == MODEL_CALL:   # a model call: in a function that computes gradients (training) or not
                phase = "train" if function in training else "eval"
                anchor = f"model ({phase})"
                if operator == "MODE":   # the flag a wrong mode would set: training=True where evaluating, and the reverse
                    role = f"{phase} mode"
                    if phase == "train":
                        replacement = _with_kwarg(node, "training", cst.Name("False"))
            span = self.positions[node]
            lines = range(span.start.line, span.end.line + 1)
            if any(line in self.glue for line in lines):
                continue
            before, after = _code(self.module, node), _code(self.module, replacement)
            if before == after:
                continue
            if operator == "SHP-W" and role in ("layer width", "model input width") and self.glue:
                # the shared weights the glue loads would not fit the declared width: every such mutant
                # fails in the glue (92 of 108 PyTorch SHP-W did); the model-call site plants the width bug instead
                continue
            if operator == "SHP-W" and role == "layer width":  # the first layer declares the model's input width
                role = "inner layer width" if widths_seen else "model input width"
                widths_seen = True
            sites.append(Site(operator, role, anchor or context, function, span.start.line, span.end.line,
                              span.start.column, span.end.column, before, after, 1, node, replacement))
        sites.sort(key=lambda s: (s.line, s.column, s.operator))
        counts: dict[tuple[str, int], int] = {}
        numbered = []
        for site in sites:
            key = (site.operator, site.line)
            counts[key] = counts.get(key, 0) + 1
            numbered.append(_with_ordinal(site, counts[key]))
        return numbered

    def _detach_sites(self) -> None:
        chosen: dict[int, tuple[str, cst.Assign]] = {}
        for function, target, line in self.differentiated:
            earlier = [(l, a) for f, n, l, a in self.assignments if f == function and n == target and l < line]
            if earlier:
                _, assign = max(earlier, key=lambda item: item[0])
                chosen[id(assign)] = (function, assign)
        for function, assign in chosen.values():
            if self.framework == "torch":
                cut = _method(assign.value, "detach")
            elif "tensorflow" in self.alias:
                cut = cst.Call(cst.parse_expression(f"{self.alias['tensorflow']}.stop_gradient"), [cst.Arg(assign.value)])
            else:
                continue
            if "DETACH" in self.wanted:
                self.found.append((("DETACH", "differentiated value", assign.value, cut, None), function,
                                   assign.targets[0].target.value))


def _statements(block: cst.BaseSuite):
    """The statements of a block in order, those inside with/if/for/while/try blocks included."""
    for statement in getattr(block, "body", ()):
        yield statement
        if isinstance(statement, (cst.With, cst.If, cst.For, cst.While, cst.Try)):
            yield from _statements(statement.body)


def _code(module: cst.Module, node: cst.CSTNode) -> str:
    """The code of `node` as its span holds it: a position excludes the node's own parentheses, and a
    statement's text is its line without the newline."""
    if getattr(node, "lpar", None):
        node = node.with_changes(lpar=[], rpar=[])
    text = module.code_for_node(node)
    return text.strip() if isinstance(node, cst.SimpleStatementLine) else text


def _with_ordinal(site: Site, ordinal: int) -> Site:
    from dataclasses import replace

    return replace(site, ordinal=ordinal) if ordinal != site.ordinal else site


MATCHERS: dict[str, Callable] = {}  # filled below: operator id -> the rule(s) that find its sites (registry test)
for _operator, _rules in {
    "SHP-R": ("_shape_reshape", "_swap_args"), "SHP-W": ("_shape_width", "visit_BinaryOperation", "_model_input"), "AXIS": ("_axis",),
    "DTYPE": ("_dtype",), "DEV": ("_device", "visit_WithItem"), "GRAD-RESET": ("visit_Expr",), "OPT-STEP": ("visit_Expr",),
    "MODE": ("visit_Expr", "visit_WithItem", "_mode_flag", "_model_input"), "RED": ("_reduction",), "DETACH": ("_differentiated", "_detach_sites"),
    "INPLACE": ("_inplace", "_inplace_update"), "ACT": ("_activation",), "SLICE": ("visit_Slice",),
    "NUM": ("_numeric", "visit_BinaryOperation"), "TRACE": ("_trace",),
    "LOSS": ("_losses",), "LOGITS": ("_losses",), "SOFTMAX2": ("_softmax",), "TARGET": ("_loss_call",),
    "WATCH": ("visit_Expr", "_losses"), "GRAD-TWICE": ("visit_Expr", "visit_SimpleStatementLine"), "ITEM": ("_item",),
    "LABELS": ("_losses", "_loss_call"), "SIDE": ("_side",), "OUT-ACT": ("_softmax",), "LR": ("_losses", "leave_Assign"),
    "OPTIM": ("_losses",),
}.items():
    MATCHERS[_operator] = tuple(getattr(_Finder, r) for r in _rules)
