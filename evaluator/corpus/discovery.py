"""Discovery and static validation of the task corpus: a task is a folder, found by scanning.

Nothing here imports or executes task code (commands/task_check.py runs it, in worker processes).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from evaluator.corpus.impl_contract import contract_violations
from evaluator.corpus.manifest import MANIFEST_FILE, CorpusManifest, ManifestError, load_manifest
from evaluator.frameworks import adapter_names, get_adapter, ordered_frameworks
from evaluator.corpus.glue_markers import GlueMarkerError, split_glue
from evaluator.corpus.task_metadata import METADATA_FILE, TASK_ID_PATTERN, MetadataError, TaskMetadata, load_metadata

SPEC_FILE = "spec.py"
IMPL_SUFFIX = "_impl.py"
_IMPL_NAME = re.compile(r"^(?P<stem>[a-z][a-z0-9]*(?:_[a-z0-9]+)*)_impl\.py$")

# `easeval new-task` puts this marker in every file it writes; the author deletes it once the file is
# filled in. Until then the task is reported incomplete (found statically) and the marked files do not
# run: a scaffold must give a clear to-do list, not a crash or a false pass.
TODO_MARKER = "# easeval: todo"
_TODO = re.compile(r"#\s*easeval:\s*todo\b:?\s*(?P<hint>.*?)\s*$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the corpus, pinned to a file."""

    path: Path
    message: str
    task_id: str | None = None

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(frozen=True)
class Implementation:
    task_id: str
    framework: str
    variant: str | None
    path: Path

    @property
    def key(self) -> str:
        """'torch' for a primary implementation, 'tensorflow_lowlevel' for a variant."""
        return self.framework if self.variant is None else f"{self.framework}_{self.variant}"

    @property
    def is_primary(self) -> bool:
        return self.variant is None


@dataclass(frozen=True)
class Task:
    task_id: str
    path: Path
    metadata: TaskMetadata | None
    implementations: tuple[Implementation, ...]
    problems: tuple[Problem, ...] = ()
    incomplete: tuple[Path, ...] = ()  # files still carrying the scaffold's TODO_MARKER
    unrunnable: tuple[Path, ...] = ()  # implementation files that cannot run as written (syntax, contract)

    @property
    def spec_path(self) -> Path:
        return self.path / SPEC_FILE

    @property
    def runnable_implementations(self) -> tuple[Implementation, ...]:
        """Implementations ready to run: none while task.toml or spec.py is unfinished, and none that
        is unfinished or statically known to fail (its problem is reported instead)."""
        if {self.path / METADATA_FILE, self.spec_path} & set(self.incomplete):
            return ()
        return tuple(i for i in self.implementations if i.path not in self.incomplete and i.path not in self.unrunnable)

    @property
    def frameworks(self) -> tuple[str, ...]:
        """Frameworks with any implementation here, in the adapters' declared order."""
        return tuple(ordered_frameworks(i.framework for i in self.implementations))

    def not_implemented(self, frameworks: list[str] | tuple[str, ...]) -> tuple[str, ...]:
        """Those of `frameworks` this task has no primary implementation for (a note, not a problem)."""
        return tuple(f for f in frameworks if self.implementation(f) is None)

    def implementation(self, key: str) -> Implementation | None:
        return next((i for i in self.implementations if i.key == key), None)


@dataclass(frozen=True)
class Corpus:
    root: Path
    tasks: tuple[Task, ...]
    problems: tuple[Problem, ...] = ()
    static_only: bool = False  # folders of *_impl.py files with no metadata or spec (analysis only)
    # An imported corpus's corpus.toml (provenance, aliases); its presence alone makes the corpus
    # static-only, even when it cannot be read: code from elsewhere is never run.
    manifest: CorpusManifest | None = None
    has_manifest: bool = False

    @property
    def static_only_reason(self) -> str:
        """Why nothing here may run, for messages that refuse to."""
        if self.has_manifest:
            return f"its {MANIFEST_FILE} marks it static-only: imported code from elsewhere is analysed, never run"
        return "no task.toml files: a folder of *_impl.py pairs without metadata or spec"

    @property
    def all_problems(self) -> tuple[Problem, ...]:
        return self.problems + tuple(p for t in self.tasks for p in t.problems)

    def select(self, task_ids: list[str] | tuple[str, ...]) -> "Corpus":
        """The named tasks only; an unknown id is a problem, not an exception."""
        wanted = list(dict.fromkeys(task_ids))
        known = {t.task_id: t for t in self.tasks}
        problems = tuple(
            Problem(self.root / tid, f"no task {tid!r} in {self.root}") for tid in wanted if tid not in known
        )
        return Corpus(self.root, tuple(known[t] for t in wanted if t in known), self.problems + problems, self.static_only,
                      self.manifest, self.has_manifest)


