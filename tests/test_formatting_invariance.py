"""The size claims' primary (protocol 2: logical lines) does not move when a file is re-wrapped; SLOC does."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from evaluator.analysis.file_analysis import analyze_source
from evaluator.analysis.metric_rows import metric_values
from evaluator.claims.claim_protocol import load_protocol

REPO = Path(__file__).resolve().parents[1]
ROOTS = frozenset({"torch", "tensorflow", "keras", "jax"})


def metrics_of(path: Path) -> dict:
    return metric_values(analyze_source(path.read_bytes(), ROOTS))


@pytest.mark.parametrize("task", ["mlp_training", "gan_train_step", "custom_loss"])
def test_rewrapping_at_line_length_40_moves_sloc_and_not_the_primary(task, tmp_path):
    if shutil.which("ruff") is None and subprocess.run([sys.executable, "-m", "ruff", "--version"],
                                                       capture_output=True).returncode != 0:
        pytest.skip("ruff is not installed (pip install -e '.[test]')")
    primary = load_protocol().claim(1).primary.name
    assert primary == "lloc" and all(load_protocol().claim(n).primary.name == primary for n in (3, 4, 7))
    original = REPO / "tasks" / task / "torch_impl.py"
    wrapped = tmp_path / "torch_impl.py"
    shutil.copy(original, wrapped)
    done = subprocess.run([sys.executable, "-m", "ruff", "format", "--isolated", "--line-length", "40", str(wrapped)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    before, after = metrics_of(original), metrics_of(wrapped)
    assert after["sloc"] > before["sloc"]          # the same code on more lines
    assert after[primary] == before[primary]        # the same statements
