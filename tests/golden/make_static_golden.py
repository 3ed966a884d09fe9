"""Write tests/golden/static_subset.json: the static evidence of a static-only report on a fixed
subset of the corpus, taken from git at GOLDEN_COMMIT so later corpus edits do not move it.

Run from the repository root: `python tests/golden/make_static_golden.py`. Only regenerate on purpose
(a statistics change that is meant to move numbers); the refactor guard depends on it staying put.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

GOLDEN_COMMIT = "5e56370"
GOLDEN_TASKS = ("activation_hooks", "batched_inference_metrics", "broadcasting_reductions", "cnn_forward",
                "compiled_mlp_forward", "custom_layer", "custom_loss", "early_stopping_checkpoint", "export_serving",
                "gradient_clipping", "lr_schedule", "recurrent_lstm", "save_reload_weights", "transformer_encoder_block")
GOLDEN_FILE = Path(__file__).with_name("static_subset.json")


def materialize(repo: Path, dest: Path) -> Path:
    """The golden tasks as they were at GOLDEN_COMMIT, under dest/tasks."""
    paths = [f"tasks/{t}" for t in GOLDEN_TASKS]
    archive = subprocess.run(["git", "-C", str(repo), "archive", GOLDEN_COMMIT, *paths], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest / "tasks"


def static_evidence(results: dict) -> dict:
    """The numbers a refactor must not move: every static comparison, every claim verdict and, since
    claim protocol 1, every claim's outcome with its primary test on the log scale."""
    keep = ("n", "n_nonzero", "statistic", "pvalue", "pvalue_holm", "ratio", "ratio_ci", "hodges_lehmann",
            "rank_biserial", "verdict")
    comparisons = {}
    for c in results["static_comparisons"] + results["variant_comparisons"]:
        key = f"{c['a_key']}|{c['b_key']}|{c['metric']['name']}"
        comparisons[key] = {k: c["result"][k] for k in keep} | {"tasks": c["tasks"]}
    claims = {str(c["number"]): c["verdict"] for c in results["claims"]}
    outcomes = {}
    for c in results["claims"]:
        primary = (c["primary"] or {}).get("result") or {}
        outcomes[str(c["number"])] = {"outcome": c["outcome"]["outcome"], "favours": c["outcome"]["favours"],
                                      **{k: primary.get(k) for k in ("n", "n_nonzero", "ratio", "ci", "ci_equivalence",
                                                                     "pvalue", "pvalue_holm")}}
    return {"comparisons": comparisons, "claims": claims, "claim_outcomes": outcomes}


def report_results(tasks_dir: Path, out: Path) -> dict:
    subprocess.run([sys.executable, "-m", "evaluator", "report", "--static-only", "--tasks", str(tasks_dir),
                    "--output", str(out / "report"), "--results", str(out / "results")],
                   check=True, capture_output=True, env={"PYTHONHASHSEED": "0", **__import__("os").environ})
    return json.loads((out / "report" / "results.json").read_text())


if __name__ == "__main__":
    repo = Path(__file__).resolve().parents[2]
    with tempfile.TemporaryDirectory() as tmp:
        tasks_dir = materialize(repo, Path(tmp))
        evidence = static_evidence(report_results(tasks_dir, Path(tmp)))
    GOLDEN_FILE.write_text(json.dumps(evidence, indent=1, sort_keys=True) + "\n")
    print(f"wrote {GOLDEN_FILE}: {len(evidence['comparisons'])} comparisons, {len(evidence['claims'])} claims")
