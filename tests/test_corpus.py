"""Discovery by scanning, implementation file names, glue marking."""

import pytest

from evaluator.corpus.discovery import discover, parse_impl_filename
from evaluator.corpus.glue_markers import GlueMarkerError, split_glue

from conftest import BROKEN, TASKS


def test_exemplars_are_discovered_with_both_frameworks():
    corpus = discover(TASKS)
    ids = {t.task_id for t in corpus.tasks}
    assert {"matmul_einsum", "scalar_gradient", "mlp_training"} <= ids
    for task in corpus.tasks:
        assert task.metadata is not None, task.problems
        assert {"torch", "tensorflow"} <= set(task.frameworks), task.task_id
        assert task.problems == (), task.problems
    mlp = next(t for t in corpus.tasks if t.task_id == "mlp_training")
    assert [i.key for i in mlp.implementations] == [
        "jax", "keras", "tensorflow", "tensorflow_jit", "tensorflow_loop", "tensorflow_lowlevel", "torch_compiled", "torch"]
    assert mlp.frameworks == ("torch", "tensorflow", "jax", "keras")  # declared order, not alphabetical
    assert mlp.not_implemented(["torch", "jax"]) == ()
    assert mlp.implementation("tensorflow_lowlevel").variant == "lowlevel"


@pytest.mark.parametrize(
    "name, expected",
    [
        ("torch_impl.py", ("torch", None)),
        ("tensorflow_impl.py", ("tensorflow", None)),
        ("tensorflow_lowlevel_impl.py", ("tensorflow", "lowlevel")),
        ("torch_compiled_impl.py", ("torch", "compiled")),
        ("jax_impl.py", ("jax", None)),  # not in the list passed: parsed, then reported by validation
        ("Torch_impl.py", None),
        ("torch-impl.py", None),
        ("spec.py", None),
    ],
)
def test_parse_impl_filename(name, expected):
    assert parse_impl_filename(name, ["tensorflow", "torch"]) == expected


def test_broken_corpus_problems_name_their_files():
    corpus = discover(BROKEN)
    messages = {str(p.path.relative_to(BROKEN)): p.message for p in corpus.all_problems}
    assert messages["bad_toml/task.toml"].startswith("invalid TOML")
    assert messages["unknown_key/task.toml"].startswith("line 5: key 'colour': unknown key")
    assert messages["missing_spec/spec.py"] == "missing spec module (make_inputs and reference)"
    assert messages["misnamed_file/Torch_impl.py"].startswith("misnamed implementation file")
    assert messages["missing_framework/mxnet_impl.py"].startswith("unknown framework 'mxnet'")
    assert len(corpus.tasks) == 9


def test_missing_tasks_dir_is_a_problem_not_a_crash(tmp_path):
    corpus = discover(tmp_path / "nope")
    assert corpus.tasks == () and "does not exist" in corpus.problems[0].message


def test_static_only_corpus(tmp_path):
    (tmp_path / "pair").mkdir()
    (tmp_path / "pair" / "torch_impl.py").write_text("import torch\n")
    (tmp_path / "pair" / "tensorflow_impl.py").write_text("import tensorflow as tf\n")
    corpus = discover(tmp_path)
    assert corpus.static_only and corpus.all_problems == ()
    assert corpus.tasks[0].frameworks == ("torch", "tensorflow")  # declared order


def test_select_reports_unknown_ids():
    corpus = discover(TASKS).select(["matmul_einsum", "no_such_task"])
    assert [t.task_id for t in corpus.tasks] == ["matmul_einsum"]
    assert "no task 'no_such_task'" in corpus.problems[-1].message


def test_glue_blocks_and_lines_are_removed():
    source = "a = 1\n# easeval: glue-begin\nb = 2\nc = 3\n# easeval: glue-end\nd = 4  # easeval: glue\ne = 5\n"
    split = split_glue(source)
    assert split.code == "a = 1\ne = 5\n"
    assert split.glue_lines == (2, 3, 4, 5, 6)
    assert split.excluded_line_count == 5


@pytest.mark.parametrize(
    "source, message",
    [
        ("# easeval: glue-begin\nx = 1\n", "line 1: glue-begin is never closed"),
        ("x = 1\n# easeval: glue-end\n", "line 2: glue-end without a glue-begin"),
        ("# easeval: glue-begin\n# easeval: glue-begin\n", "line 2: glue-begin inside the glue block opened at line 1"),
    ],
)
def test_unbalanced_glue_markers(source, message):
    with pytest.raises(GlueMarkerError, match=message):
        split_glue(source)


