"""The report's sections as data: one order for every renderer, and renderers that only mark up."""

import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape

import evaluator.report.html
import evaluator.report.markdown
from evaluator.corpus.discovery import Corpus
from evaluator.claims.report_builder import build_report
from evaluator.report.html import render_html
from evaluator.report.layout import Plots, TableBlock, report_sections
from evaluator.report.markdown import render_markdown

from synthetic_evidence import records_for, synthetic_report, task

FULL_IDS = ["title", "summary", "claims", "categories", "static", "apis", "correctness", "speed", "debugging", "environment", "reproduce", "threats"]
STATIC_ONLY_IDS = ["title", "summary", "claims", "categories", "static", "apis", "execution", "debugging", "environment", "reproduce", "threats"]
HOSTILE = "<script>alert(\"x\")</script> & '</td><td>| a\nb"


@pytest.fixture(scope="module")
def full():
    return synthetic_report(10)


@pytest.fixture(scope="module")
def static_only():
    corpus = Corpus(Path("tasks"), tuple(task(f"t{i}") for i in range(10)))
    return build_report(corpus, records_for(10, 0.7), [], [], command="easeval report --static-only",
                        corpus_revision="abc", static_only=True)


@pytest.fixture(scope="module")
def hostile(full):
    """The hostile string in a task title, a claim's evidence, a failure message, the command and a
    task id that a plot prints."""
    claim = replace(full.claims[0], evidence=(HOSTILE, *full.claims[0].evidence))
    speed = replace(full.speed[0], tasks=(replace(full.speed[0].tasks[0], task_id=HOSTILE), *full.speed[0].tasks[1:]))
    return replace(full, tasks=(replace(full.tasks[0], title=HOSTILE), *full.tasks[1:]), claims=(claim, *full.claims[1:]),
                   failures=(replace(full.failures[0], error=HOSTILE), *full.failures[1:]), command=HOSTILE,
                   speed=(speed, *full.speed[1:]))


class _Tables(HTMLParser):
    """Headings (level, text) and tables (rows of cell texts, entities decoded) of an HTML page."""

    def __init__(self, page: str):
        super().__init__()
        self.headings: list[tuple[int, str]] = []
        self.tables: list[list[list[str]]] = []
        self._text: list[str] | None = None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th", "h1", "h2", "h3"):
            self._text = []

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.tables[-1][-1].append("".join(self._text))
            self._text = None
        elif tag in ("h1", "h2", "h3"):
            self.headings.append((int(tag[1]), "".join(self._text)))
            self._text = None


def markdown_headings(lines: list[str]) -> list[tuple[int, str]]:
    out = []
    for line in lines:
        if m := re.match(r"(#{1,3}) (.*)", line):
            out.append((len(m[1]), m[2]))
    return out


def markdown_tables(lines: list[str]) -> list[list[list[str]]]:
    tables, previous = [], ""
    for line in "\n".join(lines).splitlines():  # an entry of `lines` could hold a newline
        if line.startswith("|") and not line.startswith("|---"):
            cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line)[1:-1]]
            if not previous.startswith("|"):
                tables.append([])
            tables[-1].append(cells)
        previous = line
    return tables


def numbers(tables: list[list[list[str]]]) -> set[str]:
    return {n for table in tables for row in table for cell in row for n in re.findall(r"\d+(?:[.,]\d+)*(?:e[-+]?\d+)?", cell)}


def test_full_report_sections_in_order(full):
    assert [s.id for s in report_sections(full)] == FULL_IDS
    with_problems = replace(full, problems=("a result file could not be read",))
    assert [s.id for s in report_sections(with_problems)] == FULL_IDS + ["problems"]


def test_static_only_report_has_no_execution_sections(static_only):
    layout = report_sections(static_only)
    assert [s.id for s in layout] == STATIC_ONLY_IDS
    execution = next(s for s in layout if s.id == "execution")
    assert "Not run" in execution.blocks[0].parts[0]
    environment = next(s for s in layout if s.id == "environment")
    assert [b.table.title for b in environment.blocks] == ["Environment (one row per result file: machine and run)"]
    assert "timing" not in {b.key for s in layout for b in s.blocks if isinstance(b, Plots)}


