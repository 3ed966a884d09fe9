"""`corpus.toml`: the manifest of an imported, static-only corpus (provenance, counts, aliases).

An imported corpus is code from strangers: `static_only = true` is required, so `easeval check` and
`easeval run` refuse it and the report only analyses it. The file is strict like `task.toml`: an
unknown key or a wrong type is an error naming the file and the key. Standard library only.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MANIFEST_FILE = "corpus.toml"

# Changelog of corpus.toml (a newer file is refused, an older one would be migrated step by step):
# 1: schema_version, static_only, importer, created, easeval_version, [source], [patterns], [counts],
#    [aliases], [pairs.<id>], [[unpaired]], [[collisions]], problems, [d2l].
MANIFEST_SCHEMA_VERSION = 1

SOURCE_KINDS = ("tree", "wheel", "sdist", "d2l", "manual")
IMPORTERS = ("pairs", "d2l", "manual")


class ManifestError(ValueError):
    """A problem in corpus.toml; the message names the file and, where known, the key."""

    def __init__(self, path: Path, message: str, key: str | None = None):
        self.path, self.key = path, key
        super().__init__(f"{path}: key '{key}': {message}" if key else f"{path}: {message}")


@dataclass(frozen=True)
class Source:
    path: str                      # what was imported, as given
    kind: str                      # one of SOURCE_KINDS
    package: str = ""              # distribution name where the source says it (METADATA, PKG-INFO, pyproject)
    version: str = ""
    git_commit: str = ""           # read from .git without running git
    sha256: str = ""               # of an archive (wheel, sdist)
    exclude: tuple[str, ...] = ()  # patterns left out on purpose


@dataclass(frozen=True)
class Unpaired:
    framework: str
    name: str
    path: str


@dataclass(frozen=True)
class Collision:
    task_id: str
    framework: str
    paths: tuple[str, ...]


@dataclass(frozen=True)
class D2lInfo:
    """How the d2l importer read the book (see evaluator/importers/d2l.py)."""

    default_tab: str
    tabs: dict[str, str]                 # framework -> the book's tab name
    chapters: int
    groups: int                          # groups of adjacent code cells read
    shared_groups: int                   # groups whose code is identical for every framework: not pairs
    prelude_pairs: tuple[str, ...]       # ids of the chapters' import preludes, each its own pair
    magic_lines: int                     # IPython lines (%matplotlib inline) kept as comments


@dataclass(frozen=True)
class CorpusManifest:
    source: Source
    importer: str = "manual"
    created: str = ""
    easeval_version: str = ""
    patterns: dict[str, str] = field(default_factory=dict)        # framework -> pattern with {name}
    counts: dict[str, int] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)         # dotted name as imported -> framework name
    pairs: dict[str, dict[str, str]] = field(default_factory=dict)  # task id -> framework -> where it came from
    unpaired: tuple[Unpaired, ...] = ()
    collisions: tuple[Collision, ...] = ()
    problems: tuple[str, ...] = ()
    d2l: D2lInfo | None = None
    static_only: bool = True
    schema_version: int = MANIFEST_SCHEMA_VERSION


# ---- reading ---------------------------------------------------------------------------------------

def load_manifest(path: Path | str) -> CorpusManifest:
    """Read and validate corpus.toml; raises ManifestError naming the file and key."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ManifestError(path, f"cannot read: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(path, f"not valid TOML: {exc}") from exc
    return manifest_from_dict(data, path)