def test_glue_that_breaks_syntax_is_reported(tmp_path):
    task = tmp_path / "t"
    task.mkdir()
    (task / "torch_impl.py").write_text("def setup(inputs, device):\n    # easeval: glue-begin\n    return 1\n    # easeval: glue-end\n")
    problems = discover(tmp_path).all_problems
    assert any("glue must cover whole statements" in p.message for p in problems)


def test_placeholder_reference_urls_are_problems(tmp_path):
    from evaluator.commands.task_scaffold import scaffold_task

    scaffold_task(tmp_path, "demo_add")
    for path in tmp_path.joinpath("demo_add").iterdir():  # the author "finishes" without citing anything
        path.write_text("".join(l for l in path.read_text().splitlines(True) if "easeval: todo" not in l))
    messages = [p.message for p in discover(tmp_path).all_problems]
    assert any(m.startswith("key 'references.torch': placeholder URL https://todo.invalid/") for m in messages), messages


def test_corpus_v2_shape():
    """Issues 13 and 23's floor: at least 50 tasks, every category at least 6, a tensorflow_loop variant on
    every training and evaluation task whose Keras primary hands its loop to fit/evaluate (like-for-like
    loops), at least 12 blind pairs, and at least 8 tasks per tag of a claim family."""
    from collections import Counter

    from evaluator.corpus.task_metadata import CATEGORIES
    corpus = discover(TASKS)
    assert not corpus.problems
    tasks = [t for t in corpus.tasks if t.metadata]
    assert len(tasks) >= 50
    per_category = Counter(t.metadata.category for t in tasks)
    assert {c: per_category[c] for c in CATEGORIES if per_category[c] < 4} == {}
    # a loop variant wherever the TensorFlow primary hands its loop to Keras (corpus v3's blind pairs in
    # evaluation-modes write theirs as core code, so like for like needs no variant there)
    loops = {t.task_id for t in tasks if t.metadata.category in ("training", "evaluation-modes")
             and t.metadata.levels.get("tensorflow") == "high"
             and not any(i.key == "tensorflow_loop" for i in t.implementations)}
    assert loops == set()
    blind = [t for t in tasks if t.metadata.authorship == "blind"]
    assert len(blind) >= 12 and all(count >= 6 for count in per_category.values())   # corpus v3's floor
    per_tag = Counter(tag for t in tasks for tag in t.metadata.tags)
    families = ("debugging", "deployment", "static-graph-speed", "eager-gap", "fine-grained-control")
    assert {tag: per_tag[tag] for tag in families if per_tag[tag] < 8} == {}
    # Described, never tested (the report's "Assertions no claim decides").
    assert per_tag["dynamic-graphs"] >= 6 and per_tag["distributed"] == 2


def test_every_implementation_declares_the_abstraction_level_it_has(tmp_path):
    """`[levels]` in task.toml states each implementation's abstraction level; the claims read the level
    off the code (Keras fit/evaluate calls), so the two must agree on every implementation."""
    from evaluator.claims.paired_evidence import level
    from evaluator.report.pipeline import static_records

    corpus = discover(TASKS)
    declared = {(t.task_id, i.key): t.metadata.levels.get(i.key) for t in corpus.tasks for i in t.implementations}
    assert [k for k, v in declared.items() if v is None] == []
    records, _ = static_records(TASKS, tmp_path / "cache")
    detected = {(r.task_id, r.impl_key): level(r) for r in records if r.error is None}
    assert {k: (declared[k], v) for k, v in detected.items() if declared.get(k) != v} == {}
    assert sum(v == "high" for v in declared.values()) >= 10 and "core" in declared.values()


def test_a_level_for_a_missing_implementation_is_a_problem(tmp_path):
    import shutil
    shutil.copytree(TASKS / "matmul_einsum", tmp_path / "matmul_einsum")
    toml = tmp_path / "matmul_einsum" / "task.toml"
    toml.write_text(toml.read_text().replace("[levels]", '[levels]\ntensorflow_loop = "core"'))
    problems = [str(p) for p in discover(tmp_path).all_problems]
    assert any("key 'levels.tensorflow_loop': no implementation file tensorflow_loop_impl.py" in p for p in problems)
