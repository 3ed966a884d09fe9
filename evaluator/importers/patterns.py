"""`--match FRAMEWORK=PATTERN`: path patterns with one `{name}` placeholder, matched against whole paths.

A pattern is matched against a file's full path inside the source, `/`-separated: `*` is any run of
characters within one path part, `?` one character, `**/` any number of leading folders (`**` alone,
anything), `{name}` one or more characters within one part: the name that pairs files across
frameworks. With `torch='**/modeling_{name}.py'` and `tensorflow='**/modeling_tf_{name}.py'`,
`modeling_tf_bert.py` matches both; a file matching several frameworks' patterns goes to the most
specific one (the most literal characters), and a tie is reported, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from evaluator.importers import ImportFailure
from evaluator.corpus.task_metadata import TASK_ID_PATTERN

PLACEHOLDER = "{name}"


@dataclass(frozen=True)
class Pattern:
    framework: str
    text: str
    regex: re.Pattern = field(compare=False)
    literal: int  # literal characters: the more, the more specific


def _translate(text: str, placeholder: bool) -> tuple[str, int]:
    out, literal, i = [], 0, 0
    while i < len(text):
        if placeholder and text.startswith(PLACEHOLDER, i):
            out.append(r"(?P<name>[^/]+)")
            i += len(PLACEHOLDER)
        elif text.startswith("**/", i):
            out.append(r"(?:[^/]+/)*")
            i += 3
        elif text.startswith("**", i):
            out.append(r".*")
            i += 2
        elif text[i] == "*":
            out.append(r"[^/]*")
            i += 1
        elif text[i] == "?":
            out.append(r"[^/]")
            i += 1
        else:
            out.append(re.escape(text[i]))
            literal += 1
            i += 1
    return "".join(out), literal


def compile_pattern(framework: str, text: str) -> Pattern:
    """One `--match` pattern; ImportFailure names the option when it has no `{name}` or more than one."""
    count = text.count(PLACEHOLDER)
    if count != 1:
        raise ImportFailure(f"--match {framework}={text!r}: a pattern needs exactly one {PLACEHOLDER} "
                            f"(it has {count}), e.g. '**/modeling_{PLACEHOLDER}.py'")
    if text.startswith("/"):
        raise ImportFailure(f"--match {framework}={text!r}: patterns are relative to SRC; drop the leading '/'")
    regex, literal = _translate(text, placeholder=True)
    return Pattern(framework, text, re.compile(regex), literal)


def compile_glob(text: str) -> re.Pattern:
    """An `--exclude` glob (same syntax, no placeholder)."""
    return re.compile(_translate(text, placeholder=False)[0])


@dataclass(frozen=True)
class Matched:
    framework: str
    name: str
    path: str


@dataclass(frozen=True)
class Matches:
    files: tuple[Matched, ...]
    ambiguous: tuple[tuple[str, tuple[str, ...]], ...]   # path, frameworks whose patterns tie
    excluded: int


def match_files(paths: list[str], patterns: list[Pattern], excludes: list[re.Pattern] = ()) -> Matches:
    """Every path that a pattern matches, with its framework and name; the most specific pattern wins."""
    files, ambiguous, excluded = [], [], 0
    for path in paths:
        if any(glob.fullmatch(path) for glob in excludes):
            excluded += 1
            continue
        hits = [(p, m.group("name")) for p in patterns if (m := p.regex.fullmatch(path))]
        if not hits:
            continue
        best = max(p.literal for p, _ in hits)
        top = [(p, name) for p, name in hits if p.literal == best]
        if len({p.framework for p, _ in top}) > 1:
            ambiguous.append((path, tuple(sorted({p.framework for p, _ in top}))))
            continue
        pattern, name = top[0]
        files.append(Matched(pattern.framework, name, path))
    return Matches(tuple(files), tuple(ambiguous), excluded)


def task_id_for(name: str) -> str | None:
    """A valid task id for a matched name: lowercase, other characters as `_`; None if nothing is left."""
    cleaned = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    if cleaned[:1].isdigit():
        cleaned = f"n{cleaned}"
    return cleaned if cleaned and TASK_ID_PATTERN.match(cleaned) else None