def manifest_from_dict(data: dict[str, Any], path: Path) -> CorpusManifest:
    reader = _Reader(path)
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ManifestError(path, "required integer missing or of the wrong type", "schema_version")
    if version > MANIFEST_SCHEMA_VERSION:
        raise ManifestError(path, f"schema_version {version} is newer than this easeval understands "
                                  f"({MANIFEST_SCHEMA_VERSION}); upgrade easeval", "schema_version")
    if version < 1:
        raise ManifestError(path, f"schema_version {version} is not a version", "schema_version")
    reader.keys(data, "", {"schema_version", "static_only", "importer", "created", "easeval_version", "source",
                           "patterns", "counts", "aliases", "pairs", "unpaired", "collisions", "problems", "d2l"})
    if reader.get(data, "static_only", bool, required=True) is not True:
        raise ManifestError(path, "must be true: an imported corpus is analysed, never run", "static_only")
    importer = reader.get(data, "importer", str, default="manual")
    if importer not in IMPORTERS:
        raise ManifestError(path, f"{importer!r} is not one of {', '.join(IMPORTERS)}", "importer")

    source = reader.table(data, "source", required=True)
    reader.keys(source, "source", {"path", "kind", "package", "version", "git_commit", "sha256", "exclude"})
    kind = reader.get(source, "kind", str, required=True, where="source")
    if kind not in SOURCE_KINDS:
        raise ManifestError(path, f"{kind!r} is not one of {', '.join(SOURCE_KINDS)}", "source.kind")
    parsed_source = Source(
        path=reader.get(source, "path", str, required=True, where="source"), kind=kind,
        package=reader.get(source, "package", str, default="", where="source"),
        version=reader.get(source, "version", str, default="", where="source"),
        git_commit=reader.get(source, "git_commit", str, default="", where="source"),
        sha256=reader.get(source, "sha256", str, default="", where="source"),
        exclude=tuple(reader.strings(source, "exclude", "source")),
    )
    pairs = {}
    for task_id, where in reader.table(data, "pairs").items():
        pairs[task_id] = reader.string_table({task_id: where}, task_id, "pairs")
    unpaired = tuple(Unpaired(**reader.record(item, f"unpaired[{i}]", {"framework": str, "name": str, "path": str}))
                     for i, item in enumerate(reader.array_of_tables(data, "unpaired")))
    collisions = []
    for i, item in enumerate(reader.array_of_tables(data, "collisions")):
        record = reader.record(item, f"collisions[{i}]", {"task_id": str, "framework": str, "paths": list})
        record["paths"] = tuple(reader.strings(item, "paths", f"collisions[{i}]"))
        collisions.append(Collision(**record))
    counts = reader.table(data, "counts")
    for key, value in counts.items():
        if not isinstance(value, int) or isinstance(value, bool):
            raise ManifestError(path, "expected an integer", f"counts.{key}")
    return CorpusManifest(
        source=parsed_source, importer=importer,
        created=reader.get(data, "created", str, default=""),
        easeval_version=reader.get(data, "easeval_version", str, default=""),
        patterns=reader.string_table(data, "patterns"), counts=dict(counts),
        aliases=reader.string_table(data, "aliases"), pairs=pairs, unpaired=unpaired, collisions=tuple(collisions),
        problems=tuple(reader.strings(data, "problems", "")), d2l=_d2l(reader, data), static_only=True,
        schema_version=version,
    )


def _d2l(reader: "_Reader", data: dict[str, Any]) -> D2lInfo | None:
    if "d2l" not in data:
        return None
    table = reader.table(data, "d2l")
    reader.keys(table, "d2l", {"default_tab", "tabs", "chapters", "groups", "shared_groups", "prelude_pairs", "magic_lines"})
    return D2lInfo(
        default_tab=reader.get(table, "default_tab", str, required=True, where="d2l"),
        tabs=reader.string_table(table, "tabs", "d2l"),
        chapters=reader.get(table, "chapters", int, default=0, where="d2l"),
        groups=reader.get(table, "groups", int, default=0, where="d2l"),
        shared_groups=reader.get(table, "shared_groups", int, default=0, where="d2l"),
        prelude_pairs=tuple(reader.strings(table, "prelude_pairs", "d2l")),
        magic_lines=reader.get(table, "magic_lines", int, default=0, where="d2l"),
    )


_TYPE_NAMES = {str: "string", int: "integer", bool: "boolean", list: "array", dict: "table"}


