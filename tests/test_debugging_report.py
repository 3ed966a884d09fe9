"""Claim 8's pair evidence and its discordant-pairs rule (worked by hand) and the report's Debugging section,
from synthetic records."""

import dataclasses
from pathlib import Path

import pytest

from evaluator.corpus.discovery import discover
from evaluator.debugging.claim_evidence import claim8_evidence
from evaluator.debugging.debug_plan import plan_debug
from evaluator.debugging.debug_records import DebugRecord
from evaluator.debugging.debug_summary import PairOutcome, summarize
from evaluator.claims.report_builder import build_report
from evaluator.claims.debugging_claim import with_debugging
from evaluator.report.pipeline import debugging_evidence
from evaluator.report.debugging_section import debugging_section
from evaluator.report.html import render_html
from evaluator.report.markdown import render_markdown

FIXTURES = Path(__file__).resolve().parent / "debug_corpus"
HOSTILE = "<script>alert('x')</script> ``` | broken | table"


def record(task, impl, site, outcome, *, localised=False, aids=False, message="boom", **extra):
    framework = impl.split("_")[0]
    return DebugRecord(task=task, impl_key=impl, framework=framework, operator=None if site == "clean" else site.split("@")[0],
                       site_id=site, aids=aids, status="error" if outcome == "loud" else "ok", outcome=outcome,
                       innermost_user_frame_is_planted=localised if outcome == "loud" else None,
                       localisation=("exact" if localised else "elsewhere") if outcome == "loud" else None,
                       planted_in_user_frames=localised if outcome == "loud" else None,
                       message_cites_planted_line=False if outcome == "loud" else None,
                       message=message if outcome == "loud" else None, exception_type="RuntimeError" if outcome == "loud" else None,
                       message_chars=len(message) if outcome == "loud" else None, frames_user=1, frames_framework=2,
                       frames_generated=0, started_at="2026-12-02T10:00:00+00:00", machine="testbox", **extra)


def pair(task, a, b, operator="SHP-W", **extra):
    return PairOutcome(task, operator, "matmul", "one each", "torch", "tensorflow", f"{operator}@1", f"{operator}@1", a, b,
                       **extra)


def test_claim8_evidence_counts_discordant_pairs_per_operator_by_hand():
    pairs = [
        pair("t1", record("t1", "torch", "SHP-W@1", "loud", localised=True), record("t1", "tensorflow", "SHP-W@1", "loud")),
        pair("t1", record("t1", "torch", "RED@2", "silent-caught"), record("t1", "tensorflow", "RED@2", "silent-undetected"),
             operator="RED"),
        pair("t1", record("t1", "torch", "AXIS@3", "glue"), record("t1", "tensorflow", "AXIS@3", "loud", localised=True)),
        pair("t2", record("t2", "torch", "SHP-W@1", "benign"), None),
        pair("t3", record("t3", "torch", "DTYPE@1", "loud", localised=True), record("t3", "tensorflow", "DTYPE@1", "benign"),
             operator="DTYPE"),
        pair("t3", record("t3", "torch", "ACT@1", "warned"), record("t3", "tensorflow", "ACT@1", "loud", localised=True),
             operator="ACT", weight=3.0),
        pair("t3", record("t3", "torch", "RED@1", "loud", localised=True), record("t3", "tensorflow", "RED@1", "loud"),
             operator="RED", comparison="as-written"),
    ]
    evidence = claim8_evidence(pairs)
    assert evidence.undecided_pairs == 2 and evidence.absorbed == 1 and evidence.other_comparisons == 1
    assert evidence.tasks == ("t1", "t3") and evidence.pairs == 3
    assert (evidence.a_only, evidence.b_only, evidence.concordant) == (1, 1, 1)   # SHP-W favours torch, ACT TensorFlow
    strata = {s.operator: s for s in evidence.strata}
    assert (strata["SHP-W"].a_only, strata["ACT"].b_only, strata["RED"].neither) == (1, 1, 1)
    assert evidence.weighted_difference == (1.0 - 3.0) / 4.0
    side = {name: (a, b) for name, a, b in evidence.secondaries}
    assert side["loud (share)"] == (1 / 3, 2 / 3) and side["warned (share)"] == (1 / 3, 0.0)
    assert [p.in_primary for p in pairs] == [True, True, False, False, False, True, False]


def _claim8(pairs, protocol=None):
    report = build_report(discover(FIXTURES), [], [], [], command="x", corpus_revision="r", static_only=True,
                          debugging=debugging_evidence(PairsOnly(tuple(pairs))), protocol=protocol)
    return next(c for c in report.claims if c.number == 8)


@dataclasses.dataclass
class PairsOnly:
    pairs: tuple


def _discordant(n, favour_torch=True, task="t"):
    hit = record(task, "torch", "SHP-W@1", "loud", localised=True)
    miss = record(task, "tensorflow", "SHP-W@1", "silent-caught")
    return [pair(f"{task}{i}", hit, miss) if favour_torch else pair(f"{task}{i}", miss.evolve(impl_key="torch", framework="torch"),
                                                                    hit.evolve(impl_key="tensorflow", framework="tensorflow"))
            for i in range(n)]


