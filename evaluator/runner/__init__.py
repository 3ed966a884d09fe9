"""The execution harness: the parent scheduler (scheduler.py, execute.py) and the per-framework worker it
spawns (worker.py), with timing, memory and the fault probe its children install. Imports base,
frameworks, corpus and results; never debugging, claims, report or cli (README.md: how it measures)."""
