"""Result files: atomic writes, schema migration, refusal of newer files, bad files, cache keys, merge."""

from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

from evaluator.cli import main
from evaluator.corpus.discovery import discover
from evaluator.base.environment import Environment
from evaluator.results import (
    SCHEMA_VERSION, ResultFileError, cache_index, code_hash, environment_key, latest_records, load_results,
    Measurement, ResultSet, migrate, new_result_file, read_result_file, save_result_file, scan_results,
)

FAULTS = Path(__file__).resolve().parent / "fault_corpus"
V1_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "results_v1.json"
ENV_JSON = {"machine": "alpha", "machine_id": "m1", "python": "3.11.7", "frameworks": {"torch": {"version": "2.13.0"}}}
ENV = Environment.from_json(ENV_JSON)


def record(task: str, status: str = "ok", started_at: str = "2026-01-01T00:00:00+00:00", **extra) -> Measurement:
    return Measurement.from_json({"task": task, "impl_key": "torch", "framework": "torch", "device": "cpu", "size": "small",
                                  "threads": 1, "status": status, "code_hash": "c-" + task, "env_key": "e1",
                                  "started_at": started_at, **extra})


def write(folder: Path, environment: Environment, records: list[Measurement]) -> Path:
    result_file = new_result_file(folder, environment, {"device": "cpu"})
    result_file.records.extend(records)
    save_result_file(result_file)
    return result_file.path


def test_written_file_reads_back_with_its_schema_version(tmp_path):
    path = write(tmp_path, ENV, [record("a"), record("b", "incorrect")])
    assert path.name.startswith("alpha-") and path.suffix == ".json"
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind
    result_file = read_result_file(path)
    assert result_file.schema_version == SCHEMA_VERSION
    assert [r.task for r in result_file.records] == ["a", "b"]
    assert result_file.environment.machine == "alpha"


def test_migration_runs_every_step_in_order(tmp_path):
    steps = {2: lambda d: {**d, "records": [dict(r, size="small") for r in d["records"]]},
             3: lambda d: {**d, "records": [dict(r, threads=1) for r in d["records"]]}}
    old = {"schema_version": 1, "records": [{"task": "a"}]}
    new = migrate(old, tmp_path / "old.json", migrations=steps, current=3)
    assert new["schema_version"] == 3 and new["records"] == [{"task": "a", "size": "small", "threads": 1}]
    with pytest.raises(ResultFileError, match="no migration from result schema 1 to 2"):
        migrate(old, tmp_path / "old.json", migrations={3: steps[3]}, current=3)


