"""The Replication section: outcomes per corpus side by side, contested claims and metrics, provenance,
the look-alike warning, and the corpus name on every record of results.json and metrics.csv."""

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from evaluator.cli import main
from evaluator.corpus.discovery import Corpus
from evaluator.corpus.manifest import CorpusManifest, D2lInfo, Source
from evaluator.claims.report_model import REPORT_SCHEMA_VERSION
from evaluator.claims.report_builder import build_report
from evaluator.report.exports import render_csv, render_json
from evaluator.report.html import render_html
from evaluator.report.layout import report_sections
from evaluator.report.markdown import render_markdown
from evaluator.report.plots import report_plots
from evaluator.claims.replication import (
    CONFIRMATORY_METRICS, ExternalCorpus, Outcome, contested, parse_corpus_spec,
)

from synthetic_evidence import records_for, task

STATIC_CORPUS = Path(__file__).resolve().parent / "analysis_fixtures" / "static_corpus"


def external(name, torch_factor, n=10, manifest=None, **extra):
    records = tuple(replace(r, corpus=name, task_id=f"{name}_{r.task_id}", **extra) for r in records_for(n, torch_factor))
    return ExternalCorpus(name, f"corpora/{name}", records, manifest)


def report_with(*corpora, n=10):
    main_corpus = Corpus(Path("tasks"), tuple(task(f"t{i}") for i in range(n)))
    return build_report(main_corpus, records_for(n, 0.7), [], [], command="easeval report --static-only",
                        corpus_revision="abc", static_only=True, external=list(corpora))


def test_contested_has_one_definition_shared_with_the_claims():
    from evaluator.claims.claim_outcomes import contested as the_claims_contested

    assert contested is the_claims_contested      # the claim mark, the replication table and the summary
    assert contested({"tasks": 1, "hf": -1}) and not contested({"tasks": 1, "hf": 0}) and not contested({})
    # an outcome with a direction: opposite directions contest, an undecided one (0) contests nothing
    assert contested({"a": Outcome("a", "meaningful difference", 1), "b": Outcome("b", "meaningful difference", -1)})
    assert not contested({"a": Outcome("a", "trivial", 0), "b": Outcome("b", "meaningful difference", -1)})
    # verdict words are not directions: "supported" on one corpus and "contradicted" on another is no
    # contest by itself (a difference shown smaller than Δ contradicts a direction claim without favouring anyone)
    assert not contested({"tasks": "supported", "hf": "contradicted"})


def test_a_corpus_that_disagrees_is_marked_contested():
    report = report_with(external("hf", 2.0), external("same", 0.7))
    rep = report.replication
    assert [p.corpus for p in rep.provenance] == ["tasks", "hf", "same"]
    sloc = next(m for m in rep.metrics if m.metric == "lloc")   # the size claims' primary under protocol 2
    assert [(o.corpus, o.verdict) for o in sloc.outcomes] == [("tasks", "b_higher"), ("hf", "a_higher"), ("same", "b_higher")]
    assert sloc.contested and sloc.outcomes[1].ratio == pytest.approx(2.0, rel=0.05)
    learn = next(c for c in rep.claims if c.number == 1)
    assert [o.verdict for o in learn.outcomes] == ["supported", "contradicted", "supported"] and learn.contested
    assert [m.metric for m in rep.metrics] == list(CONFIRMATORY_METRICS)
    assert {c.number for c in rep.claims} == {1, 2, 3, 4, 7}
    keras = next(c for c in rep.claims if c.number == 3)
    assert [o.verdict for o in keras.outcomes][1:] == ["not measured", "not measured"]  # corpora without variants


def test_agreeing_corpora_contest_nothing():
    rep = report_with(external("hf", 0.6)).replication
    assert not any(m.contested for m in rep.metrics) and not any(c.contested for c in rep.claims)


