"""What a new task author trips over (issue 16): the contract checked statically, the author's own
frame shown for an error, and `pure = true` catching a run() whose gradient accumulates.

The executed tests run real torch in real worker processes, on tests/contract_corpus/.
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from evaluator.commands.task_check import check_corpus, task_frame_text
from evaluator.cli import main
from evaluator.runner.reference_comparison import repeat_difference
from evaluator.corpus.impl_contract import contract_violations
from evaluator.corpus.discovery import discover

CONTRACT = Path(__file__).resolve().parent / "contract_corpus"


def violations(source: str) -> list[str]:
    return [str(v) for v in contract_violations(ast.parse(source))]


# -- the contract, statically -------------------------------------------------------------------

VALID = [
    "def setup(inputs, device):\n    pass\n\ndef run(state):\n    pass\n",
    "def setup(inputs, device=None, *rest):\n    pass\n\ndef run(t, scale=2):\n    pass\n",  # defaults are fine
    "import torch\n\ndef setup(i, d):\n    pass\n\nrun = torch.compile(lambda s: s)\n",  # bound, arity unknown
    "from helpers import setup\n\n@torch.no_grad()\ndef run(state):\n    pass\n",
    "if FAST:\n    def setup(i, d):\n        pass\nelse:\n    def setup(i, d):\n        pass\ntry:\n    run = f\nexcept E:\n    pass\n",
]


@pytest.mark.parametrize("source", VALID)
def test_sources_that_keep_the_contract(source):
    assert violations(source) == []


BROKEN = [
    ("def setup(inputs, device):\n    pass\n\ndef run(state, scale):\n    pass\n",
     ["contract: line 4: run(state, scale) cannot be called as run(state): write `def run(state):`"]),
    ("def setup(inputs):\n    pass\n\ndef run(state):\n    pass\n",
     ["contract: line 1: setup(inputs) cannot be called as setup(inputs, device): write `def setup(inputs, device):`"]),
    ("def setup(inputs, device, *, model):\n    pass\n\ndef run(state):\n    pass\n",
     ["contract: line 1: setup(inputs, device, *, model) cannot be called as setup(inputs, device): "
      "write `def setup(inputs, device):`"]),
    ("def setup(inputs, device):\n    pass\n\nasync def run(state):\n    pass\n",
     ["contract: line 4: run is 'async def'; the harness calls it as a plain function: write `def run(state):`"]),
    ("def setup(inputs, device):\n    pass\n\nclass Model:\n    def run(self, state):\n        pass\n",
     ["contract: line 5: run is defined inside another function or class, not at module level: the harness "
      "calls the module's run; move it to the top level as `def run(state):`"]),
    ("def setup(inputs, device):\n    pass\n\ndef runn(state):\n    pass\n",
     ["contract: line 4: defines runn(...) but no function run: did you mean `def run(state):`?"]),
    ("def run(state):\n    pass\n",
     ["contract: no module-level function setup: write `def setup(inputs, device):` (builds what run needs; not "
      "timed; see tasks/README.md); the module defines run (line 1)"]),
]


@pytest.mark.parametrize(("source", "expected"), BROKEN)
def test_each_broken_contract_names_the_line_and_what_to_write(source, expected):
    assert violations(source) == expected


def test_list_names_file_and_line_without_running_anything():
    result = CliRunner().invoke(main, ["list", "--tasks", str(CONTRACT)])
    assert result.exit_code == 1
    problems = [line for line in result.stderr.splitlines() if line.startswith("problem: ")]
    assert problems == [
        f"problem: {CONTRACT / 'contract_broken' / 'tensorflow_impl.py'}: contract: no module-level function run: "
        "write `def run(state):` (the measured work; see tasks/README.md); the module defines setup (line 4), compute (line 8)",
        f"problem: {CONTRACT / 'contract_broken' / 'torch_impl.py'}: contract: line 8: run(x, scale) cannot be called "
        "as run(state): write `def run(state):`",
    ]


def test_check_reports_the_contract_and_runs_nothing_of_that_task():
    corpus = discover(CONTRACT).select(["contract_broken"])
    assert corpus.tasks[0].runnable_implementations == ()
    report = check_corpus(corpus, timeout=60)
    assert report.outcomes == ()  # no worker started: no framework imported
    messages = {p.path.name: p.message for p in report.problems}
    assert messages["torch_impl.py"].startswith("contract: line 8: run(x, scale)")
    assert messages["tensorflow_impl.py"].startswith("contract: no module-level function run")


# -- the frame shown for an error, and pure = true, executed --------------------------------------


@pytest.fixture(scope="module")
def contract_report():
    return check_corpus(discover(CONTRACT).select(["gradient_pure", "raises_in_framework"]), timeout=120)


def _problem(report, task_id: str, filename: str) -> str:
    [message] = [p.message for p in report.problems if p.task_id == task_id and p.path.name == filename]
    return message


@pytest.mark.slow
def test_an_error_inside_torch_is_shown_at_the_authors_line(contract_report):
    message = _problem(contract_report, "raises_in_framework", "torch_impl.py")
    assert message.startswith("error: RuntimeError in run(state): mat1 and mat2 shapes cannot be multiplied (2x8 and 3x4)")
    assert message.endswith("[line 9, in project: return layer(x)  # x has 8 columns, the layer expects 3]")
    [outcome] = [o for o in contract_report.outcomes if o.job.task.task_id == "raises_in_framework"]
    last_frame = [line for line in outcome.result["traceback"].splitlines() if line.strip().startswith("File ")][-1]
    assert "torch_impl.py" not in last_frame  # the innermost frame overall is torch's own, not what is shown


def test_a_frame_in_the_spec_names_the_spec():
    impl = CONTRACT / "gradient_pure" / "torch_impl.py"
    frame = {"file": str(impl.parent / "spec.py"), "line": 5, "function": "make_inputs", "code": "return 1 / 0"}
    assert task_frame_text(frame, impl) == " [spec.py, line 5, in make_inputs: return 1 / 0]"
    assert task_frame_text(None, impl) == ""  # raised outside the task's files: no frame of easeval's is shown


@pytest.mark.slow
def test_pure_true_catches_a_gradient_that_accumulates(contract_report):
    statuses = {o.job.implementation.key: o.status for o in contract_report.outcomes if o.job.task.task_id == "gradient_pure"}
    assert statuses == {"torch": "ok", "torch_accumulating": "incorrect"}
    message = _problem(contract_report, "gradient_pure", "torch_accumulating_impl.py")
    assert message.startswith("incorrect: not pure: task.toml declares pure = true, but a second run(state) on the same "
                              "state returned a different output: output.grad[0]: ")
    first, second = (np.float32(v) for v in message.split("output.grad[0]: ")[1].split(";")[0].split(", then "))
    assert second == 2 * first  # the gradient was added to itself (float32 values, printed in full)


@pytest.mark.slow
def test_without_pure_the_accumulating_gradient_passes(tmp_path):
    """Why `pure` exists: only the first call is checked, and its gradient is right."""
    shutil.copytree(CONTRACT / "gradient_pure", tmp_path / "gradient_pure")
    toml = tmp_path / "gradient_pure" / "task.toml"
    toml.write_text(toml.read_text().replace("pure = true\n", ""))
    report = check_corpus(discover(tmp_path), timeout=120)
    assert {o.job.implementation.key: o.status for o in report.outcomes} == {"torch": "ok", "torch_accumulating": "ok"}


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ({"a": np.array([1.0, np.nan])}, {"a": np.array([1.0, np.nan])}, ""),
        ([np.float32(1.5), np.float32(2.5)], [np.float32(1.5), np.float32(2.5)], ""),
        ({"a": np.array([1.0, 2.0])}, {"a": np.array([1.0, 2.0 + 2**-40])}, "output.a[1]: 2.0, then 2.0000000000009095"),
        ({"a": np.float32(1.0)}, {"a": np.float64(1.0)}, "output.a: float32[], then float64[]"),
        ({"a": 1}, {"b": 1}, "the output's structure changed: ['output.a'], then ['output.b']"),
        ({"n": np.array(3)}, {"n": np.array(4)}, "output.n: 3, then 4"),
    ],
)
def test_repeat_difference_is_bitwise(first, second, expected):
    assert repeat_difference(first, second) == expected
