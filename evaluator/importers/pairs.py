"""`easeval import pairs`: a static-only corpus from any folder, wheel or sdist holding paired files.

Planning and writing are separate: `plan_pairs` reads the source and decides every pair, unpaired file,
collision and alias (nothing written); `write_pairs` writes the plan as `DIR/<id>/<framework>_impl.py`
copies plus `DIR/corpus.toml`, whole or not at all.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from evaluator import __version__
from evaluator.analysis.analysis_types import framework_roots
from evaluator.corpus.discovery import parse_impl_filename
from evaluator.corpus.manifest import Collision, CorpusManifest, Source as ManifestSource, Unpaired
from evaluator.frameworks import adapter_names, ordered_frameworks
from evaluator.importers import ImportFailure
from evaluator.importers.corpus_writer import check_output, write_corpus
from evaluator.importers.patterns import compile_glob, compile_pattern, match_files, task_id_for
from evaluator.importers.reexports import Alias, find_aliases
from evaluator.importers.sources import open_source
from evaluator.corpus.task_metadata import IMPL_KEY_PATTERN


@dataclass(frozen=True)
class Pair:
    task_id: str
    files: dict[str, str]          # framework key -> path inside the source
    name: str                      # the matched {name}


@dataclass
class PairsPlan:
    source: Path
    kind: str
    package: str
    version: str
    git_commit: str
    sha256: str
    patterns: dict[str, str]
    exclude: tuple[str, ...]
    pairs: list[Pair]
    unpaired: list[Unpaired]
    collisions: list[Collision]
    ambiguous: list[tuple[str, tuple[str, ...]]]
    invalid_names: list[tuple[str, str]]          # (path, name) that make no task id
    aliases: list[Alias]
    problems: list[str]
    contents: dict[tuple[str, str], bytes] = field(repr=False, default_factory=dict)
    matched_files: int = 0
    excluded_files: int = 0
    python_files: int = 0

    def counts(self) -> dict[str, int]:
        data = list(self.contents.values())
        return {"pairs": len(self.pairs), "files": len(data), "lines": sum(_lines(d) for d in data),
                "bytes": sum(len(d) for d in data), "unpaired": len(self.unpaired), "collisions": len(self.collisions),
                "ambiguous": len(self.ambiguous), "invalid_names": len(self.invalid_names),
                "excluded": self.excluded_files}


def _lines(data: bytes) -> int:
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


def parse_matches(options: tuple[str, ...] | list[str]) -> dict[str, str]:
    """`--match FRAMEWORK=PATTERN` options as {framework key: pattern}; ImportFailure names the bad one."""
    patterns: dict[str, str] = {}
    known = adapter_names()
    for option in options:
        key, sep, pattern = option.partition("=")
        key = key.strip()
        if not sep or not key or not pattern:
            raise ImportFailure(f"--match {option!r}: expected FRAMEWORK=PATTERN, e.g. torch='**/modeling_{{name}}.py'")
        parsed = parse_impl_filename(f"{key}_impl.py", known) if IMPL_KEY_PATTERN.match(key) else None
        if parsed is None or parsed[0] not in known:
            raise ImportFailure(f"--match {option!r}: unknown framework {key!r}; known: {', '.join(ordered_frameworks(known))} "
                                "(or <framework>_<variant>)")
        if key in patterns:
            raise ImportFailure(f"--match {option!r}: {key} is given twice")
        patterns[key] = pattern
    if len(patterns) < 2:
        raise ImportFailure("give at least two --match options, one per side of a pair "
                            "(e.g. --match torch='**/{name}_torch.py' --match tensorflow='**/{name}_tf.py')")
    return patterns


def plan_pairs(src: Path | str, patterns: dict[str, str], exclude: tuple[str, ...] = ()) -> PairsPlan:
    """Read `src` and decide the corpus. Raises ImportFailure for a bad pattern or an unreadable source."""
    compiled = [compile_pattern(key, text) for key, text in patterns.items()]
    globs = [compile_glob(text) for text in exclude]
    with open_source(src) as source:
        matches = match_files(source.files, compiled, globs)
        by_id: dict[str, dict[str, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
        invalid = []
        for m in matches.files:
            task_id = task_id_for(m.name)
            if task_id is None:
                invalid.append((m.path, m.name))
            else:
                by_id[task_id][m.framework].append((m.name, m.path))
        pairs, unpaired, collisions, problems = [], [], [], list(source.problems)
        contents: dict[tuple[str, str], bytes] = {}
        for task_id in sorted(by_id):
            sides = by_id[task_id]
            clashing = {k: v for k, v in sides.items() if len(v) > 1}
            for key, hits in sorted(clashing.items()):
                collisions.append(Collision(task_id, key, tuple(path for _, path in hits)))
            single = {k: v[0] for k, v in sides.items() if len(v) == 1}
            if clashing or len(single) < 2:
                reason = "collision" if clashing else "no counterpart"
                unpaired += [Unpaired(k, f"{name} ({reason})" if clashing else name, path)
                             for k, (name, path) in sorted(single.items())]
                continue
            read = {}
            for key, (_, path) in single.items():
                try:
                    read[key] = source.read(path)
                except (OSError, KeyError) as exc:
                    problems.append(f"{source.path}: {path}: cannot read ({exc}); pair {task_id!r} not imported")
            if len(read) < len(single):
                unpaired += [Unpaired(k, single[k][0], single[k][1]) for k in sorted(read)]
                continue
            pairs.append(Pair(task_id, {k: single[k][1] for k in _ordered(single)}, next(iter(single.values()))[0]))
            contents.update({(task_id, k): data for k, data in read.items()})
        aliases = find_aliases([p for pair in pairs for p in pair.files.values()], source.read, set(source.files),
                               framework_roots())
        return PairsPlan(
            source=Path(src), kind=source.kind, package=source.package, version=source.version,
            git_commit=source.git_commit, sha256=source.sha256, patterns=dict(patterns), exclude=tuple(exclude),
            pairs=pairs, unpaired=unpaired, collisions=collisions, ambiguous=list(matches.ambiguous),
            invalid_names=invalid, aliases=aliases, problems=problems, contents=contents,
            matched_files=len(matches.files), excluded_files=matches.excluded,
            python_files=sum(1 for f in source.files if f.endswith(".py")),
        )


def _ordered(keys) -> list[str]:
    """Framework keys in the adapters' order, each primary before its variants."""
    order = {f: i for i, f in enumerate(ordered_frameworks(adapter_names()))}
    return sorted(keys, key=lambda k: (order.get(k.partition("_")[0], len(order)), k))


