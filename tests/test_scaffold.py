"""`easeval new-task`: the scaffold is listed, reported incomplete, refuses bad requests without writing,
and a tiny task filled into the generated files passes `check` (real torch, TensorFlow and JAX workers)."""

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from evaluator.commands.task_check import check_corpus
from evaluator.cli import main
from evaluator.corpus.discovery import TODO_MARKER, discover
from evaluator.frameworks import adapter_names, backends_of, get_adapter
from evaluator.corpus.task_metadata import load_metadata, parse_metadata

def scaffolded() -> list[str]:
    """The frameworks `new-task` writes by default: all but those whose file runs on several backends (Keras)."""
    return [name for name in adapter_names() if not backends_of(name)]


WALKTHROUGH = Path(__file__).resolve().parents[1] / "tasks" / "README.md"

GENERATED_KEYS = ("title", "category", "description", "tags", "seed", "pure", "notes", "tolerance", "sizes", "references")

ADD_SPEC = '''\
"""Elementwise addition of two float32 vectors, framework-neutral."""

import numpy as np


def make_inputs(rng: np.random.Generator, n: int) -> dict:
    return {"a": rng.standard_normal(n, dtype=np.float32), "b": rng.standard_normal(n, dtype=np.float32)}


def reference(inputs: dict) -> np.ndarray:
    return inputs["a"].astype(np.float64) + inputs["b"].astype(np.float64)
'''
ADD_TORCH = '''\
import torch


def setup(inputs, device):
    return {name: torch.from_numpy(array).to(device) for name, array in inputs.items()}


def run(t):
    return t["a"] + t["b"]
'''
ADD_TENSORFLOW = '''\
import tensorflow as tf


def setup(inputs, device):
    return {name: tf.constant(array) for name, array in inputs.items()}


def run(t):
    return t["a"] + t["b"]
'''
ADD_JAX = '''\
import jax.numpy as jnp


def setup(inputs, device):
    return {name: jnp.asarray(array) for name, array in inputs.items()}


def run(t):
    return t["a"] + t["b"]
'''
WRITTEN = {"torch": ADD_TORCH, "tensorflow": ADD_TENSORFLOW, "jax": ADD_JAX}  # the walkthrough's frameworks
GUIDES = {
    "torch": "https://pytorch.org/tutorials/beginner/basics/tensorqs_tutorial.html",
    "tensorflow": "https://www.tensorflow.org/guide/tensor",
    "jax": "https://docs.jax.dev/en/latest/notebooks/thinking_in_jax.html",
}


def new_task(tasks: Path, *args: str):
    return CliRunner().invoke(main, ["new-task", *args, "--tasks", str(tasks)])


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every path under root (hidden ones included) with its content, to prove nothing was written."""
    return {str(p.relative_to(root)): p.read_bytes() if p.is_file() else None for p in sorted(root.rglob("*"))}


def without_marker_lines(text: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True) if TODO_MARKER not in line)


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"placeholder {old!r} not found once in the generated file"
    return text.replace(old, new)


def fill_in_metadata(path: Path) -> None:
    """What an author does to the generated task.toml for elementwise addition: edit values in place.

    A framework the walkthrough does not write (a future adapter) loses its reference line, as the
    walkthrough says: it is then listed as not implemented.
    """
    text = without_marker_lines(path.read_text())
    text = replace_once(text, 'title = "Elementwise add"', 'title = "Elementwise addition"')
    text = replace_once(text, "TODO: say what elementwise_add computes.", "Adds two float32 vectors elementwise and returns the sum.")
    text = replace_once(text, "tags = []", 'tags = ["learning-curve"]')
    text = replace_once(text, "pure = false", "pure = true")
    for name in scaffolded():
        placeholder = f'"https://todo.invalid/official-{name}-guide-for-{name}_impl.py"'
        if name in GUIDES:
            text = replace_once(text, placeholder, f'"{GUIDES[name]}"')
        else:
            text = replace_once(text, f"{name} = [{placeholder}]\n", "")
    path.write_text(text)


@pytest.fixture
def tasks(tmp_path: Path) -> Path:
    folder = tmp_path / "tasks"
    folder.mkdir()
    return folder


def test_scaffold_writes_every_adapter_and_prints_next_steps(tasks):
    result = new_task(tasks, "elementwise_add")
    assert result.exit_code == 0, result.output
    expected = {"task.toml", "spec.py"} | {f"{name}_impl.py" for name in scaffolded()}
    assert {p.name for p in (tasks / "elementwise_add").iterdir()} == expected
    assert [p.name for p in tasks.iterdir()] == ["elementwise_add"]  # no staging folder left behind
    assert f"created {tasks / 'elementwise_add'}/" in result.output
    assert f"easeval check elementwise_add --tasks {tasks}" in result.output
    for name in scaffolded():
        adapter = get_adapter(name)
        source = (tasks / "elementwise_add" / f"{name}_impl.py").read_text()
        assert source.startswith(TODO_MARKER)
        assert f"\n{adapter.IMPORT_STATEMENT}\n" in source  # as the framework's guides import it
        assert f"return {{name: {adapter.TENSOR_FROM_NUMPY} for name, array in inputs.items()}}" in source
        assert "def setup(inputs, device):" in source and "def run(state):" in source
    assert "\nimport jax.numpy as jnp\n" in (tasks / "elementwise_add" / "jax_impl.py").read_text()


def test_generated_metadata_is_strictly_valid_and_comments_every_key(tasks):
    new_task(tasks, "elementwise_add", "--category", "autograd")
    path = tasks / "elementwise_add" / "task.toml"
    meta = load_metadata(path)
    assert meta.category == "autograd"
    assert set(meta.references) == set(scaffolded())
    assert meta.sizes["small"] == {"n": 8}
    lines = path.read_text().splitlines()
    for key in GENERATED_KEYS:
        at = next(i for i, line in enumerate(lines) if line.startswith((f"{key} =", f"[{key}", f"[{key}.")))
        assert lines[at - 1].startswith("#"), f"key {key!r} has no comment above it"
    assert "tensors, autograd, model-definition" in path.read_text()  # allowed values are spelled out


def test_variant_keys_are_accepted(tasks):
    result = new_task(tasks, "two_sides", "--framework", "torch", "--framework", "tensorflow_lowlevel")
    assert result.exit_code == 0, result.output
    assert {p.name for p in (tasks / "two_sides").iterdir()} == {"task.toml", "spec.py", "torch_impl.py",
                                                                "tensorflow_lowlevel_impl.py"}
    assert set(load_metadata(tasks / "two_sides" / "task.toml").references) == {"torch", "tensorflow_lowlevel"}
    assert '"""two_sides in low-level TensorFlow.' in (tasks / "two_sides" / "tensorflow_lowlevel_impl.py").read_text()


