"""What the report says and in which order, as data: sections made of a few kinds of block.

`report_sections` takes every decision about content (order, headings, which tables, what a
static-only report leaves out); the Markdown and HTML renderers only turn blocks into markup, so the
two formats cannot drift apart. Tables come from `tables.py`, so the numbers are the same in both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from evaluator.report import tables
from evaluator.report.model import Report
from evaluator.report.tables import Table


@dataclass(frozen=True)
class Code:
    """Literal text: inline when it is a part of a Paragraph, a code block when it stands alone."""

    text: str
    language: str = ""
    kind: ClassVar[str] = "code"


@dataclass(frozen=True)
class Paragraph:
    """Plain text, with Code parts shown as inline code."""

    parts: tuple[str | Code, ...]
    kind: ClassVar[str] = "paragraph"


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]
    kind: ClassVar[str] = "bullets"


@dataclass(frozen=True)
class TableBlock:
    """A table under its own (sub)heading; `verdict_column` is shown emphasised."""

    table: Table
    verdict_column: int | None = None
    kind: ClassVar[str] = "table"


@dataclass(frozen=True)
class Plots:
    """The plots of `plots.report_plots(report)[key]` under an optional heading. HTML only: Markdown
    has no plots, so it leaves out the whole block, heading included."""

    key: str               # "forest", "paired" or "timing"
    title: str = ""
    kind: ClassVar[str] = "plots"


@dataclass(frozen=True)
class Subsection:
    title: str
    blocks: tuple[Block, ...]
    kind: ClassVar[str] = "subsection"


Block = Paragraph | Bullets | TableBlock | Plots | Code | Subsection


@dataclass(frozen=True)
class Section:
    """A top-level part of the report; level 1 is the report's own title, the others are level 2."""

    id: str
    title: str
    blocks: tuple[Block, ...]
    level: int = 2


def _tables(*made: Table) -> list[Block]:
    return [TableBlock(t) for t in made]


def report_sections(report: Report) -> list[Section]:
    """The report, in order: every section with its blocks, for every renderer."""
    names = ", ".join(tables.name(report, f) for f in report.frameworks)
    out = [
        Section("title", f"easeval report: {names}", (Paragraph((
            f"Generated {report.generated_at} by easeval {report.easeval_version} from ", Code(report.corpus_root),
            f" (revision {report.corpus_revision}), {len(report.tasks)} tasks.")),), level=1),
        Section("summary", "Summary", (Bullets(report.headline or ("No paired comparison could be made.",)),)),
        Section("claims", "Claims", (
            TableBlock(Table("", ("#", "claim", "verdict"), tuple((str(c.number), c.statement, c.verdict) for c in report.claims)),
                       verdict_column=2),
            *(Subsection(f"{c.number}. {c.statement}: {c.verdict}", (Paragraph((f"Decided by: {c.decided_by}.",)), Bullets(c.evidence)))
              for c in report.claims))),
    ]

    static: list[Block] = [Plots("forest")]
    for pair in report.pairs:  # every pair of primary frameworks, in the adapters' order
        A, B = tables.name(report, pair.a_key), tables.name(report, pair.b_key)
        if not pair.decidable:
            static.append(Paragraph((f"{A} vs {B}: {pair.note}.",)))
        mine = [c for c in report.static_comparisons if (c.a_key, c.b_key) == (pair.a_key, pair.b_key)]
        static.append(TableBlock(tables.comparison_table(
            report, f"{A} vs {B}: primary implementations, paired by task ({pair.tasks} tasks)", mine)))
    static.append(Plots("paired", "Paired values per task (one point per task; dashed: equal)"))
    if report.variant_comparisons:
        static.append(TableBlock(tables.comparison_table(report, "Variants against their primary", report.variant_comparisons)))
    static += _tables(*(tables.per_category_table(report, p.a_key, p.b_key) for p in report.pairs),
                      tables.per_task_table(report), tables.glue_table(report))
    out.append(Section("static", "Static metrics", tuple(static)))
    out.append(Section("apis", "APIs each side needed", tuple(_tables(*tables.api_tables(report), tables.api_per_task_table(report)))))

    if report.static_only:
        out.append(Section("execution", "Execution", (
            Paragraph(("Not run: the report was made with ", Code("--static-only"), " or from a static-only corpus.")),)))
    else:
        out.append(Section("correctness", "Correctness and failures",
                           tuple(_tables(tables.failures_table(report), tables.correctness_table(report)))))
        out.append(Section("speed", "Speed and memory", (
            Paragraph((f"Results from {len(report.environments)} result file(s); each machine and device is reported on its own, never pooled.",)),
            Plots("timing"),
            *_tables(*tables.speed_tables(report), *tables.size_change_tables(report), tables.compiled_table(report),
                     tables.latency_memory_table(report)))))

    environment = [tables.environment_table(report)]
    if not report.static_only:
        environment.append(tables.code_hash_table(report))
    out.append(Section("environment", "Environment", tuple(_tables(*environment))))
    out.append(Section("reproduce", "Reproduce", (Code(report.command, "bash"),)))
    out.append(Section("threats", "Threats to validity", (Bullets(report.threats),)))
    if report.problems:
        out.append(Section("problems", "Problems met while making this report", (Bullets(report.problems),)))
    return out