def test_newer_corrupt_truncated_and_foreign_files_are_problems_naming_the_file(tmp_path):
    good = write(tmp_path, ENV, [record("a")])
    data = json.loads(good.read_text())
    (tmp_path / "newer.json").write_text(json.dumps({**data, "schema_version": SCHEMA_VERSION + 1}))
    (tmp_path / "truncated.json").write_text(good.read_text()[:100])
    (tmp_path / "foreign.json").write_text(json.dumps({"hello": "world"}))
    (tmp_path / "bad-records.json").write_text(json.dumps({**data, "records": [{"task": "a"}]}))
    (tmp_path / "notes.txt").write_text("not a result file, not even looked at")
    scan = scan_results(tmp_path)
    assert [f.path for f in scan.files] == [good]
    messages = {p.path.name: p.message for p in scan.problems}
    assert set(messages) == {"newer.json", "truncated.json", "foreign.json", "bad-records.json"}
    assert "newer than this easeval understands" in messages["newer.json"] and "upgrade easeval" in messages["newer.json"]
    assert "truncated or corrupted" in messages["truncated.json"]
    assert "not an easeval result file" in messages["foreign.json"]
    assert "lack task, impl_key or status" in messages["bad-records.json"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        files = load_results(tmp_path)
    assert [f.path for f in files] == [good]
    assert len(caught) == 4 and any("truncated.json" in str(w.message) for w in caught)


@pytest.mark.parametrize("version", ["1", 1.0, 0, -1, True, None, [1]])
def test_a_schema_version_that_is_not_a_positive_integer_is_a_problem_naming_the_file(tmp_path, version):
    good = write(tmp_path, ENV, [record("a")])
    data = json.loads(good.read_text())
    bad = tmp_path / "bad-version.json"
    bad.write_text(json.dumps({**data, "schema_version": version}))
    scan = scan_results(tmp_path)
    assert [f.path for f in scan.files] == [good]
    (problem,) = scan.problems
    assert problem.path == bad
    assert problem.message == f"schema_version must be a positive integer, got {version!r}"


def test_a_results_file_without_a_schema_version_is_a_problem(tmp_path):
    data = json.loads(write(tmp_path, ENV, [record("a")]).read_text())
    del data["schema_version"]
    (tmp_path / "unversioned.json").write_text(json.dumps(data))
    (problem,) = scan_results(tmp_path).problems
    assert problem.path.name == "unversioned.json" and "got None" in problem.message


@pytest.mark.parametrize("machine, filed_as", [("../x", "x"), ("../../etc/passwd", "etc_passwd"), ("a/b c", "a_b_c"),
                                               (".hidden", "hidden"), ("..", "unknown")])
def test_machine_names_are_cleaned_so_result_files_stay_in_the_folder(tmp_path, machine, filed_as):
    """--machine names a file: no separator, no parent, no leading dot (hidden, like a temporary file)."""
    results = tmp_path / "results"
    outcome = CliRunner().invoke(main, ["run", "--tasks", str(FAULTS), "fault_correct", "--framework", "torch",
                                        "--size", "nope", "--machine", machine, "--results", str(results)])
    assert outcome.exit_code == 0, outcome.output  # `--size nope`: one skipped record, no worker started
    (written,) = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert written.parent == results and written.name.startswith(f"{filed_as}-")
    assert json.loads(written.read_text())["environment"]["machine"] == filed_as
    assert [f.path for f in scan_results(results).files] == [written]


def test_missing_results_folder_is_empty_not_an_error(tmp_path):
    scan = scan_results(tmp_path / "nothing-here")
    assert scan.files == () and scan.problems == ()


def test_cache_index_keeps_the_newest_reusable_record_only(tmp_path):
    first = write(tmp_path, ENV, [record("a", started_at="2026-01-01T00:00:00+00:00", marker=1),
                                  record("t", "timeout"), record("e", "error"), record("s", "skipped")])
    second = write(tmp_path, ENV, [record("a", started_at="2026-01-02T00:00:00+00:00", marker=2)])
    index = cache_index(load_results(tmp_path))
    assert set(index) == {("c-a", "e1")}  # timeout, error and skipped are measured again
    hit, path = index[("c-a", "e1")]
    assert hit.extra["marker"] == 2 and path == second and first != second


def test_merge_keeps_the_newest_record_per_machine_and_measurement(tmp_path):
    write(tmp_path, ENV, [record("a", started_at="2026-01-01T00:00:00+00:00", marker="alpha-old")])
    write(tmp_path, ENV, [record("a", started_at="2026-01-03T00:00:00+00:00", marker="alpha-new")])
    write(tmp_path, Environment.from_json({**ENV_JSON, "machine": "beta"}),
          [record("a", started_at="2026-01-02T00:00:00+00:00", marker="beta")])
    merged = latest_records(load_results(tmp_path))
    assert sorted(r.extra["marker"] for r in merged) == ["alpha-new", "beta"]


def test_code_hash_follows_the_code_and_the_size(tmp_path):
    shutil.copytree(FAULTS / "fault_correct", tmp_path / "fault_correct")
    task = discover(tmp_path).tasks[0]
    torch_impl = task.implementation("torch")
    before = code_hash(task, torch_impl, "small")
    assert before == code_hash(task, torch_impl, "small")
    assert before != code_hash(task, task.implementation("tensorflow"), "small")
    (tmp_path / "fault_correct" / "spec.py").write_text((tmp_path / "fault_correct" / "spec.py").read_text() + "\n# changed\n")
    assert code_hash(task, torch_impl, "small") != before


def test_environment_key_depends_on_what_a_timing_depends_on():
    base = environment_key(ENV, "torch", "cpu", 1, {"min_time_s": 0.5})
    assert base == environment_key(Environment.from_json(dict(ENV_JSON)), "torch", "cpu", 1, {"min_time_s": 0.5})
    others = [
        environment_key(Environment.from_json({**ENV_JSON, "machine": "beta"}), "torch", "cpu", 1, {"min_time_s": 0.5}),
        environment_key(Environment.from_json({**ENV_JSON, "frameworks": {"torch": {"version": "2.14.0"}}}),
                        "torch", "cpu", 1, {"min_time_s": 0.5}),
        environment_key(ENV, "torch", "cuda", 1, {"min_time_s": 0.5}),
        environment_key(ENV, "torch", "cpu", 2, {"min_time_s": 0.5}),
        environment_key(ENV, "torch", "cpu", 1, {"min_time_s": 1.0}),
        environment_key(ENV, "keras", "cpu", 1, {"min_time_s": 0.5}, backend="torch"),
        environment_key(ENV, "keras", "cpu", 1, {"min_time_s": 0.5}, backend="jax"),
    ]
    assert len({base, *others}) == 8


def test_a_v1_file_written_before_records_were_typed_reads_back_and_round_trips(tmp_path):
    """A real result file of schema 1 (written by easeval before the typed records) is still read,
    migrated to the current schema: each timing becomes one process, and nothing else changes."""
    original = json.loads(V1_FIXTURE.read_text())
    result_file = read_result_file(V1_FIXTURE)
    assert result_file.schema_version == SCHEMA_VERSION == 3 and len(result_file.records) == len(original["records"])
    ok = next(r for r in result_file.records if r.ok)
    assert ok.timing is not None and ok.timing.median_s > 0 and len(ok.timing.samples_s) > 3
    (process,) = ok.timing.replicates  # schema 1 timed in one process
    assert process.median_s == ok.timing.median_s and process.samples_s == ok.timing.samples_s
    assert ok.timing.process_medians_s == (ok.timing.median_s,) and ok.timing.process_spread is None
    assert ok.measured_memory_bytes is not None and ok.machine == original["environment"]["machine"]
    assert result_file.environment.frameworks["torch"].import_seconds > 0
    written = json.loads(json.dumps(result_file.to_json(), default=str))
    assert written["schema_version"] == 3
    for old, new in zip(original["records"], written["records"]):
        assert new.pop("backend") is None  # schema 3: no earlier file measured a multi-backend framework
        replicates = (new.get("timing") or {}).pop("replicates", None)
        assert new == old
        if old.get("timing"):
            (process,) = replicates
            assert {k: v for k, v in process.items() if k in old["timing"]} == \
                {k: old["timing"][k] for k in process if k in old["timing"]}
            assert not any(v for k, v in process.items() if k not in old["timing"])  # fields schema 1 did not have
    assert {k: v for k, v in written.items() if k not in ("records", "schema_version")} == \
        {k: v for k, v in original.items() if k not in ("records", "schema_version")}


def test_environment_key_is_unchanged_by_typing_so_old_results_stay_reusable():
    """The key of a v1 file's records, recomputed from its typed environment, is the key it was stored under."""
    data = json.loads(V1_FIXTURE.read_text())
    record = data["records"][0]
    measure = {**data["run"]["options"]["timing"]}
    key = environment_key(Environment.from_json(data["environment"]), record["framework"], record["device"],
                          record["threads"], measure)
    assert key == record["env_key"]


def test_result_set_reads_the_folder_once_and_takes_the_runs_own_file(tmp_path):
    write(tmp_path, ENV, [record("a")])
    result_set = ResultSet.load(tmp_path)
    later = new_result_file(tmp_path, ENV, {"device": "cpu"})
    later.records.append(record("b", started_at="2026-01-05T00:00:00+00:00"))
    result_set.add(later)
    result_set.add(later)  # the same file twice is one file
    records, files = result_set.current({"c-a", "c-b"})
    assert sorted(r.task for r in records) == ["a", "b"] and len(files) == 2
    records, files = result_set.current({"c-b"})
    assert [r.task for r in records] == ["b"] and [f.path for f in files] == [later.path]