def refuse_empty(plan: PairsPlan) -> None:
    """ImportFailure when the plan holds nothing worth writing (patterns matched nothing, or no pair)."""
    if not plan.matched_files:
        raise ImportFailure(
            f"{plan.source}: the patterns matched no file ({plan.python_files} .py files read"
            + (f", {plan.excluded_files} excluded" if plan.excluded_files else "") + "): "
            + ", ".join(f"{k}={v!r}" for k, v in plan.patterns.items()) + "; patterns match whole paths inside SRC "
            "(start them with '**/' to match at any depth)")
    if not plan.pairs:
        raise ImportFailure(f"{plan.source}: {plan.matched_files} files matched, but no name has a file on two sides "
                            f"({len(plan.unpaired)} unpaired, {len(plan.collisions)} collisions); nothing written")


def manifest_for(plan: PairsPlan, created: str | None = None) -> CorpusManifest:
    return CorpusManifest(
        source=ManifestSource(path=str(plan.source), kind=plan.kind, package=plan.package, version=plan.version,
                              git_commit=plan.git_commit, sha256=plan.sha256, exclude=plan.exclude),
        importer="pairs", created=created or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        easeval_version=__version__, patterns=plan.patterns, counts=plan.counts(),
        aliases={a.key: a.value for a in plan.aliases}, pairs={p.task_id: dict(p.files) for p in plan.pairs},
        unpaired=tuple(plan.unpaired), collisions=tuple(plan.collisions),
        problems=tuple(plan.problems + [f"{path}: matched {', '.join(fw)} equally; not imported" for path, fw in plan.ambiguous]
                       + [f"{path}: name {name!r} makes no valid task id; not imported" for path, name in plan.invalid_names]),
    )


def write_pairs(plan: PairsPlan, output: Path, force: bool = False, created: str | None = None) -> CorpusManifest:
    """Write the planned corpus to `output` (whole or not at all); returns its manifest."""
    refuse_empty(plan)
    manifest = manifest_for(plan, created)
    write_corpus(Path(output), plan.contents, manifest, force)
    return manifest


def import_pairs(src: Path | str, output: Path | str, patterns: dict[str, str], exclude: tuple[str, ...] = (),
                 force: bool = False) -> PairsPlan:
    """Plan and write in one call (the library form of `easeval import pairs`)."""
    check_output(Path(output), force, (Path(src),))
    plan = plan_pairs(src, patterns, exclude)
    write_pairs(plan, Path(output), force)
    return plan