def test_the_section_tables_plots_and_exports():
    lookalike = {"d2l.torch": 4}
    manifest = CorpusManifest(Source("d2l-en", "d2l", "d2l", "1.0", "cafe" * 10), importer="d2l", created="2026-12-02",
                              counts={"pairs": 10}, d2l=D2lInfo("mxnet", {}, 2, 12, 1, ("hf_t0",), 0))
    report = report_with(external("hf", 2.0, manifest=manifest, lookalikes=lookalike))
    section = next(s for s in report_sections(report) if s.id == "replication")
    titles = [b.table.title for b in section.blocks if b.kind == "table"]
    assert titles == ["Corpora and their provenance (corpus.toml)", "Static claims per corpus",
                      "Confirmatory metrics per corpus (PyTorch vs TensorFlow, paired by task)",
                      "Imports that look like framework modules but were not resolved"]
    provenance = section.blocks[1].table
    assert provenance.rows[1][:5] == ("hf", "d2l-en", "d2l 1.0", "cafecafecafe", "2026-12-02")
    assert "hf: chapter preludes are" in provenance.note  # the preludes' share of each side's SLOC
    lookalikes = section.blocks[-1].table.rows
    assert lookalikes == (("hf", "d2l.torch", "80", "20"),)  # 4 references in each of 20 files
    markdown = "\n".join(render_markdown(report))
    assert "## Replication on other corpora" in markdown and "| 1 | PyTorch is easier to learn than TensorFlow | supported | contradicted | contested |" in markdown
    plots = report_plots(report)["replication"]
    assert len(plots) == len(CONFIRMATORY_METRICS) and all("hf (10 pairs)" in svg and "tasks (10 pairs)" in svg for svg in plots)
    html = render_html(report)
    assert "Replication on other corpora" in html and html.count("<svg") >= len(CONFIRMATORY_METRICS)

    data = json.loads(render_json(report))
    assert data["schema_version"] == REPORT_SCHEMA_VERSION and {r["corpus"] for r in data["static_records"]} == {"tasks"}
    assert {r["corpus"] for c in data["replication"]["corpora"] for r in c["records"]} == {"hf"}
    rows = list(csv.DictReader(io.StringIO(render_csv(report))))
    assert {r["corpus"] for r in rows} == {"tasks", "hf"}
    assert sum(r["corpus"] == "hf" for r in rows) == sum(len(r.metrics) + 1 for r in report.replication.corpora[0].records)


def test_no_corpus_no_section():
    report = report_with()
    assert report.replication is None and "replication" not in [s.id for s in report_sections(report)]
    assert report_plots(report)["replication"] == []


def test_files_the_analysis_could_not_read_are_listed():
    broken = external("hf", 1.2)
    records = list(broken.records)
    records[0] = replace(records[0], error="syntax error at line 1: invalid syntax", metrics={})
    rep = report_with(replace(broken, records=tuple(records))).replication
    assert rep.errors == (("hf", "hf_t0", "torch", "syntax error at line 1: invalid syntax"),)
    assert rep.provenance[1].errors == 1 and rep.provenance[1].analysed_pairs == 9


@pytest.mark.parametrize("text, words", [("hf", "expected NAME=DIR"), ("tasks=x", "names the task corpus"),
                                         ("Bad Name=x", "lowercase"), ("=x", "expected NAME=DIR")])
def test_corpus_option_is_checked(text, words):
    with pytest.raises(ValueError, match=words):
        parse_corpus_spec(text)
    assert parse_corpus_spec("hf=corpora/hf") == ("hf", Path("corpora/hf"))


def test_report_cli_refuses_bad_corpora_before_writing(tmp_path):
    def report(*corpora):
        args = ["report", "--static-only", "--tasks", str(STATIC_CORPUS), "--output", str(tmp_path / "out")]
        return CliRunner().invoke(main, args + [a for c in corpora for a in ("--corpus", c)])

    for corpora, words in ([("hf",), "expected NAME=DIR"], [(f"hf={tmp_path / 'nope'}",), "no such folder"],
                           [(f"a={STATIC_CORPUS}", f"a={STATIC_CORPUS}"), "given twice"],
                           [(f"empty={tmp_path}",), "no pairs found"]):
        result = report(*corpora)
        assert result.exit_code != 0 and words in result.output, result.output
    assert not (tmp_path / "out").exists()
    result = report(f"same={STATIC_CORPUS}")
    assert result.exit_code == 0, result.output
    assert "--corpus same=" in (tmp_path / "out" / "report.md").read_text()  # the Reproduce command names it
