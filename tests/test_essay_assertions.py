"""The essay's assertions no claim decides: every one is covered, described on its tagged tasks only."""

import dataclasses
from pathlib import Path

from evaluator.corpus.discovery import Corpus, discover
from evaluator.corpus.task_metadata import TAGS
from evaluator.claims.essay_assertions import ASSERTIONS, assertion_rows
from evaluator.claims.report_builder import task_summaries
from evaluator.report.layout import report_sections
from evaluator.report.markdown import render_markdown
from synthetic_evidence import records_for, synthetic_report, task

REPO = Path(__file__).resolve().parents[1]


def _tagged(task_id, tags):
    t = task(task_id)
    return dataclasses.replace(t, metadata=dataclasses.replace(t.metadata, tags=tuple(tags)))


def test_every_row_of_the_essay_is_a_claim_or_an_assertion_here():
    essay = (REPO.parent / "shared" / "ESSAY_CLAIMS.md")
    numbers = {a.number for a in ASSERTIONS}
    assert numbers == {3, 6, 11, 12, 13, 14}
    assert all(a.tag in TAGS for a in ASSERTIONS if a.tag)
    if essay.exists():  # the shared folder sits beside a checkout, not inside a clean clone
        rows = [line for line in essay.read_text().splitlines() if line.startswith("| ") and line[2].isdigit()]
        undecided = {int(line.split("|")[1]) for line in rows if "claim " not in line.split("|")[-2]}
        assert undecided == numbers


def test_only_tagged_tasks_are_described_and_the_ratio_is_theirs():
    # t0..t3 tagged distributed with PyTorch 2x larger; t4..t9 untagged with PyTorch 0.5x: the row sees 2x only.
    records = [r for r in records_for(4, 2.0)] + [dataclasses.replace(r, task_id=f"t{int(r.task_id[1:]) + 4}")
                                                     for r in records_for(6, 0.5)]
    tasks = [_tagged(f"t{i}", ["distributed"] if i < 4 else ["learning-curve"]) for i in range(10)]
    rows = {r.number: r for r in assertion_rows(records, task_summaries(Corpus(Path("tasks"), tuple(tasks))))}
    distributed = rows[11].row
    assert distributed.tasks == 4 and len(distributed.test.units) == 4 and distributed.descriptive
    assert 1.8 < distributed.test.result.ratio < 2.2
    assert rows[3].row.tasks == 0 and rows[3].row.test is None       # no task tagged dynamic-graphs
    assert rows[13].row is None and rows[13].tag == ""               # not measurable from code


def test_the_report_shows_the_assertions_table():
    report = synthetic_report()
    md = "\n".join(render_markdown(report))
    assert "Essay assertions no claim decides" in md and "| 14 | Industry vs research adoption | none |" in md
    claims = next(s for s in report_sections(report) if s.id == "claims")
    assert claims.blocks[-1].title == "Assertions no claim decides"


def test_the_corpus_tags_enough_tasks_for_each_described_assertion():
    corpus = discover(REPO / "tasks")
    counts = {a.tag: sum(1 for t in corpus.tasks if t.metadata and a.tag in t.metadata.tags) for a in ASSERTIONS if a.tag}
    assert counts["distributed"] == 2 and counts["dynamic-graphs"] >= 6 and counts["fine-grained-control"] >= 8
