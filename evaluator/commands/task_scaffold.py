"""`easeval new-task`: scaffold a task folder that is listed at once and reported incomplete by check.

Every generated file is valid (task.toml passes the strict metadata parser, the Python files run: the
skeleton is an identity task) and carries the corpus's TODO_MARKER, which `check` reports line by
line until the author deletes it. The implementation skeleton is built only from what every adapter
declares (DISPLAY_NAME, IMPORT_STATEMENT, TENSOR_FROM_NUMPY, VARIANT_NAMES), so a new adapter gets its
own skeleton (jax.py: `jnp.asarray`) with no change here. The folder is written atomically: a failure
never leaves half a task behind.
"""

from __future__ import annotations

import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import Sequence

from evaluator.corpus.discovery import IMPL_SUFFIX, SPEC_FILE, TODO_MARKER, parse_impl_filename
from evaluator.frameworks import adapter_names, backends_of, get_adapter, implementation_name, ordered_frameworks
from evaluator.corpus.task_metadata import CATEGORIES, METADATA_FILE, TAGS, TASK_ID_PATTERN, Tolerance, did_you_mean

DEFAULT_CATEGORY = CATEGORIES[0]  # a valid placeholder; the TODO marker asks the author to review it


class ScaffoldError(ValueError):
    """A refused `new-task` request; nothing was written."""


class MalformedRequest(ScaffoldError):
    """A request malformed whatever the corpus holds (an id that is no identifier, an unknown framework
    or category): a usage error, told apart from a request the corpus refuses (an existing task)."""


@dataclass(frozen=True)
class ScaffoldResult:
    task_id: str
    path: Path
    files: tuple[Path, ...]


def validate_request(tasks_dir: Path, task_id: str, category: str, impl_keys: Sequence[str]) -> None:
    """Raise ScaffoldError for anything that must not be scaffolded (MalformedRequest first); write nothing."""
    if "/" in task_id or "\\" in task_id or ".." in task_id:
        raise MalformedRequest(f"task id {task_id!r} must be a plain folder name, not a path (no '/', '\\', '..')")
    if not TASK_ID_PATTERN.fullmatch(task_id):  # fullmatch: `$` alone would accept a trailing newline
        raise MalformedRequest(f"task id {task_id!r} must be a lowercase identifier: a letter, then letters, "
                               "digits or '_' ([a-z][a-z0-9_]*), e.g. elementwise_add")
    if category not in CATEGORIES:
        raise MalformedRequest(f"unknown category {category!r};{did_you_mean(category, CATEGORIES)} "
                               f"allowed: {', '.join(CATEGORIES)}")
    if not impl_keys:
        raise MalformedRequest("no framework to scaffold")
    known = adapter_names()
    for key in impl_keys:  # a key is a framework, or <framework>_<variant> for a variant file
        parsed = parse_impl_filename(f"{key}{IMPL_SUFFIX}", known)
        if parsed is None or parsed[0] not in known:
            raise MalformedRequest(f"unknown framework {key!r};{did_you_mean(key, known)} known: {', '.join(known)} "
                                   "(or <framework>_<variant> for a variant, e.g. tensorflow_lowlevel)")
    if not tasks_dir.is_dir():
        raise ScaffoldError(f"tasks directory {tasks_dir} does not exist")
    if (tasks_dir / task_id).exists():
        raise ScaffoldError(f"task {task_id!r} already exists: {tasks_dir / task_id}")


def scaffold_task(
    tasks_dir: Path | str,
    task_id: str,
    *,
    category: str | None = None,
    frameworks: Sequence[str] | None = None,
) -> ScaffoldResult:
    """Create tasks_dir/task_id with task.toml, spec.py and one *_impl.py per framework (default: every framework
    but those whose file runs on several backends, Keras: `frameworks=["keras"]` writes its skeleton)."""
    tasks_dir = Path(tasks_dir)
    category = DEFAULT_CATEGORY if category is None else category
    default = ordered_frameworks(n for n in adapter_names() if not backends_of(n))
    impl_keys = list(dict.fromkeys(frameworks if frameworks else default))
    validate_request(tasks_dir, task_id, category, impl_keys)

    contents = {METADATA_FILE: metadata_text(task_id, category, impl_keys), SPEC_FILE: spec_text(task_id)}
    contents.update({f"{key}{IMPL_SUFFIX}": implementation_text(task_id, key) for key in impl_keys})

    # Build in a hidden sibling folder (discovery skips names starting with '.'), then rename it
    # into place in one step. os.mkdir, unlike mkdtemp, keeps the user's umask for the final folder.
    target = tasks_dir / task_id
    staging = tasks_dir / f".{task_id}.new-{secrets.token_hex(4)}"
    os.mkdir(staging)
    try:
        for name, text in contents.items():
            (staging / name).write_text(text, encoding="utf-8")
        if target.exists():  # created by someone else since validation
            raise ScaffoldError(f"task {task_id!r} already exists: {target}")
        os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return ScaffoldResult(task_id, target, tuple(target / name for name in sorted(contents)))


def next_steps(result: ScaffoldResult, tasks_dir: Path | str = "tasks") -> list[str]:
    """What the author does next, as lines for the terminal."""
    tasks_option = "" if Path(tasks_dir) == Path("tasks") else f" --tasks {tasks_dir}"
    return [
        f"created {result.path}/: {', '.join(f.name for f in result.files)}",
        f"next: 1. write {SPEC_FILE} (make_inputs, reference) and replace the placeholders in {METADATA_FILE}",
        f"      2. write each *{IMPL_SUFFIX} as the framework's official guide does; cite it under [references]",
        f"      3. delete every '{TODO_MARKER}' line, then run: easeval check {result.task_id}{tasks_option}",
        "walkthrough: tasks/README.md, section 'Adding a task, step by step'",
    ]


