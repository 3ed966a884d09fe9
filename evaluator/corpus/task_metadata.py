"""The strict task metadata file, `tasks/<task_id>/task.toml`.

Unknown keys and wrong types are errors that name the file, the line and the key, and suggest the
closest allowed key: a typo in a tolerance must never silently fall back to a default.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

METADATA_FILE = "task.toml"

# The ten categories of the corpus (issue 5) and the claims that tags link a task to (issue 6).
CATEGORIES = (
    "tensors", "autograd", "model-definition", "training", "data-pipelines", "evaluation-modes",
    "persistence-deployment", "graphs-compilation", "devices-precision", "debugging-inspection",
)
TAGS = (
    "learning-curve", "pythonic", "keras-simplifies", "eager-gap", "static-graph-speed",
    "prototyping", "deployment", "debugging", "dynamic-graphs", "fine-grained-control", "distributed",
)
# An implementation's abstraction level (claims protocol, like for like): `high` hands its loop to the
# framework (Keras compile/fit/evaluate), `core` writes it.
LEVELS = ("high", "core")
TASK_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
IMPL_KEY_PATTERN = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
URL_PATTERN = re.compile(r"^https?://\S+$")


class MetadataError(ValueError):
    """A problem in one metadata file; the message names the file and, where known, the line and key."""

    def __init__(self, path: Path, message: str, key: str | None = None, line: int | None = None):
        self.path, self.key, self.line, self.detail = path, key, line, message
        where = str(path) + (f": line {line}" if line else "") + (f": key '{key}'" if key else "")
        super().__init__(f"{where}: {message}")


def did_you_mean(word: str, choices: tuple[str, ...] | list[str]) -> str:
    """' did you mean 'x'?' for the closest of `choices` to a misspelt `word`; '' when none is close."""
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" did you mean {close[0]!r}?" if close else ""


def _unknown(word: str, allowed: tuple[str, ...] | list[str], what: str = "key") -> str:
    named = "unknown key" if what == "key" else f"unknown {what} {word!r}"
    return f"{named};{did_you_mean(word, allowed)} allowed: {', '.join(allowed)}"


@dataclass(frozen=True)
class Tolerance:
    rtol: float = 1e-5
    atol: float = 1e-6


@dataclass(frozen=True)
class TaskMetadata:
    title: str
    category: str
    description: str
    tags: tuple[str, ...]
    tolerance: Tolerance
    sizes: dict[str, dict[str, int | float | str | bool]]
    references: dict[str, tuple[str, ...]]
    seed: int = 0
    notes: str = ""
    pure: bool = False  # run(state) returns the same output on every call: check calls it twice
    levels: dict[str, str] = field(default_factory=dict)  # impl key -> "high" | "core" (declared)
    authorship: str = "team"  # "blind": each side written from spec.py and the task text alone (tasks/README.md)

    def size(self, name: str) -> dict[str, int | float | str | bool]:
        """Parameters of the named size ("small" for CPU checks, "large" for GPU timing)."""
        if name not in self.sizes:
            raise KeyError(f"size {name!r} not declared; declared: {', '.join(self.sizes)}")
        return dict(self.sizes[name])


# key -> (python types, required)
_TOP_LEVEL = {
    "title": (str, True),
    "category": (str, True),
    "description": (str, True),
    "tags": (list, True),
    "seed": (int, False),
    "notes": (str, False),
    "pure": (bool, False),
    "tolerance": (dict, True),
    "sizes": (dict, True),
    "references": (dict, True),
    "levels": (dict, False),
    "authorship": (str, False),
}
AUTHORSHIPS = ("team", "blind")
_SIZE_VALUE_TYPES = (int, float, str, bool)


def _type_name(types: type | tuple[type, ...]) -> str:
    names = {list: "array", dict: "table", str: "string", int: "integer", float: "float", bool: "boolean"}
    types = types if isinstance(types, tuple) else (types,)
    return " or ".join(names.get(t, t.__name__) for t in types)


def _expect(path: Path, key: str, value: object, types: type | tuple[type, ...]) -> None:
    # bool is an int subclass in Python; TOML keeps them apart, so must we.
    if isinstance(value, bool) and bool not in (types if isinstance(types, tuple) else (types,)):
        raise MetadataError(path, f"expected {_type_name(types)}, got boolean", key)
    if not isinstance(value, types):
        raise MetadataError(path, f"expected {_type_name(types)}, got {type(value).__name__}", key)


def parse_metadata(text: str, path: Path) -> TaskMetadata:
    """Parse and validate metadata text; `path` is used in error messages only."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MetadataError(path, f"invalid TOML: {exc}") from exc
    try:
        return _validate(data, path)
    except MetadataError as exc:
        if exc.key is None or exc.line is not None:
            raise
        raise MetadataError(path, exc.detail, exc.key, key_line(text, exc.key)) from None


