"""The house rules, read from the source, never by importing it: no module imports from a layer above
its own (the table is `evaluator.LAYERS`, quoted in docs/architecture.md), no import circle (imports
inside functions included), and module names unique across the tree."""

import ast
from collections import Counter
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "evaluator"


def read_layers() -> tuple:
    """evaluator.LAYERS, read from evaluator/__init__.py's syntax tree."""
    for node in ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "LAYERS" for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError("evaluator/__init__.py defines no LAYERS")


LAYERS = read_layers()


def layer_of(module: str) -> int:
    best, best_len = None, -1
    for level, (_name, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best_len:
                best, best_len = level, len(prefix)
    assert best is not None, f"{module} is in no layer: add its package to evaluator.LAYERS"
    return best


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path) -> set[str]:
    """Every evaluator module `path` imports, at any depth (an import of a name from a package counts
    as an import of the submodule when the name is one)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("evaluator") and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in MODULES}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "evaluator"}
    return found


def graph() -> dict[str, set[str]]:
    return {m: {t for t in imports(p) if t in MODULES and t != m} for m, p in MODULES.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found, counter = {}, {}, [], set(), [], [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_no_module_imports_from_a_layer_above_it():
    upward = []
    for module, path in MODULES.items():
        for target in imports(path):
            if layer_of(target) > layer_of(module):
                upward.append(f"{module} (layer {layer_of(module)}) imports {target} (layer {layer_of(target)})")
    assert upward == []


def test_no_import_circle():
    assert cycles(graph()) == []


def test_module_names_are_unique_across_the_tree():
    names = Counter(p.stem for p in PACKAGE.rglob("*.py") if p.stem not in ("__init__", "__main__"))
    assert [n for n, count in names.items() if count > 1] == []


def test_no_loose_modules_at_the_top():
    assert sorted(p.name for p in PACKAGE.glob("*.py")) == ["__init__.py", "__main__.py"]


def test_every_package_says_what_it_holds_and_may_import():
    for init in sorted(PACKAGE.rglob("__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and "import" in doc.lower(), init


def test_the_checker_sees_an_upward_import_and_a_circle():
    assert layer_of("evaluator.results.result_files") > layer_of("evaluator.base.fileio")
    assert layer_of("evaluator.report.pipeline") > layer_of("evaluator.runner.execute")
    assert layer_of("evaluator.claims.report_model") < layer_of("evaluator.report.layout")
    assert layer_of("evaluator.base.run_status") < layer_of("evaluator.results.result_files")
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_docs_architecture_quotes_every_layer():
    """docs/architecture.md's layer table names every package of LAYERS, in order."""
    text = (PACKAGE.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| ") and line[2:3].isdigit()]
    assert len(rows) == len(LAYERS)
    for level, ((_name, packages), row) in enumerate(zip(LAYERS, rows)):
        assert row.startswith(f"| {level} "), row
        for package in packages:
            assert f"`{package}`" in row, (package, row)
