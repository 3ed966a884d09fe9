"""Find parameter sections and examples in a docstring's text (pure, standard library only).

How each convention is recognised, checked against the installed torch 2.13, TensorFlow 2.21,
Keras 3 and JAX 0.10 docstrings (`inspect.getdoc` text, so the first line is unindented):

Parameter sections
- Google style, used by torch, TensorFlow, Keras and most of JAX (`jax.numpy.zeros` says `Args:`):
  a line that is only one of `Args:`, `Arguments:`, `Parameters:`, `Params:`, `Keyword args:`,
  `Keyword arguments:`, `Call arguments:` (Keras), `Other parameters:` (any case, `::` accepted, as
  torch writes `Args::` once). Its entries are the lines at the section's first indentation, each
  `name: ...`, `name (type): ...` (torch), `name : ...` (some JAX) or `*args: ...`; deeper lines
  continue an entry; the section ends at the first non-blank line no deeper than the header.
- NumPy style, used by the JAX functions that copy NumPy's documentation (`jax.numpy.array_repr`):
  `Parameters`, `Other Parameters` or `Keyword Arguments` underlined with dashes; entries are the
  lines at the header's indentation, `name : type` or `a, b : type`, until the next underlined header.
- reST fields: `:param name:`, `:param type name:` (also `:parameter`, `:arg`, `:argument`,
  `:key`, `:keyword`).

Examples: any of
- a doctest line (`>>>`), the common form in all three frameworks;
- a fenced block (a line starting with ```), as Keras and many TensorFlow docstrings write;
- a `.. code-block::`, `.. code::`, `.. doctest::` or `.. testcode::` directive (torch, JAX);
- a header line naming an example or usage, followed by content: Google `Example:` / `Examples:`,
  torch's literal-block `Example::` / `Examples::` and `CUDA Example::`, TensorFlow's
  `For example:` / `Example usage:` / `Usage:`, and NumPy's underlined `Examples`.
- a `::` literal block (reST, torch's `...as regular attributes::` in `torch.nn.Module`) whose
  dedented body parses as Python and holds an import, assignment, call or definition. torch also
  uses `::` for shapes and references (`Shape::`, `References::`): those bodies are math or prose,
  do not parse, and do not count.
"""

from __future__ import annotations

import ast
import re
import textwrap

_GOOGLE_PARAM_HEADERS = frozenset({
    "args", "arguments", "parameters", "params", "keyword args", "keyword arguments",
    "call arguments", "other parameters", "other arguments",
})
_NUMPY_PARAM_HEADERS = frozenset({"parameters", "other parameters", "keyword arguments"})
_HEADER = re.compile(r"^(?P<indent>\s*)(?P<title>[A-Za-z][A-Za-z ]*?)\s*::?\s*$")
_GOOGLE_ENTRY = re.compile(r"^\*{0,2}(?P<name>[A-Za-z_]\w*)\s*(\([^)]*\))?\s*:")
_NUMPY_ENTRY = re.compile(r"^(?P<names>\*{0,2}[A-Za-z_]\w*(\s*,\s*\*{0,2}[A-Za-z_]\w*)*)\s*(:|$)")
_REST_PARAM = re.compile(r"^\s*:(?:param|parameter|arg|argument|key|keyword)\s+(?:[^:]*\s)?\*{0,2}(?P<name>[A-Za-z_]\w*)\s*:", re.M)
_NUMPY_EXAMPLE_HEADERS = frozenset({"example", "examples"})
_UNDERLINE = re.compile(r"^\s*-{3,}\s*$")
_EXAMPLE_TITLE = re.compile(r"\bexamples?\b|^usage\b", re.I)
_CODE_DIRECTIVE = re.compile(r"^\s*\.\.\s+(code-block|code|doctest|testcode)::", re.M)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _google_sections(lines: list[str], titles: frozenset[str]) -> list[list[str]]:
    """Bodies (lines) of the Google-style sections whose header title is in `titles`."""
    sections = []
    for index, line in enumerate(lines):
        match = _HEADER.match(line)
        if not match or match["title"].lower() not in titles:
            continue
        header_indent = len(match["indent"])
        body = []
        for following in lines[index + 1:]:
            if following.strip() and _indent(following) <= header_indent:
                break
            body.append(following)
        sections.append(body)
    return sections


def _numpy_sections(lines: list[str], titles: frozenset[str] | None) -> list[list[str]]:
    """Bodies of NumPy-style underlined sections (all of them when `titles` is None)."""
    headers = [i for i in range(len(lines) - 1) if lines[i].strip() and _UNDERLINE.match(lines[i + 1])]
    sections = []
    for position, start in enumerate(headers):
        if titles is not None and lines[start].strip().lower() not in titles:
            continue
        end = headers[position + 1] if position + 1 < len(headers) else len(lines)
        sections.append(lines[start + 2:end])
    return sections


def documented_parameters(doc: str) -> tuple[str, ...]:
    """Names given an entry in any parameter section of `doc`, in order of appearance, once each."""
    lines = doc.splitlines()
    names: list[str] = []
    for body in _google_sections(lines, _GOOGLE_PARAM_HEADERS):
        entry_indent = next((_indent(line) for line in body if line.strip()), None)
        for line in body:
            if line.strip() and _indent(line) == entry_indent:
                match = _GOOGLE_ENTRY.match(line.strip())
                if match:
                    names.append(match["name"])
    for body in _numpy_sections(lines, _NUMPY_PARAM_HEADERS):
        entry_indent = next((_indent(line) for line in body if line.strip()), None)
        for line in body:
            if line.strip() and _indent(line) == entry_indent:
                match = _NUMPY_ENTRY.match(line.strip())
                if match:
                    names += [name.strip().lstrip("*") for name in match["names"].split(",")]
    names += _REST_PARAM.findall(doc)
    return tuple(dict.fromkeys(names))


def has_example(doc: str) -> bool:
    """Whether `doc` shows usage code: doctest, fence, code directive or an example section with content."""
    lines = doc.splitlines()
    if any(line.lstrip().startswith((">>>", "```")) for line in lines) or _CODE_DIRECTIVE.search(doc):
        return True
    for index, line in enumerate(lines):
        match = _HEADER.match(line)
        if match and _EXAMPLE_TITLE.search(match["title"]) and any(l.strip() for l in lines[index + 1:]):
            return True
    if any(any(l.strip() for l in body) for body in _numpy_sections(lines, _NUMPY_EXAMPLE_HEADERS)):
        return True
    return any(_is_code(block) for block in _literal_blocks(lines))


def _literal_blocks(lines: list[str]) -> list[str]:
    """The indented bodies following lines that end with `::` (not `.. directive::` lines)."""
    blocks = []
    for index, line in enumerate(lines):
        if not line.rstrip().endswith("::") or line.lstrip().startswith(".."):
            continue
        body = []
        for following in lines[index + 1:]:
            if following.strip() and _indent(following) <= _indent(line):
                break
            body.append(following)
        blocks.append(textwrap.dedent("\n".join(body)).strip("\n"))
    return blocks


_CODE_NODES = (ast.Import, ast.ImportFrom, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Call,
               ast.FunctionDef, ast.ClassDef, ast.With, ast.For)


def _is_code(block: str) -> bool:
    """Whether a literal block is Python doing something (not math, a shape list or a citation)."""
    try:
        tree = ast.parse(block)
    except (SyntaxError, ValueError):
        return False
    return any(isinstance(node, _CODE_NODES) for node in ast.walk(tree))