def test_scaffold_is_listed_and_check_reports_it_incomplete_without_running_it(tasks):
    assert new_task(tasks, "elementwise_add").exit_code == 0
    listed = CliRunner().invoke(main, ["list", "--tasks", str(tasks), "--format", "json"])
    assert listed.exit_code == 1, listed.output  # listed, and unfinished: each TODO marker is a problem
    [record] = json.loads(listed.stdout)
    assert record["task_id"] == "elementwise_add" and record["category"] == "tensors"
    assert set(record["frameworks"]) == set(scaffolded())

    checked = CliRunner().invoke(main, ["check", "elementwise_add", "--tasks", str(tasks)])
    assert checked.exit_code == 1
    problems = [line for line in checked.output.splitlines() if line.startswith("problem: ")]
    files = ["task.toml", "spec.py"] + [f"{name}_impl.py" for name in scaffolded()]
    placeholders = [p for p in problems if ": placeholder URL https://todo.invalid/" in p]
    assert len(placeholders) == len(scaffolded()), checked.output  # one per scaffolded reference
    assert len(problems) == len(files) + len(placeholders), checked.output
    for name in files:
        assert any(p.startswith(f"problem: {tasks / 'elementwise_add' / name}: incomplete: line 1 still has "
                                "the scaffold's TODO marker: ") and p.endswith("then delete this line")
                   for p in problems), name
    assert "1 tasks, 0/0 implementations correct" in checked.output  # nothing unfinished was run


def test_every_marker_line_is_reported_with_its_line_number(tasks):
    new_task(tasks, "elementwise_add")
    spec = tasks / "elementwise_add" / "spec.py"
    spec.write_text(without_marker_lines(spec.read_text()) + "x = 1  # easeval: todo\n")
    task = discover(tasks).tasks[0]
    [problem] = [p for p in task.problems if p.path == spec]
    line = len(spec.read_text().splitlines())
    assert problem.message == f"incomplete: line {line} still has the scaffold's TODO marker: fill in this file, then delete this line"
    assert task.runnable_implementations == ()  # an unfinished spec blocks every implementation


def walkthrough_section(heading: str) -> str:
    """The text of one '## ' section of tasks/README.md."""
    text = WALKTHROUGH.read_text()
    return text[text.index(heading):].split("\n## ", 1)[0]


