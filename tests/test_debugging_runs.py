"""`easeval debug` end to end with real torch and TensorFlow workers: outcome classes (a hang and a crash
included), the localisation measures where the planted line is known, the aids, the cache, and that
mutants never touch the task folder."""

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from evaluator.cli import main
from evaluator.corpus.discovery import discover
from evaluator.debugging.messages import parse_traceback
from evaluator.debugging.debug_records import DebugSet, debug_dir, read_debug_file
from evaluator.debugging.mutant_runs import DebugOptions, run_debug
from evaluator.debugging.debug_summary import summarize

FIXTURES = Path(__file__).resolve().parent / "debug_corpus"
pytestmark = pytest.mark.slow


def folder_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


@pytest.fixture(scope="module")
def debugged(tmp_path_factory):
    root = tmp_path_factory.mktemp("debug")
    tasks = root / "tasks"
    for name in ("tiny_regression", "faults"):
        shutil.copytree(FIXTURES / name, tasks / name)
    before = folder_digest(tasks)
    run = run_debug(discover(tasks), options=DebugOptions(aids=True, timeout=8.0, workers=2), results_dir=root / "results")
    return {"root": root, "tasks": tasks, "before": before, "run": run,
            "by": {(r.task, r.impl_key, r.site_id, r.aids): r for r in run.records}}


def test_every_mutant_and_clean_run_has_a_record(debugged):
    run = debugged["run"]
    planned = len(run.plan.all_mutants) + len(run.plan.targets)
    assert len(run.records) == 2 * planned and run.cached == 0 and run.ran == 2 * planned
    assert all(r.outcome == "clean" for r in run.records if r.is_clean), [r.error for r in run.records if r.is_clean]


def test_a_hang_is_a_timeout_and_an_abort_is_crashed_and_the_run_goes_on(debugged):
    by = debugged["by"]
    assert by[("faults", "torch", "SLICE@14", False)].outcome == "timeout"
    assert by[("faults", "torch", "SLICE@16", False)].outcome == "crashed"
    assert by[("faults", "torch", "DTYPE@10", False)].outcome == "silent-undetected"  # float64 output, within tolerance


def test_loud_silent_and_where_the_planted_line_is_found(debugged):
    by = debugged["by"]
    matmul = by[("tiny_regression", "torch", "SHP-W@12", False)]   # y = x @ w.mT fails on its own line
    assert (matmul.outcome, matmul.phase) == ("loud", "forward")
    assert matmul.innermost_user_frame_is_planted and matmul.planted_in_user_frames and matmul.localised
    assert matmul.names_shapes and "x @ w.mT" in matmul.mutated_code and matmul.traceback and matmul.message
    detach = by[("tiny_regression", "torch", "DETACH@13", False)]   # fails one line later, at loss.backward()
    assert (detach.outcome, detach.phase) == ("loud", "backward")
    assert not detach.innermost_user_frame_is_planted and not detach.planted_in_user_frames
    # one line below the planted line, in the same function: graded near, which claim 8 counts as localised
    assert detach.localisation == "near" and detach.lines_from_planted == 1 and detach.localised
    assert "does not require grad" in detach.message
    tf_matmul = by[("tiny_regression", "tensorflow", "SHP-W@11", False)]
    assert tf_matmul.outcome == "loud" and tf_matmul.innermost_user_frame_is_planted
    for framework, site in (("torch", "RED@13"), ("tensorflow", "RED@12")):
        assert by[("tiny_regression", framework, site, False)].outcome == "silent-caught"


def test_a_graph_mode_error_cites_the_planted_line_in_its_message(debugged):
    trace = debugged["by"][("tiny_regression", "tensorflow_function", "TRACE@7", False)]
    assert (trace.outcome, trace.phase) == ("loud", "trace")
    assert trace.message_cites_planted_line and "in user code" in trace.message
    assert not trace.innermost_user_frame_is_planted  # the frames show the caller; only the message has the line


def test_the_aids_change_what_happens(debugged):
    by = debugged["by"]
    # run_functions_eagerly: the .numpy() read inside tf.function works eagerly
    assert by[("tiny_regression", "tensorflow_function", "TRACE@7", True)].outcome == "benign"
    assert by[("tiny_regression", "torch", "DETACH@13", True)].outcome == "loud"
    summary = summarize(debugged["run"].plan, debugged["run"].records)
    tf = next(a for a in summary.aids if a.framework == "tensorflow")
    assert tf.transitions.get(("loud", "benign"), 0) >= 1 and tf.compared > 0


