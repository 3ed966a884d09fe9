"""report.html: the sections of `layout.report_sections` plus plots, rendered by the Jinja2 template
templates/report.html.j2 with autoescaping on; one self-contained page (inline CSS and SVG, no network)."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from evaluator.report.blocks import Forest
from evaluator.report.layout import report_sections
from evaluator.claims.report_model import Report
from evaluator.report.plots import forest_svg, report_plots


@cache
def _environment() -> Environment:
    return Environment(loader=PackageLoader("evaluator.report", "templates"),
                       autoescape=select_autoescape(default=True, default_for_string=True),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def _forests(blocks) -> list[Forest]:
    """Every forest block, in sections and subsections alike."""
    found = []
    for b in blocks:
        if isinstance(b, Forest):
            found.append(b)
        else:
            found += _forests(getattr(b, "blocks", ()))
    return found


def render_html(report: Report) -> str:
    sections = report_sections(report)
    # The one value marked safe: SVG text written by matplotlib, which escapes every string it puts
    # into the SVG (labels, titles, task ids, and the comments that carry the text of glyph paths).
    plots = {key: [Markup(svg) for svg in svgs] for key, svgs in report_plots(report).items()}
    for forest in _forests(sections):
        plots[forest.key] = [Markup(forest_svg(forest))] if forest.rows else []
    title = next(s.title for s in sections if s.level == 1)
    return _environment().get_template("report.html.j2").render(title=title, sections=sections, plots=plots)
