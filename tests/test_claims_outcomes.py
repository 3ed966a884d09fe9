"""Claim protocol 1's decision rule (kept loadable, so old reports can be recomputed) on synthetic
evidence whose answer is known by construction: each of the six outcomes, fragile and contested, like
for like, and claim 8 once debugging evidence exists. Protocol 2's rule: test_claims_protocol_v2.py.

The records give claim 1 (PyTorch vs TensorFlow, SLOC) per-task ratios chosen exactly: with the +1
offset for counts, torch = r * (tf + 1) - 1 makes the task's log ratio log(r).
"""

import math
from pathlib import Path

import pytest

from evaluator.corpus.discovery import Corpus
from evaluator.claims.report_builder import build_report, task_summaries
from evaluator.claims.replication import ExternalCorpus
from evaluator.claims.claim_protocol import load_protocol_version
from evaluator.claims.claim_verdicts import evaluate_claims, with_replication
from evaluator.claims.report_model import ClaimOutcome, StaticRecord
from evaluator.claims.claim_outcomes import (
    CONTRADICTED, EQUIVALENT, INCONCLUSIVE, MEANINGFUL, MIXED, NOT_DECIDABLE, NOT_MEASURED, SUPPORTED, TRIVIAL, UNDECIDED,
    contested,
)

from synthetic_evidence import task

NAMES = {"torch": "PyTorch", "tensorflow": "TensorFlow", "tensorflow_lowlevel": "low-level TensorFlow"}


def record(task_id, key, sloc, apis=10.0, **extra):
    framework, _, variant = key.partition("_")
    metrics = {"sloc": sloc, "lloc": sloc, "tokens": sloc * 8, "distinct_apis": apis, "concepts": 4.0,
               "api_density": 0.5, "high_level_calls": 0.0, **extra}
    return StaticRecord(task_id, key, framework, variant or None, f"tasks/{task_id}/{key}_impl.py", metrics, {})


def records(ratios, api_ratios=None, category=lambda i: "tensors"):
    out = []
    for i, r in enumerate(ratios):
        tf = 20.0 + 3 * i
        api_tf = 10.0 + i
        api_torch = (api_ratios[i] * (api_tf + 1) - 1) if api_ratios else api_tf
        out += [record(f"t{i}", "torch", r * (tf + 1) - 1, api_torch), record(f"t{i}", "tensorflow", tf, api_tf)]
    return out


V1 = load_protocol_version("1")


def claims(recs, categories=None, **kwargs):
    ids = sorted({r.task_id for r in recs}, key=lambda t: int(t[1:]))
    summaries = task_summaries(Corpus(Path("tasks"), tuple(task(t, (categories or {}).get(t, "tensors")) for t in ids)))
    kwargs.setdefault("protocol", V1)
    return {c.number: c for c in evaluate_claims(records=recs, tasks=summaries, names=NAMES, **kwargs)}


def jitter(i, size):
    return 1 + size * ((i % 5) - 2)


