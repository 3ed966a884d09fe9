"""Read the report's files back as a reader would: Markdown and HTML tables as cells, HTML as parsed
tags, text and comments. Only the files are read, so these helpers do not depend on how the report
is built."""

from __future__ import annotations

import re
from html.parser import HTMLParser

Tables = dict[str, list[list[str]]]  # nearest heading -> rows of cells, header row first


def _clean(cell: str) -> str:
    return " ".join(cell.replace("**", "").split())


def split_markdown_row(line: str) -> list[str]:
    """Cells of a Markdown table row; `\\|` is a pipe inside a cell."""
    assert line.startswith("|") and line.endswith("|"), line
    return [_clean(cell.replace("\\|", "|")) for cell in re.split(r"(?<!\\)\|", line)[1:-1]]


def markdown_tables(text: str) -> Tables:
    tables: Tables = {}
    heading, lines, i = "", text.splitlines(), 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
        elif line.startswith("|") and i + 1 < len(lines) and lines[i + 1].startswith("|---"):
            rows = [split_markdown_row(line)]
            i += 2
            while i < len(lines) and lines[i].startswith("|"):
                rows.append(split_markdown_row(lines[i]))
                i += 1
            assert heading not in tables, f"two tables under {heading!r}"
            tables[heading] = rows
            continue
        i += 1
    return tables


class ParsedPage(HTMLParser):
    """Tags, attributes, text, comments and tables (keyed by the nearest heading) of an HTML page."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.text: list[str] = []
        self.comments: list[str] = []
        self.tables: Tables = {}
        self._heading: list[str] | None = None
        self._last_heading = ""
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._rows: list[list[str]] | None = None
        self.feed(page)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += attrs
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = []
        elif tag == "table":
            self._rows = []
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if re.fullmatch(r"h[1-6]", tag) and self._heading is not None:
            self._last_heading, self._heading = _clean("".join(self._heading)), None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(_clean("".join(self._cell)))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._rows is not None:
            self._rows.append(self._row)
            self._row = None
        elif tag == "table" and self._rows is not None:
            assert self._last_heading not in self.tables, f"two tables under {self._last_heading!r}"
            self.tables[self._last_heading] = self._rows
            self._rows = None

    def handle_data(self, data):
        self.text.append(data)
        for part in (self._heading, self._cell):
            if part is not None:
                part.append(data)

    def handle_comment(self, data):
        self.comments.append(data)


def column(table: list[list[str]], name: str) -> dict[str, str]:
    """First cell of each row -> the cell in column `name`."""
    index = table[0].index(name)
    return {row[0]: row[index] for row in table[1:]}
