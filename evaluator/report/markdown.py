"""report.md: the report for GitHub, rendered from `layout.report_sections`. Returns lines; only the
pipeline writes them."""

from __future__ import annotations

import math
import re

from evaluator.report.blocks import (
    Block, Bullets, Code, Forest, ForestRow, Link, Paragraph, Plots, Subsection, TableBlock, forest_range,
)
from evaluator.report.layout import report_sections
from evaluator.claims.report_model import Report
from evaluator.report.tables import Table


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _fence(text: str, shortest: int) -> str:
    """A run of backticks longer than any inside `text`, so the text cannot close it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(shortest, longest + 1)


def anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _inline(parts: tuple[str | Code | Link, ...]) -> str:
    out = []
    for part in parts:
        if isinstance(part, Link):
            out.append(f"[{part.text}](#{anchor(part.heading)})")
        elif isinstance(part, Code):
            fence = _fence(part.text, 1)
            pad = " " if part.text.startswith("`") or part.text.endswith("`") else ""
            out.append(f"{fence}{pad}{part.text}{pad}{fence}")
        else:
            out.append(part)
    return "".join(out)


def table_lines(table: Table, level: int = 3, verdict_column: int | None = None) -> list[str]:
    lines = [f"{'#' * level} {table.title}", ""] if table.title else []
    if not table.rows:
        return lines + ["(none)", ""]
    lines.append("| " + " | ".join(_cell(h) for h in table.header) + " |")
    lines.append("|" + "---|" * len(table.header))
    for row in table.rows:
        cells = [_cell(c) for c in row]
        if verdict_column is not None:
            cells[verdict_column] = f"**{cells[verdict_column]}**"
        lines.append("| " + " | ".join(cells) + " |")
    if table.note:
        lines += ["", f"_{table.note}_"]
    return lines + [""]


def block_lines(block: Block, level: int) -> list[str]:
    """One block as Markdown lines; `level` is the heading level of the block's own headings."""
    match block:
        case Paragraph(parts):
            return [_inline(parts), ""]
        case Bullets(items):
            return [f"- {item}" for item in items] + [""]
        case TableBlock(table, verdict_column):
            return table_lines(table, level, verdict_column)
        case Code(text, language):
            fence = _fence(text, 3)
            return [f"{fence}{language}", text, fence, ""]
        case Subsection(title, blocks):
            return [f"{'#' * level} {title}", ""] + [line for b in blocks for line in block_lines(b, level + 1)]
        case Plots():
            return []  # plots are HTML only
        case Forest(_, rows, caption):
            text = "\n".join(text_forest(rows))
            fence = _fence(text, 3)
            return [fence, text, fence, "", f"_{caption}_", ""]
    raise TypeError(f"unknown report block {block!r}")


FOREST_WIDTH = 61


def text_forest(rows: tuple[ForestRow, ...], width: int = FOREST_WIDTH) -> list[str]:
    """A forest plot in fixed-width text on a log axis: `o` estimate, `=` thick interval, `-` thin
    interval, `|` ratio 1, `:` the edges of the band 1/delta .. delta, `<` `>` an interval that
    goes on past the axis (the axis spans the estimates and the band, not every interval)."""
    if not rows:
        return ["(no rows)"]
    low, high = (math.log(v) for v in forest_range(rows))

    def column(value: float) -> int:
        return min(width - 1, max(0, round((math.log(value) - low) / (high - low) * (width - 1))))

    label_width = max(len(r.label) for r in rows)
    lines = [f"{'':<{label_width}}  {_axis(low, high, width)}"]
    for r in rows:
        cells = [" "] * width
        for edge in (1 / r.delta, r.delta):
            cells[column(edge)] = ":"
        cells[column(1.0)] = "|"
        for interval, mark in ((r.thin, "-"), (r.thick, "=")):
            if interval:
                for i in range(column(interval[0]), column(interval[1]) + 1):
                    cells[i] = mark
        if r.ratio:
            cells[column(r.ratio)] = "o"
        ends = [v for v in (*(r.thin or ()), *(r.thick or ()))]
        if ends and math.log(min(ends)) < low:
            cells[0] = "<"
        if ends and math.log(max(ends)) > high:
            cells[-1] = ">"
        figure = f"{r.ratio:.3g}" if r.ratio else "n/a"
        lines.append(f"{r.label:<{label_width}}  {''.join(cells)}  {figure}  {r.note}")
    return lines


def _axis(low: float, high: float, width: int) -> str:
    """Tick labels at round ratios inside the axis."""
    cells = [" "] * (width + 8)
    for tick in (0.25, 0.5, 0.8, 1.0, 1.25, 2.0, 4.0):
        x = math.log(tick)
        if low <= x <= high:
            at = round((x - low) / (high - low) * (width - 1))
            label = f"{tick:g}"
            start = max(0, min(at - len(label) // 2, len(cells) - len(label)))
            if all(c == " " for c in cells[max(0, start - 1):start + len(label) + 1]):
                cells[start:start + len(label)] = label
    return "".join(cells).rstrip()


def render_markdown(report: Report) -> list[str]:
    lines = []
    for section in report_sections(report):
        lines += [f"{'#' * section.level} {section.title}", ""]
        for block in section.blocks:
            lines += block_lines(block, section.level + 1)
    return lines