def test_mutants_never_touch_the_task_folder(debugged):
    assert folder_digest(debugged["tasks"]) == debugged["before"]
    tasks = str(debugged["tasks"].resolve())
    frames = [f for r in debugged["run"].records if not r.is_clean and r.traceback
              for block in parse_traceback(r.traceback, "") for f in block if f.file.endswith("_impl.py")]
    assert frames and not any(f.file.startswith(tasks) for f in frames)  # the mutants ran from the scratch folder


def test_records_are_kept_in_a_schema_versioned_debug_file(debugged):
    path = debugged["run"].debug_file
    assert path is not None and path.parent == debug_dir(debugged["root"] / "results")
    data = json.loads(path.read_text())
    assert data["format"] == "easeval-debug" and data["schema_version"] == 1 and data["run"]["complete"]
    assert len(read_debug_file(path).records) == len(debugged["run"].records)


def test_an_unchanged_mutant_is_a_cache_hit_and_a_changed_one_runs_again(debugged):
    tasks, results = debugged["tasks"], debugged["root"] / "results"
    operators = ["SHP-W", "RED", "DETACH", "DTYPE", "TRACE"]  # the faults task's hang and crash are never cached
    again = run_debug(discover(tasks), task_ids=["tiny_regression"], operators=operators,
                      options=DebugOptions(aids=True, timeout=8.0, workers=2), results_dir=results)
    assert again.ran == 0 and again.cached == len(again.records) > 0 and again.debug_file is None
    first = {(r.impl_key, r.site_id, r.aids): r.outcome for r in debugged["run"].records if r.task == "tiny_regression"}
    assert {(r.impl_key, r.site_id, r.aids): r.outcome for r in again.records} == \
        {k: v for k, v in first.items() if k[1] == "clean" or k[1].split("@")[0] in operators}
    torch_file = tasks / "tiny_regression" / "torch_impl.py"
    torch_file.write_text(torch_file.read_text() + "# an edit: every torch mutant of this task is new code\n")
    edited = run_debug(discover(tasks), task_ids=["tiny_regression"], operators=operators,
                       options=DebugOptions(aids=False, timeout=8.0, workers=2), results_dir=results)
    ran = {(r.impl_key, r.site_id) for r in edited.records if r.cached_from is None}
    assert ran == {(r.impl_key, r.site_id) for r in edited.records if r.impl_key == "torch"}
    assert edited.cached == sum(r.impl_key != "torch" for r in edited.records) > 0


def test_a_hang_is_reused_at_the_same_limit_and_a_crash_runs_again(debugged):
    again = run_debug(discover(debugged["tasks"]), task_ids=["faults"], operators=["SLICE"],
                      options=DebugOptions(aids=False, timeout=8.0, workers=1), results_dir=debugged["root"] / "results")
    by = {r.site_id: r for r in again.records}
    assert by["SLICE@14"].outcome == "timeout" and by["SLICE@14"].cached_from is not None
    assert by["SLICE@16"].outcome == "crashed" and by["SLICE@16"].cached_from is None


def test_cli_lists_sites_and_prints_a_table_from_cached_records(debugged):
    tasks, results = debugged["tasks"], debugged["root"] / "results"
    listed = CliRunner().invoke(main, ["debug", "--list", "--tasks", str(tasks), "tiny_regression"])
    assert listed.exit_code == 0, listed.output
    assert "SHP-W@12" in listed.output and "paired (one each) with tensorflow:SHP-W@11" in listed.output
    table = CliRunner().invoke(main, ["debug", "--tasks", str(tasks), "--results", str(results), "--operator", "RED",
                                      "tiny_regression", "faults"])
    assert table.exit_code == 0, table.output
    assert "RED" in table.output and "reused from earlier runs" in table.output
    as_json = CliRunner().invoke(main, ["debug", "--tasks", str(tasks), "--results", str(results), "--operator", "RED",
                                        "--format", "json", "tiny_regression"])
    document = json.loads(as_json.stdout if hasattr(as_json, "stdout") else as_json.output)
    assert {r["site_id"] for r in document["records"]} >= {"RED@13", "RED@12"}
    bad = CliRunner().invoke(main, ["debug", "--tasks", str(tasks), "--operator", "NOPE"])
    assert bad.exit_code == 2 and "unknown operator(s) NOPE" in bad.output
    assert DebugSet.load(results).problems == []
