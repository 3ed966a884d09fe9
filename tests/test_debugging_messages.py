"""Localisation and message figures, on tracebacks as Python prints them, and outcome classification."""

import sys
import traceback

import pytest

from evaluator.debugging.messages import MESSAGE_CAP, loud_phase, message_metrics, parse_traceback, strip_ansi
from evaluator.debugging.bug_outcomes import (
    BENIGN, GLUE, INVALID, LOUD, SILENT_CAUGHT, SILENT_UNDETECTED, UNDETERMINED, classify, outputs_differ,
)

USER = "/scratch/abc/torch_impl.py"
HARNESS = ("/repo/evaluator",)

TORCH_BACKWARD = f'''Traceback (most recent call last):
  File "/repo/evaluator/runner/worker.py", line 117, in execute_job
    output = wait_for(adapter, impl.run(state))
  File "{USER}", line 14, in run
    loss.backward()
  File "/venv/lib/python3.11/site-packages/torch/_tensor.py", line 625, in backward
    torch.autograd.backward(
  File "/venv/lib/python3.11/site-packages/torch/autograd/__init__.py", line 354, in backward
    _engine_run_backward(
RuntimeError: element 0 of tensors does not require grad and does not have a grad_fn
'''

TF_GRAPH = '''Traceback (most recent call last):
  File "/repo/evaluator/runner/worker.py", line 117, in execute_job
    output = wait_for(adapter, impl.run(state))
  File "/scratch/abc/tensorflow_impl.py", line 20, in run
    y, grad = forward(state["x"], state["w"])
  File "/venv/lib/python3.11/site-packages/tensorflow/python/util/traceback_utils.py", line 153, in error_handler
    raise e.with_traceback(filtered_tb) from None
  File "/tmp/__autograph_generated_filezz1.py", line 11, in tf__forward
    y_value = ag__.converted_call(ag__.ld(y).numpy, (), None, fscope)
AttributeError: in user code:

    File "/scratch/abc/tensorflow_impl.py", line 7, in forward  *
        y = x @ w; y_value = y.numpy()

    AttributeError: 'SymbolicTensor' object has no attribute 'numpy'
'''

CHAINED = f'''Traceback (most recent call last):
  File "{USER}", line 5, in helper
    return table[key]
KeyError: 'w'

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "{USER}", line 9, in run
    value = helper(t, "w")
  File "{USER}", line 7, in helper
    raise ValueError("no w") from exc
ValueError: no w
'''


def test_frames_are_split_by_kind_and_by_exception_in_a_chain():
    blocks = parse_traceback(CHAINED, USER)
    assert [[f.line for f in b] for b in blocks] == [[5], [9, 7]]
    frames = parse_traceback(TF_GRAPH, "/scratch/abc/tensorflow_impl.py", HARNESS)[0]
    assert [f.kind for f in frames] == ["harness", "user", "framework", "generated"]
    assert frames[1].source == 'y, grad = forward(state["x"], state["w"])'


def test_innermost_user_frame_measure():
    planted_backward = message_metrics("element 0 ...", TORCH_BACKWARD, USER, (14, 14), HARNESS)
    assert planted_backward.innermost_user_frame_is_planted and planted_backward.planted_in_user_frames
    assert planted_backward.localised
    elsewhere = message_metrics("element 0 ...", TORCH_BACKWARD, USER, (13, 13), HARNESS)
    assert not elsewhere.innermost_user_frame_is_planted and not elsewhere.planted_in_user_frames
    assert not elsewhere.message_cites_planted_line and not elsewhere.localised
    assert (elsewhere.frames_user, elsewhere.frames_framework, elsewhere.frames_generated) == (1, 2, 0)  # harness left out


def test_anywhere_in_user_frames_measure_reads_the_whole_chain():
    outer = message_metrics("no w", CHAINED, USER, (9, 9))
    assert outer.planted_in_user_frames and not outer.innermost_user_frame_is_planted  # innermost is line 7
    first = message_metrics("no w", CHAINED, USER, (5, 5))
    assert first.planted_in_user_frames and not first.innermost_user_frame_is_planted


