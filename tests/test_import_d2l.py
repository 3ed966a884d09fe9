"""`easeval import d2l` on fixture chapters written after d2l-ai/d2l-en's format (tests/import_fixtures/d2l_book):
groups of adjacent cells, shared cells, preludes, unpaired cells, IPython lines."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from evaluator.analysis.file_analysis import analyze_source
from evaluator.analysis.analysis_types import framework_roots
from evaluator.cli import main
from evaluator.corpus.discovery import discover
from evaluator.corpus.manifest import load_manifest
from evaluator.importers import ImportFailure
from evaluator.importers.d2l import parse_cells, parse_groups, plan_d2l

BOOK = Path(__file__).resolve().parent / "import_fixtures" / "d2l_book"
TENSORS = "chapter_preliminaries/tensors.md"


def easeval(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_cells_tabs_and_adjacency_of_a_chapter():
    cells = parse_cells((BOOK / TENSORS).read_text())
    tabs = [sorted(c.tabs) for c, _ in cells]
    assert tabs[:3] == [["mxnet"], ["pytorch"], ["tensorflow"]]  # an untagged cell is the default tab (mxnet)
    assert ["all"] in tabs and ["mxnet", "pytorch"] in tabs
    assert [adjacent for _, adjacent in cells[:4]] == [False, True, True, False]  # prose starts a new group
    assert cells[1][0].code == "import torch\n"  # the directive line is gone


def test_groups_become_pairs_shared_groups_are_not_pairs():
    plan = plan_d2l(BOOK)
    ids = [t for t in plan.pairs if t.startswith("preliminaries_tensors")]
    assert ids == ["preliminaries_tensors_prelude", "preliminaries_tensors_01", "preliminaries_tensors_02",
                   "preliminaries_tensors_03"]
    # `x.shape` under #@tab all is the same on both sides: compared nothing, counted as shared.
    assert plan.shared_groups == 3 and plan.chapters == 3 and plan.version == "0.17.6" and plan.package == "d2l"
    # reshape (per-framework cells) plus the `#@tab all` cell `X` after them: one group, shared cell on both sides
    torch_side = plan.contents[("preliminaries_tensors_02", "torch")].decode()
    tf_side = plan.contents[("preliminaries_tensors_02", "tensorflow")].decode()
    assert torch_side.endswith("X = x.reshape(2, 3)\n\nX\n") and tf_side.endswith("X = tf.reshape(x, (2, 3))\n\nX\n")
    # `#@tab mxnet, pytorch` gives PyTorch its side; the mxnet tab is no framework here
    assert plan.contents[("preliminaries_tensors_03", "torch")].decode().endswith("X.sum()\n")
    assert plan.pairs["preliminaries_tensors_03"]["tensorflow"] == f"{TENSORS}:75-78"


def test_a_group_with_one_side_only_is_listed_unpaired():
    plan = plan_d2l(BOOK)
    assert [(u.framework, u.path) for u in plan.unpaired] == [("torch", f"{TENSORS}:82-85")]


def test_multi_framework_tabs_go_to_every_side_they_name():
    plan = plan_d2l(BOOK)
    for side in ("torch", "tensorflow"):
        code = plan.contents[("linear_networks_linear_regression_scratch_02", side)].decode()
        assert "lr = 0.03\nnum_epochs = 3\n" in code  # from `#@tab pytorch, tensorflow`


def test_the_prelude_is_its_own_pair_and_glue_in_the_others():
    plan = plan_d2l(BOOK)
    assert plan.prelude_pairs == ["linear_networks_linear_regression_scratch_prelude", "linear_networks_oo_design_prelude",
                                  "preliminaries_tensors_prelude"]
    prelude = plan.contents[("linear_networks_linear_regression_scratch_prelude", "torch")].decode()
    assert prelude == "# %matplotlib inline\nfrom d2l import torch as d2l\nimport torch\n"  # IPython line kept as a comment
    snippet = plan.contents[("linear_networks_linear_regression_scratch_01", "torch")].decode()
    assert snippet.startswith("# easeval: glue-begin\n# %matplotlib inline\nfrom d2l import torch as d2l\nimport torch\n"
                              "# easeval: glue-end\n")
    analysis = analyze_source(snippet.encode(), framework_roots())
    # the prelude's lines are not counted again, but `torch.no_grad` resolves through its import
    assert analysis.glue_excluded_lines == 5 and "torch.no_grad" in dict(analysis.api.apis)
    # `d2l` (from d2l import torch as d2l) looks like a framework module and is not one: counted as such
    assert dict(analysis.api.lookalikes) == {}  # the sgd snippet does not use d2l
    training = analyze_source(plan.contents[("linear_networks_linear_regression_scratch_02", "torch")], framework_roots())
    assert dict(training.api.lookalikes) == {"d2l.torch": 1}
    assert plan.magic_lines == 2  # %matplotlib inline in one chapter's prelude, PyTorch and TensorFlow each


def test_newer_percent_tab_chapters_are_read_the_same_way():
    plan = plan_d2l(BOOK)
    assert plan.pairs["linear_networks_oo_design_01"] == {
        "torch": "chapter_linear-networks/oo-design.md:32-41", "tensorflow": "chapter_linear-networks/oo-design.md:43-52"}
    code = plan.contents[("linear_networks_oo_design_01", "tensorflow")].decode()
    assert "class Module(tf.keras.Model):" in code and "%%tab" not in code


def test_cli_writes_a_static_only_corpus_with_the_d2l_provenance(tmp_path):
    out = tmp_path / "d2l"
    result = easeval("import", "d2l", BOOK, "--output", out, "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["written"] and document["d2l"]["prelude_pairs"][0] == "linear_networks_linear_regression_scratch_prelude"
    manifest = load_manifest(out / "corpus.toml")
    assert manifest.importer == "d2l" and manifest.source.kind == "d2l" and manifest.d2l.shared_groups == 3
    assert manifest.counts["pairs"] == 9 and manifest.d2l.tabs == {"torch": "pytorch", "tensorflow": "tensorflow"}
    corpus = discover(out)
    assert corpus.static_only and len(corpus.tasks) == 9 and corpus.all_problems == ()
    table = easeval("import", "d2l", BOOK, "--output", out, "--force")
    assert table.exit_code == 0 and "3 chapter preludes" in table.output


def test_a_folder_without_tabbed_cells_gives_no_pairs_and_writes_nothing(tmp_path):
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "intro.md").write_text("# Intro\n\n```{.python .input}\nfrom mxnet import np\n```\n")
    with pytest.raises(ImportFailure, match="no pairs"):
        plan_d2l(tmp_path / "book")
    result = easeval("import", "d2l", tmp_path / "book", "--output", tmp_path / "out")
    assert result.exit_code != 0 and "no pairs" in result.output and not (tmp_path / "out").exists()
    bad = easeval("import", "d2l", BOOK, "--output", tmp_path / "out", "--framework", "torch")
    assert bad.exit_code != 0 and "need two or more" in bad.output


def test_groups_split_at_prose_and_other_blocks():
    text = "```{.python .input}\n#@tab pytorch\na = 1\n```\n\n```{.python .input}\n#@tab tensorflow\nb = 1\n```\n" \
           "\n```bash\npip install d2l\n```\n\n```{.python .input}\n#@tab pytorch\nc = 1\n```\n"
    groups = parse_groups(text)
    assert [len(g.cells) for g in groups] == [2, 1]
