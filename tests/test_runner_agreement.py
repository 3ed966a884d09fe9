"""Cross-framework agreement (runner/agreement.py) through `easeval run`: frameworks that disagree,
and kept outputs that are corrupt or missing when a rerun compares them.

The corpus is written here: `agree` is the control; `disagree` has a property check instead of a
reference, so both frameworks pass it while their outputs differ by 1; the other three are correct
on both sides, and the test truncates, garbles or deletes PyTorch's kept output between two runs.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from evaluator.cli import main

pytestmark = pytest.mark.slow  # real torch and TensorFlow workers

TOML = """title = "{title}"
category = "tensors"
description = "Agreement fixture."
tags = ["debugging"]
seed = 1

[tolerance]
rtol = 1e-5
atol = 1e-6

[sizes.small]
n = {n}

[references]
torch = ["https://pytorch.org/docs/stable/torch.html"]
tensorflow = ["https://www.tensorflow.org/guide/tensor"]
"""
INPUTS = '''import numpy as np


def make_inputs(rng, n):
    return {"x": rng.standard_normal(n, dtype=np.float32)}
'''
REFERENCE = INPUTS + '''

def reference(inputs):
    return {"y": 2.0 * inputs["x"].astype(np.float64)}
'''
PROPERTY_CHECK = INPUTS + '''

def check(output, inputs):
    return [] if np.shape(output["y"]) == inputs["x"].shape else ["wrong shape"]
'''
TORCH = '''import torch


def setup(inputs, device):
    return {{"x": torch.from_numpy(inputs["x"])}}


def run(state):
    return {{"y": state["x"] * 2{plus}}}
'''
TENSORFLOW = '''import tensorflow as tf


def setup(inputs, device):
    return {{"x": tf.constant(inputs["x"])}}


def run(state):
    return {{"y": state["x"] * 2{plus}}}
'''
# task -> (n, spec, what TensorFlow adds to 2x)
TASKS = {"agree": (8, REFERENCE, ""), "disagree": (16, PROPERTY_CHECK, " + 1"), "truncated_output": (64, REFERENCE, ""),
         "garbled_output": (48, REFERENCE, ""), "missing_output": (32, REFERENCE, "")}
BROKEN = ["truncated_output", "garbled_output", "missing_output"]
FAST = ["--min-time", "0.05", "--max-time", "0.2", "--format", "json"]


def write_corpus(root: Path) -> Path:
    for task_id, (n, spec, plus) in TASKS.items():
        folder = root / task_id
        folder.mkdir(parents=True)
        (folder / "task.toml").write_text(TOML.format(title=task_id, n=n))
        (folder / "spec.py").write_text(spec)
        (folder / "torch_impl.py").write_text(TORCH.format(plus=""))
        (folder / "tensorflow_impl.py").write_text(TENSORFLOW.format(plus=plus))
    return root


def run(tasks: Path, results: Path, *args: str) -> dict[tuple[str, str], dict]:
    outcome = CliRunner().invoke(main, ["run", "--tasks", str(tasks), "--results", str(results), *args, *FAST])
    assert outcome.exit_code == 0, outcome.output
    return {(r["task"], r["framework"]): r for r in json.loads(outcome.stdout)}


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    root = tmp_path_factory.mktemp("agreement")
    tasks, results = write_corpus(root / "tasks"), root / "results"
    run(tasks, results, *BROKEN, "--framework", "torch")
    kept = {np.load(path)["output.y"].size: path for path in (results / "outputs").glob("*.npz")}
    assert set(kept) == {64, 48, 32}, kept
    data = kept[64].read_bytes()
    kept[64].write_bytes(data[: len(data) // 2])          # truncated, as a full disk leaves it
    kept[48].write_bytes(b"PK\x03\x04" + bytes(200))     # garbage behind a zip signature
    kept[32].unlink()
    return run(tasks, results)


def test_frameworks_that_disagree_are_marked_on_both_sides(records):
    torch, tensorflow = records[("disagree", "torch")], records[("disagree", "tensorflow")]
    assert torch["status"] == tensorflow["status"] == "ok"  # each passes the property check
    assert torch["frameworks_agree"] is False and tensorflow["frameworks_agree"] is False
    versus_tf, versus_torch = torch["cross_framework"]["tensorflow"], tensorflow["cross_framework"]["torch"]
    assert versus_tf["agree"] is False and versus_torch["agree"] is False
    assert versus_tf["max_abs_diff"] == versus_torch["max_abs_diff"] == pytest.approx(1.0, rel=1e-6)  # float32 2x + 1
    assert versus_tf["message"].startswith("outside rtol=2e-05, atol=2e-06: ")  # the task's, doubled
    assert "output.y[" in versus_tf["message"] and "output.output" not in versus_tf["message"] and ", expected " in versus_tf["message"]


@pytest.mark.parametrize("task_id", BROKEN)
def test_a_corrupt_or_missing_output_leaves_agreement_unknown_and_the_run_whole(records, task_id):
    torch, tensorflow = records[(task_id, "torch")], records[(task_id, "tensorflow")]
    assert torch["status"] == tensorflow["status"] == "ok" and torch["cached_from"]
    assert tensorflow["cross_framework"] == {} and tensorflow["frameworks_agree"] is None  # not "agree"
    assert torch["frameworks_agree"] is None


def test_frameworks_that_agree_are_marked_on_both_sides(records):
    torch, tensorflow = records[("agree", "torch")], records[("agree", "tensorflow")]
    assert torch["frameworks_agree"] is True and tensorflow["frameworks_agree"] is True
    assert torch["cross_framework"]["tensorflow"] == {"max_abs_diff": 0.0, "agree": True, "message": None}


def test_a_rerun_compares_again_only_where_something_was_measured_again(tmp_path):
    # A cached rerun read every kept output again (15 s on the corpus): a record whose task and size had
    # nothing new keeps its stored comparison while its partners are the same; a new measurement in the
    # group (or a partner gone) compares again.
    import numpy as np

    from evaluator.corpus.discovery import Corpus, Implementation, Task
    from evaluator.corpus.task_metadata import TaskMetadata, Tolerance
    from evaluator.results import Measurement, output_file, outputs_dir
    from evaluator.runner.agreement import add_agreement

    meta = TaskMetadata("T", "tensors", "d", ("pythonic",), Tolerance(), {"small": {}}, {})
    impls = tuple(Implementation(t, fw, None, tmp_path / f"{t}_{fw}.py") for t in ("a", "b") for fw in ("torch", "tensorflow"))
    corpus = Corpus(tmp_path, tuple(Task(t, tmp_path / t, meta, tuple(i for i in impls if i.task_id == t)) for t in ("a", "b")))
    outputs_dir(tmp_path).mkdir(parents=True)
    records = []
    for t in ("a", "b"):
        for fw, value in (("torch", 1.0), ("tensorflow", 2.0)):
            r = Measurement(task=t, framework=fw, variant=None, impl_key=fw, status="ok", code_hash=f"{t}{fw}",
                            env_key="e", device="cpu", size="small")
            np.savez(output_file(tmp_path, r.code_hash, r.env_key), out=np.array([value]))
            records.append(r)
    first = add_agreement(records, corpus, tmp_path)
    assert all(r.frameworks_agree is False for r in first)        # 1 vs 2 differ
    for t, fw in (("a", "torch"), ("b", "torch")):                 # the kept outputs change on disk ...
        np.savez(output_file(tmp_path, f"{t}{fw}", "e"), out=np.array([2.0]))
    again = add_agreement(first, corpus, tmp_path, measured={0})   # ... but only task a was measured again
    assert [r.frameworks_agree for r in again] == [True, True, False, False]
    alone = add_agreement([again[2]], corpus, tmp_path, measured=set())   # b's partner is gone: compared again
    assert alone[0].cross_framework == {}
