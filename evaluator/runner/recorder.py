"""The records of one run, each saved in the run's result file the moment it changes."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from evaluator.base.environment import Environment
from evaluator.results import Measurement, ResultFile, new_result_file, save_result_file, utc_now
from evaluator.runner.disk import ResultsNotSaved, is_disk_full


class Recorder:
    """Collects records by slot; rewrites this run's result file (atomically) whenever a new one
    arrives or changes: a check's verdict first, then the record again after each timing process."""

    def __init__(self, results_dir: Path, env: Environment, options: dict[str, Any], started_at: datetime) -> None:
        self.results_dir, self.env, self.options, self.started_at = results_dir, env, options, started_at
        self.records: list[Measurement] = []
        self.result_file: ResultFile | None = None  # created with the first new record
        self._in_file: dict[int, int] = {}          # slot -> index in result_file.records
        self.saved = 0                              # records in the result file as last written

    def add(self, record: Measurement, *, new: bool) -> int:
        """Keep a record (saved if `new`: measured by this run); returns its slot for `update`."""
        self.records.append(record)
        slot = len(self.records) - 1
        if new:
            self._write(slot, record)
        return slot

    def update(self, slot: int, record: Measurement) -> None:
        """The record of `slot` changed (a timing process finished): keep and save the new one."""
        self.records[slot] = record
        self._write(slot, record)

    def set_environment(self, env: Environment) -> None:
        """Import times arrive with the first measurement of each framework."""
        self.env = env
        if self.result_file is not None:
            self.result_file.environment = env

    def replace_records(self, records: list[Measurement]) -> None:
        """The same measurements with cross-framework agreement added (saved by `finish`)."""
        self.records = records
        if self.result_file is not None:
            for slot, index in self._in_file.items():
                self.result_file.records[index] = records[slot]

    def finish(self, interrupted: bool) -> None:
        if self.result_file is not None:
            self.result_file.run.update(finished_at=utc_now(), complete=not interrupted, interrupted=interrupted)
            self._save()

    def _write(self, slot: int, record: Measurement) -> None:
        if self.result_file is None:
            self.result_file = new_result_file(self.results_dir, self.env, self.options, self.started_at)
        if slot in self._in_file:
            self.result_file.records[self._in_file[slot]] = record
        else:
            self._in_file[slot] = len(self.result_file.records)
            self.result_file.records.append(record)
        self._save()

    def _save(self) -> None:
        """Rewrite the result file; a full disk stops the run with ResultsNotSaved (the file keeps what it had)."""
        assert self.result_file is not None
        try:
            save_result_file(self.result_file)
        except OSError as exc:
            if not is_disk_full(exc):
                raise
            raise ResultsNotSaved(self.results_dir, self.saved, self.result_file.path, exc) from exc
        self.saved = len(self.result_file.records)
