"""Issue 22 parts 1-3: which implementations are mutated and compared, the catalogue's size and weights,
why every unpaired mutant is unpaired, and ill-formed mutants (statically prevented, or recognised at
run time from the mutation's own inserted code), on real files with real TensorFlow."""

import traceback

import numpy as np
import pytest

from evaluator.corpus.discovery import discover
from evaluator.debugging.debug_plan import coverage, plan_debug
from evaluator.debugging.mutants import is_misfit, make_mutants
from evaluator.debugging.operators import NO_FREQUENCY, OPERATORS
from evaluator.debugging.pairing import (
    AS_WRITTEN, COMPILED, NO_COUNTERPART, PRIMARY, TF_EAGER_VS_FUNCTION, TORCH_EAGER_VS_COMPILED, comparisons, core_key,
)
from evaluator.debugging.sites import find_sites, no_site_reason

from conftest import TASKS


def test_the_catalogue_has_at_least_22_operators_each_with_sources_and_a_stated_weight():
    assert len(OPERATORS) >= 22
    for op in OPERATORS:
        assert any("Humbatova" in t or "Islam" in t for t in op.taxonomy), op.id
        assert op.weight > 0 and op.weight_source, op.id
        # no invented frequency: a weight other than 1 must cite where it comes from
        assert op.weight == 1.0 and op.weight_source == NO_FREQUENCY or "et al." in op.weight_source, op.id


def test_comparisons_are_read_off_the_files_and_levels():
    keys = {"torch", "torch_compiled", "tensorflow", "tensorflow_jit", "tensorflow_loop", "tensorflow_lowlevel", "jax"}
    found = {c.name: (c.a, c.b) for c in comparisons(keys, {"tensorflow": "high"})}
    assert found[PRIMARY] == ("torch", "tensorflow_loop")                  # the loop first, as loop_first does
    assert found[AS_WRITTEN] == ("torch", "tensorflow")                     # Keras as written: secondary
    assert found[TORCH_EAGER_VS_COMPILED] == ("torch", "torch_compiled")
    assert found["tf-graph-vs-xla"] == ("tensorflow", "tensorflow_jit")
    assert found["torch-vs-tensorflow_lowlevel"] == ("torch", "tensorflow_lowlevel")
    assert found["torch-vs-jax"] == ("torch", "jax")                       # any new framework gets a comparison
    # no loop: the low-level variant; none either: the primary only when it is core
    assert {c.name: c.b for c in comparisons({"torch", "tensorflow", "tensorflow_lowlevel"}, {"tensorflow": "high"})}[PRIMARY] \
        == "tensorflow_lowlevel"
    core = {c.name: (c.a, c.b) for c in comparisons({"torch", "tensorflow", "torch_compiled", "tensorflow_function"}, {})}
    assert core[PRIMARY] == ("torch", "tensorflow") and AS_WRITTEN not in core
    assert core[TF_EAGER_VS_FUNCTION] == ("tensorflow", "tensorflow_function")
    assert core[COMPILED] == ("torch_compiled", "tensorflow_function")
    assert PRIMARY not in {c.name for c in comparisons({"torch", "tensorflow"}, {"tensorflow": "high"})}
    assert no_site_reason("torch") is None and no_site_reason("tensorflow") is None
    assert "jax" in no_site_reason("jax") and "torch, tensorflow" in no_site_reason("jax")


def test_site_rules_and_comparisons_are_the_adapters():
    """Issue 22 part 6: no per-framework table in sites.py or pairing.py; each adapter declares its dialect of
    site rules, the modules they resolve, its variants' comparisons and its core-level stand-ins."""
    from evaluator.debugging import pairing, sites
    from evaluator.frameworks import adapter_names, get_adapter

    assert not hasattr(sites, "DIALECTS") and not hasattr(sites, "FRAMEWORKS") and not hasattr(pairing, "TF_CORE_VARIANTS")
    assert sites.site_frameworks() == ("torch", "tensorflow", "keras")   # Keras read with TensorFlow's rules
    for name in adapter_names():
        adapter = get_adapter(name)
        if hasattr(adapter, "DEBUG_DIALECT"):
            assert adapter.DEBUG_DIALECT in ("torch", "tensorflow"), name   # the rules sites.py has
            assert adapter.DEBUG_ROOTS and all(isinstance(r, str) for r in adapter.DEBUG_ROOTS), name
        for variant, comparison in getattr(adapter, "DEBUG_VARIANT_COMPARISONS", {}).items():
            assert variant in adapter.VARIANT_NAMES, (name, variant)        # a variant the adapter names
            found = {c.name: (c.a, c.b) for c in comparisons({name, f"{name}_{variant}"}, {})}
            assert found[comparison] == (name, f"{name}_{variant}")
    # the roots are read from the adapter: a TensorFlow file's `import keras` resolves, a torch file's does not
    source = "import keras\nimport numpy as np\n\ndef setup(inputs, device):\n    x = keras.ops.convert_to_tensor(inputs['x'])\n" \
             "    return keras.layers.Dense(4, activation='relu')(x)\n"
    assert {s.operator for s in find_sites(source, "tensorflow").sites} >= {"ACT"}
    assert not find_sites(source, "torch").sites
    assert core_key("tensorflow", {"tensorflow", "tensorflow_lowlevel", "tensorflow_loop"}, {}) == "tensorflow_loop"
    assert core_key("tensorflow", {"tensorflow"}, {"tensorflow": "high"}) is None


