"""The corpus layer: task folders found by scanning (discovery.py), their task.toml (task_metadata.py),
an imported corpus's corpus.toml (manifest.py), the implementation contract (impl_contract.py) and
glue markers (glue_markers.py). Imports base and frameworks only; never imports task code."""