def parse_impl_filename(name: str, frameworks: list[str] | None = None) -> tuple[str, str | None] | None:
    """('tensorflow', 'lowlevel') for 'tensorflow_lowlevel_impl.py'; None if not an implementation file.

    The framework is the longest known adapter name the stem starts with; with no match it is the
    first underscore-separated word (reported as unknown by validation).
    """
    match = _IMPL_NAME.match(name)
    if not match:
        return None
    stem = match.group("stem")
    for framework in sorted(frameworks if frameworks is not None else adapter_names(), key=len, reverse=True):
        if stem == framework:
            return framework, None
        if stem.startswith(framework + "_"):
            return framework, stem[len(framework) + 1:]
    head, _, rest = stem.partition("_")
    return head, rest or None


def _is_task_folder(path: Path) -> bool:
    return path.is_dir() and not path.name.startswith((".", "_"))


def is_task(folder: Path) -> bool:
    """Whether `folder` is a task: it holds task.toml or *_impl.py files."""
    return folder.is_dir() and ((folder / METADATA_FILE).exists()
                                or any(_IMPL_NAME.match(f.name) for f in folder.iterdir() if f.is_file()))


def discover(root: Path | str) -> Corpus:
    """Scan `root` for task folders. Never raises on bad tasks: problems are collected."""
    root = Path(root)
    if not root.is_dir():
        return Corpus(root, (), (Problem(root, "tasks directory does not exist"),))
    folders = sorted(p for p in root.iterdir() if _is_task_folder(p))
    problems = []
    manifest, has_manifest = None, (root / MANIFEST_FILE).exists()
    if has_manifest:
        try:
            manifest = load_manifest(root / MANIFEST_FILE)
        except ManifestError as exc:
            problems.append(Problem(root / MANIFEST_FILE, str(exc).removeprefix(f"{root / MANIFEST_FILE}: ")))
    static_only = has_manifest or (bool(folders) and not any((p / METADATA_FILE).exists() for p in folders))
    tasks = []
    for folder in folders:
        if not is_task(folder):
            if not any(folder.iterdir()):
                continue  # an empty folder is not a task yet
            problems.append(Problem(folder, f"not a task: no {METADATA_FILE} and no *{IMPL_SUFFIX} files"))
            continue
        tasks.append(load_task(folder, static_only=static_only, imported=has_manifest))
    if not tasks and not problems:
        problems.append(_no_tasks_problem(root))
    return Corpus(root, tuple(tasks), tuple(problems), static_only, manifest, has_manifest)


def _no_tasks_problem(root: Path) -> Problem:
    """An empty --tasks folder is an error that says what it expected (and a task folder given as the
    corpus says how to name it instead): a silent '0 tasks' reads as success."""
    message = f"holds no task folder (expected {root}/<task_id>/ folders with {METADATA_FILE} and *{IMPL_SUFFIX} files)"
    if is_task(root):
        message += f"; {root} is itself a task: use --tasks {root.parent} and name the task ({root.name})"
    return Problem(root, message)


def load_task(folder: Path, *, static_only: bool = False, imported: bool = False) -> Task:
    """Read one task folder: metadata, spec presence, implementation files, static checks."""
    task_id = folder.name
    problems: list[Problem] = []
    if not TASK_ID_PATTERN.match(task_id):
        problems.append(Problem(folder, f"task id {task_id!r} must be a lowercase identifier ([a-z][a-z0-9_]*)", task_id))

    metadata = None
    if not static_only:
        metadata_path = folder / METADATA_FILE
        if not metadata_path.exists():
            problems.append(Problem(metadata_path, "missing metadata file", task_id))
        else:
            try:
                metadata = load_metadata(metadata_path)
            except MetadataError as exc:
                problems.append(Problem(metadata_path, str(exc).removeprefix(f"{metadata_path}: "), task_id))
        if not (folder / SPEC_FILE).exists():
            problems.append(Problem(folder / SPEC_FILE, "missing spec module (make_inputs and reference)", task_id))

    known = adapter_names()
    implementations = []
    unrunnable = []
    for path in sorted(folder.glob(f"*{IMPL_SUFFIX}")):
        parsed = parse_impl_filename(path.name, known)
        if parsed is None:
            problems.append(Problem(path, "misnamed implementation file: expected <framework>_impl.py or <framework>_<variant>_impl.py", task_id))
            continue
        framework, variant = parsed
        if framework not in known:
            problems.append(Problem(path, f"unknown framework {framework!r}; known: {', '.join(ordered_frameworks(known))}", task_id))
            continue
        implementations.append(Implementation(task_id, framework, variant, path))
        if not imported:  # an imported corpus is only analysed, and the analysis reports these per file (and fast)
            file_problems, runnable = _static_problems(path, task_id, check_contract=not static_only,
                                                       forbidden=getattr(get_adapter(framework), "FORBIDDEN_IMPORTS", ()))
            problems.extend(file_problems)
            if not runnable:
                unrunnable.append(path)

    if metadata is not None:
        problems.extend(_reference_problems(folder / METADATA_FILE, metadata, implementations, task_id))
    todo = [p for path in (folder / METADATA_FILE, folder / SPEC_FILE, *(i.path for i in implementations))
            for p in _todo_problems(path, task_id)]
    incomplete = tuple(dict.fromkeys(p.path for p in todo))
    return Task(task_id, folder, metadata, tuple(implementations), tuple(problems + todo), incomplete, tuple(unrunnable))