def alternating(n, size):
    """Log ratios of alternating sign and growing size: no direction at all."""
    return [math.exp(size * (1 if i % 2 else -1) * (1 + 0.1 * (i // 2))) for i in range(n)]


def test_meaningful_difference_supports_a_direction_claim():
    c = claims(records([0.6 * jitter(i, 0.02) for i in range(12)]))
    assert (c[1].outcome.outcome, c[1].outcome.favours, c[1].verdict) == (MEANINGFUL, "torch", SUPPORTED)
    assert c[1].primary.result.ratio == pytest.approx(0.6, rel=0.01)
    assert c[1].primary.result.pvalue_holm <= 0.05 and c[1].primary.result.ci_equivalence[1] < 0.8
    assert c[4].verdict == CONTRADICTED                      # a meaningful gap is not a small one
    assert c[1].mde is not None and c[1].mde > 1


def test_trivial_difference_is_significant_but_inside_the_band():
    c = claims(records([0.95 * jitter(i, 0.005) for i in range(12)]))
    assert c[1].primary.result.pvalue_holm <= 0.05
    assert (c[1].outcome.outcome, c[1].outcome.favours) == (TRIVIAL, "torch")
    assert c[1].verdict == CONTRADICTED                      # PyTorch is smaller, but by less than Δ
    assert c[4].verdict == SUPPORTED                         # so the gap is small


def test_equivalent_within_delta():
    c = claims(records(alternating(12, 0.03)))
    r = c[1].primary.result
    assert r.pvalue > 0.05 and 0.8 < r.ci_equivalence[0] and r.ci_equivalence[1] < 1.25
    assert (c[1].outcome.outcome, c[1].verdict, c[4].verdict) == (EQUIVALENT, CONTRADICTED, SUPPORTED)


def test_inconclusive_when_neither_test_decides():
    c = claims(records(alternating(12, 0.5)))
    assert (c[1].outcome.outcome, c[1].verdict) == (INCONCLUSIVE, UNDECIDED)
    assert c[4].verdict == UNDECIDED


def test_mixed_when_the_key_secondary_points_the_other_way():
    c = claims(records([0.6 * jitter(i, 0.02) for i in range(12)], api_ratios=[2.0 * jitter(i, 0.02) for i in range(12)]))
    assert (c[1].outcome.outcome, c[1].verdict) == (MIXED, UNDECIDED)
    assert "opposite directions" in c[1].outcome.reason


def test_not_decidable_below_the_minimum_says_how_many_tasks_would_do():
    c = claims(records([0.5 * jitter(i, 0.02) for i in range(6)]))
    assert (c[1].outcome.outcome, c[1].verdict) == (NOT_DECIDABLE, UNDECIDED)
    assert "6 tasks, fewer than the protocol's minimum of 9" in c[1].outcome.reason
    assert c[1].tasks_needed >= 9 and "not decidable" in c[1].marks
    assert c[1].robustness is None                            # nothing to be robust about


def test_not_decidable_when_holm_leaves_no_reachable_p_and_no_equivalence():
    # 12 tasks, but 9 are ties: 3 non-zero differences can give at best p = 2/8, and the 90% interval
    # (1, 1.41) reaches past Δ, so neither a difference nor an equivalence can be shown
    c = claims(records([1.0] * 9 + [2.0] * 3))
    assert c[1].primary.result.n_nonzero == 3
    assert c[1].outcome.outcome == NOT_DECIDABLE
    assert "smallest p these 3 non-zero differences allow is 1 after Holm" in c[1].outcome.reason


def test_a_verdict_at_the_minimum_is_fragile_and_the_flip_is_named():
    c = claims(records([0.6 * jitter(i, 0.02) for i in range(9)]))
    assert c[1].verdict == SUPPORTED and "fragile" in c[1].marks
    assert "without t0: not decidable (undecided)" in c[1].robustness.flips
    assert c[1].robustness.bootstrap_share is not None


def test_a_clear_verdict_on_many_tasks_is_robust():
    c = claims(records([0.5 * jitter(i, 0.02) for i in range(20)]),
               categories={f"t{i}": ("training" if i % 2 else "tensors") for i in range(20)})
    rob = c[1].robustness
    assert c[1].verdict == SUPPORTED and not rob.fragile and rob.flips == ()
    assert rob.bootstrap_share == 1.0
    kinds = {check.kind for check in rob.checks}
    assert kinds == {"leave one task out", "leave one category out", "metric swap", "margin", "zeros"}
    assert sum(check.kind == "leave one task out" for check in rob.checks) == 20


def test_contested_when_corpora_favour_different_sides():
    main = list(claims(records([0.6 * jitter(i, 0.02) for i in range(12)])).values())
    other = list(claims(records([1.6 * jitter(i, 0.02) for i in range(12)]), with_robustness=False).values())
    same = list(claims(records([0.7 * jitter(i, 0.02) for i in range(12)]), with_robustness=False).values())
    replicated = {c.number: c for c in with_replication(main, {"hf": other})}
    assert replicated[1].contested and "contested" in replicated[1].marks
    assert [r.corpus for r in replicated[1].replication] == ["tasks", "hf"]
    assert replicated[1].replication[1].outcome.favours == "tensorflow"
    agreeing = {c.number: c for c in with_replication(main, {"hf": same})}
    assert not agreeing[1].contested and len(agreeing[1].replication) == 2
    assert not replicated[8].replication            # not measured anywhere: nothing to show side by side


def test_contested_needs_significant_differences_on_both_sides():
    a = ClaimOutcome(MEANINGFUL, "torch", SUPPORTED)
    b = ClaimOutcome(TRIVIAL, "tensorflow", CONTRADICTED)
    undecided = ClaimOutcome(INCONCLUSIVE, None, UNDECIDED)
    assert contested({"tasks": a, "hf": b})
    assert not contested({"tasks": a, "hf": undecided})
    assert not contested({"tasks": a})


def test_external_corpora_through_build_report():
    recs = records([0.6 * jitter(i, 0.02) for i in range(12)])
    corpus = Corpus(Path("tasks"), tuple(task(f"t{i}") for i in range(12)))
    report = build_report(corpus, recs, [], [], command="easeval report", corpus_revision="abc", static_only=True,
                          external=[ExternalCorpus("hf", "corpora/hf", tuple(records([1.6 * jitter(i, 0.02) for i in range(12)])))])
    claim = report.claims[0]
    assert claim.contested and claim.replication[1].corpus == "hf"
    assert claim.replication[1].outcome.verdict == CONTRADICTED


def test_like_for_like_uses_the_core_variant_and_names_the_comparison():
    recs = records([0.6 * jitter(i, 0.02) for i in range(12)])
    # tasks 0..3: the TensorFlow primary hands its loop to Keras (fit) and a low-level variant exists
    for i in range(4):
        recs = [r if (r.task_id, r.impl_key) != (f"t{i}", "tensorflow") else
                record(f"t{i}", "tensorflow", r.metrics["sloc"], high_level_calls=1.0) for r in recs]
        recs.append(record(f"t{i}", "tensorflow_lowlevel", 200.0))
    c = claims(recs)
    assert c[1].primary.b_impls.count("tensorflow") == 12
    assert c[1].like_for_like.b_impls.count("tensorflow_lowlevel") == 4
    assert "Keras fit/evaluate on 4/12" in c[1].comparison_short
    assert "a core variant on 4 tasks" in c[1].like_for_like_comparison
    # against 200-line low-level variants PyTorch is far smaller there: the like-for-like ratio is lower
    assert c[1].like_for_like.result.ratio < c[1].primary.result.ratio


def test_debugging_claim_is_not_measured_until_evidence_exists_then_decided_by_the_discordant_pairs_rule():
    from evaluator.debugging.debug_records import DebugRecord
    from evaluator.debugging.debug_summary import PairOutcome

    def side(impl, loud):
        return DebugRecord(task="t", impl_key=impl, framework=impl, operator="SHP-R", site_id="SHP-R@1", aids=False,
                           status="error" if loud else "incorrect", outcome="loud" if loud else "silent-caught",
                           localisation="exact" if loud else None)

    recs = records([0.6 * jitter(i, 0.02) for i in range(12)])
    without = claims(recs)
    assert (without[8].outcome.outcome, without[8].verdict) == (NOT_MEASURED, NOT_MEASURED)
    # 18 discordant pairs favouring PyTorch, 2 favouring TensorFlow: share 0.9, its 99.09% exact interval from
    # 0.609: the difference of shares from 0.218, above the margin 0.11 (17 of 20 would give 0.094: undecided)
    pairs = [PairOutcome(f"t{i}", "SHP-R", "reshape", "one each", "torch", "tensorflow", "SHP-R@1", "SHP-R@1",
                         side("torch", i >= 2), side("tensorflow", i < 2)) for i in range(20)]
    v2 = load_protocol_version("2")
    claim = claims(recs, debugging=pairs, protocol=v2)[8]
    assert (claim.outcome.outcome, claim.outcome.favours, claim.verdict) == (MEANINGFUL, "torch", SUPPORTED)
    assert claim.primary is None and claim.pair_evidence.discordant == 20
    # claim 8 has its own rule; the other claims are decided exactly as without it
    assert claims(recs, debugging=pairs, protocol=v2)[1].verdict == claims(recs, protocol=v2)[1].verdict
    # protocol 1 keeps its frozen rule (per-task shares, log ratios), for recomputing old reports
    old = claims(recs, debugging=pairs)[8]
    assert old.pair_evidence is None and old.primary is not None and old.verdict == SUPPORTED


def test_per_category_rows_are_descriptive_below_the_minimum():
    from evaluator.claims.claim_verdicts import category_rows

    recs = records([0.6 * jitter(i, 0.02) for i in range(12)])
    categories = {f"t{i}": ("training" if i < 2 else "tensors") for i in range(12)}
    summaries = task_summaries(Corpus(Path("tasks"), tuple(task(f"t{i}", categories[f"t{i}"]) for i in range(12))))
    rows = {r.category: r for r in category_rows(recs, summaries)}
    assert rows["training"].descriptive and rows["training"].tasks == 2
    assert rows["training"].test.result.ci_level == pytest.approx(0.5)    # two tasks: their range, at 50%
    assert not rows["tensors"].descriptive and len(rows["tensors"].test.units) == 10
