"""The report's block types: a section is a list of a few kinds of block, which the Markdown and HTML
renderers turn into markup. Data only; imports nothing of the report but its tables' type."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from evaluator.report.tables import Table


@dataclass(frozen=True)
class Code:
    """Literal text: inline when it is a part of a Paragraph, a code block when it stands alone."""

    text: str
    language: str = ""
    kind: ClassVar[str] = "code"


@dataclass(frozen=True)
class Link:
    """A link to another section of the report, by its id (HTML) and its heading (Markdown's anchor)."""

    text: str
    target: str            # the section's id
    heading: str           # the section's title
    kind: ClassVar[str] = "link"


@dataclass(frozen=True)
class Paragraph:
    """Plain text, with Code parts shown as inline code and Link parts as links."""

    parts: tuple[str | Code | Link, ...]
    kind: ClassVar[str] = "paragraph"


@dataclass(frozen=True)
class ForestRow:
    """One row of a forest plot: a ratio, its intervals and the band (1/delta, delta) of no interest."""

    label: str
    ratio: float | None
    thin: tuple[float, float] | None       # the wider interval (the test's Holm level, or the only one)
    thick: tuple[float, float] | None      # the 90% interval of the equivalence test
    delta: float
    note: str = ""


def forest_range(rows: tuple[ForestRow, ...]) -> tuple[float, float]:
    """The ratio axis of a forest plot: the estimates and the bands, with some room. Intervals that
    reach further are cut at the edge and marked (one from 0.003 to 1.5 would squash every other row)."""
    values = [v for r in rows for v in (r.ratio, r.delta, 1 / r.delta) if v] or [0.8, 1.25]
    return min(values) / 1.6, max(values) * 1.6


@dataclass(frozen=True)
class Forest:
    """A forest plot drawn from its rows: SVG in HTML, a fixed-width text plot in Markdown."""

    key: str
    rows: tuple[ForestRow, ...]
    caption: str
    kind: ClassVar[str] = "forest"


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

    key: str               # "forest", "paired", "timing" or "replication"
    title: str = ""
    kind: ClassVar[str] = "plots"


@dataclass(frozen=True)
class Subsection:
    title: str
    blocks: tuple[Block, ...]
    kind: ClassVar[str] = "subsection"


Block = Paragraph | Bullets | TableBlock | Plots | Code | Subsection | Forest


@dataclass(frozen=True)
class Section:
    """A top-level part of the report; level 1 is the report's own title, the others are level 2."""

    id: str
    title: str
    blocks: tuple[Block, ...]
    level: int = 2
