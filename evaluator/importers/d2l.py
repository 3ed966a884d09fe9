"""`easeval import d2l`: pairs from the markdown source of the d2l book (d2l-ai/d2l-en), never run.

How the book is read (the format of d2l-ai/d2l-en's chapters):

- A code cell is a fenced block whose info string holds `.python .input` (```` ```{.python .input  n=1} ````);
  its first line may name the tabs it belongs to: `#@tab pytorch`, `#@tab pytorch, tensorflow`,
  `#@tab all`, or the newer `%%tab pytorch`. A cell without one belongs to the book's default tab
  (`mxnet`, as in d2l's config), so it is no framework's here. The directive line itself is dropped.
- Cells separated only by blank lines are one *group*: the book shows them as tabs of one snippet.
  A group is one pair: each framework's side is the group's cells carrying its tab, in book order.
- Shared cells (`all`, or a multi-framework tab that names both sides) go into every side they name:
  they are what a reader of that tab types. A group whose sides come out identical (only shared cells)
  compares nothing and is not a pair; it is counted as a shared group.
- A group with code for one side only is listed as unpaired (`chapter.md:line`), never dropped silently.
- IPython lines (`%matplotlib inline`, `!pip ...`) are not Python: they are kept as comments and counted.
- The chapter's *prelude*, its first group made only of imports, belongs to what a reader types once
  per chapter: it is its own pair (`<chapter>_prelude`, listed in corpus.toml `[d2l] prelude_pairs`, so
  a report can show its share of the code), and every later pair of the chapter carries it between
  `# easeval: glue-begin` and `# easeval: glue-end`: not counted again, but its imports bind the names
  the snippet uses (`torch.zeros` resolves to torch).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

from evaluator import __version__
from evaluator.corpus.manifest import CorpusManifest, D2lInfo, Source as ManifestSource, Unpaired
from evaluator.importers import ImportFailure
from evaluator.importers.corpus_writer import check_output, write_corpus
from evaluator.importers.patterns import task_id_for
from evaluator.importers.sources import open_source

# easeval framework -> the book's tab name
D2L_TABS = {"torch": "pytorch", "tensorflow": "tensorflow", "jax": "jax"}
DEFAULT_TAB = "mxnet"
_FENCE = re.compile(r"^(?P<indent>\s{0,3})(?P<ticks>`{3,})\s*(?P<info>.*)$")
_DIRECTIVE = re.compile(r"^\s*(?:#@tab|%%tab)\s+(?P<tabs>.+?)\s*$")
_MAGIC = re.compile(r"^\s*[%!]")
_SKIPPED_FOLDERS = {"_build", "build", "static", "img"}


@dataclass(frozen=True)
class Cell:
    first_line: int                # 1-based line of the opening fence
    last_line: int                 # of the closing fence
    tabs: frozenset[str]           # "all" stands for every tab
    code: str                      # without the directive line, magics commented out
    magic_lines: int


@dataclass(frozen=True)
class Group:
    cells: tuple[Cell, ...]

    def side(self, tab: str) -> tuple[str, list[Cell]]:
        cells = [c for c in self.cells if tab in c.tabs or "all" in c.tabs]
        return "\n".join(c.code.rstrip("\n") + "\n" for c in cells), cells


def _is_code_fence(info: str, first_line: str) -> bool:
    info = info.strip()
    if ".input" in info and "python" in info:
        return True
    return info == "python" and bool(_DIRECTIVE.match(first_line))  # translations spell cells ```python


def parse_cells(text: str, default_tab: str = DEFAULT_TAB) -> list[tuple[Cell, bool]]:
    """Every code cell of a chapter and whether only blank lines separate it from the previous one."""
    lines = text.splitlines()
    cells: list[tuple[Cell, bool]] = []
    i, gap_is_blank = 0, False
    while i < len(lines):
        opening = _FENCE.match(lines[i])
        if not opening:
            if lines[i].strip():
                gap_is_blank = False
            i += 1
            continue
        ticks = opening.group("ticks")
        end = next((j for j in range(i + 1, len(lines)) if lines[j].strip().startswith(ticks) and
                    not lines[j].strip().strip("`")), len(lines))
        body = lines[i + 1:end]
        first = next((line for line in body if line.strip()), "")
        if _is_code_fence(opening.group("info"), first):
            tabs = frozenset({default_tab})
            directive = _DIRECTIVE.match(first)
            if directive:
                tabs = frozenset(t.strip().lower() for t in directive.group("tabs").split(",") if t.strip())
                body = body[body.index(first) + 1:]
            kept, magic = [], 0
            for line in body:
                if _MAGIC.match(line):
                    kept.append("# " + line.strip())
                    magic += 1
                else:
                    kept.append(line)
            adjacent = bool(cells) and gap_is_blank
            cells.append((Cell(i + 1, end + 1, tabs, "\n".join(kept).strip("\n") + "\n", magic), adjacent))
            gap_is_blank = True
        else:
            gap_is_blank = False  # another kind of block (output, shell, math) separates snippets
        i = end + 1
    return cells


def parse_groups(text: str, default_tab: str = DEFAULT_TAB) -> list[Group]:
    groups: list[list[Cell]] = []
    for cell, adjacent in parse_cells(text, default_tab):
        if adjacent and groups:
            groups[-1].append(cell)
        else:
            groups.append([cell])
    return [Group(tuple(cells)) for cells in groups]


def _imports_only(code: str) -> bool:
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return bool(tree.body) and all(isinstance(node, (ast.Import, ast.ImportFrom)) for node in tree.body)


def _glue(prelude: str) -> str:
    return "# easeval: glue-begin\n" + prelude.rstrip("\n") + "\n# easeval: glue-end\n"


@dataclass
class D2lPlan:
    source: Path
    package: str
    version: str
    git_commit: str
    frameworks: tuple[str, ...]
    default_tab: str
    pairs: dict[str, dict[str, str]] = field(default_factory=dict)       # id -> framework -> chapter:lines
    contents: dict[tuple[str, str], bytes] = field(default_factory=dict, repr=False)
    unpaired: list[Unpaired] = field(default_factory=list)
    prelude_pairs: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    chapters: int = 0
    groups: int = 0
    shared_groups: int = 0
    magic_lines: int = 0

    def counts(self) -> dict[str, int]:
        data = list(self.contents.values())
        return {"pairs": len(self.pairs), "files": len(data), "lines": sum(d.count(b"\n") for d in data),
                "bytes": sum(len(d) for d in data), "unpaired": len(self.unpaired), "chapters": self.chapters,
                "groups": self.groups, "shared_groups": self.shared_groups, "prelude_pairs": len(self.prelude_pairs)}


def chapter_prefix(path: str) -> str | None:
    """`preliminaries_ndarray` for chapter_preliminaries/ndarray.md."""
    parts = [p.removeprefix("chapter_") for p in PurePosixPath(path).with_suffix("").parts]
    return task_id_for("_".join(parts))


def plan_d2l(repo: Path | str, frameworks: tuple[str, ...] = ("torch", "tensorflow"),
             default_tab: str = DEFAULT_TAB) -> D2lPlan:
    """Read every chapter (*.md) under `repo` and decide the pairs; nothing is written or run."""
    unknown = [f for f in frameworks if f not in D2L_TABS]
    if unknown or len(set(frameworks)) < 2:
        raise ImportFailure(f"--framework: need two or more of {', '.join(D2L_TABS)}; got {', '.join(frameworks) or 'none'}")
    with open_source(repo) as source:
        if source.kind != "tree":
            raise ImportFailure(f"{repo}: the d2l importer reads a checkout of the book (a folder), not a {source.kind}")
        plan = D2lPlan(Path(repo), "d2l", _d2l_version(source), source.git_commit, tuple(frameworks), default_tab,
                       problems=list(source.problems))
        used_ids: set[str] = set()
        for path in source.files:
            if not path.endswith(".md") or set(PurePosixPath(path).parts[:-1]) & _SKIPPED_FOLDERS:
                continue
            try:
                text = source.read(path).decode("utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                plan.problems.append(f"{path}: cannot read as UTF-8 ({exc}); chapter skipped")
                continue
            _plan_chapter(plan, path, text, used_ids)
    if not plan.pairs:
        raise ImportFailure(f"{repo}: no pairs: {plan.chapters} chapters with code cells, {plan.groups} groups, "
                            f"{plan.shared_groups} shared by every side, {len(plan.unpaired)} with one side only; "
                            f"nothing written (cells need '#@tab {D2L_TABS[frameworks[0]]}' / '%%tab ...' lines)")
    return plan


def _d2l_version(source) -> str:
    try:
        text = source.read("d2l/__init__.py").decode("utf-8")
    except (OSError, KeyError, UnicodeDecodeError):
        return ""
    match = re.search(r"""^__version__\s*=\s*['"]([^'"]+)['"]""", text, re.M)
    return match.group(1) if match else ""


def _plan_chapter(plan: D2lPlan, path: str, text: str, used_ids: set[str]) -> None:
    groups = parse_groups(text, plan.default_tab)
    tabs = {f: D2L_TABS[f] for f in plan.frameworks}
    relevant = [g for g in groups if any(g.side(tab)[1] for tab in tabs.values())]
    if not relevant:
        return
    plan.chapters += 1
    prefix = chapter_prefix(path)
    if prefix is None:
        plan.problems.append(f"{path}: its name makes no task id; chapter skipped")
        return
    preludes: dict[str, str] = {}
    number = 0
    for group in relevant:
        plan.groups += 1
        sides = {f: group.side(tab) for f, tab in tabs.items()}
        present = {f: (code, cells) for f, (code, cells) in sides.items() if cells}
        plan.magic_lines += sum(c.magic_lines for c in group.cells if any(c in cells for _, cells in present.values()))
        if len(present) < 2:
            for f, (_, cells) in present.items():
                plan.unpaired.append(Unpaired(f, f"{path}:{cells[0].first_line}", f"{path}:{cells[0].first_line}-{cells[-1].last_line}"))
            continue
        if len({code for code, _ in present.values()}) == 1:
            plan.shared_groups += 1
            continue
        is_prelude = not preludes and all(_imports_only(code) for code, _ in present.values())
        if is_prelude:
            task_id = _unique(f"{prefix}_prelude", used_ids, plan, path)
            plan.prelude_pairs.append(task_id)
        else:
            number += 1
            task_id = _unique(f"{prefix}_{number:02d}", used_ids, plan, path)
        plan.pairs[task_id] = {f: f"{path}:{cells[0].first_line}-{cells[-1].last_line}" for f, (_, cells) in present.items()}
        for f, (code, _) in present.items():
            text_out = code if is_prelude or f not in preludes else _glue(preludes[f]) + "\n" + code
            plan.contents[(task_id, f)] = text_out.encode("utf-8")
        if is_prelude:
            preludes = {f: code for f, (code, _) in present.items()}


def _unique(task_id: str, used: set[str], plan: D2lPlan, path: str) -> str:
    if task_id not in used:
        used.add(task_id)
        return task_id
    suffix = 2
    while f"{task_id}_{suffix}" in used:
        suffix += 1
    plan.problems.append(f"{path}: id {task_id!r} already taken by another chapter; this one is {task_id}_{suffix}")
    used.add(f"{task_id}_{suffix}")
    return f"{task_id}_{suffix}"


def manifest_for(plan: D2lPlan, created: str | None = None) -> CorpusManifest:
    return CorpusManifest(
        source=ManifestSource(path=str(plan.source), kind="d2l", package=plan.package, version=plan.version,
                              git_commit=plan.git_commit),
        importer="d2l", created=created or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        easeval_version=__version__, patterns={f: f"#@tab {D2L_TABS[f]}" for f in plan.frameworks},
        counts=plan.counts(), pairs=plan.pairs, unpaired=tuple(plan.unpaired), problems=tuple(plan.problems),
        d2l=D2lInfo(default_tab=plan.default_tab, tabs={f: D2L_TABS[f] for f in plan.frameworks}, chapters=plan.chapters,
                    groups=plan.groups, shared_groups=plan.shared_groups, prelude_pairs=tuple(plan.prelude_pairs),
                    magic_lines=plan.magic_lines),
    )


def import_d2l(repo: Path | str, output: Path | str, frameworks: tuple[str, ...] = ("torch", "tensorflow"),
               force: bool = False, default_tab: str = DEFAULT_TAB) -> D2lPlan:
    """Plan and write (the library form of `easeval import d2l`)."""
    check_output(Path(output), force, (Path(repo),))
    plan = plan_d2l(repo, frameworks, default_tab)
    write_corpus(Path(output), plan.contents, manifest_for(plan), force)
    return plan
