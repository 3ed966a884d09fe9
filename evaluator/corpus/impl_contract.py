"""The implementation contract, checked on the syntax tree: nothing is imported or run.

An implementation file defines, at module level, `setup(inputs, device)` and `run(state)`
(tasks/README.md). A file that breaks this is reported with its line and what to write, at once, by
`list` and `check`: not after a framework import, and not as an error from inside easeval.
"""

from __future__ import annotations

import ast
import difflib
from dataclasses import dataclass

# name -> the parameters the harness passes, positionally: setup(inputs, device), then run(state).
CONTRACT = {"setup": ("inputs", "device"), "run": ("state",)}
_BLOCKS = (ast.If, ast.Try, ast.With, ast.For, ast.While)  # module-level code may bind names inside these


@dataclass(frozen=True)
class ContractViolation:
    line: int | None  # None when the function is missing altogether
    message: str

    def __str__(self) -> str:
        return f"contract: line {self.line}: {self.message}" if self.line else f"contract: {self.message}"


def signature_text(name: str) -> str:
    """'def run(state):', what an author writes."""
    return f"def {name}({', '.join(CONTRACT[name])}):"


def contract_violations(tree: ast.Module) -> list[ContractViolation]:
    """Every way the module breaks the contract; empty when setup and run are callable as the harness calls them."""
    bindings = _module_bindings(tree.body)
    violations = []
    for name, params in CONTRACT.items():
        node = bindings.get(name)
        if node is None:
            violations.append(_missing(tree, name, bindings))
        elif isinstance(node, ast.AsyncFunctionDef):
            violations.append(ContractViolation(node.lineno, f"{name} is 'async def'; the harness calls it as a plain "
                                                             f"function: write `{signature_text(name)}`"))
        elif isinstance(node, ast.FunctionDef) and not _accepts(node.args, len(params)):
            violations.append(ContractViolation(
                node.lineno, f"{name}({_parameters(node.args)}) cannot be called as {name}({', '.join(params)}): "
                             f"write `{signature_text(name)}`"))
    return violations


def _module_bindings(body: list[ast.stmt]) -> dict[str, ast.AST]:
    """Names bound at module level (the last binding wins, as in Python), with the node that binds each."""
    bindings: dict[str, ast.AST] = {}
    for statement in body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bindings[statement.name] = statement
        elif isinstance(statement, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            for target in targets:
                for node in ast.walk(target):
                    if isinstance(node, ast.Name):
                        bindings[node.id] = statement  # e.g. run = torch.compile(forward): callable, arity unknown
        elif isinstance(statement, (ast.Import, ast.ImportFrom)):
            for alias in statement.names:
                bindings[(alias.asname or alias.name).split(".")[0]] = statement
        elif isinstance(statement, _BLOCKS):
            for block in ("body", "orelse", "finalbody"):
                bindings.update(_module_bindings(getattr(statement, block, [])))
            for handler in getattr(statement, "handlers", []):
                bindings.update(_module_bindings(handler.body))
    return bindings


def _missing(tree: ast.Module, name: str, bindings: dict[str, ast.AST]) -> ContractViolation:
    nested = next((node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                   and node.name == name), None)
    if nested is not None:
        return ContractViolation(nested.lineno, f"{name} is defined inside another function or class, not at module "
                                                f"level: the harness calls the module's {name}; move it to the top level "
                                                f"as `{signature_text(name)}`")
    functions = [n for n, node in bindings.items() if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
    close = difflib.get_close_matches(name, [n for n in functions if n not in CONTRACT], n=1)
    if close:
        node = bindings[close[0]]
        return ContractViolation(node.lineno, f"defines {close[0]}(...) but no function {name}: did you mean "
                                              f"`{signature_text(name)}`?")
    role = "builds what run needs; not timed" if name == "setup" else "the measured work"
    message = f"no module-level function {name}: write `{signature_text(name)}` ({role}; see tasks/README.md)"
    if functions:
        message += "; the module defines " + ", ".join(f"{n} (line {bindings[n].lineno})" for n in functions)
    return ContractViolation(None, message)


def _accepts(args: ast.arguments, count: int) -> bool:
    """Whether a function with these parameters can be called with `count` positional arguments."""
    positional = len(args.posonlyargs) + len(args.args)
    required = positional - len(args.defaults)
    required_keywords = sum(1 for default in args.kw_defaults if default is None)
    return required <= count and (count <= positional or args.vararg is not None) and not required_keywords


def _parameters(args: ast.arguments) -> str:
    names = [a.arg for a in args.posonlyargs + args.args]
    if args.vararg or args.kwonlyargs:
        names.append(f"*{args.vararg.arg}" if args.vararg else "*")
    names += [a.arg for a in args.kwonlyargs]
    if args.kwarg:
        names.append(f"**{args.kwarg.arg}")
    return ", ".join(names)