def test_message_cites_the_planted_line_as_tensorflows_user_code_block_does():
    user = "/scratch/abc/tensorflow_impl.py"
    message = TF_GRAPH.split("AttributeError: ", 1)[1]
    cited = message_metrics(message, TF_GRAPH, user, (7, 7), HARNESS)
    assert cited.message_cites_planted_line and cited.localised
    assert not cited.innermost_user_frame_is_planted  # the user frame shown is the caller, line 20
    assert cited.frames_generated == 1
    assert not message_metrics(message, TF_GRAPH, user, (8, 8), HARNESS).message_cites_planted_line
    other_file = message.replace("tensorflow_impl.py", "other.py")
    assert not message_metrics(other_file, TF_GRAPH, user, (7, 7), HARNESS).message_cites_planted_line


@pytest.mark.parametrize("message, shapes, dtypes, devices", [
    ("mat1 and mat2 shapes cannot be multiplied (64x48 and 32x48)", True, False, False),
    ("The size of tensor a (9) must match the size of tensor b (8) at non-singleton dimension 1", True, False, False),
    ("expected input with shape (None, 4), got (None, 3)", True, False, False),
    ("mat1 and mat2 must have the same dtype, but got Double and Float", False, True, False),
    ("cannot compute MatMul as input #1(zero-based) was expected to be a float tensor but is a double tensor", False, False, False),
    ("Expected all tensors to be on the same device, but found at least two devices, cuda:0 and cpu!", False, False, True),
    ("element 0 of tensors does not require grad", False, False, False),
])
def test_what_a_message_names(message, shapes, dtypes, devices):
    m = message_metrics(message, "", USER, (1, 1))
    assert (m.names_shapes, m.names_dtypes, m.names_devices) == (shapes, dtypes, devices)


def test_message_length_strips_ansi_and_is_capped():
    assert strip_ansi("\x1b[1mInput 0\x1b[0m") == "Input 0"
    assert message_metrics("\x1b[1mabc\x1b[0m", "", USER, (1, 1)).message_chars == 3
    assert message_metrics("x" * (MESSAGE_CAP + 50), "", USER, (1, 1)).message_chars == MESSAGE_CAP


def test_phase_of_a_loud_failure():
    assert loud_phase("setup(inputs, device)", TORCH_BACKWARD, USER) == "setup"
    assert loud_phase("importing the implementation", "", USER) == "setup"
    assert loud_phase("run(state)", TORCH_BACKWARD, USER, HARNESS) == "backward"
    assert loud_phase("run(state)", TF_GRAPH, "/scratch/abc/tensorflow_impl.py", HARNESS) == "trace"
    forward = TORCH_BACKWARD.replace("loss.backward()", "y = x @ w").split('  File "/venv')[0] + "RuntimeError: mat1\n"
    assert loud_phase("run(state)", forward, USER, HARNESS) == "forward"


def test_a_real_traceback_is_read_as_python_prints_it():
    def planted():
        return [1, 2][5]  # the planted line

    try:
        planted()
    except IndexError as exc:
        text, message = traceback.format_exc(), str(exc)
    line = planted.__code__.co_firstlineno + 1
    m = message_metrics(message, text, __file__, (line, line))
    assert m.innermost_user_frame_is_planted and m.frames_user == 2 and m.innermost_user_line == line


@pytest.mark.parametrize("status, clean, differs, kwargs, expected", [
    ("error", "ok", None, {"phase": "run(state)", "has_traceback": True}, LOUD),
    ("error", "ok", None, {"phase": "checking the output", "has_traceback": True}, SILENT_CAUGHT),
    ("error", "ok", None, {"has_traceback": True, "raised_in_glue": True}, GLUE),
    ("skipped", "ok", None, {"has_traceback": True}, LOUD),
    ("skipped", "ok", None, {"has_traceback": False}, "skipped"),
    ("incorrect", "ok", None, {}, SILENT_CAUGHT),
    ("ok", "ok", True, {}, SILENT_UNDETECTED),
    ("ok", "ok", False, {}, BENIGN),
    ("ok", "ok", None, {}, UNDETERMINED),
    ("timeout", "ok", None, {}, "timeout"),
    ("crashed", "ok", None, {}, "crashed"),
    ("oom", "ok", None, {}, "oom"),
    ("ok", "error", False, {}, INVALID),
    ("error", None, None, {"has_traceback": True}, INVALID),
])
def test_classification_of_every_outcome(status, clean, differs, kwargs, expected):
    assert classify(status, clean, differs, **kwargs) == expected


