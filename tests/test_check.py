"""`check` on the broken fixture corpus and on the real corpus, with real framework workers."""

import pytest

from evaluator.check import check_corpus
from evaluator.corpus import discover

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
    assert 'raises/torch_impl.py", line 9, in run' in problems["raises/torch_impl.py"]
    assert problems["wrong_answer/torch_impl.py"].startswith("incorrect: outside rtol=1e-06, atol=1e-07: output[")
    assert problems["nan_output/tensorflow_impl.py"] == "incorrect: output: 8 non-finite value(s) (NaN or Inf)"
    assert problems["imports_missing_module/tensorflow_impl.py"].startswith(
        "error: ModuleNotFoundError in importing the implementation: No module named 'easeval_no_such_framework'")
    assert problems["missing_framework/torch_impl.py"].startswith("missing: PyTorch is installed")
    assert problems["bad_toml/task.toml"].startswith("invalid TOML")
    assert problems["unknown_key/task.toml"].startswith("key 'colour': unknown key")
    assert problems["missing_spec/spec.py"].startswith("missing spec module")
    assert len(broken_report.problems) == 11


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
