"""Parent scheduler (scheduler.py) and the per-framework worker it spawns (worker.py)."""
