"""Assertion 12 in the report: the documentation figures of `easeval docs` fill its row, and the report
lists the most-used APIs without an example on each side (synthetic coverage, worked by hand)."""

from collections import Counter
from pathlib import Path

from evaluator.apidocs.api_doc import ApiDoc
from evaluator.apidocs.docs_coverage import ImplementationUsage, docs_coverage
from evaluator.claims.report_builder import build_report
from evaluator.corpus.discovery import Corpus
from evaluator.report.markdown import render_markdown

from synthetic_evidence import records_for, task

USAGE = (
    ImplementationUsage("torch", "t0", True, Counter({"torch.nn.Linear": 3, "torch.relu": 1})),
    ImplementationUsage("tensorflow", "t0", True, Counter({"keras.layers.Dense": 2})),
)
RECORDS = {
    "torch.nn.Linear": ApiDoc("torch.nn.Linear", True, "class", has_docstring=True, parameters=("in_features",),
                              documented_parameters=("in_features",), params_documented=True, has_example=True),
    "torch.relu": ApiDoc("torch.relu", True, "function", has_docstring=False),
    "keras.layers.Dense": ApiDoc("keras.layers.Dense", True, "class", has_docstring=True, parameters=("units",),
                                 documented_parameters=("units",), params_documented=True, has_example=False),
}


def report_with_docs():
    corpus = Corpus(Path("tasks"), tuple(task(f"t{i}") for i in range(10)))
    coverage = docs_coverage(USAGE, RECORDS)
    return build_report(corpus, records_for(10, 0.7), [], [], command="easeval report", corpus_revision="abc",
                        static_only=False, documentation=coverage)


def test_assertion_12_shows_the_documentation_figures():
    report = report_with_docs()
    row = next(a for a in report.assertions if a.number == 12)
    # torch: 2 APIs, 4 calls; 1 of 2 with a docstring (3 of 4 calls), 1 of 2 with an example
    assert row.figures.startswith("PyTorch: of 2 APIs used (4 calls), 50% have a docstring (75% of calls)")
    assert "TensorFlow: of 1 APIs used (2 calls), 100% have a docstring (100% of calls), 100% document every parameter, " \
           "0% show an example (0% of calls)" in row.figures
    assert "Websites, tutorials and forums are not measured" in row.construct


def test_the_report_names_the_apis_without_an_example():
    markdown = "\n".join(render_markdown(report_with_docs()))
    assert "Documentation of the APIs the primaries call (assertion 12, descriptive)" in markdown
    assert "| PyTorch | torch.relu | 1 | no example, no docstring |" in markdown
    assert "| TensorFlow | keras.layers.Dense | 2 | no example |" in markdown


def test_without_the_stage_the_row_says_how_to_measure_it():
    corpus = Corpus(Path("tasks"), tuple(task(f"t{i}") for i in range(10)))
    report = build_report(corpus, records_for(10, 0.7), [], [], command="x", corpus_revision="abc", static_only=True)
    row = next(a for a in report.assertions if a.number == 12)
    assert row.figures == "" and "easeval docs" in row.construct