def test_walkthrough_shows_exactly_the_files_checked_here(tasks):
    """The README's worked example must be the one the slow test below proves correct."""
    walkthrough = walkthrough_section("## Adding a task, step by step")
    blocks = re.findall(r"```(\w+)\n(.*?)```", walkthrough, flags=re.S)
    python = [body for lang, body in blocks if lang == "python"]
    assert python == [ADD_SPEC, *WRITTEN.values()]
    [toml] = [body for lang, body in blocks if lang == "toml"]
    new_task(tasks, "elementwise_add")
    fill_in_metadata(tasks / "elementwise_add" / "task.toml")
    assert parse_metadata(toml, WALKTHROUGH) == load_metadata(tasks / "elementwise_add" / "task.toml")
    for command in ("easeval new-task elementwise_add", "easeval check elementwise_add",
                    "easeval analyze elementwise_add", "easeval run elementwise_add", "easeval report"):
        assert command in walkthrough, command


@pytest.mark.slow
def test_filled_in_elementwise_addition_passes_check(tasks):
    assert new_task(tasks, "elementwise_add").exit_code == 0
    new_task(tasks, "untouched")  # a second, unfinished task must not fail a check of the first
    folder = tasks / "elementwise_add"
    fill_in_metadata(folder / "task.toml")
    (folder / "spec.py").write_text(ADD_SPEC)
    for name in scaffolded():
        if name in WRITTEN:
            (folder / f"{name}_impl.py").write_text(WRITTEN[name])
        else:  # a future adapter: deleted, as the walkthrough says, and then listed as not implemented
            (folder / f"{name}_impl.py").unlink()

    checked = CliRunner().invoke(main, ["check", "elementwise_add", "--tasks", str(tasks)])
    assert checked.exit_code == 0, checked.output
    assert f"1 tasks, {len(WRITTEN)}/{len(WRITTEN)} implementations correct, 0 problem(s)" in checked.output


@pytest.fixture(scope="module")
def partial_report(tmp_path_factory):
    """A task with only the torch side written, and a bare scaffold (every adapter) whose markers were just deleted."""
    tasks = tmp_path_factory.mktemp("partial") / "tasks"
    tasks.mkdir()
    assert new_task(tasks, "elementwise_add").exit_code == 0
    folder = tasks / "elementwise_add"
    fill_in_metadata(folder / "task.toml")
    (folder / "spec.py").write_text(ADD_SPEC)
    (folder / "torch_impl.py").write_text(ADD_TORCH)
    assert new_task(tasks, "bare").exit_code == 0
    for path in (tasks / "bare").iterdir():
        path.write_text(without_marker_lines(path.read_text()))
    return tasks, check_corpus(discover(tasks), timeout=120)


@pytest.mark.slow
def test_only_finished_implementations_run(partial_report):
    tasks, report = partial_report
    ran = {(o.job.task.task_id, o.job.implementation.key): o.status for o in report.outcomes
           if o.job.task.task_id == "elementwise_add"}
    assert ran == {("elementwise_add", "torch"): "ok"}
    [problem] = [p for p in report.problems if p.task_id == "elementwise_add" and p.path.name == "tensorflow_impl.py"]
    assert problem.message.startswith("incomplete: line 1 still has the scaffold's TODO marker")


@pytest.mark.slow
def test_the_bare_skeleton_runs_as_generated(partial_report):
    tasks, report = partial_report
    ran = {o.job.implementation.key: o.status for o in report.outcomes if o.job.task.task_id == "bare"}
    assert ran == {name: "ok" for name in scaffolded()}
    # Only the placeholder citations remain: the code runs, but the task is not done until it cites its guides.
    messages = [p.message for p in report.problems if p.task_id == "bare"]
    assert sorted(m.split(":")[0] for m in messages) == sorted(f"key 'references.{name}'" for name in scaffolded())
    assert all("placeholder URL https://todo.invalid/" in m for m in messages)


# (arguments, message, exit status): 2 for a request malformed whatever the corpus holds, 1 for one it refuses.
REFUSALS = [
    (["ElementwiseAdd"], "must be a lowercase identifier", 2),
    (["1st_task"], "must be a lowercase identifier", 2),
    (["elementwise-add"], "must be a lowercase identifier", 2),
    (["elementwise_add\n"], "must be a lowercase identifier", 2),
    ([""], "must be a lowercase identifier", 2),
    (["nested/task"], "not a path", 2),
    (["nested\\task"], "not a path", 2),
    (["../escape"], "not a path", 2),
    ([".."], "not a path", 2),
    (["existing"], "already exists", 1),
    (["fresh", "--framework", "no_such_framework"], "unknown framework 'no_such_framework'", 2),
    (["fresh", "--framework", "torch", "--framework", "nope"], "unknown framework 'nope'", 2),
    (["fresh", "--framework", "torh"], "unknown framework 'torh'; did you mean 'torch'?", 2),
    (["fresh", "--category", "cooking"], "unknown category 'cooking'; allowed: tensors", 2),
    (["fresh", "--category", "tensor"], "unknown category 'tensor'; did you mean 'tensors'?", 2),
]


