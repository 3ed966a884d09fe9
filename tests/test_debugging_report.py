"""Claim 8's per-task evidence (worked by hand) and the report's Debugging section, from synthetic records."""

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
                       planted_in_user_frames=localised if outcome == "loud" else None,
                       message_cites_planted_line=False if outcome == "loud" else None,
                       message=message if outcome == "loud" else None, exception_type="RuntimeError" if outcome == "loud" else None,
                       message_chars=len(message) if outcome == "loud" else None, frames_user=1, frames_framework=2,
                       frames_generated=0, started_at="2026-12-02T10:00:00+00:00", machine="testbox", **extra)


def pair(task, a, b):
    return PairOutcome(task, "SHP-W", "matmul", "one each", "torch", "tensorflow", "SHP-W@1", "SHP-W@1", a, b)


def test_claim8_evidence_per_task_by_hand():
    pairs = [
        pair("t1", record("t1", "torch", "SHP-W@1", "loud", localised=True), record("t1", "tensorflow", "SHP-W@1", "loud")),
        pair("t1", record("t1", "torch", "RED@2", "silent-caught"), record("t1", "tensorflow", "RED@2", "silent-undetected")),
        pair("t1", record("t1", "torch", "AXIS@3", "glue"), record("t1", "tensorflow", "AXIS@3", "loud", localised=True)),
        pair("t2", record("t2", "torch", "SHP-W@1", "benign"), None),
    ]
    evidence = claim8_evidence(pairs)
    assert [t.task for t in evidence.tasks] == ["t1"] and evidence.undecided_pairs == 2   # glue and not run
    t1 = evidence.tasks[0]
    assert t1.pairs == 2 and t1.primary == (0.5, 0.0)          # torch 1 of 2 loud and localised; TensorFlow's loud one is not
    assert t1.secondaries["loud (share)"] == (0.5, 0.5)
    assert t1.secondaries["silent and undetected (share)"] == (0.0, 0.5)
    assert t1.secondaries["message length (median characters, loud)"] == (4.0, 4.0)


def _claim8(pairs, summary):
    evidence = debugging_evidence(dataclasses.replace(summary, pairs=tuple(pairs)))
    report = build_report(discover(FIXTURES), [], [], [], command="x", corpus_revision="r", static_only=True,
                          debugging=evidence)
    return next(c for c in report.claims if c.number == 8)


def test_claim8_is_decided_once_by_the_protocol_and_ties_cannot_decide_it():
    summary = summarize(plan_debug(discover(FIXTURES)), [])
    loud = [pair(f"t{i}", record(f"t{i}", "torch", "SHP-W@1", "loud", localised=True),
                 record(f"t{i}", "tensorflow", "SHP-W@1", "silent-caught")) for i in range(12)]
    claim = _claim8(loud, summary)
    # share 1.0 against 0.0 on 12 tasks: ratio (1 + 0.1) / (0 + 0.1) = 11 everywhere, far beyond Δ = 1.25
    assert claim.verdict == "supported" and claim.outcome.outcome == "meaningful difference"
    mirrored = [dataclasses.replace(p, a=p.b, b=p.a) for p in loud]
    assert _claim8(mirrored, summary).verdict == "contradicted"
    few = _claim8(loud[:8], summary)
    assert few.verdict == "undecided" and few.outcome.outcome == "not decidable" and "fewer than" in few.outcome.reason
    # 3 tasks differ, 9 are tied at 0 on both sides: ties never make equivalence (protocol 2's min_nonzero)
    tied = [pair(f"t{i}", record(f"t{i}", "torch", "SHP-W@1", "silent-caught"),
                 record(f"t{i}", "tensorflow", "SHP-W@1", "silent-caught")) for i in range(3, 12)]
    mostly_tied = _claim8(loud[:3] + tied, summary)
    assert mostly_tied.verdict == "undecided" and "tied units cannot decide" in mostly_tied.outcome.reason
    assert _claim8([], summary).verdict == "not measured"


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
    report = with_debugging(build_report(corpus, [], [], [], command="x", corpus_revision="r", static_only=True), summary)
    return report, "\n".join(render_markdown(report)), render_html(report)


def test_the_section_shows_outcomes_loud_figures_expressibility_aids_and_examples(rendered):
    report, markdown, html = rendered
    section = markdown[markdown.index("## Debugging"):]
    for heading in ("### Outcomes per operator and framework", "### Loud failures: where they point and what they say",
                    "### Expressibility", "### What the debugging aids change", "#### Claim 8 per task",
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
