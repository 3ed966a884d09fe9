"""report.md: the report for GitHub, rendered from `layout.report_sections`. Returns lines; only the
pipeline writes them."""

from __future__ import annotations

import re

from evaluator.report.layout import Block, Bullets, Code, Paragraph, Plots, Subsection, TableBlock, report_sections
from evaluator.report.model import Report
from evaluator.report.tables import Table


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _fence(text: str, shortest: int) -> str:
    """A run of backticks longer than any inside `text`, so the text cannot close it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(shortest, longest + 1)


def _inline(parts: tuple[str | Code, ...]) -> str:
    out = []
    for part in parts:
        if isinstance(part, Code):
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
    raise TypeError(f"unknown report block {block!r}")


def render_markdown(report: Report) -> list[str]:
    lines = []
    for section in report_sections(report):
        lines += [f"{'#' * section.level} {section.title}", ""]
        for block in section.blocks:
            lines += block_lines(block, section.level + 1)
    return lines