@pytest.mark.parametrize("which", ["full", "static_only"])
def test_both_renderers_give_every_heading_in_the_same_order(which, request):
    report = request.getfixturevalue(which)
    layout = report_sections(report)
    md = markdown_headings(render_markdown(report))
    page = _Tables(render_html(report))
    top = [(s.level, s.title) for s in layout]
    assert [h for h in md if h[0] <= 2] == top
    assert [h for h in page.headings if h[0] <= 2] == top
    plot_titles = {b.title for s in layout for b in s.blocks if isinstance(b, Plots) and b.title}
    assert [h for h in page.headings if h[1] not in plot_titles] == md  # subsections and table titles too


def test_markdown_leaves_out_plots(full):
    text = "\n".join(render_markdown(full))
    assert "<svg" not in text and "Paired values per task" not in text


def test_hostile_strings_are_escaped_in_html(hostile):
    page = render_html(hostile)
    assert "<script" not in page and "</td><td>|" not in page
    escaped = str(escape(HOSTILE))
    assert f"<pre>{escaped}</pre>" in page                                  # the command
    assert f"<li>{escaped}</li>" in page                                    # the claim's evidence
    assert page.count(f"<td>{escaped}</td>") >= 3                           # title, failure message, task id
    tables = _Tables(page).tables
    assert all(len(row) == len(table[0]) for table in tables for row in table)
    cells = [cell for table in tables for row in table for cell in row]
    assert cells.count(HOSTILE) >= 3


def test_pipe_and_newline_do_not_break_a_markdown_table(hostile):
    lines = render_markdown(hostile)
    tables = markdown_tables(lines)
    assert all(len(row) == len(table[0]) for table in tables for row in table)
    flattened = HOSTILE.replace("\n", " ")
    assert sum(cell == flattened for table in tables for row in table for cell in row) >= 3


@pytest.mark.parametrize("which", ["full", "static_only"])
def test_every_figure_in_the_markdown_tables_is_in_the_html(which, request):
    report = request.getfixturevalue(which)
    md_tables = markdown_tables(render_markdown(report))
    html_tables = _Tables(render_html(report)).tables
    assert len(md_tables) == len(html_tables)
    assert len(numbers(md_tables)) > 20
    assert numbers(md_tables) == numbers(html_tables)


def test_renderers_take_no_content_decisions():
    """Order and the static-only branches live in layout.report_sections only."""
    template = Path(evaluator.report.html.__file__).parent / "templates" / "report.html.j2"
    for source in (Path(evaluator.report.markdown.__file__), Path(evaluator.report.html.__file__), template):
        assert "static_only" not in source.read_text(), source


def test_tables_are_the_sections_tables(full):
    """The layout only calls sections.*: every table block holds a tables.Table."""
    from evaluator.report.tables import Table

    blocks = [b for s in report_sections(full) for b in s.blocks if isinstance(b, TableBlock)]
    assert blocks and all(isinstance(b.table, Table) for b in blocks)


def test_the_one_screen_view_comes_first_and_links_to_the_details(full):
    from evaluator.report.layout import Forest

    summary = report_sections(full)[1]
    assert summary.id == "summary"
    glance, forest = summary.blocks[1], summary.blocks[2]
    assert isinstance(glance, TableBlock) and glance.table.header[:3] == ("#", "claim", "verdict")
    assert [row[0] for row in glance.table.rows] == [str(c.number) for c in full.claims]
    assert isinstance(forest, Forest) and len(forest.rows) == len(full.claims)
    assert forest.rows[0].ratio == pytest.approx(full.claims[0].primary.result.ratio)
    md = "\n".join(render_markdown(full))
    assert "[code size per category](#code-size-by-category-descriptive)" in md
    assert "## Code size by category (descriptive)" in md and "[Every claim in detail](#claims)" in md
    page = render_html(full)
    assert 'href="#categories"' in page and '<a id="categories"></a>' in page
    assert page.index('<a id="summary"></a>') < page.index('<a id="claims"></a>') < page.index('<a id="categories"></a>')


def test_categories_too_small_to_test_are_labelled_descriptive(full):
    section = next(s for s in report_sections(full) if s.id == "categories")
    table = next(b.table for b in section.blocks if isinstance(b, TableBlock))
    assert [row[0] for row in table.rows] == [c.category for c in full.categories]
    # synthetic_report: 10 tasks, all "tensors"; protocol 2 shows every row at one stated confidence, never tested
    assert full.categories[0].tasks == 10 and full.categories[0].confidence == 0.80
    assert table.title.startswith("Code size by category (descriptive)") and "80% interval" in table.header
    low, high = full.categories[0].interval
    assert low <= full.categories[0].test.result.ratio <= high