@pytest.mark.parametrize(("args", "message", "status"), REFUSALS)
def test_refusals_write_nothing(tmp_path, args, message, status):
    tasks = tmp_path / "tasks"
    tasks.mkdir()
    assert new_task(tasks, "existing").exit_code == 0
    (tasks / "existing" / "spec.py").write_text("# the author's work, which must survive\n")
    before = snapshot(tmp_path)
    result = new_task(tasks, *args)
    assert result.exit_code == status
    assert message in result.output and "nothing was written" in result.output, result.output
    assert snapshot(tmp_path) == before


def test_missing_tasks_directory_is_refused_not_created(tmp_path):
    result = new_task(tmp_path / "no_such_dir", "elementwise_add")
    assert result.exit_code == 1 and "does not exist" in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_failure_while_writing_leaves_nothing_behind(tasks, monkeypatch):
    from evaluator.commands.task_scaffold import scaffold_task

    calls = []

    def failing_write(self, text, encoding=None):
        calls.append(self.name)
        if len(calls) == 3:
            raise OSError("disk full")
        return original(self, text, encoding=encoding)

    original = Path.write_text
    monkeypatch.setattr(Path, "write_text", failing_write)
    with pytest.raises(OSError, match="disk full"):
        scaffold_task(tasks, "elementwise_add")
    monkeypatch.undo()
    assert len(calls) == 3 and list(tasks.iterdir()) == []


def test_check_named_unknown_task_is_a_problem_and_runs_nothing(tasks):
    new_task(tasks, "elementwise_add")
    checked = CliRunner().invoke(main, ["check", "no_such_task", "--tasks", str(tasks)])
    assert checked.exit_code == 1
    assert f"problem: {tasks / 'no_such_task'}: no task 'no_such_task' in {tasks}" in checked.output
    assert "0 tasks, 0/0 implementations correct, 1 problem(s)" in checked.output


AUTOGRAD = "## A second example: a gradient, with dict outputs and integer labels"


def write_autograd_example(tasks: Path) -> Path:
    """The autograd walkthrough's files, exactly as tasks/README.md shows them, as a task folder."""
    blocks = re.findall(r"```(\w+)\n(.*?)```", walkthrough_section(AUTOGRAD), flags=re.S)
    spec, torch_impl, tensorflow_impl = [body for lang, body in blocks if lang == "python"]
    [toml] = [body for lang, body in blocks if lang == "toml"]
    folder = tasks / "softmax_cross_entropy_grad"
    folder.mkdir()
    for name, text in (("spec.py", spec), ("torch_impl.py", torch_impl), ("tensorflow_impl.py", tensorflow_impl),
                       ("task.toml", toml)):
        (folder / name).write_text(text)
    return folder


def test_the_autograd_walkthrough_shows_dict_outputs_int_labels_and_the_reset(tasks):
    folder = write_autograd_example(tasks)
    meta = load_metadata(folder / "task.toml")
    assert meta.pure and meta.category == "autograd" and set(meta.references) == {"torch", "tensorflow"}
    assert 'dtype=np.int64' in (folder / "spec.py").read_text()
    assert 'return {"loss": ' in (folder / "torch_impl.py").read_text()
    assert "logits.grad = None" in (folder / "torch_impl.py").read_text()
    assert [str(p) for p in discover(tasks).all_problems] == []
    section = walkthrough_section(AUTOGRAD)
    assert "When to set `pure = true`" in section and "$ easeval check softmax_cross_entropy_grad" in section


@pytest.mark.slow
def test_the_autograd_walkthrough_passes_check_and_pure_catches_the_missing_reset(tasks):
    folder = write_autograd_example(tasks)
    checked = CliRunner().invoke(main, ["check", "softmax_cross_entropy_grad", "--tasks", str(tasks)])
    assert checked.exit_code == 0, checked.output
    assert "1 tasks, 2/2 implementations correct, 0 problem(s)" in checked.output  # torch and TensorFlow

    torch_impl = folder / "torch_impl.py"
    torch_impl.write_text("".join(l for l in torch_impl.read_text().splitlines(True) if "logits.grad = None" not in l))
    forgot = CliRunner().invoke(main, ["check", "softmax_cross_entropy_grad", "--tasks", str(tasks)])
    assert forgot.exit_code == 1
    section = walkthrough_section(AUTOGRAD)
    shown = section[section.index("$ easeval check softmax_cross_entropy_grad\n"):].split("\n", 1)[1].split("```")[0]
    assert forgot.output.replace(f"{tasks}/", "tasks/") == shown  # the walkthrough shows the real output