def _validate(data: dict, path: Path) -> TaskMetadata:
    for key in data:
        if key not in _TOP_LEVEL:
            raise MetadataError(path, _unknown(key, list(_TOP_LEVEL)), key)
    for key, (types, required) in _TOP_LEVEL.items():
        if key not in data:
            if required:
                raise MetadataError(path, "missing required key", key)
            continue
        _expect(path, key, data[key], types)

    for key in ("title", "description"):
        if not data[key].strip():
            raise MetadataError(path, "must not be empty", key)
    if data["category"] not in CATEGORIES:
        raise MetadataError(path, _unknown(data["category"], CATEGORIES, "category"), "category")
    for i, tag in enumerate(data["tags"]):
        _expect(path, f"tags[{i}]", tag, str)
        if tag not in TAGS:
            raise MetadataError(path, _unknown(tag, TAGS, "tag"), f"tags[{i}]")

    tolerance = _parse_tolerance(path, data["tolerance"])
    sizes = _parse_sizes(path, data["sizes"])
    references = _parse_references(path, data["references"])
    levels = _parse_levels(path, data.get("levels", {}))
    authorship = data.get("authorship", "team")
    if authorship not in AUTHORSHIPS:
        raise MetadataError(path, _unknown(authorship, AUTHORSHIPS, "authorship"), "authorship")
    return TaskMetadata(
        title=data["title"].strip(), category=data["category"], description=" ".join(data["description"].split()),
        tags=tuple(data["tags"]), tolerance=tolerance, sizes=sizes, references=references,
        seed=data.get("seed", 0), notes=data.get("notes", ""), pure=data.get("pure", False), levels=levels,
        authorship=authorship,
    )


def _parse_tolerance(path: Path, table: dict) -> Tolerance:
    values = {}
    for key, value in table.items():
        if key not in ("rtol", "atol"):
            raise MetadataError(path, _unknown(key, ["rtol", "atol"]), f"tolerance.{key}")
        _expect(path, f"tolerance.{key}", value, (int, float))
        if value < 0:
            raise MetadataError(path, "must be >= 0", f"tolerance.{key}")
        values[key] = float(value)
    return Tolerance(**values)


def _parse_sizes(path: Path, table: dict) -> dict[str, dict]:
    if "small" not in table:
        raise MetadataError(path, "missing required size 'small' (used by check and CPU runs)", "sizes.small")
    sizes = {}
    for name, params in table.items():
        _expect(path, f"sizes.{name}", params, dict)
        for key, value in params.items():
            _expect(path, f"sizes.{name}.{key}", value, _SIZE_VALUE_TYPES)
        sizes[name] = dict(params)
    return sizes


def _parse_references(path: Path, table: dict) -> dict[str, tuple[str, ...]]:
    references = {}
    for impl_key, urls in table.items():
        if not IMPL_KEY_PATTERN.match(impl_key):
            raise MetadataError(path, "must be an implementation key such as 'torch' or 'tensorflow_keras'", f"references.{impl_key}")
        _expect(path, f"references.{impl_key}", urls, list)
        if not urls:
            raise MetadataError(path, "needs at least one URL", f"references.{impl_key}")
        for i, url in enumerate(urls):
            _expect(path, f"references.{impl_key}[{i}]", url, str)
            if not URL_PATTERN.match(url):
                raise MetadataError(path, f"not an http(s) URL: {url!r}", f"references.{impl_key}[{i}]")
        references[impl_key] = tuple(urls)
    return references


def _parse_levels(path: Path, table: dict) -> dict[str, str]:
    for impl_key, value in table.items():
        if not IMPL_KEY_PATTERN.match(impl_key):
            raise MetadataError(path, "must be an implementation key such as 'torch' or 'tensorflow_loop'", f"levels.{impl_key}")
        _expect(path, f"levels.{impl_key}", value, str)
        if value not in LEVELS:
            raise MetadataError(path, _unknown(value, LEVELS, "level"), f"levels.{impl_key}")
    return dict(table)


_TABLE_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$")
_ASSIGNMENT = re.compile(r"^\s*([A-Za-z0-9_\-.\"' ]+?)\s*=")


def _dotted(key: str) -> str:
    return ".".join(part.strip().strip("\"'") for part in key.split("."))


def key_line(text: str, key: str) -> int | None:
    """The line (1-based) of TOML `text` that sets `key` ('tolerance.atl', 'tags[0]'), or None.

    tomllib reports no positions, so this is a plain scan: table headers set the prefix, and lines
    inside multi-line strings are skipped. Good enough to point a person at the right line.
    """
    wanted = re.sub(r"\[\d+\]", "", key)
    table = ""
    in_string = False
    prefixed = None
    for number, line in enumerate(text.splitlines(), start=1):
        quotes = line.count('"""') + line.count("'''")
        if in_string:
            in_string = quotes % 2 == 0
            continue
        if quotes % 2:
            in_string = True
        if header := _TABLE_HEADER.match(line):
            table = _dotted(header.group(1))
            found = table
        elif assignment := _ASSIGNMENT.match(line):
            found = ".".join(filter(None, (table, _dotted(assignment.group(1)))))
        else:
            continue
        if found == wanted:
            return number
        if prefixed is None and found.startswith(wanted + "."):
            prefixed = number
    return prefixed


def load_metadata(path: Path) -> TaskMetadata:
    """Read and validate one metadata file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise MetadataError(path, f"cannot read: {exc}") from exc
    return parse_metadata(text, path)
