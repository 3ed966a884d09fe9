"""Harness-only glue: code an implementation needs only to be provably equivalent.

Loading the shared initial weights from the inputs, say, is not something a user of the framework
would write, so it must not count for or against the framework. Glue is marked with comments, visible
to any reader of the file:

    # easeval: glue-begin
    model.fc.weight.copy_(torch.from_numpy(inputs["w"]))
    # easeval: glue-end

or, for one line, a trailing `# easeval: glue`. Static metrics drop these lines (markers included);
the number of dropped lines is recorded so reports can say how much was excluded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BEGIN = re.compile(r"^\s*#\s*easeval:\s*glue-begin\s*$")
_END = re.compile(r"^\s*#\s*easeval:\s*glue-end\s*$")
_LINE = re.compile(r"#\s*easeval:\s*glue\s*$")


class GlueMarkerError(ValueError):
    """Unbalanced glue markers; the message names the line."""


@dataclass(frozen=True)
class GlueSplit:
    """Source with glue removed, and what was removed."""

    code: str                 # the source without glue lines (line count shrinks)
    glue_lines: tuple[int, ...]  # 1-based numbers of the removed lines, markers included

    @property
    def excluded_line_count(self) -> int:
        return len(self.glue_lines)


def split_glue(source: str) -> GlueSplit:
    """Remove marked glue from `source`. Raises GlueMarkerError on unbalanced markers."""
    kept: list[str] = []
    glue: list[int] = []
    open_at: int | None = None
    for number, line in enumerate(source.splitlines(keepends=True), start=1):
        bare = line.rstrip("\r\n")
        if _BEGIN.match(bare):
            if open_at is not None:
                raise GlueMarkerError(f"line {number}: glue-begin inside the glue block opened at line {open_at}")
            open_at = number
            glue.append(number)
        elif _END.match(bare):
            if open_at is None:
                raise GlueMarkerError(f"line {number}: glue-end without a glue-begin")
            open_at = None
            glue.append(number)
        elif open_at is not None or _LINE.search(bare):
            glue.append(number)
        else:
            kept.append(line)
    if open_at is not None:
        raise GlueMarkerError(f"line {open_at}: glue-begin is never closed by glue-end")
    return GlueSplit(code="".join(kept), glue_lines=tuple(glue))
