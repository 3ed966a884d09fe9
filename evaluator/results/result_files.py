"""Schema-versioned result files: one per machine and run, so results merge by copying files (as asv).

A result file is JSON: {"format", "schema_version", "run", "environment", "records"}. `run_corpus`
rewrites it atomically after every finished measurement, so a crash or Ctrl-C loses at most the
measurement in flight. Reading a folder never stops at a bad file: corrupt, truncated or foreign
files become problems that name the file, and the other files are read.

A measurement is identified by its code hash (implementation, spec, task.toml, size) and its
environment key (machine, framework version, Python, device, threads, timing method and options);
a rerun reuses a stored result whose code hash and environment key both match.

The envelope ({"format", "schema_version", "run", "environment", "records"}, the file name
`<machine>-<UTC time>-<run id>.json`, the run block, migration step by step, the checks on reading and
the atomic save) is shared with every other kind of run file: a `FileFormat` names what differs (the
format string, the schema version and its migrations, the keys every record must have, the error
class). `easeval debug`'s files (debugging/debug_records.py) are the other kind.
"""

from __future__ import annotations

import json
import uuid
import warnings
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from evaluator.base.environment import Environment
from evaluator.base.fileio import write_json_atomic
from evaluator.results.measurement import Measurement

FORMAT = "easeval-results"

# Changelog of the result file format. Every change bumps SCHEMA_VERSION and adds an
# `update_to_<N>(data) -> data` step to MIGRATIONS, so that older files are read step by step.
#   1: first version: format, schema_version, run {id, started_at, finished_at, complete, interrupted,
#      options}, environment (environment.collect_environment plus per-framework import seconds),
#      records (records.RECORD_FIELDS, flat).
#   2: a record's timing holds `replicates`, one entry per independent process (median_s, iqr_s,
#      samples_s, number_per_sample, warmup, first_call_s, setup_s, total_run_s, stop_reason); the
#      timing's own median_s is the median of the process medians, its samples pool the processes',
#      and options.processes says how many processes were asked for. update_to_2 turns a schema-1
#      timing into one process.
#   3: a record carries `backend`: the backend a multi-backend framework's file ran on ("tensorflow", "torch"
#      or "jax" for keras_impl.py), null for every other framework; its environment key includes it.
#      update_to_3 sets it to null (no earlier file measured Keras).
#      Optional process fields read as null when absent, so added without a bump: others_cores,
#      faults_per_call, cpus, steps_s (2026-12-07: the wall seconds of each step of the process).
SCHEMA_VERSION = 3

_PROCESS_FIELDS = ("median_s", "iqr_s", "samples_s", "number_per_sample", "warmup", "first_call_s", "setup_s",
                   "total_run_s", "stop_reason")


def update_to_2(data: dict[str, Any]) -> dict[str, Any]:
    """Schema 1 timed each measurement in one process: that process becomes its only replicate."""
    records = []
    for record in data.get("records") or []:
        timing = record.get("timing") if isinstance(record, dict) else None
        if isinstance(timing, dict) and "replicates" not in timing:
            process = {k: timing.get(k) for k in _PROCESS_FIELDS}
            record = {**record, "timing": {**timing, "replicates": [process]}}
        records.append(record)
    return {**data, "records": records}


def update_to_3(data: dict[str, Any]) -> dict[str, Any]:
    """Schema 2 had no multi-backend framework: every record ran on its framework itself (backend null)."""
    records = [{**record, "backend": record.get("backend")} if isinstance(record, dict) else record
               for record in data.get("records") or []]
    return {**data, "records": records}


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {2: update_to_2, 3: update_to_3}


class ResultFileError(ValueError):
    """A result file that cannot be read; the message names the file."""


@dataclass(frozen=True)
class FileFormat:
    """One kind of run file: what differs between kinds; the envelope and its code are shared."""

    name: str                                  # the "format" value
    noun: str                                  # "result", "debug": how messages name the file and schema
    schema_version: int
    migrations: dict[int, Callable[[dict[str, Any]], dict[str, Any]]]
    record_keys: tuple[str, ...]               # every record must have these
    error: type[ResultFileError] = ResultFileError


RESULTS = FileFormat(FORMAT, "result", SCHEMA_VERSION, MIGRATIONS, ("task", "impl_key", "status"))


def new_run(options: dict[str, Any], started: datetime | None = None, **extra: Any) -> dict[str, Any]:
    """A run block: id, started_at, finished_at (None), complete (False), `extra`, options."""
    started = started or datetime.now(timezone.utc)
    return {"id": uuid.uuid4().hex[:8], "started_at": started.isoformat(timespec="seconds"), "finished_at": None,
            "complete": False, **extra, "options": options}


def run_file_path(folder: Path, machine: str, run: dict[str, Any]) -> Path:
    """`<folder>/<machine>-<UTC start, compact>-<run id>.json`: one file per machine and run."""
    stamp = datetime.fromisoformat(run["started_at"]).strftime("%Y%m%dT%H%M%SZ")
    return Path(folder) / f"{machine}-{stamp}-{run['id']}.json"