def _toml_list(items: Sequence[str]) -> str:
    return ", ".join(items)


_METADATA = Template('''\
$marker: replace every placeholder below (title, category, description, tags, seed, pure, notes, tolerance, sizes, references), then delete this line
# Metadata of task '$task_id'. Strict: an unknown key or a wrong type is an error. See tasks/README.md.

# Short human title.
title = "$title"
# One of: $categories.
category = "$category"
# One paragraph: what the task computes (inputs, operations, outputs).
description = """
TODO: say what $task_id computes.
"""
# Claims the task bears on, zero or more of: $tags.
tags = []
# Seed of the numpy.random.Generator passed to spec.make_inputs, and of every framework.
seed = 0
# true if run(state) returns the same output on every call (forward passes, gradients, inference): check
# then calls it twice and requires identical outputs. false if run trains or advances any state.
pure = false
# Anything a reviewer should know (optional; "" for nothing).
notes = ""

# Every output is compared with spec.reference: |output - reference| <= atol + rtol * |reference|.
[tolerance]
rtol = $rtol
atol = $atol

# Keyword arguments of spec.make_inputs for check and CPU runs: the whole corpus runs in minutes on 2 cores.
[sizes.small]
n = 8

# Keyword arguments of spec.make_inputs for GPU timing (optional: delete this table if none).
[sizes.large]
n = 1048576

# One key per implementation file (torch for torch_impl.py, tensorflow_lowlevel for
# tensorflow_lowlevel_impl.py): http(s) URLs of the official tutorial or guide that file follows.
[references]
$references

# Each implementation's abstraction level: high if it hands its loop to the framework (Keras
# compile/fit/evaluate), core if it writes the loop. The claims compare like with like on it.
[levels]
$levels
''')


def metadata_text(task_id: str, category: str, impl_keys: Sequence[str]) -> str:
    """A task.toml with every key, each commented; valid for the strict parser, placeholders marked."""
    # '.invalid' is reserved (RFC 2606): a valid URL for the parser that can never be mistaken for a real one.
    references = "\n".join(
        f'{key} = ["https://todo.invalid/official-{_split_key(key)[0]}-guide-for-{key}{IMPL_SUFFIX}"]'
        for key in impl_keys
    )
    levels = "\n".join(f'{key} = "core"' for key in impl_keys)
    tolerance = Tolerance()
    return _METADATA.substitute(
        marker=TODO_MARKER, task_id=task_id, title=task_id.replace("_", " ").capitalize(), category=category,
        categories=_toml_list(CATEGORIES), tags=_toml_list(TAGS), rtol=f"{tolerance.rtol:g}",
        atol=f"{tolerance.atol:g}", references=references, levels=levels,
    )


_SPEC = Template('''\
$marker: write make_inputs and reference (or check) for $task_id, NumPy only, then delete this line
"""$task_id, framework-neutral: the inputs and the expected output. Imports only NumPy."""

import numpy as np


def make_inputs(rng: np.random.Generator, n: int) -> dict:
    """Deterministic inputs; the keyword arguments are the keys of [sizes.small] in task.toml."""
    return {"x": rng.standard_normal(n, dtype=np.float32)}


def reference(inputs: dict) -> np.ndarray:
    """The expected output, computed in float64 (or define check(output, inputs) -> list[str] instead)."""
    return inputs["x"].astype(np.float64)
''')


def spec_text(task_id: str) -> str:
    """The neutral spec skeleton: an identity task, runnable as it stands."""
    return _SPEC.substitute(marker=TODO_MARKER, task_id=task_id)


_IMPLEMENTATION = Template('''\
$marker: write setup and run the way $display's official guide does, cite it in task.toml [references], then delete this line
"""$task_id in $name. Plain $display code: imports nothing from easeval."""

$import_statement


def setup(inputs, device):
    """Build everything run needs (tensors on `device`, models, optimizers); not timed.

    `inputs` is the dict from spec.make_inputs; `device` is "cpu" or "cuda". Raise NotImplementedError
    for a device this implementation cannot support (reported as skipped). Mark harness-only code,
    such as loading shared initial weights, with `# easeval: glue` (see tasks/README.md).
    """
    return {name: $tensor_from_numpy for name, array in inputs.items()}


def run(state):
    """The measured work, the same on every call; return what spec.reference returns, as tensors."""
    return state["x"]
''')


def implementation_text(task_id: str, impl_key: str) -> str:
    """A generic implementation skeleton for `impl_key` ('torch', 'tensorflow_lowlevel', ...)."""
    adapter = get_adapter(_split_key(impl_key)[0])
    return _IMPLEMENTATION.substitute(
        marker=TODO_MARKER, task_id=task_id, name=implementation_name(impl_key), display=adapter.DISPLAY_NAME,
        import_statement=adapter.IMPORT_STATEMENT, tensor_from_numpy=adapter.TENSOR_FROM_NUMPY,
    )


def _split_key(impl_key: str) -> tuple[str, str | None]:
    """('tensorflow', 'lowlevel') for 'tensorflow_lowlevel'; validate_request has vetted the key."""
    parsed = parse_impl_filename(f"{impl_key}{IMPL_SUFFIX}", adapter_names())
    assert parsed is not None, impl_key
    return parsed
