"""No module imports from a layer above its own: read from the source, never by importing it."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "evaluator"

# Lowest first. A module belongs to the layer of its longest matching prefix.
LAYERS = (
    ("evaluator", "evaluator.fileio", "evaluator.metrics", "evaluator.stats", "evaluator.glue", "evaluator.metadata",
     "evaluator.comparison", "evaluator.environment", "evaluator.text_table", "evaluator.runner.protocol",
     "evaluator.runner.timing", "evaluator.results.records", "evaluator.exit_codes", "evaluator.contract"),
    ("evaluator.frameworks",),
    ("evaluator.corpus",),
    ("evaluator.analysis", "evaluator.results"),
    ("evaluator.runner",),
    ("evaluator.check", "evaluator.listing", "evaluator.scaffold", "evaluator.analysis_scope", "evaluator.importers"),
    ("evaluator.report",),
    ("evaluator.cli", "evaluator.cli_import", "evaluator.__main__"),
)


def layer_of(module: str) -> int:
    best, best_len = None, -1
    for level, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best_len:
                best, best_len = level, len(prefix)
    assert best is not None, f"{module} is in no layer: add it to LAYERS"
    return best


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("evaluator") and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "evaluator"}
    return found


def test_no_module_imports_from_a_layer_above_it():
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = module_name(path)
        for target in imports(path):
            if layer_of(target) > layer_of(module):
                upward.append(f"{module} (layer {layer_of(module)}) imports {target} (layer {layer_of(target)})")
    assert upward == []


def test_the_checker_sees_an_upward_import():
    assert layer_of("evaluator.results.files") > layer_of("evaluator.fileio")
    assert layer_of("evaluator.report.pipeline") > layer_of("evaluator.runner.execute")
    assert layer_of("evaluator.runner.protocol") < layer_of("evaluator.results.files")