def test_claim8_is_decided_once_by_the_discordant_pairs_rule():
    # 12 discordant pairs, all favouring PyTorch: share 1, Clopper-Pearson at 99.09% from 0.638: difference >= 0.28 > 0.11
    claim = _claim8(_discordant(12))
    assert claim.verdict == "supported" and claim.outcome.outcome == "meaningful difference"
    assert "Clopper-Pearson" in claim.decided_by and claim.pair_evidence.discordant == 12
    assert _claim8(_discordant(12, favour_torch=False)).verdict == "contradicted"
    # 9 discordant pairs cannot decide (min_discordant = 10), whatever their split
    few = _claim8(_discordant(9))
    assert few.verdict == "undecided" and few.outcome.outcome == "not decidable" and "at least 10" in few.outcome.reason
    # 7 against 5: the interval straddles the margin
    mixed = _claim8(_discordant(7) + _discordant(5, favour_torch=False, task="u"))
    assert mixed.verdict == "undecided" and mixed.outcome.outcome == "inconclusive"
    assert _claim8([]).verdict == "not measured"


def test_the_one_screen_view_prints_claim8s_difference_its_interval_and_its_pairs():
    # It used to print "n/a" and 0 tasks beside a decided claim 8: the claim has no ratio test, so the
    # summary row now shows what decided it. 7 of 12 discordant pairs favour PyTorch: 2 * 7/12 - 1 = 0.167;
    # Clopper-Pearson at 99.09% (1 - 2 * 0.05 / 11: each tail 0.05 / 11), by hand from the beta quantiles.
    from scipy.stats import beta

    from evaluator.report.tables import glance_table

    pairs = _discordant(7) + _discordant(5, favour_torch=False, task="u")
    report = build_report(discover(FIXTURES), [], [], [], command="x", corpus_revision="r", static_only=True,
                          debugging=debugging_evidence(PairsOnly(tuple(pairs))))
    tail = 0.05 / 11
    low, high = 2 * beta.ppf(tail, 7, 6) - 1, 2 * beta.ppf(1 - tail, 8, 5) - 1
    [row] = [r for r in glance_table(report).rows if r[0] == "8"]
    assert f"difference of shares 0.167 ({low:.3g} to {high:.3g}, margin 0.11)" in row[4], (row[4], low, high)
    assert row[8] == "12 pairs / 12 discordant"


def test_concordant_pairs_never_decide_claim8():
    tied = [pair(f"t{i}", record(f"t{i}", "torch", "SHP-W@1", "silent-caught"),
                 record(f"t{i}", "tensorflow", "SHP-W@1", "silent-caught")) for i in range(40)]
    both = [pair(f"b{i}", record(f"b{i}", "torch", "SHP-W@1", "loud", localised=True),
                 record(f"b{i}", "tensorflow", "SHP-W@1", "loud", localised=True)) for i in range(40)]
    claim = _claim8(tied + both + _discordant(3))
    assert claim.outcome.outcome == "not decidable" and claim.pair_evidence.concordant == 80


def test_pairs_with_a_benign_side_are_absorbed_not_counted():
    absorbed = [pair(f"t{i}", record(f"t{i}", "torch", "DTYPE@1", "loud", localised=True),
                     record(f"t{i}", "tensorflow", "DTYPE@1", "benign")) for i in range(20)]
    claim = _claim8(absorbed)
    assert claim.pair_evidence.absorbed == 20 and claim.pair_evidence.pairs == 0 and claim.verdict == "not measured"


def test_protocol_1_keeps_its_frozen_per_task_rule():
    from evaluator.claims.claim_protocol import load_protocol_version

    claim = _claim8(_discordant(12), load_protocol_version("1"))
    assert claim.protocol_version == "1" and claim.pair_evidence is None and claim.verdict == "supported"


@pytest.fixture(scope="module")
def rendered():
    corpus = discover(FIXTURES)
    plan = plan_debug(corpus)
    records = []
    for target in plan.targets:
        records.append(record(target.task.task_id, target.implementation.key, "clean", "clean"))
        for m in plan.mutants[target.key]:
            outcome = "loud" if m.site.operator == "SHP-W" else "silent-caught"
            records.append(record(m.task, m.impl_key, m.site.site_id, outcome, localised=m.impl_key == "torch",
                                  message=HOSTILE, original_code="y = x @ w", mutated_code="y = x @ w.mT"))
            records.append(record(m.task, m.impl_key, m.site.site_id, "benign" if outcome == "loud" else outcome, aids=True))
    summary = summarize(plan, records)
    report = with_debugging(build_report(corpus, [], [], [], command="x", corpus_revision="r", static_only=True,
                                         debugging=debugging_evidence(summary)), summary)
    return report, "\n".join(render_markdown(report)), render_html(report)


def test_the_section_shows_outcomes_loud_figures_expressibility_aids_and_examples(rendered):
    report, markdown, html = rendered
    section = markdown[markdown.index("## Debugging"):]
    for heading in ("### Outcomes per operator and framework", "### Loud failures: where they point and what they say",
                    "### Expressibility", "### What the debugging aids change", "#### Claim 8: primary pairs per operator",
                    "### One example per operator, side by side", "#### SHP-W: layer width or matmul operand wrong"):
        assert heading in section, heading
    assert "| SHP-W | PyTorch |" in section and "loud -> benign" in section
    assert "- y = x @ w" in section and "+ y = x @ w.mT" in section
    assert report.debugging is not None and report.claims[7].number == 8


def test_messages_are_escaped_in_html_and_fenced_in_markdown(rendered):
    _, markdown, html = rendered
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "````" in markdown  # a fence longer than the message's own ``` run
    assert html.count("<svg") >= 1 and "Planted bugs: what happened" in html


def test_without_records_the_section_says_how_to_measure():
    report = build_report(discover(FIXTURES), [], [], [], command="x", corpus_revision="r", static_only=True)
    section = debugging_section(report)
    assert section.title == "Debugging" and "easeval debug" in str(section.blocks[0])
    assert with_debugging(report, None) is report
