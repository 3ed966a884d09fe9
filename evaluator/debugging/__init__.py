"""Debuggability, measured: plant the same bug in each framework's implementation of a task, run it,
and record what a developer would see (docs/debugging.md).

Modules, one concern each: `operators` (the catalogue), `sites` (where an operator applies, found with
libcst), `mutants` (writing one mutant per site), `pairing` (which sites are the same bug on both sides,
and `mutants.toml`), `probe` (the child-side aids and step counter, imported by the worker),
`messages` (localisation and message metrics), `outcomes` (classification), `records` (typed records
and their schema-versioned files), `runner` (the glue to the execution harness), `summary` (the
figures the CLI and the report show) and `claim_evidence` (claim 8's paired numbers per task).
"""