def envelope(fmt: FileFormat, schema_version: int, run: dict[str, Any], environment: Environment,
             records: list[dict[str, Any]]) -> dict[str, Any]:
    return {"format": fmt.name, "schema_version": schema_version, "run": run, "environment": environment.to_json(),
            "records": records}


def read_envelope(path: Path, fmt: FileFormat) -> dict[str, Any]:
    """Read, check and migrate one run file of kind `fmt`; raises fmt.error naming the file (and the key)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise fmt.error(f"{path}: cannot read: {exc}") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise fmt.error(f"{path}: not valid JSON, probably truncated or corrupted ({exc})") from exc
    if not isinstance(data, dict) or data.get("format") != fmt.name:
        raise fmt.error(f"{path}: not an easeval {fmt.noun} file (no \"format\": \"{fmt.name}\")")
    try:
        data = migrate(data, path, fmt.migrations, fmt.schema_version, noun=fmt.noun)
    except ResultFileError as exc:
        raise fmt.error(str(exc)) from exc
    for key, kind in (("run", dict), ("environment", dict), ("records", list)):
        if not isinstance(data.get(key), kind):
            raise fmt.error(f"{path}: key '{key}' missing or not a {kind.__name__}")
    keys = fmt.record_keys
    bad = [i for i, r in enumerate(data["records"]) if not isinstance(r, dict) or not set(keys) <= set(r)]
    if bad:
        wanted = f"{', '.join(keys[:-1])} or {keys[-1]}" if len(keys) > 1 else keys[0]
        raise fmt.error(f"{path}: key 'records', entries {bad[:5]} lack {wanted}")
    return data


@dataclass
class ResultFile:
    """One run on one machine: its options, its environment and its measurements."""

    path: Path
    schema_version: int
    run: dict[str, Any]
    environment: Environment
    records: list[Measurement] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return envelope(RESULTS, self.schema_version, self.run, self.environment, [r.to_json() for r in self.records])


@dataclass(frozen=True)
class ResultProblem:
    path: Path
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(frozen=True)
class ResultScan:
    files: tuple[ResultFile, ...]
    problems: tuple[ResultProblem, ...]


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def new_result_file(results_dir: Path, environment: Environment, options: dict[str, Any],
                    started: datetime | None = None) -> ResultFile:
    """A new, empty result file for this machine and the run that began at `started` (not written yet)."""
    run = new_run(options, started, interrupted=False)
    return ResultFile(run_file_path(results_dir, environment.machine, run), SCHEMA_VERSION, run, environment, [])


def save_result_file(result_file: ResultFile) -> None:
    """Write the whole file atomically: readers see the old or the new content, never half."""
    write_json_atomic(result_file.path, result_file.to_json(), compact=True)


def migrate(data: dict[str, Any], path: Path,
            migrations: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] | None = None,
            current: int = SCHEMA_VERSION, noun: str = "result") -> dict[str, Any]:
    """Bring a file's data to the `current` schema by applying update_to_N steps in order (`noun` names the
    kind of file in messages: "result schema 1")."""
    steps = MIGRATIONS if migrations is None else migrations
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ResultFileError(f"{path}: schema_version must be a positive integer, got {version!r}")
    if version > current:
        raise ResultFileError(f"{path}: written with {noun} schema {version}, newer than this easeval "
                              f"understands ({current}); upgrade easeval to read it")
    while version < current:
        step = steps.get(version + 1)
        if step is None:
            raise ResultFileError(f"{path}: no migration from {noun} schema {version} to {version + 1}")
        data = step(dict(data))
        version += 1
        data["schema_version"] = version
    return data


def read_result_file(path: Path) -> ResultFile:
    """Read, validate and migrate one result file; raises ResultFileError naming the file."""
    data = read_envelope(path, RESULTS)
    environment = Environment.from_json(data["environment"])
    records = [Measurement.from_json(r, environment.machine) for r in data["records"]]
    return ResultFile(Path(path), data["schema_version"], data["run"], environment, records)


def scan_results(results_dir: Path) -> ResultScan:
    """Every result file in the folder (top level, *.json), and a problem for each unreadable one."""
    results_dir = Path(results_dir)
    if not results_dir.is_dir():
        return ResultScan((), ())
    files, problems = [], []
    for path in sorted(results_dir.glob("*.json")):
        try:
            files.append(read_result_file(path))
        except ResultFileError as exc:
            problems.append(ResultProblem(path, str(exc).removeprefix(f"{path}: ")))
    return ResultScan(tuple(files), tuple(problems))


def load_results(results_dir: Path) -> list[ResultFile]:
    """The readable result files of a folder; each unreadable one is skipped with a warning naming it.

    Use `scan_results` to get the problems as data.
    """
    scan = scan_results(results_dir)
    for problem in scan.problems:
        warnings.warn(f"skipping result file {problem}", stacklevel=2)
    return list(scan.files)