class _Reader:
    """Typed access to parsed TOML, every error naming the file and the dotted key."""

    def __init__(self, path: Path):
        self.path = path

    def _key(self, where: str, key: str) -> str:
        return f"{where}.{key}" if where else key

    def keys(self, table: dict[str, Any], where: str, allowed: set[str]) -> None:
        for key in table:
            if key not in allowed:
                raise ManifestError(self.path, f"unknown key; allowed here: {', '.join(sorted(allowed))}",
                                    self._key(where, key))

    def get(self, table: dict[str, Any], key: str, kind: type, *, required: bool = False, default: Any = None,
            where: str = "") -> Any:
        if key not in table:
            if required:
                raise ManifestError(self.path, f"required {_TYPE_NAMES[kind]} missing", self._key(where, key))
            return default
        value = table[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise ManifestError(self.path, f"expected {_TYPE_NAMES[kind]}, got {type(value).__name__}",
                                self._key(where, key))
        return value

    def table(self, table: dict[str, Any], key: str, *, required: bool = False) -> dict[str, Any]:
        return self.get(table, key, dict, required=required, default={})

    def string_table(self, table: dict[str, Any], key: str, where: str = "") -> dict[str, str]:
        inner = self.get(table, key, dict, default={}, where=where)
        for name, value in inner.items():
            if not isinstance(value, str):
                raise ManifestError(self.path, f"expected string, got {type(value).__name__}",
                                    f"{self._key(where, key)}.{json.dumps(name) if '.' in name else name}")
        return dict(inner)

    def strings(self, table: dict[str, Any], key: str, where: str) -> list[str]:
        values = self.get(table, key, list, default=[], where=where)
        for i, value in enumerate(values):
            if not isinstance(value, str):
                raise ManifestError(self.path, f"expected string, got {type(value).__name__}", f"{self._key(where, key)}[{i}]")
        return list(values)

    def array_of_tables(self, table: dict[str, Any], key: str) -> list[dict[str, Any]]:
        items = self.get(table, key, list, default=[])
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                raise ManifestError(self.path, "expected a table", f"{key}[{i}]")
        return items

    def record(self, item: dict[str, Any], where: str, fields: dict[str, type]) -> dict[str, Any]:
        self.keys(item, where, set(fields))
        return {name: self.get(item, name, kind, required=True, where=where) for name, kind in fields.items()}


# ---- writing ---------------------------------------------------------------------------------------

def toml_string(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's, except that TOML also forbids a raw DEL."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _key(name: str) -> str:
    bare = name and all(c.isascii() and (c.isalnum() or c in "_-") for c in name)
    return name if bare else toml_string(name)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to corpus.toml")


def _table(lines: list[str], header: str, values: dict[str, Any]) -> None:
    lines += ["", f"[{header}]"] + [f"{_key(k)} = {_value(v)}" for k, v in values.items()]


def dump_manifest(manifest: CorpusManifest) -> str:
    """The text of corpus.toml; `load_manifest` reads it back to an equal manifest."""
    s = manifest.source
    lines = [
        "# Written by easeval import. Static-only: easeval analyses this code and never runs it",
        "# (`easeval check` and `easeval run` refuse this folder).",
        f"schema_version = {manifest.schema_version}",
        "static_only = true",
        f"importer = {toml_string(manifest.importer)}",
        f"created = {toml_string(manifest.created)}",
        f"easeval_version = {toml_string(manifest.easeval_version)}",
        f"problems = {_value(list(manifest.problems))}",
    ]
    _table(lines, "source", {"path": s.path, "kind": s.kind, "package": s.package, "version": s.version,
                             "git_commit": s.git_commit, "sha256": s.sha256, "exclude": list(s.exclude)})
    _table(lines, "patterns", manifest.patterns)
    _table(lines, "counts", manifest.counts)
    lines += ["", "# A name imported as the key is the framework module of the value (a re-export);",
              "# edit by hand to resolve more, then rerun the analysis."]
    _table(lines, "aliases", manifest.aliases)
    if manifest.d2l is not None:
        d = manifest.d2l
        _table(lines, "d2l", {"default_tab": d.default_tab, "chapters": d.chapters, "groups": d.groups,
                              "shared_groups": d.shared_groups, "prelude_pairs": list(d.prelude_pairs),
                              "magic_lines": d.magic_lines})
        _table(lines, "d2l.tabs", d.tabs)
    lines += ["", "[pairs]"]
    for task_id, where in manifest.pairs.items():
        _table(lines, f"pairs.{_key(task_id)}", where)
    for item in manifest.unpaired:
        lines += ["", "[[unpaired]]", f"framework = {toml_string(item.framework)}", f"name = {toml_string(item.name)}",
                  f"path = {toml_string(item.path)}"]
    for item in manifest.collisions:
        lines += ["", "[[collisions]]", f"task_id = {toml_string(item.task_id)}",
                  f"framework = {toml_string(item.framework)}", f"paths = {_value(list(item.paths))}"]
    return "\n".join(lines) + "\n"
