"""A mutant: an implementation with one site's bug planted, line numbers unchanged.

Mutants are plain files written to a scratch folder (never into tasks/), each in a folder of its own
under the implementation's own file name, so that tracebacks name `torch_impl.py` as the user's would.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from evaluator.debugging.sites import Site, SiteScan


class MutantError(ValueError):
    """A site whose rewrite would not keep the file's lines in place (or not parse); the message says which."""


@dataclass(frozen=True)
class Mutant:
    """One planted bug in one implementation file."""

    task: str
    impl_key: str
    framework: str
    file_name: str            # the implementation's file name, kept for the mutant
    site: Site
    source: str               # the mutated file
    content_hash: str         # sha256 of the mutated file (with the clean file's hash: the cache key's code part)

    @property
    def mutant_id(self) -> str:
        return f"{self.task}.{self.impl_key}.{self.site.site_id}"

    @property
    def planted_lines(self) -> tuple[int, int]:
        return self.site.line, self.site.end_line

    @property
    def inserted_names(self) -> tuple[str, ...]:
        """The names the mutation wrote that the clean code at the site did not have (`astype`, `numpy`,
        `stop_gradient`, `mT`, `Adam`, `one_hot`, ...): what an exception about the mutation's own code names."""
        return inserted_names(self.site.before, self.site.after)

    def misfit(self, exception_type: str | None, message: str | None, innermost_user_line: int | None) -> bool:
        """Whether a loud failure is the mutation not fitting the value at its site (the mutant is then
        `invalid`, not a bug the framework reported): see `is_misfit`."""
        return is_misfit(self, exception_type, message, innermost_user_line)


# A mutant whose own inserted code fails on the value at its site is ill-formed: the injected call does
# not exist for that value (`EagerTensor object has no attribute 'astype'`) or does not take its
# arguments. Those exceptions are AttributeError and TypeError raised on a planted line and naming a
# name the mutation wrote. Static rules prevent most (DTYPE only on values known to be NumPy arrays,
# OPTIM only where every option fits both optimisers); this catches the rest at run time.
MISFIT_EXCEPTIONS = ("AttributeError", "TypeError")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_STRING = re.compile(r"'[^']*'|\"[^\"]*\"")


def inserted_names(before: str, after: str) -> tuple[str, ...]:
    """Identifiers in `after` (string literals left out) that `before` does not have."""
    clean = set(_IDENTIFIER.findall(_STRING.sub("", before)))
    return tuple(dict.fromkeys(n for n in _IDENTIFIER.findall(_STRING.sub("", after))
                               if n not in clean and n not in ("None", "True", "False")))


def is_misfit(mutant: Mutant, exception_type: str | None, message: str | None, innermost_user_line: int | None) -> bool:
    """True when the exception (its class name, its message, and the line of the innermost frame in the
    mutant's file) was raised by the mutation's own inserted code not fitting its value: an AttributeError
    or TypeError, on a planted line, whose message names a name the mutation inserted."""
    short = (exception_type or "").rsplit(".", 1)[-1]
    if short not in MISFIT_EXCEPTIONS or innermost_user_line is None or message is None:
        return False
    if not mutant.site.line <= innermost_user_line <= mutant.site.end_line:
        return False
    return any(re.search(rf"\b{re.escape(name)}\b", message) for name in mutant.inserted_names)


def _offset(line_starts: list[int], line: int, column: int) -> int:
    return line_starts[line - 1] + column


def mutate(scan: SiteScan, site: Site, source: str) -> str:
    """`source` (the text `scan` was parsed from) with `site` rewritten; raises MutantError if its lines would move.

    The rewrite is spliced into the text at the site's span (one codegen of a small node, not of the
    whole module per mutant), after checking that the span holds exactly the site's code.
    """
    starts = [0]
    for line in source.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    try:
        begin = _offset(starts, site.line, site.column)
        end = _offset(starts, site.end_line, site.end_column)
    except IndexError as exc:
        raise MutantError(f"{site.site_id}: span outside the file") from exc
    if source[begin:end] == site.before:
        text = source[:begin] + site.after + source[end:]
    else:  # a multi-line node whose code, out of context, lost its indentation: rewrite the whole module
        if site.node is None or site.replacement is None:
            raise MutantError(f"{site.site_id}: the file at lines {site.line}..{site.end_line} is not the site's code")
        try:
            text = scan.module.deep_replace(site.node, site.replacement).code
        except (TypeError, ValueError) as exc:   # a replacement the tree cannot hold there
            raise MutantError(f"{site.site_id}: the rewrite does not fit its place ({exc})") from exc
    if text == source:
        raise MutantError(f"{site.site_id}: the rewrite changes nothing")
    missing = source.count("\n") - text.count("\n")
    same_code = "".join(source[begin:end].split()) == "".join(site.before.split())   # up to indentation
    if missing > 0 and same_code and "\n" not in site.after:
        # A statement a formatter spread over several lines, rewritten to one (a removed call becomes
        # `pass`): blank lines after it keep every later line in place; compile() below checks the result.
        text = source[:begin] + site.after + "\n" * missing + source[end:]
    if text.count("\n") != source.count("\n"):
        raise MutantError(f"{site.site_id}: the rewrite changes the number of lines")
    try:
        compile(text, "<mutant>", "exec")
    except SyntaxError as exc:
        raise MutantError(f"{site.site_id}: the mutant does not parse ({exc.msg}, line {exc.lineno})") from exc
    return text


def content_hash(*texts: str) -> str:
    digest = hashlib.sha256()
    for text in texts:
        digest.update(text.encode("utf-8") + b"\0")
    return digest.hexdigest()


def make_mutants(scan: SiteScan, task: str, impl_key: str, framework: str, file_name: str,
                 clean_source: str) -> tuple[list[Mutant], list[str]]:
    """A mutant per site, and a problem line for each site whose rewrite was refused."""
    mutants, problems = [], []
    for site in scan.sites:
        try:
            text = mutate(scan, site, clean_source)
        except MutantError as exc:
            problems.append(f"{task}/{file_name}: {exc}")
            continue
        mutants.append(Mutant(task, impl_key, framework, file_name, site, text, content_hash(clean_source, text)))
    return mutants, problems


def write_mutant(mutant: Mutant, scratch: Path) -> Path:
    """Write the mutant to `scratch/<hash>/<file name>` and return the path (`scratch` must not be in tasks/)."""
    folder = Path(scratch) / mutant.content_hash[:16]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / mutant.file_name
    path.write_text(mutant.source, encoding="utf-8")
    return path
