"""easeval: measured evidence on how easy deep-learning frameworks are to use.

Kept import-light on purpose: worker processes import this package and must pay only for the
standard library, NumPy and their one framework.

The packages form layers (LAYERS, lowest first). A module may import from its own layer and the
layers below, never from a layer above, and no two modules import each other, directly or through
others (tests/test_layers.py checks both from the source; docs/architecture.md quotes this table).
"""

__version__ = "0.1.0"

# (layer name, packages). A module belongs to the layer of its longest matching package prefix.
LAYERS = (
    ("base", ("evaluator", "evaluator.base")),
    ("frameworks", ("evaluator.frameworks",)),
    ("corpus", ("evaluator.corpus",)),
    ("analysis and results", ("evaluator.analysis", "evaluator.results")),
    ("runner", ("evaluator.runner",)),
    ("commands, importers, debugging, apidocs", ("evaluator.commands", "evaluator.importers", "evaluator.debugging",
                                                  "evaluator.apidocs")),
    ("claims", ("evaluator.claims",)),
    ("report", ("evaluator.report",)),
    ("cli", ("evaluator.cli", "evaluator.__main__")),
)
