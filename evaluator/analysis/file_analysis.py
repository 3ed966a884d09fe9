"""Every metric of one file, from its bytes: glue removed, one parse per library, errors as data.

Nothing here imports or runs the analysed code: it is decoded, tokenized and parsed, never executed.
"""

from __future__ import annotations

import ast
import hashlib
import io
import tokenize

import libcst as cst

from typing import Mapping

from evaluator.analysis.api_surface import api_surface_from_module, glue_bindings
from evaluator.analysis.complexity import complexity_from_trees
from evaluator.analysis.analysis_types import FileAnalysis
from evaluator.analysis.size import size_metrics
from evaluator.corpus.glue_markers import GlueMarkerError, split_glue


def analyze_source(data: bytes, roots: frozenset[str], aliases: Mapping[str, str] | None = None) -> FileAnalysis:
    """Analyse one file's bytes. Never raises: a file that cannot be analysed gets an `error`.

    `aliases` are the corpus's re-exported framework modules (corpus.toml `[aliases]`)."""
    digest = hashlib.sha256(data).hexdigest()
    try:
        source = decode_source(data)
    except (SyntaxError, UnicodeDecodeError, LookupError) as exc:
        return FileAnalysis(digest, 0, error=f"cannot decode: {exc}")
    if "\0" in source:  # Python rejects it, with no line number (and ValueError or SyntaxError by version)
        line = source.count("\n", 0, source.index("\0")) + 1
        return FileAnalysis(digest, 0, error=f"NUL byte at line {line}: Python source cannot contain null bytes")
    try:
        glue = split_glue(source)
    except GlueMarkerError as exc:
        return FileAnalysis(digest, 0, error=f"glue markers: {exc}")
    excluded = glue.excluded_line_count
    try:
        tree = ast.parse(glue.code)
        size = size_metrics(glue.code)
        module = cst.parse_module(glue.code)
        extra = glue_bindings(_glue_blocks(source, glue.glue_lines)) if excluded else None
        return FileAnalysis(
            digest, excluded, size, complexity_from_trees(tree, module, size),
            api_surface_from_module(module, roots, aliases, extra),
        )
    except SyntaxError as exc:
        return FileAnalysis(digest, excluded, error=_syntax_error_message(exc, source, excluded))
    except (tokenize.TokenError, cst.ParserSyntaxError, ValueError) as exc:  # ValueError: NUL bytes
        return FileAnalysis(digest, excluded, error=f"cannot parse: {exc}")
    except (RecursionError, MemoryError) as exc:
        return FileAnalysis(digest, excluded, error=f"too deeply nested or too large to analyse ({type(exc).__name__})")
    except Exception as exc:  # noqa: BLE001 - one odd file must not stop a corpus run; the record says what broke
        return FileAnalysis(digest, excluded, error=f"analysis failed: {type(exc).__name__}: {exc}")


def _glue_blocks(source: str, glue_lines: tuple[int, ...]) -> list[str]:
    """The text of each run of consecutive glue lines (markers are comments, harmless to parse)."""
    lines = source.splitlines(keepends=True)
    blocks: list[list[str]] = []
    previous = None
    for number in glue_lines:
        if previous is None or number != previous + 1:
            blocks.append([])
        blocks[-1].append(lines[number - 1])
        previous = number
    return ["".join(block) for block in blocks]


def decode_source(data: bytes) -> str:
    """Text of a Python file: UTF-8 unless a BOM or a coding declaration says otherwise (PEP 263)."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return data.decode(encoding)


def _syntax_error_message(exc: SyntaxError, source: str, excluded: int) -> str:
    if excluded:
        try:
            ast.parse(source)
        except SyntaxError as original:
            exc = original
        else:
            return f"removing the marked glue leaves invalid Python ({exc.msg}); glue must cover whole statements"
    return f"syntax error at line {exc.lineno}: {exc.msg}"
