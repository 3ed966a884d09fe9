"""Refactor guard: the static evidence (every comparison's n, statistic, p, ratio, CI, verdict, and
every claim's verdict) of a static-only report on a fixed 14-task subset, pinned in git, stays
identical to tests/golden/static_subset.json (written before the typed-records refactor)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).with_name("golden")))
from make_static_golden import GOLDEN_COMMIT, GOLDEN_FILE, materialize, report_results, static_evidence  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def _have_commit() -> bool:
    done = subprocess.run(["git", "-C", str(REPO), "cat-file", "-e", f"{GOLDEN_COMMIT}^{{commit}}"], capture_output=True)
    return done.returncode == 0


@pytest.mark.skipif(not _have_commit(), reason=f"golden corpus commit {GOLDEN_COMMIT} not in this clone (shallow?)")
def test_static_evidence_matches_the_golden_file(tmp_path):
    tasks_dir = materialize(REPO, tmp_path)
    evidence = static_evidence(report_results(tasks_dir, tmp_path))
    golden = json.loads(GOLDEN_FILE.read_text())
    assert evidence["claims"] == golden["claims"]
    assert sorted(evidence["comparisons"]) == sorted(golden["comparisons"])
    for key, expected in golden["comparisons"].items():
        assert evidence["comparisons"][key] == expected, key
