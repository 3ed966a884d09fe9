"""Issue 22 (outcomes, localisation, claim 8's rule), end to end: a fixture task with a PyTorch loop, a Keras
`fit` primary and a GradientTape loop variant (tests/debug_corpus_v2/), its mutants run by
`python -m evaluator debug --format json` in real subprocesses with real PyTorch and TensorFlow."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(__file__).resolve().parent / "debug_corpus_v2"


@pytest.fixture(scope="module")
def document(tmp_path_factory):
    results = tmp_path_factory.mktemp("results")
    done = subprocess.run([sys.executable, "-m", "evaluator", "debug", "fit_regression", "--tasks", str(CORPUS),
                           "--results", str(results), "--format", "json", "--timeout", "120"],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_every_record_carries_its_warnings_and_a_broadcast_warning_is_warned(document):
    records = document["records"]
    assert records and all(isinstance(r["warnings"], list) for r in records)
    # the target reshaped to (1, n) against an (n, 1) prediction: MSELoss warns and broadcasts
    reshaped = next(r for r in records if r["impl_key"] == "torch" and r["site_id"].startswith("SHP-R"))
    assert reshaped["outcome"] == "warned" and reshaped["new_warnings"] >= 1
    assert any(w["category"] == "UserWarning" and "different to the input size" in w["message"]
               for w in reshaped["warnings"])
    clean = [r for r in records if r["site_id"] == "clean"]
    assert clean and all(r["outcome"] == "clean" for r in clean)


def test_pairs_with_a_benign_side_are_absorbed_and_out_of_the_primary(document):
    pairs = document["pairs"]
    benign = [p for p in pairs if "benign" in (p["a"]["outcome"], p["b"]["outcome"])]
    assert benign, "Keras fit casts float64 input: that DTYPE mutant is absorbed"
    assert all(p["absorbed"] and p["in_primary"] is False for p in benign)
    assert all("absorbed" in p["why_not_primary"] for p in benign)
    # claim 8 counts the primary comparison's pairs only (Keras fit as written is the as-written comparison)
    assert document["claim8"]["absorbed"] == len([p for p in benign if not p["aids"] and p["comparison"] == "primary"])


def test_loud_records_are_graded_from_the_innermost_user_location(document):
    loud = [r for r in document["records"] if r["outcome"] == "loud"]
    assert loud and all(r["localisation"] in ("exact", "near", "elsewhere", "no user frame") for r in loud)


def test_claim8_on_one_task_is_not_decidable(document):
    verdict = document["claim8"]["protocol"]
    assert verdict["rule"] == "discordant-pairs" and verdict["min_discordant"] == 10
    assert document["claim8"]["discordant"] < 10
    assert verdict["outcome"] in ("not decidable", "not measured") and verdict["verdict"] in ("undecided", "not measured")


def test_no_second_claim8_rule_exists():
    section = (ROOT / "evaluator" / "report" / "debugging_section.py").read_text()
    # the Debugging section shows the protocol's verdict and computes no test of its own
    assert not re.search(r"wilcoxon|clopper|binom|pvalue|p_value|scipy|base\.stats|log_ratio", section, re.I)
    assert "claim.verdict" in section
    for path in (ROOT / "evaluator").rglob("*.py"):
        if path.name in ("debugging_claim.py", "stats.py"):
            continue
        text = path.read_text()
        assert "clopper_pearson" not in text or path.name == "claim_verdicts.py", path
        assert "discordant_interval(" not in text, path


def test_the_main_jobs_claim_scope_plants_only_the_primary_comparisons_implementations():
    # `easeval report --debug-scope claim` (the default): PyTorch eager and TensorFlow's like-for-like loop;
    # the Keras `fit` primary is only in the as-written comparison, so its bugs wait for --debug-scope all.
    from evaluator.corpus.discovery import discover
    from evaluator.debugging.debug_plan import plan_debug
    from evaluator.debugging.mutant_runs import in_scope
    from evaluator.report.report_options import DEBUG_SCOPES, ReportOptions

    plan = plan_debug(discover(CORPUS))
    every = {t.implementation.key for t in in_scope(plan, None)}
    claim = {t.implementation.key for t in in_scope(plan, DEBUG_SCOPES["claim"])}
    assert every == {"torch", "tensorflow", "tensorflow_loop"}
    assert claim == {"torch", "tensorflow_loop"}
    assert ReportOptions().debug_comparisons == ("primary",)
    assert "--debug-scope all" in ReportOptions(debug_scope="all").command()
