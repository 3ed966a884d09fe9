"""Debugging records and the schema-versioned files that hold them: `results/debug/<machine>-<time>-<id>.json`.

A debug file is JSON: {"format": "easeval-debug", "schema_version", "run", "environment", "records"},
one file per machine and run (files merge by copying, as result files do), in its own folder so the
runner's result files and these never mix. The envelope is the result files' own (results.result_files:
`FileFormat`, `new_run`, `run_file_path`, `envelope`, `read_envelope`, the same atomic save); what differs
is the format string, this schema and its migrations, the record (a `DebugRecord`, not a measurement) and
the keys every record must have (RECORD_KEYS). One record is one run of one mutant (or of the clean
implementation: `operator` None) with or without the debugging aids.

Records are cached by content: `mutant_hash` (the clean file, the mutant, spec.py, task.toml, size)
and `env_key` (machine, Python, framework version, aids). A rerun reuses a record whose two keys
match, unless its outcome may depend on load or on another run (crashed, oom, invalid, undetermined),
which are run again; a timeout is reused when it had at least the time the rerun would give it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Callable

from evaluator.base.environment import Environment
from evaluator.base.fileio import write_json_atomic
from evaluator.debugging.messages import LOCALISED_GRADES
from evaluator.results.result_files import (
    FileFormat, ResultFileError, envelope, new_run, read_envelope, run_file_path,
)

DEBUG_FORMAT = "easeval-debug"
DEBUG_DIR = "debug"

# Changelog of the debug file format. Every change bumps DEBUG_SCHEMA_VERSION and adds an
# `update_to_<N>(data) -> data` step to DEBUG_MIGRATIONS, so that older files are read step by step.
#   1: first version: format, schema_version, run {id, started_at, finished_at, complete, options},
#      environment (environment.collect_environment), records (DebugRecord fields, flat).
DEBUG_SCHEMA_VERSION = 1
DEBUG_MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}

# The classification method: bumped whenever classification or the message figures change; records of
# another method are run again and never summarised (a summary never mixes two methods).
#   2: the first published method.
#   3: warnings recorded (outcome `warned`), localisation graded from the innermost user location,
#      NotImplementedError keeps its traceback, mutants of a failed clean run are not run (clean-failed).
METHOD_VERSION = 3

CACHEABLE_STATUSES = ("ok", "incorrect", "error", "skipped")
SITE_CACHE = "sites-cache.json"   # the site cache (plan.SiteCache) kept beside the debug files: not a debug file
_UNCACHEABLE_OUTCOMES = ("invalid", "undetermined", "clean-failed")


@dataclass(frozen=True)
class DebugRecord:
    """One run of one mutant (or of the clean implementation) of one task, with or without aids."""

    task: str
    impl_key: str
    framework: str
    operator: str | None          # None: the clean implementation (the second oracle)
    site_id: str                  # "clean" for the clean run
    aids: bool
    status: str                   # the runner's status
    outcome: str                  # outcomes.OUTCOMES
    role: str = ""
    anchor: str = ""
    function: str = ""
    line: int | None = None
    end_line: int | None = None
    original_code: str = ""       # the planted lines before and after the bug
    mutated_code: str = ""
    phase: str | None = None      # loud only: setup, trace, forward, backward
    worker_phase: str | None = None
    exception_type: str | None = None
    message: str | None = None    # whole, as the user would read it
    traceback: str | None = None
    error: str | None = None
    differs_from_clean: bool | None = None
    max_abs_error: float | None = None
    tolerance_ratio: float | None = None
    steps_completed: int | None = None
    # every warning the run raised or logged while setup and run ran (category, source, message, file,
    # line), and how many of them the clean run did not raise (those decide `warned`)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    new_warnings: int = 0
    skip_reason: str | None = None   # clean-failed: why the mutant was not run
    # localisation and message figures (messages.MessageMetrics), loud only
    innermost_user_frame_is_planted: bool | None = None
    planted_in_user_frames: bool | None = None
    message_cites_planted_line: bool | None = None
    localisation: str | None = None          # messages.GRADES: exact, near, elsewhere, no user frame (loud only)
    innermost_user_function: str | None = None
    lines_from_planted: int | None = None
    names_shapes: bool | None = None
    names_dtypes: bool | None = None
    names_devices: bool | None = None
    frames_user: int | None = None
    frames_framework: int | None = None
    frames_generated: int | None = None
    message_chars: int | None = None
    traceback_lines: int | None = None
    mutant_hash: str = ""
    env_key: str = ""
    machine: str | None = None
    framework_version: str | None = None
    started_at: str | None = None
    wall_s: float | None = None
    timeout_s: float | None = None   # the limit this run had
    method_version: int | None = None   # METHOD_VERSION of the classification (None: before 3)
    cached_from: str | None = None   # the debug file a reused record came from; never written
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_clean(self) -> bool:
        return self.operator is None

    @property
    def localised(self) -> bool:
        """Loud and localised: the innermost user location is on the planted lines or near them in the
        planted function (messages.LOCALISED_GRADES; claim 8's primary)."""
        return self.outcome == "loud" and self.localisation in LOCALISED_GRADES

    def cacheable(self, timeout: float | None = None) -> bool:
        """Reusable: a deterministic status, or a timeout at a limit at least `timeout` (a hang stays a hang)."""
        hung = self.status == "timeout" and timeout is not None and (self.timeout_s or 0) >= timeout
        return (self.status in CACHEABLE_STATUSES or hung) and self.outcome not in _UNCACHEABLE_OUTCOMES \
            and bool(self.mutant_hash) and bool(self.env_key)

    def evolve(self, **changes: Any) -> "DebugRecord":
        return replace(self, **changes)

    def to_json(self, *, with_cached_from: bool = False) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("extra", "cached_from")}
        if with_cached_from and self.cached_from:
            data["cached_from"] = self.cached_from
        return {**self.extra, **data}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "DebugRecord":
        known = {f.name for f in fields(cls)} - {"extra", "cached_from"}
        values = {k: v for k, v in data.items() if k in known}
        return cls(**values, extra={k: v for k, v in data.items() if k not in known and k != "cached_from"})


