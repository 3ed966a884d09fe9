"""One file end to end: glue exclusion, bad input, never executing, and a real task of the corpus."""

from __future__ import annotations

import textwrap
from pathlib import Path

from evaluator.analysis.corpus_analysis import AnalysisTarget, analyze, analyze_targets
from evaluator.analysis.file_analysis import analyze_source
from evaluator.corpus.discovery import Implementation

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "analysis_fixtures"
ROOTS = frozenset({"torch", "tensorflow", "keras"})

GLUE_SOURCE = textwrap.dedent('''\
    import torch


    def setup(inputs):
        model = torch.nn.Linear(2, 2)
        # easeval: glue-begin
        with torch.no_grad():
            model.weight.copy_(torch.from_numpy(inputs["w"]))
        # easeval: glue-end
        model.bias.data.zero_()  # easeval: glue
        return model
    ''')


def test_glue_is_excluded_from_every_metric_and_counted():
    analysis = analyze_source(GLUE_SOURCE.encode(), ROOTS)
    assert analysis.error is None
    assert analysis.glue_excluded_lines == 5  # both markers, two glue lines, one marked line
    assert (analysis.size.sloc, analysis.size.blank, analysis.size.loc) == (4, 2, 6)
    assert analysis.api.apis == (("torch.nn.Linear", 1),)  # not torch.no_grad nor torch.from_numpy
    assert analysis.api.unresolved_method_calls == ()        # not copy_ nor zero_
    assert analysis.complexity.max_nesting_depth == 1          # the `with` was glue


def test_real_task_matmul_einsum():
    task = REPO / "tasks" / "matmul_einsum"
    targets = [AnalysisTarget(task / f"{fw}_impl.py", Implementation("matmul_einsum", fw, None, task / f"{fw}_impl.py"))
               for fw in ("torch", "tensorflow")]
    torch_impl, tf_impl = (f.analysis for f in analyze_targets(targets, cache_dir=None, workers=1).files)
    # import; def setup; return; def run; product; bilinear; return
    assert torch_impl.size.sloc == tf_impl.size.sloc == 7
    # setup: 1 + the dict comprehension; run: 1
    assert (torch_impl.complexity.cc_sum, torch_impl.complexity.cc_max) == (3, 2)
    assert dict(torch_impl.api.apis) == {"torch.einsum": 1, "torch.from_numpy": 1}
    assert dict(tf_impl.api.apis) == {"tensorflow.constant": 1, "tensorflow.einsum": 1}
    assert dict(torch_impl.api.unresolved_method_calls) == {"to": 1}  # `inputs.items()` is plain Python
    assert tf_impl.api.unresolved_method_calls == ()
    assert torch_impl.glue_excluded_lines == tf_impl.glue_excluded_lines == 0


def test_bad_files_get_error_records_and_the_rest_is_analysed(tmp_path):
    good = tmp_path / "good.py"
    good.write_text("import torch\nx = torch.ones(2)\n")
    syntax = tmp_path / "syntax.py"
    syntax.write_text("def f(:\n    pass\n")
    not_utf8 = tmp_path / "latin.py"
    not_utf8.write_bytes(b"name = '\xe9t\xe9'\n")
    declared = tmp_path / "declared.py"
    declared.write_bytes(b"# -*- coding: latin-1 -*-\nname = '\xe9t\xe9'\n")
    empty = tmp_path / "empty.py"
    empty.write_bytes(b"")
    nul = tmp_path / "nul.py"
    nul.write_bytes(b"x = 1\x00\n")
    unbalanced = tmp_path / "glue.py"
    unbalanced.write_text("# easeval: glue-begin\nx = 1\n")
    result = analyze([tmp_path], cache_dir=None, workers=2)
    by_name = {f.target.path.name: f.analysis for f in result.files}
    assert by_name["syntax.py"].error.startswith("syntax error at line 1")
    assert by_name["latin.py"].error.startswith("cannot decode")
    assert by_name["nul.py"].error == "NUL byte at line 1: Python source cannot contain null bytes"
    assert by_name["glue.py"].error.startswith("glue markers")
    assert by_name["declared.py"].error is None and by_name["declared.py"].size.sloc == 1
    assert by_name["empty.py"].error is None
    assert (by_name["empty.py"].size.loc, by_name["empty.py"].complexity.maintainability_index) == (0, 100.0)
    assert by_name["good.py"].error is None and dict(by_name["good.py"].api.apis) == {"torch.ones": 1}
    for broken in ("syntax.py", "latin.py", "nul.py", "glue.py"):
        assert by_name[broken].size is None and by_name[broken].sha256


def test_a_one_megabyte_file_is_analysed(tmp_path):
    function = textwrap.dedent('''\
        def layer_{i}(x, weights):
            if x is None:
                return None
            return torch.relu(x @ weights[{i}])  # one layer


        ''')
    parts = ["import torch\n\n\n"]
    count = 0
    while sum(map(len, parts)) < 700_000:
        parts.append(function.format(i=count))
        count += 1
    parts.append("TABLE = [\n" + "".join(f"    {i},\n" for i in range(300_000 // 8)) + "]\n")
    big = tmp_path / "big.py"
    big.write_text("".join(parts))
    assert big.stat().st_size > 1_000_000
    analysis = analyze_source(big.read_bytes(), ROOTS)
    assert analysis.error is None
    assert analysis.complexity.functions == count
    assert (analysis.complexity.cc_sum, analysis.complexity.cc_max) == (2 * count, 2)
    assert analysis.size.sloc == 1 + 4 * count + 300_000 // 8 + 2
    assert analysis.size.comments == count
    assert dict(analysis.api.apis) == {"torch.relu": count}


def test_analysis_never_executes_the_code(tmp_path, monkeypatch):
    canary = tmp_path / "canary.txt"
    monkeypatch.setenv("EASEVAL_CANARY", str(canary))
    dangerous = FIXTURES / "never_run" / "side_effects.py"
    copies = []
    for i in range(3):  # several copies, so that the process pool is used too
        copy = tmp_path / f"side_effects_{i}.py"
        copy.write_text(dangerous.read_text() + f"# copy {i}\n")
        copies.append(copy)
    result = analyze_targets([AnalysisTarget(dangerous)] + [AnalysisTarget(c) for c in copies], cache_dir=None, workers=2)
    assert all(f.analysis.error is None for f in result.files)
    assert result.files[0].analysis.size.sloc == 5
    assert not canary.exists()
    assert not (Path.cwd() / "easeval-canary.txt").exists()
