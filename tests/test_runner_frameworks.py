"""Both frameworks on one task (each in its own worker) and a framework that is not installed.

"Not installed" is real, not simulated: the test builds a virtual environment that links every
package of the test interpreter except TensorFlow, so `import tensorflow` genuinely fails there.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from evaluator.corpus.discovery import discover
from evaluator.runner.execute import run_corpus
from evaluator.results import ResultSet
from evaluator.runner.timing import TimingOptions

pytestmark = pytest.mark.slow  # every test here runs real framework workers

REPO = Path(__file__).resolve().parents[1]
FAULTS = Path(__file__).resolve().parent / "fault_corpus"
FAST = TimingOptions(min_time_s=0.05, max_time_s=0.2, warmup_s=0.02)


def test_torch_and_tensorflow_each_measured_and_agreeing(tmp_path):
    summary = run_corpus(discover(FAULTS), task_ids=["fault_correct"], results_dir=tmp_path, timing=FAST,
                         timeout=300)
    records = {r.framework: r for r in summary.records}
    assert {k: r.status for k, r in records.items()} == {"torch": "ok", "tensorflow": "ok"}, summary.records
    assert records["torch"].frameworks_agree is True and records["tensorflow"].frameworks_agree is True
    assert records["torch"].cross_framework["tensorflow"]["max_abs_diff"] == 0.0
    assert set(summary.import_seconds) == {"torch", "tensorflow"} and min(summary.import_seconds.values()) > 0
    assert records["tensorflow"].framework_version.startswith("2.")
    assert all(r.timing.median_s > 0 and r.peak_rss_bytes > 0 for r in records.values())
    # the file the run wrote holds the agreement and the import times (the environment is not mutated in place)
    (written,) = ResultSet.load(tmp_path).files
    assert all(r.frameworks_agree is True for r in written.records)
    assert written.environment.frameworks["tensorflow"].import_seconds == summary.import_seconds["tensorflow"]
    assert summary.counts == {"ok": 2} and summary.results_path.exists()


@pytest.fixture(scope="module")
def python_without_tensorflow(tmp_path_factory) -> str:
    """An interpreter where TensorFlow is not installed but everything else easeval needs is."""
    venv = tmp_path_factory.mktemp("venv-no-tf")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    target = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                 check=True, capture_output=True, text=True).stdout.strip())
    source = Path(sysconfig.get_paths()["purelib"])
    for entry in source.iterdir():
        if entry.name.lower().startswith(("tensorflow", "tf_keras", "tensorboard")) or entry.name in ("__pycache__",):
            continue
        (target / entry.name).symlink_to(entry)
    probe = subprocess.run([str(python), "-c", "import importlib.util as u; print(u.find_spec('tensorflow'), u.find_spec('torch') is not None)"],
                           capture_output=True, text=True, check=True)
    assert probe.stdout.split() == ["None", "True"]
    return str(python)


def test_framework_not_installed_is_skipped_with_how_to_install(python_without_tensorflow, tmp_path):
    done = subprocess.run(
        [python_without_tensorflow, "-m", "evaluator", "run", "fault_correct", "--tasks", str(FAULTS),
         "--results", str(tmp_path), "--min-time", "0.05", "--max-time", "0.2", "--format", "json"],
        cwd=REPO, capture_output=True, text=True, timeout=600, env=dict(os.environ, PYTHONPATH=str(REPO)))
    assert done.returncode == 0, done.stderr  # skipped is not a failure
    records = {r["framework"]: r for r in json.loads(done.stdout)}
    assert records["torch"]["status"] == "ok"
    assert records["tensorflow"]["status"] == "skipped"
    assert records["tensorflow"]["error"].startswith("TensorFlow is not installed: pip install")
    assert "note: TensorFlow is not installed" in done.stderr
