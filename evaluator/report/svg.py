"""A matplotlib figure as self-contained SVG text, inlined in the HTML report (reproducible: no date, a fixed hash salt)."""

from __future__ import annotations

import io


def svg_text(figure) -> str:
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "easeval", "font.size": 9}):
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buffer.getvalue()
    return text[text.index("<svg"):]  # drop the XML prolog and DOCTYPE: the SVG is inlined in HTML
