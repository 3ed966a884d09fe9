"""Layer 0, the base: file I/O, plain-text tables, exit codes, provenance, run statuses, the metric
registry and the statistics. Imports only the standard library, NumPy and SciPy, never another layer."""