@pytest.fixture(scope="module")
def mlp_plan():
    return plan_debug(discover(TASKS).select(["mlp_training"]))


def test_every_implementation_with_site_rules_is_mutated_with_every_operator(mlp_plan):
    mutated = {t.implementation.key for t in mlp_plan.targets}
    # Keras (keras_impl.py) is read with TensorFlow's rules and debugged on its default backend
    assert mutated == {"torch", "torch_compiled", "tensorflow", "tensorflow_jit", "tensorflow_loop", "tensorflow_lowlevel",
                       "keras"}
    assert ("mlp_training", "jax", no_site_reason("jax")) in mlp_plan.not_mutated
    compiled_ops = {m.site.operator for m in mlp_plan.mutants[("mlp_training", "torch_compiled")]}
    assert {"OPT-STEP", "DETACH", "TRACE"} <= compiled_ops   # no longer TRACE only
    assert {p.comparison for p in mlp_plan.pairs} >= {PRIMARY, AS_WRITTEN, TORCH_EAGER_VS_COMPILED}


def test_the_removed_optimizer_step_pairs_with_the_loops_apply(mlp_plan):
    step = [p for p in mlp_plan.pairs if p.comparison == PRIMARY and p.operator == "OPT-STEP"]
    assert len(step) == 1
    assert step[0].a.site.before == "optimizer.step()" and step[0].b.impl_key == "tensorflow_loop"
    assert step[0].b.site.before.startswith("optimizer.apply(") and step[0].b.site.after == "pass"
    assert step[0].weight == 1.0


def test_every_unpaired_mutant_says_why(mlp_plan):
    assert mlp_plan.unpaired
    for u in mlp_plan.unpaired:
        assert u.note and u.comparison and u.other, u
    dev = [u for u in mlp_plan.unpaired if u.mutant.site.operator == "DEV" and u.comparison == PRIMARY]
    assert dev and all(u.reason == NO_COUNTERPART and "places tensors" in u.note for u in dev)
    rows = {(r.operator, r.framework): r for r in coverage(mlp_plan, PRIMARY)}
    total = rows[("all", "all")]
    assert total.paired + sum(total.unpaired.values()) == total.mutants


def test_width_bugs_are_planted_where_the_glue_does_not_see_them(mlp_plan):
    torch = mlp_plan.mutants[("mlp_training", "torch")]
    widths = [m for m in torch if m.site.operator == "SHP-W"]
    assert widths and all(m.site.role == "model call input" for m in widths)   # nn.Linear(in, ...) would fail in glue
    assert any(m.site.after == "xb[..., 1:]" for m in widths)


def test_dtype_is_planted_only_on_values_known_to_be_numpy():
    source = (
        "import tensorflow as tf\n\n\n"
        "def setup(inputs, device):\n"
        "    x = inputs['x']\n"
        "    return {'x': tf.constant(inputs['x']), 'train': (inputs['x'], inputs['y']), 'raw': x}\n\n\n"
        "def run(state):\n"
        "    model = state['model']\n"
        "    model.fit(state['x'], state['raw'])\n"
        "    x_train, y_train = state['train']\n"
        "    model.fit(x_train, y_train)\n"
        "    return tf.constant(state['x'])\n"
    )
    dtype = [s for s in find_sites(source, "tensorflow", ["DTYPE"]).sites]
    planted = {(s.line, s.before) for s in dtype}
    assert (6, "inputs['x']") in planted                 # the array entering tf.constant
    assert (11, "state['raw']") in planted                # a state entry holding an input array
    assert not any(s.before == "state['x']" for s in dtype)   # a tf.Tensor: .astype would not fit it
    assert {(13, "x_train"), (13, "y_train")} <= planted  # unpacked from a tuple of input arrays


def _raise_in(path, inputs):
    namespace = {"__file__": str(path)}
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    try:
        namespace["setup"](inputs, "cpu")
    except Exception as exc:  # noqa: BLE001 - the exception is the subject
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == str(path)]
        return type(exc).__name__, str(exc), frames[-1].lineno
    raise AssertionError("the mutant did not fail")