def test_outputs_are_compared_bit_for_bit_with_the_clean_run(tmp_path):
    import numpy as np

    def save(name, **arrays):
        np.savez(tmp_path / name, **arrays)
        return tmp_path / name

    clean = save("clean.npz", y=np.array([1.0, np.nan], dtype=np.float32))
    assert outputs_differ(save("same.npz", y=np.array([1.0, np.nan], dtype=np.float32)), clean) is False
    assert outputs_differ(save("ulp.npz", y=np.array([np.nextafter(np.float32(1), np.float32(2)), np.nan], dtype=np.float32)), clean)
    assert outputs_differ(save("dtype.npz", y=np.array([1.0, np.nan], dtype=np.float64)), clean)
    assert outputs_differ(save("keys.npz", z=np.array([1.0, np.nan], dtype=np.float32)), clean)
    assert outputs_differ(tmp_path / "missing.npz", clean) is None
    (tmp_path / "garbled.npz").write_bytes(b"PK\x03\x04 not a zip")
    assert outputs_differ(tmp_path / "garbled.npz", clean) is None
    assert sys.version_info >= (3, 11)


def test_localisation_is_graded_from_the_innermost_user_location_without_credit_for_callers():
    from evaluator.debugging.messages import ELSEWHERE, EXACT, NEAR, NO_USER_FRAME, message_metrics

    user = "/scratch/abc/torch_impl.py"
    tb = ('Traceback (most recent call last):\n'
          f'  File "{user}", line 20, in run\n    loss = step(x)\n'
          f'  File "{user}", line 12, in step\n    loss.backward()\n'
          '  File "/site/torch/_tensor.py", line 5, in backward\n    x\n'
          'RuntimeError: boom\n')
    grade = lambda planted, function="step": message_metrics("boom", tb, user, planted, function=function).localisation
    assert grade((12, 12)) == EXACT
    assert grade((11, 11)) == NEAR                 # one line above, same function
    assert grade((9, 9)) == NEAR and grade((8, 8)) == ELSEWHERE   # 3 lines away is near, 4 too far
    assert grade((11, 11), function="setup") == ELSEWHERE          # another function
    assert grade((20, 20), function="run") == ELSEWHERE             # the caller's line gets no credit
    assert message_metrics("boom", "RuntimeError: boom", user, (3, 3), function="run").localisation == NO_USER_FRAME
    # a graph-mode message lists the frames inside the traced function: the innermost of them counts
    cited = f'in user code:\n\n    File "{user}", line 14, in step  *\n        y = x @ w\n'
    assert message_metrics(cited, tb, user, (14, 14), function="step").localisation == EXACT


def test_warned_sits_between_loud_and_silent_and_only_new_warnings_count():
    from evaluator.debugging.bug_outcomes import BENIGN, WARNED, classify, new_warnings

    clean = [{"category": "UserWarning", "message": "shuffle ignored"}]
    mine = clean + [{"category": "UserWarning", "message": "Using a target size that is different to the input size"}]
    assert [w["message"] for w in new_warnings(mine, clean)] == [mine[1]["message"]]
    assert new_warnings(clean, clean) == []
    assert classify("incorrect", "ok", None, warned=True) == WARNED
    assert classify("ok", "ok", True, warned=True) == WARNED
    assert classify("ok", "ok", False, warned=True) == BENIGN     # a warning about a bug that changed nothing
    assert classify("incorrect", "ok", None) == "silent-caught"


def test_a_mutant_of_a_failed_clean_run_is_not_run(tmp_path):
    from evaluator.base.fileio import write_json_atomic
    from evaluator.runner.worker import clean_failed

    job = {"job_id": "m", "result_path": str(tmp_path / "m.json"), "debug": {"after_clean": "c"}}
    write_json_atomic(tmp_path / "c.json", {"status": "timeout", "error": "no result after 120 s"})
    skipped = clean_failed(job)
    assert skipped["status"] == "skipped" and skipped["clean_failed"] and "timeout" in skipped["error"]
    write_json_atomic(tmp_path / "c.json", {"status": "ok"})
    assert clean_failed(job) is None and clean_failed({"job_id": "x", "result_path": "r", "debug": None}) is None
