"""Issue 22 part 2: a multi-process task's debugging jobs run the way the timing harness runs them. The
fault probe's hooks (the warnings recorder, logging handlers, the optimizer patch and step hook) stay in
the debugging job's own process and never reach a process the user's code forks (a DDP rank); the job's
steps are still counted. Real PyTorch, a real worker and a real fork, through the runner's scheduler."""

import json

import pytest

from evaluator.corpus.discovery import discover
from evaluator.runner.scheduler import Job, run_jobs

TASK_TOML = '''title = "One SGD step, then a forked child reports what it inherited (test fixture)"
category = "training"
description = "A forked child (as torch.multiprocessing's fork starts a rank) reports the hooks it sees."
tags = ["distributed"]
seed = 0

[tolerance]
rtol = 1e-4
atol = 1e-6

[sizes.small]
n = 4

[references]
torch = ["https://pytorch.org/docs/stable/multiprocessing.html"]
'''

SPEC = '''import numpy as np


def make_inputs(rng, n):
    return {"x": np.ones(n, dtype=np.float32)}


def check(output, inputs):
    return []
'''

# the parent takes one optimizer step (counted by the probe); the forked child takes one too (not counted in
# the parent) and reports the probe's hooks it inherited: logging handlers, the warnings recorder, the patch
IMPL = '''import json
import logging
import os
import warnings

import torch
import torch.multiprocessing as mp


def child(rank, path):
    handlers = sorted({type(h).__name__ for name in ("", "tensorflow", "absl") for h in logging.getLogger(name).handlers})
    w = torch.nn.Parameter(torch.ones(2))
    opt = torch.optim.SGD([w], lr=0.1)
    w.sum().backward()
    opt.step()
    with open(path, "w") as f:
        json.dump({"handlers": handlers, "optimizer_init": torch.optim.Optimizer.__init__.__qualname__,
                   "recording_warnings": getattr(warnings._showwarnmsg_impl, "__name__", "") == "append"}, f)


def setup(inputs, device):
    return {"x": torch.from_numpy(inputs["x"])}


def run(state):
    w = torch.nn.Parameter(torch.ones(2))
    opt = torch.optim.SGD([w], lr=0.1)
    w.sum().backward()
    opt.step()
    path = os.path.join(os.environ["EASEVAL_TEST_OUT"], "child.json")
    mp.start_processes(child, args=(path,), nprocs=1, start_method="fork")
    here = sorted({type(h).__name__ for h in logging.getLogger().handlers})
    with open(os.path.join(os.environ["EASEVAL_TEST_OUT"], "parent.json"), "w") as f:
        json.dump({"handlers": here, "optimizer_init": torch.optim.Optimizer.__init__.__qualname__}, f)
    return {"x": state["x"]}
'''


@pytest.mark.slow
def test_probe_hooks_do_not_reach_a_forked_rank(tmp_path, monkeypatch):
    task_dir = tmp_path / "tasks" / "forks_a_rank"
    task_dir.mkdir(parents=True)
    (task_dir / "task.toml").write_text(TASK_TOML)
    (task_dir / "spec.py").write_text(SPEC)
    (task_dir / "torch_impl.py").write_text(IMPL)
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setenv("EASEVAL_TEST_OUT", str(out))   # the worker inherits the environment
    corpus = discover(tmp_path / "tasks")
    assert not corpus.all_problems, corpus.all_problems
    task = corpus.tasks[0]
    impl = task.implementation("torch")
    job = Job(task, impl, "cpu", "small", measure=None, output_path=tmp_path / "o.npz",
              debug={"aids": False, "after_clean": None, "compiler_cache_dir": None})
    [outcome] = run_jobs([job], tmp_path / "work", threads=1, timeout=120, parallel=True, workers=1)
    assert outcome.status == "ok", outcome.result
    parent = json.loads((out / "parent.json").read_text())
    child = json.loads((out / "child.json").read_text())
    # the debugging job itself has the probe: its handler, its patched optimizer, its step count
    assert "_ListHandler" in parent["handlers"] and parent["optimizer_init"] != "Optimizer.__init__"
    assert outcome.result["steps_completed"] == 1      # the rank's step is not the job's
    # the forked rank has none of it
    assert child == {"handlers": [], "optimizer_init": "Optimizer.__init__", "recording_warnings": False}


def test_a_multi_process_task_gets_workers_of_its_own_without_the_debug_preload():
    from conftest import TASKS
    from evaluator.debugging.debug_plan import plan_debug
    from evaluator.debugging.mutant_runs import _Unit, debug_preload, shard_units, split_multi_process

    corpus = discover(TASKS).select(["data_parallel_step", "mlp_training"])
    plan = plan_debug(corpus, ["ACT"], None)
    units = [_Unit(t, False, plan.mutants.get(t.key, [])) for t in plan.targets]
    shared, own = split_multi_process(units)
    assert {u.target.task.task_id for u in shared} == {"mlp_training"}
    # one shard per framework of data_parallel_step, none mixed with another task's units
    assert sorted(shard[0].framework for shard in own) == ["tensorflow", "torch"]
    assert all(u.target.task.task_id == "data_parallel_step" for shard in own for u in shard)
    assert all(len({u.framework for u in s}) == 1 for s in shard_units(shared, 2))
    assert "torch._inductor.compile_fx" in debug_preload(["torch"])["torch"]   # what those shards leave out
