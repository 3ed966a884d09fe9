"""Re-exported framework modules: the importer proposes `[aliases]`, the analysis resolves them, and the
names that look like framework modules but stay unresolved are counted."""

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from evaluator.analysis.api_surface import api_surface
from evaluator.cli import main
from evaluator.corpus.manifest import load_manifest
from evaluator.importers.pairs import plan_pairs

from import_helpers import FILES, MATCH, PATTERNS, TF_BERT, write_tree, write_wheel

HF_WHEEL = Path(os.environ.get("EASEVAL_HF_WHEEL", "/tmp/hf/transformers-4.46.3-py3-none-any.whl"))


def easeval(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_the_importer_reads_what_the_reexporting_module_imports(tmp_path):
    plan = plan_pairs(write_wheel(tmp_path / "pkg-1.2.3-py3-none-any.whl"), PATTERNS)
    assert [(a.key, a.value) for a in plan.aliases] == [("...modeling_tf_utils.keras", "keras")]
    assert "pkg/modeling_tf_utils.py" in plan.aliases[0].evidence


def test_a_name_the_module_binds_to_something_else_is_no_alias(tmp_path):
    files = {**FILES, "pkg/modeling_tf_utils.py": "keras = object()  # not the framework\n"}
    assert plan_pairs(write_tree(tmp_path / "src", files), PATTERNS).aliases == []


def test_without_the_module_in_the_source_the_name_decides(tmp_path):
    files = {k: v for k, v in FILES.items() if k != "pkg/modeling_tf_utils.py"}
    files["pkg/models/bert/modeling_tf_bert.py"] = TF_BERT.replace("from ...modeling_tf_utils import keras, shape_list",
                                                                   "from ...outside_helpers import keras, tf")
    plan = plan_pairs(write_tree(tmp_path / "src", files), PATTERNS)
    assert {(a.key, a.value) for a in plan.aliases} == {("...outside_helpers.keras", "keras"),
                                                       ("...outside_helpers.tf", "tensorflow")}


def test_bert_like_pair_counts_keras_layers_on_the_tensorflow_side(tmp_path):
    out = tmp_path / "corpus"
    assert easeval("import", "pairs", write_wheel(tmp_path / "pkg-1.2.3-py3-none-any.whl"), "--output", out, *MATCH).exit_code == 0
    assert load_manifest(out / "corpus.toml").aliases == {"...modeling_tf_utils.keras": "keras"}
    result = easeval("compare", out / "bert" / "torch_impl.py", out / "bert" / "tensorflow_impl.py", "--format", "json",
                     "--no-cache")
    record = json.loads(result.output)["b"]
    assert record["subclassed"] == ["keras.layers.Layer", "keras.layers.Layer"]
    assert record["apis"]["keras.layers.Dense"] == 1 and record["metrics"]["framework_subclasses"] == 2
    # Without the alias, as before: no Keras, and the warning counts what was missed.
    plain = api_surface(TF_BERT)
    assert plain.subclassed == () and "keras.layers.Dense" not in dict(plain.apis)
    assert dict(plain.lookalikes) == {"...modeling_tf_utils.keras": 3}


def test_aliases_reach_attributes_of_an_imported_module_and_respect_the_longest_key():
    source = "import pkg.modeling_tf_utils as mtu\n\nclass L(mtu.keras.layers.Layer):\n    pass\n"
    surface = api_surface(source, aliases={"pkg.modeling_tf_utils.keras": "keras", "pkg": "nothing"})
    assert surface.subclassed == ("keras.layers.Layer",)


def test_imports_inside_glue_bind_names_but_are_not_counted():
    source = "# easeval: glue-begin\nimport torch\n# easeval: glue-end\nx = torch.zeros(2)\n"
    from evaluator.analysis.file_analysis import analyze_source
    from evaluator.analysis.analysis_types import framework_roots

    analysis = analyze_source(source.encode(), framework_roots())
    assert dict(analysis.api.apis) == {"torch.zeros": 1} and analysis.size.sloc == 1 and analysis.glue_excluded_lines == 3


def test_aliases_are_part_of_the_cache_key(tmp_path):
    """Changing [aliases] must change the cached result, not serve the old one."""
    out = tmp_path / "corpus"
    assert easeval("import", "pairs", write_wheel(tmp_path / "pkg-1.2.3-py3-none-any.whl"), "--output", out, *MATCH).exit_code == 0
    cache = tmp_path / "cache"

    def tf_subclasses():
        result = easeval("analyze", "--tasks", out, "--format", "json", "--cache-dir", cache)
        return next(r for r in json.loads(result.output)["files"] if r["task_id"] == "bert" and r["framework"] == "tensorflow")["subclassed"]

    assert len(tf_subclasses()) == 2
    manifest = (out / "corpus.toml").read_text()
    (out / "corpus.toml").write_text(manifest.replace('"...modeling_tf_utils.keras" = "keras"\n', ""))
    assert tf_subclasses() == []


@pytest.mark.skipif(not HF_WHEEL.is_file(), reason=f"{HF_WHEEL} not downloaded (pip download --no-deps transformers==4.46.3)")
def test_the_real_bert_pair_of_transformers_4_46_3(tmp_path):
    out = tmp_path / "hf"
    result = easeval("import", "pairs", HF_WHEEL, "--output", out, *MATCH)
    assert result.exit_code == 0, result.output[-2000:]
    aliases = load_manifest(out / "corpus.toml").aliases
    assert aliases["...modeling_tf_utils.keras"] == "keras"
    compared = json.loads(easeval("compare", out / "bert" / "torch_impl.py", out / "bert" / "tensorflow_impl.py",
                                  "--format", "json", "--no-cache").output)
    tf_side = compared["b"]
    assert tf_side["subclassed"].count("keras.layers.Layer") == 14
    assert {"keras.layers.Dense", "keras.layers.Dropout", "keras.layers.LayerNormalization"} <= set(tf_side["apis"])