def test_a_mutation_that_does_not_fit_its_value_is_recognised_at_run_time(tmp_path):
    tf = pytest.importorskip("tensorflow")
    # a value only the run can tell is a tensor: DTYPE's .astype is planted, the run says it does not fit
    source = ("import tensorflow as tf\n\n\ndef setup(inputs, device):\n"
              "    x = tf.constant(inputs['x'])\n"
              "    return {'y': tf.reshape(x, (6,))}\n")
    scan = find_sites(source, "tensorflow", ["DTYPE", "SHP-R"])
    mutants, problems = make_mutants(scan, "t", "tensorflow", "tensorflow", "tensorflow_impl.py", source)
    assert problems == []
    dtype = next(m for m in mutants if m.site.operator == "DTYPE")
    shape = next(m for m in mutants if m.site.operator == "SHP-R")
    assert dtype.inserted_names == ("astype",)
    inputs = {"x": tf.constant(np.arange(6, dtype=np.float32))}   # a tensor where the file expects an array
    path = tmp_path / "dtype" / "tensorflow_impl.py"
    path.parent.mkdir()
    path.write_text(dtype.source)
    kind, message, line = _raise_in(path, inputs)
    assert kind == "AttributeError" and "astype" in message
    assert dtype.misfit(kind, message, line)
    # a planted bug the framework reports is not a misfit, though it is raised on the planted line
    path = tmp_path / "shape" / "tensorflow_impl.py"
    path.parent.mkdir()
    path.write_text(shape.source)   # tf.reshape(x, (7,)): TensorFlow's own error on the planted line
    kind, message, line = _raise_in(path, {"x": np.arange(6, dtype=np.float32)})
    assert line == shape.site.line and not is_misfit(shape, kind, message, line)
    assert not dtype.misfit("AttributeError", "'EagerTensor' object has no attribute 'astype'", line + 5)
    # the run's record: such a mutant is invalid, with the reason; the framework's own error stays loud
    import traceback as tb_module

    from evaluator.debugging.bug_outcomes import INVALID, LOUD
    from evaluator.debugging.debug_records import DebugRecord
    from evaluator.debugging.mutant_runs import _finish_record

    def finish(mutant, path, kind, message, line):
        base = DebugRecord(task="t", impl_key="tensorflow", framework="tensorflow", operator=mutant.site.operator,
                           site_id=mutant.site.site_id, aids=False, status="planned", outcome="planned",
                           line=mutant.site.line, end_line=mutant.site.end_line, function="setup")
        trace = "".join(tb_module.format_list([tb_module.FrameSummary(str(path), line, "setup")]))
        result = {"status": "error", "exception_type": kind, "message": message, "phase": "setup(inputs, device)",
                  "traceback": "Traceback (most recent call last):\n" + trace + f"{kind}: {message}\n"}
        return _finish_record(base, result, {"status": "ok"}, str(path), tmp_path / "none.npz", None, (), None,
                              mutant=mutant)

    invalid = finish(dtype, tmp_path / "dtype" / "tensorflow_impl.py", "AttributeError",
                     "'tensorflow.python.framework.ops.EagerTensor' object has no attribute 'astype'", dtype.site.line)
    assert invalid.outcome == INVALID and "ill-formed" in invalid.skip_reason
    reported = finish(shape, path, kind, message, line)
    assert reported.outcome == LOUD


def test_the_list_document_carries_comparison_weight_and_reason(mlp_plan):
    from evaluator.debugging.debug_table import list_document, site_lines

    doc = list_document(mlp_plan)
    assert {p["comparison"] for p in doc["pairs"]} >= {PRIMARY, AS_WRITTEN}
    assert all(p["weight"] == 1.0 for p in doc["pairs"])
    assert doc["unpaired"] and all(u["note"] and u["reason"] and u["other"] for u in doc["unpaired"])
    assert {"task": "mlp_training", "impl": "jax", "reason": no_site_reason("jax")} in doc["not_mutated"]
    total = next(r for r in doc["coverage"][PRIMARY] if r["operator"] == "all" and r["framework"] == "all")
    assert total["paired"] == 2 * sum(1 for p in doc["pairs"] if p["comparison"] == PRIMARY)
    text = "\n".join(site_lines(mlp_plan))
    assert "primary: paired" in text and "pairing coverage, the primary comparison (claim 8):" in text


def test_shp_w_is_not_planted_in_a_model_constructor():
    """Hand validation 2026-12-07, record 31: `TwoRateModel(x_in, outputs)` (a Keras Model subclass built from its
    symbolic Input) was a "model call input" site; cutting the Input's features there disconnects the graph
    ("Output ... is not connected to `inputs`"), no width bug. A class is constructed, not called on data."""
    source = ("import tensorflow as tf\n\n\nclass TwoRateModel(tf.keras.Model):\n    pass\n\n\n"
              "def setup(inputs, device):\n    x_in = tf.keras.Input(shape=(4,))\n"
              "    outputs = tf.keras.layers.Dense(2)(x_in)\n    model = TwoRateModel(x_in, outputs)\n"
              "    return {\"model\": model, \"x\": tf.constant(inputs[\"x\"])}\n\n\n"
              "def run(state):\n    model = state[\"model\"]\n    return model(state[\"x\"])\n")
    shp_w = [site for site in find_sites(source, "tensorflow", ["SHP-W"]).sites if site.role == "model call input"]
    assert [site.line for site in shp_w] == [17]
    assert TASKS.joinpath("freeze_param_groups", "tensorflow_impl.py").read_text().splitlines()[40].strip() \
        == "model = TwoRateModel(x_in, outputs)"
    corpus_sites = find_sites(TASKS.joinpath("freeze_param_groups", "tensorflow_impl.py").read_text(), "tensorflow", ["SHP-W"])
    assert 41 not in {site.line for site in corpus_sites.sites}
