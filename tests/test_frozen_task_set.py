"""The frozen confirmatory task set (claims_manifest.toml): adding a task to a copy of tasks/ leaves every
confirmatory verdict and number unchanged and shows the task in the added-since set; a changed task
leaves the confirmatory set; a corpus with no frozen task is exploratory."""

import json
import shutil
from pathlib import Path

import pytest

from evaluator.claims.frozen_set import MANIFEST_FILE, corpus_hashes, load_frozen, task_set
from evaluator.corpus.discovery import discover
from evaluator.report.pipeline import make_report
from evaluator.report.report_options import ReportOptions

REPO = Path(__file__).resolve().parents[1]


def claims_of(tasks: Path, out: Path) -> dict:
    make_report(ReportOptions(tasks_dir=tasks, results_dir=out / "results", output_dir=out / "report",
                              static_only=True))
    return json.loads((out / "report" / "results.json").read_text())


def numbers(data: dict) -> list:
    """Everything a confirmatory verdict rests on, claim by claim."""
    keep = []
    for c in data["claims"]:
        p = c["primary"] or {}
        keep.append((c["number"], c["verdict"], c["outcome"], p.get("ci_holm"), p.get("holm_level"),
                     (p.get("result") or {}).get("ratio"), p.get("units"), c["like_for_like_outcome"]))
    return keep


@pytest.fixture(scope="module")
def corpora(tmp_path_factory):
    root = tmp_path_factory.mktemp("frozen")
    shutil.copytree(REPO / "tasks", root / "as_frozen" / "tasks")
    shutil.copytree(REPO / "tasks", root / "one_more" / "tasks")
    shutil.copytree(REPO / "tasks" / "matmul_einsum", root / "one_more" / "tasks" / "matmul_einsum_again")
    return claims_of(root / "as_frozen" / "tasks", root / "as_frozen"), claims_of(root / "one_more" / "tasks", root / "one_more")


def test_the_shipped_corpus_is_the_frozen_set():
    frozen = load_frozen()
    assert frozen is not None and frozen.protocol_version == "2" and MANIFEST_FILE.exists()
    current = task_set(corpus_hashes(discover(REPO / "tasks")), frozen, "2")
    assert current.label == "confirmatory" and (current.added, current.changed, current.missing) == ((), (), ())
    assert len(current.used) == len(frozen.tasks) >= 70


def test_adding_a_task_changes_no_confirmatory_number_and_names_the_task(corpora):
    frozen, one_more = corpora
    assert frozen["task_set"]["label"] == one_more["task_set"]["label"] == "confirmatory"
    assert numbers(one_more) == numbers(frozen)
    assert one_more["task_set"]["added"] == ["matmul_einsum_again"] and frozen["task_set"]["added"] == []
    added = [c for c in one_more["replication"]["provenance"] if c["corpus"] == "added-since-v2"]
    assert added and "matmul_einsum_again" not in {u for c in one_more["claims"] for u in (c["primary"] or {}).get("units", ())}


def test_a_changed_task_leaves_the_confirmatory_set():
    hashes = corpus_hashes(discover(REPO / "tasks"))
    changed = {**hashes, "mlp_training": {**hashes["mlp_training"], "torch": "0" * 64}}
    found = task_set(changed, load_frozen(), "2")
    assert found.changed == ("mlp_training",) and "mlp_training" not in found.used
    renamed = {f"{t}_elsewhere": h for t, h in hashes.items()}
    assert task_set(renamed, load_frozen(), "2").label == "exploratory"
    assert task_set(hashes, load_frozen(), "1").label == "exploratory"     # protocol 1 froze no set


def test_files_of_a_framework_the_freeze_did_not_know_leave_a_task_unchanged():
    hashes = corpus_hashes(discover(REPO / "tasks"))
    frozen = load_frozen()
    assert not any(key.startswith("keras") for task in frozen.tasks.values() for key in task)
    with_keras = {**hashes, "mlp_training": {**hashes["mlp_training"], "keras": "1" * 64},
                  "cnn_forward": {**hashes["cnn_forward"], "keras_fit": "2" * 64}}
    found = task_set(with_keras, frozen, "2")
    assert "mlp_training" in found.used and "cnn_forward" in found.used and found.changed == ()
    # a new file of a framework the freeze knew (a new torch variant) still changes its task
    new_variant = {**hashes, "mlp_training": {**hashes["mlp_training"], "torch_fresh": "3" * 64}}
    assert task_set(new_variant, frozen, "2").changed == ("mlp_training",)
