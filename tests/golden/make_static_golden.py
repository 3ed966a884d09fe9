"""Write the golden files: the static evidence of a static-only report on a fixed subset of the corpus,
taken from git at GOLDEN_COMMIT so later corpus edits do not move it, under each claim protocol:
tests/golden/static_subset.json (protocol 1, frozen with it) and static_subset_v2.json (protocol 2).

Run from the repository root: `python tests/golden/make_static_golden.py [VERSION]` (default: the current
protocol). Only regenerate on purpose (a statistics change that is meant to move numbers); the
refactor guard depends on it staying put.
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
GOLDEN_FILES = {"1": Path(__file__).with_name("static_subset.json"), "2": Path(__file__).with_name("static_subset_v2.json")}
GOLDEN_FILE = GOLDEN_FILES["1"]


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
        if c.get("protocol_version", "1") != "1":   # protocol 2 decides from the interval at the family-wise level
            outcomes[str(c["number"])].update({k: (c["primary"] or {}).get(k) for k in ("holm_level", "ci_holm", "ci_holm_level")})
    return {"comparisons": comparisons, "claims": claims, "claim_outcomes": outcomes}


def report_results(tasks_dir: Path, out: Path, protocol: str = "2") -> dict:
    subprocess.run([sys.executable, "-m", "evaluator", "report", "--static-only", "--tasks", str(tasks_dir),
                    "--output", str(out / "report"), "--results", str(out / "results"), "--protocol", protocol],
                   check=True, capture_output=True, env={"PYTHONHASHSEED": "0", **__import__("os").environ})
    return json.loads((out / "report" / "results.json").read_text())


if __name__ == "__main__":
    repo = Path(__file__).resolve().parents[2]
    version = sys.argv[1] if len(sys.argv) > 1 else "2"
    with tempfile.TemporaryDirectory() as tmp:
        tasks_dir = materialize(repo, Path(tmp))
        evidence = static_evidence(report_results(tasks_dir, Path(tmp), version))
    GOLDEN_FILES[version].write_text(json.dumps(evidence, indent=1, sort_keys=True) + "\n")
    print(f"wrote {GOLDEN_FILES[version]}: {len(evidence['comparisons'])} comparisons, {len(evidence['claims'])} claims")
