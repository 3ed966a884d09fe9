"""Plain text tables for the terminal, shared by every command that prints one."""

from __future__ import annotations


def format_table(rows: list[list[str]], header: list[str]) -> list[str]:
    """Left-aligned text table as a list of lines."""
    widths = [max(len(str(c)) for c in column) for column in zip(header, *rows)]
    line = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    return [line(header), line(["-" * w for w in widths])] + [line(r) for r in rows]
