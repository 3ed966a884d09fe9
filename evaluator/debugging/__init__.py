"""Debuggability, measured: plant the same bug in each framework's implementation of a task, run it,
and record what a developer would see (docs/debugging.md). Imports base to runner; never claims,
report or cli.

Modules, one concern each: `operators` (the catalogue), `sites` (where an operator applies, found with
libcst), `mutants` (writing one mutant per site), `pairing` (which sites are the same bug on both sides,
and `mutants.toml`), `messages` (localisation and message metrics), `bug_outcomes` (classification),
`debug_records` (typed records and their schema-versioned files), `debug_plan` (what to run),
`mutant_runs` (the glue to the execution harness; the child-side aids are runner/fault_probe.py),
`debug_summary` (the figures the CLI and the report show), `debug_table` (its text output) and
`claim_evidence` (claim 8's paired numbers per task).
"""