RECORD_KEYS = ("task", "impl_key", "framework", "site_id", "aids", "status", "outcome")


class DebugFileError(ResultFileError):
    """A debug file that cannot be read; the message names the file."""


DEBUG_FILES = FileFormat(DEBUG_FORMAT, "debug", DEBUG_SCHEMA_VERSION, DEBUG_MIGRATIONS, RECORD_KEYS, DebugFileError)


@dataclass
class DebugFile:
    path: Path
    schema_version: int
    run: dict[str, Any]
    environment: Environment
    records: list[DebugRecord] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return envelope(DEBUG_FILES, self.schema_version, self.run, self.environment, [r.to_json() for r in self.records])


def debug_dir(results_dir: Path) -> Path:
    return Path(results_dir) / DEBUG_DIR


def new_debug_file(results_dir: Path, environment: Environment, options: dict[str, Any]) -> DebugFile:
    run = new_run(options)
    path = run_file_path(debug_dir(results_dir), environment.machine, run)
    return DebugFile(path, DEBUG_SCHEMA_VERSION, run, environment, [])


def save_debug_file(debug_file: DebugFile) -> None:
    write_json_atomic(debug_file.path, debug_file.to_json(), compact=True)


def read_debug_file(path: Path) -> DebugFile:
    """Read, validate and migrate one debug file; raises DebugFileError naming the file (and the key)."""
    data = read_envelope(path, DEBUG_FILES)
    return DebugFile(Path(path), data["schema_version"], data["run"], Environment.from_json(data["environment"]),
                     [DebugRecord.from_json(r) for r in data["records"]])


@dataclass
class DebugSet:
    """Every debug file of a results folder, read once; unreadable files become problems naming them."""

    files: list[DebugFile]
    problems: list[str]
    folder: Path | None = None

    @classmethod
    def load(cls, results_dir: Path) -> "DebugSet":
        folder = debug_dir(results_dir)
        files, problems = [], []
        for path in sorted(folder.glob("*.json")) if folder.is_dir() else ():
            if path.name == SITE_CACHE:
                continue
            try:
                files.append(read_debug_file(path))
            except DebugFileError as exc:
                problems.append(str(exc))
        return cls(files, problems, folder)

    def cache_index(self, timeout: float | None = None) -> dict[tuple[str, str], DebugRecord]:
        """(mutant_hash, env_key) -> the newest reusable record, marked with the file it came from.
        Timeouts are reused when they had at least `timeout` seconds."""
        index: dict[tuple[str, str], DebugRecord] = {}
        for debug_file in self.files:
            for record in debug_file.records:
                if not record.cacheable(timeout):
                    continue
                key = (record.mutant_hash, record.env_key)
                if key not in index or str(record.started_at) >= str(index[key].started_at):
                    index[key] = record.evolve(cached_from=debug_file.path.name)
        return index

    def environments(self) -> list[Environment]:
        return [f.environment for f in self.files]