def _todo_problems(path: Path, task_id: str) -> list[Problem]:
    """One problem per line of `path` still carrying the scaffold's TODO marker (see TODO_MARKER)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []  # a missing or unreadable file is reported elsewhere
    return [
        Problem(path, f"incomplete: line {number} still has the scaffold's TODO marker: "
                      f"{match.group('hint') or 'fill in this file, then delete this line'}", task_id)
        for number, line in enumerate(lines, start=1) if (match := _TODO.search(line))
    ]


def _static_problems(path: Path, task_id: str, *, check_contract: bool = True,
                     forbidden: tuple[str, ...] = ()) -> tuple[list[Problem], bool]:
    """Syntax, contract (setup and run), forbidden-import and glue-marker problems of one implementation
    file, found without running it; and whether the file can run at all (a syntax error or a broken
    contract would only fail later, after a framework import, with a less helpful message). `forbidden`:
    top-level packages the file's framework may not import (a keras_impl.py importing a backend)."""
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [Problem(path, f"cannot read as UTF-8: {exc}", task_id)], False
    try:
        tree = ast.parse(source, filename=str(path))
    except SyntaxError as exc:
        return [Problem(path, f"syntax error at line {exc.lineno}: {exc.msg}", task_id)], False
    except (RecursionError, MemoryError) as exc:  # imported code can nest deeper than Python's parser goes
        return [Problem(path, f"too deeply nested to parse ({type(exc).__name__})", task_id)], False
    except ValueError as exc:  # a NUL byte, on Python 3.11
        return [Problem(path, f"cannot parse: {exc}", task_id)], False
    # A static-only corpus (pairs of files for analysis) makes no promise to run, so no contract.
    problems = [Problem(path, str(v), task_id) for v in contract_violations(tree)] if check_contract else []
    runnable = not problems
    problems += [Problem(path, message, task_id) for message in _forbidden_imports(tree, path.name, forbidden)]
    try:
        stripped = split_glue(source).code
    except GlueMarkerError as exc:
        return problems + [Problem(path, f"glue markers: {exc}", task_id)], runnable
    try:
        ast.parse(stripped)
    except SyntaxError as exc:
        problems.append(Problem(path, f"removing the marked glue leaves invalid Python ({exc.msg}); glue must cover whole statements", task_id))
    except (RecursionError, MemoryError, ValueError) as exc:
        problems.append(Problem(path, f"cannot parse without the glue ({type(exc).__name__})", task_id))
    return problems, runnable


def _forbidden_imports(tree: ast.AST, filename: str, forbidden: tuple[str, ...]) -> list[str]:
    """One message per import of a forbidden package, with its line (a Keras file importing torch)."""
    messages = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            if name.partition(".")[0] in forbidden:
                messages.append(f"line {node.lineno}: imports {name}, but {filename} must be written against "
                                f"{filename.split('_')[0]} alone (it runs on every backend: {', '.join(forbidden[:3])})")
    return messages


def _reference_problems(metadata_path: Path, metadata: TaskMetadata, impls: list[Implementation], task_id: str) -> list[Problem]:
    keys = {i.key for i in impls}
    problems = [
        Problem(metadata_path, f"key 'references.{i.key}': implementation {i.path.name} cites no official guide", task_id)
        for i in impls if i.key not in metadata.references
    ]
    problems += [
        Problem(metadata_path, f"key 'references.{key}': no implementation file {key}{IMPL_SUFFIX}", task_id)
        for key in metadata.references if key not in keys
    ]
    problems += [
        Problem(metadata_path, f"key 'levels.{key}': no implementation file {key}{IMPL_SUFFIX}", task_id)
        for key in metadata.levels if key not in keys
    ]
    # `.invalid` can never be a real host (RFC 2606): the scaffold's placeholders must be replaced.
    problems += [
        Problem(metadata_path, f"key 'references.{key}': placeholder URL {url}; cite the official guide the implementation follows", task_id)
        for key, urls in metadata.references.items() for url in urls if _is_placeholder_url(url)
    ]
    return problems


def _is_placeholder_url(url: str) -> bool:
    host = url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return host == "invalid" or host.endswith(".invalid")
