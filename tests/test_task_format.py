"""The task corpus has one layout: `ruff format` (pyproject.toml's [tool.ruff]) over tasks/.

Static metrics count lines and tokens, so an implementation's layout must come from one formatter,
not from its author's habits (see the comment in pyproject.toml)."""

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIX = "python -m ruff format tasks/"

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("ruff") is None,
    reason="ruff is not installed (pip install -e '.[test]'); the corpus layout is not checked",
)


def ruff_format_check(*paths: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "--diff", *paths],
        cwd=cwd, capture_output=True, text=True, timeout=120,
    )


def unformatted_files(result: subprocess.CompletedProcess) -> list[str]:
    """The files `ruff format --check --diff` would change (its diff headers name them)."""
    return sorted({line[4:].split("\t")[0].strip() for line in result.stdout.splitlines()
                   if line.startswith("--- ")})


def test_tasks_are_formatted():
    result = ruff_format_check("tasks")
    assert result.returncode in (0, 1), f"ruff failed (exit {result.returncode}):\n{result.stderr}"
    files = unformatted_files(result)
    assert result.returncode == 0, (
        f"{len(files)} task file(s) are not formatted: {', '.join(files) or result.stderr.strip()}\n"
        f"run from the repository root: {FIX}\n\n{result.stdout[-4000:]}")


def test_a_misformatted_task_file_is_reported(tmp_path):
    # the repository's pyproject.toml selects tasks/ and the style; a copy of it beside a copy of
    # one task makes the check run on the copy with the same settings
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    task = tmp_path / "tasks" / "mlp_training"
    task.mkdir(parents=True)
    source = (ROOT / "tasks" / "mlp_training" / "torch_impl.py").read_text()
    (task / "torch_impl.py").write_text(source)
    assert ruff_format_check("tasks", cwd=tmp_path).returncode == 0

    misformatted = source.replace("def setup(inputs, device):", "def setup( inputs,device ) :")
    assert misformatted != source
    (task / "torch_impl.py").write_text(misformatted)
    result = ruff_format_check("tasks", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert unformatted_files(result) == ["tasks/mlp_training/torch_impl.py"]
