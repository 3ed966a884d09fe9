"""Which sizes `easeval run` and `easeval report` measure: small and medium on CPU, large on a GPU,
an explicit --size as asked (undeclared: a skipped record saying so)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from evaluator.cli import main
from evaluator.corpus.discovery import discover
from evaluator.base.environment import Environment
from evaluator.runner.run_plan import DEFAULT_SIZES, plan, sizes_for
from evaluator.runner.timing import TimingOptions

REPO = Path(__file__).resolve().parents[1]
FAULTS = Path(__file__).resolve().parent / "fault_corpus"


def write_task(root: Path, task_id: str, sizes: dict[str, int]) -> None:
    folder = root / task_id
    folder.mkdir(parents=True)
    size_tables = "\n".join(f"[sizes.{name}]\nn = {n}\n" for name, n in sizes.items())
    (folder / "task.toml").write_text(f'''title = "T"
category = "tensors"
description = "d"
tags = ["pythonic"]

[tolerance]
rtol = 1e-5
atol = 1e-6

{size_tables}
[references]
torch = ["https://pytorch.org/docs/stable/torch.html"]
''')
    (folder / "spec.py").write_text("import numpy as np\n\ndef make_inputs(rng, n):\n    return {'x': np.ones(n)}\n\n"
                                    "def reference(inputs):\n    return inputs['x']\n")
    (folder / "torch_impl.py").write_text("def setup(inputs, device):\n    return inputs\n\ndef run(s):\n    return s['x']\n")


def corpus(tmp_path: Path):
    write_task(tmp_path, "all_three", {"small": 2, "medium": 2000, "large": 10**6})
    write_task(tmp_path, "small_only", {"small": 2})
    write_task(tmp_path, "small_large", {"small": 2, "large": 10**6})
    return discover(tmp_path)


def by_id(c):
    return {t.task_id: t for t in c.tasks}


def test_cpu_measures_small_and_medium_where_declared(tmp_path):
    tasks = by_id(corpus(tmp_path))
    assert DEFAULT_SIZES["cpu"] == ("small", "medium")
    assert sizes_for(tasks["all_three"], "cpu") == [("small", True), ("medium", True)]
    assert sizes_for(tasks["small_only"], "cpu") == [("small", True)]
    assert sizes_for(tasks["small_large"], "cpu") == [("small", True)]


def test_a_gpu_measures_large_or_falls_back_to_small(tmp_path):
    tasks = by_id(corpus(tmp_path))
    assert sizes_for(tasks["all_three"], "cuda") == [("large", True)]
    assert sizes_for(tasks["small_only"], "cuda") == [("small", True)]


def test_asked_sizes_are_kept_in_order_and_undeclared_ones_flagged(tmp_path):
    tasks = by_id(corpus(tmp_path))
    assert sizes_for(tasks["all_three"], "cpu", ("medium",)) == [("medium", True)]
    assert sizes_for(tasks["small_only"], "cpu", ("medium", "small", "medium")) == [("medium", False), ("small", True)]


def test_the_plan_has_one_job_per_implementation_and_size_each_with_its_own_code_hash(tmp_path):
    c = corpus(tmp_path)
    env = Environment.from_json({"machine": "m", "frameworks": {"torch": {"version": "2"}}})
    planned = plan(c, ["torch"], "cpu", None, 1, env, TimingOptions(), tmp_path / "results", {})
    assert [(p.job.task.task_id, p.job.size_name) for p in planned] == [
        ("all_three", "small"), ("all_three", "medium"), ("small_large", "small"), ("small_only", "small")]
    assert all(p.job.check and p.job.measure is None and p.size_declared for p in planned)
    hashes = {p.record.code_hash for p in planned}
    assert len(hashes) == 4                     # the size is part of what was measured
    assert len({p.record.env_key for p in planned}) == 1 and planned[1].record.size == "medium"


def test_run_with_an_undeclared_size_records_a_skip_that_names_it(tmp_path):
    outcome = CliRunner().invoke(main, ["run", "--tasks", str(FAULTS), "fault_correct", "--size", "medium",
                                        "--results", str(tmp_path), "--format", "json"])
    assert outcome.exit_code == 0, outcome.output
    assert "task declares no size 'medium'" in outcome.stdout
