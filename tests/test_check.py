"""`check` on the broken fixture corpus and on the real corpus, with real framework workers."""

import pytest

from evaluator.commands.task_check import check_corpus, no_primary_problems, not_implemented
from evaluator.corpus.discovery import discover

from conftest import BROKEN, TASKS


@pytest.fixture(scope="module")
def broken_report():
    return check_corpus(discover(BROKEN), timeout=120)


def _problems_by_file(report):
    return {str(p.path.relative_to(BROKEN)): p.message for p in report.problems}


@pytest.mark.slow
def test_broken_corpus_reports_every_problem_with_its_file(broken_report):
    problems = _problems_by_file(broken_report)
    assert not broken_report.ok
    assert problems["raises/torch_impl.py"].startswith("error: ValueError in run(state): deliberate failure in run")
    # The frame shown is the author's line in the implementation (the problem already names the file).
    assert problems["raises/torch_impl.py"].endswith('[line 9, in run: raise ValueError("deliberate failure in run")]')
    assert problems["wrong_answer/torch_impl.py"].startswith("incorrect: outside rtol=1e-06, atol=1e-07: output[")
    assert problems["nan_output/tensorflow_impl.py"] == "incorrect: output: 8 non-finite value(s) (NaN or Inf)"
    assert problems["imports_missing_module/tensorflow_impl.py"].startswith(
        "error: ModuleNotFoundError in importing the implementation: No module named 'easeval_no_such_framework'")
    assert "missing_framework/torch_impl.py" not in problems  # a framework a task lacks is not a problem
    assert problems["bad_toml/task.toml"].startswith("invalid TOML")
    assert problems["unknown_key/task.toml"].startswith("line 5: key 'colour': unknown key")
    assert problems["missing_spec/spec.py"].startswith("missing spec module")
    assert len(broken_report.problems) == 9


def test_a_framework_a_task_lacks_is_noted_as_not_implemented(broken_report):
    assert f"{BROKEN / 'missing_framework'}: not implemented: PyTorch (no torch_impl.py), JAX (no jax_impl.py), Keras (no keras_impl.py)" in broken_report.notes
    assert ("missing_framework", "torch") in broken_report.not_implemented
    assert ("raises", "torch") not in broken_report.not_implemented


def _task_folder(root, name, files):
    folder = root / name
    folder.mkdir(parents=True)
    for file in files:
        (folder / file).write_text("")
    return folder


def test_not_implemented_lists_installed_frameworks_without_a_primary(tmp_path):
    _task_folder(tmp_path, "no_jax", ["task.toml", "spec.py", "torch_impl.py", "tensorflow_impl.py"])
    _task_folder(tmp_path, "only_jax", ["task.toml", "spec.py", "jax_impl.py", "torch_compiled_impl.py"])
    corpus = discover(tmp_path)
    missing = [(task.task_id, framework) for task, framework in not_implemented(corpus, ["torch", "tensorflow", "jax"])]
    assert missing == [("no_jax", "jax"), ("only_jax", "torch"), ("only_jax", "tensorflow")]
    assert [task.task_id for task, _ in not_implemented(corpus, ["torch"])] == ["only_jax"]  # a variant is no primary
    assert no_primary_problems(corpus) == []


def test_a_task_with_no_primary_implementation_is_still_a_problem(tmp_path):
    _task_folder(tmp_path, "variants_only", ["task.toml", "spec.py", "tensorflow_lowlevel_impl.py"])
    corpus = discover(tmp_path)
    [problem] = no_primary_problems(corpus)
    assert problem.path == tmp_path / "variants_only"
    assert problem.message == "no primary implementation: add <framework>_impl.py for one of torch, tensorflow, jax, keras"
    assert not_implemented(corpus, ["torch", "tensorflow", "jax"]) == []  # the problem says it all


@pytest.mark.slow
def test_one_broken_implementation_does_not_stop_the_others(broken_report):
    by_key = {(o.job.task.task_id, o.job.implementation.key): o.status for o in broken_report.outcomes}
    assert by_key[("raises", "tensorflow")] == "ok"
    assert by_key[("wrong_answer", "tensorflow")] == "ok"
    assert by_key[("nan_output", "torch")] == "ok"
    assert by_key[("raises", "torch")] == "error"
    assert by_key[("wrong_answer", "torch")] == "incorrect"


@pytest.fixture(scope="module")
def corpus_report():
    return check_corpus(discover(TASKS), timeout=600)


CORPUS_IDS = [t.task_id for t in discover(TASKS).tasks]


def test_corpus_has_no_static_problems():
    assert [str(p) for p in discover(TASKS).all_problems] == []


@pytest.mark.slow
@pytest.mark.parametrize("task_id", CORPUS_IDS)
def test_every_corpus_implementation_is_correct(corpus_report, task_id):
    outcomes = [o for o in corpus_report.outcomes if o.job.task.task_id == task_id]
    assert {o.job.implementation.framework for o in outcomes} >= {"torch", "tensorflow"}
    failures = {o.job.implementation.key: o.result.get("error") for o in outcomes if o.status != "ok"}
    assert failures == {}
    problems = [str(p) for p in corpus_report.problems if p.task_id == task_id]
    assert problems == []
