"""Every result file of a results folder, read once: the runner's cache and the report's evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from evaluator.results.result_files import ResultFile, ResultProblem, scan_results
from evaluator.results.measurement import Measurement


def cache_index(files: tuple[ResultFile, ...] | list[ResultFile]) -> dict[tuple[str, str], tuple[Measurement, Path]]:
    """(code_hash, env_key) -> the newest reusable record and its file."""
    index: dict[tuple[str, str], tuple[Measurement, Path]] = {}
    for result_file in files:
        for record in result_file.records:
            if not record.cacheable:
                continue
            key = (record.code_hash, record.env_key)
            if key not in index or str(record.started_at) >= str(index[key][0].started_at):
                index[key] = (record, result_file.path)
    return index


def latest_records(files: list[ResultFile] | tuple[ResultFile, ...]) -> list[Measurement]:
    """Merge files: the newest record per (machine, task, implementation, device, size, threads)."""
    newest: dict[tuple, Measurement] = {}
    for result_file in files:
        for record in result_file.records:
            key = record.merge_key()
            if key not in newest or str(record.started_at) >= str(newest[key].started_at):
                newest[key] = record
    return sorted(newest.values(), key=lambda r: (str(r.machine), r.task, r.impl_key, str(r.device)))


@dataclass
class ResultSet:
    """A results folder as loaded once. The runner adds the file it writes (`add`), so the report
    that follows reads the same set without scanning the folder again."""

    folder: Path
    files: list[ResultFile] = field(default_factory=list)
    problems: tuple[ResultProblem, ...] = ()

    @classmethod
    def load(cls, folder: Path) -> "ResultSet":
        scan = scan_results(folder)
        return cls(Path(folder), list(scan.files), scan.problems)

    def add(self, result_file: ResultFile) -> None:
        """A file written after loading (this run's): replaces any earlier copy of the same path."""
        self.files = [f for f in self.files if f.path != result_file.path] + [result_file]

    def cache_index(self) -> dict[tuple[str, str], tuple[Measurement, Path]]:
        return cache_index(self.files)

    def current(self, code_hashes: set[str]) -> tuple[list[Measurement], list[ResultFile]]:
        """The newest record per measurement key among those that measured code as it is now (same
        code hash; stale ones are ignored, as asv does), and the files they came from."""
        used = []
        for result_file in self.files:
            records = [r for r in result_file.records if r.code_hash in code_hashes]
            if records:
                used.append(ResultFile(result_file.path, result_file.schema_version, result_file.run,
                                       result_file.environment, records))
        return latest_records(used), used
