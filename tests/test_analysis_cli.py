"""`easeval analyze` and `easeval compare` through Click's runner."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from click.testing import CliRunner

from evaluator.analysis.metric_rows import METRIC_NAMES
from evaluator.cli import main
from evaluator.corpus.discovery import discover

FIXTURES = Path(__file__).resolve().parent / "analysis_fixtures"
STATIC_CORPUS = FIXTURES / "static_corpus"
TORCH_FIT = STATIC_CORPUS / "linear_regression" / "torch_impl.py"
TF_FIT = STATIC_CORPUS / "linear_regression" / "tensorflow_impl.py"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_analyze_json_gives_every_metric_and_the_api_names(tmp_path):
    result = run("analyze", "--tasks", str(STATIC_CORPUS), "--format", "json", "--cache-dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["schema_version"] == 1 and document["static_only"] is True
    assert {"torch", "tensorflow", "keras"} <= set(document["framework_roots"])
    assert len(document["files"]) == 4
    for record in document["files"]:
        assert record["error"] is None and list(record["metrics"]) == list(METRIC_NAMES)
        assert record["task_id"] in {"linear_regression", "softmax"}
        assert len(record["sha256"]) == 64 and record["apis"]
    torch_fit = next(r for r in document["files"] if r["path"] == str(TORCH_FIT))
    assert torch_fit["apis"] == {"torch.nn.Linear": 1, "torch.nn.functional.mse_loss": 1, "torch.optim.SGD": 1}
    assert torch_fit["namespaces"] == ["torch.nn", "torch.nn.functional", "torch.optim"]
    assert torch_fit["metrics"]["framework_call_keywords"] == 1


def test_analyze_paths_as_csv_and_table(tmp_path):
    broken = tmp_path / "broken.py"
    broken.write_text("def (:\n")
    result = run("analyze", str(TORCH_FIT), str(broken), "--format", "csv", "--no-cache")
    assert result.exit_code == 1, result.output  # a file that cannot be analysed fails the command (and is a row)
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [r["path"] for r in rows] == [str(TORCH_FIT), str(broken)]
    assert rows[0]["sloc"] == "11" and rows[0]["error"] == ""
    assert "torch.optim.SGD:1" in rows[0]["apis"].split()
    assert rows[1]["error"].startswith("syntax error") and rows[1]["sloc"] == ""

    table = run("analyze", "--tasks", str(STATIC_CORPUS), "--cache-dir", str(tmp_path / "cache"))
    assert table.exit_code == 0
    assert table.output.splitlines()[0].split()[:3] == ["file", "sloc", "tokens"]
    assert "linear_regression/torch" in table.output
    assert table.output.rstrip().endswith("4 files, 0 with errors; 4 analysed, 0 from cache")


def test_compare_two_files(tmp_path):
    result = run("compare", str(TORCH_FIT), str(TF_FIT), "--cache-dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    sloc = next(line.split() for line in lines if line.startswith("sloc "))
    assert sloc == ["sloc", "11", "6", "0.55"]
    only_a = lines.index("APIs only in A (3):")
    assert lines[only_a + 1:only_a + 4] == ["  torch.nn.Linear", "  torch.nn.functional.mse_loss", "  torch.optim.SGD"]

    as_json = json.loads(run("compare", str(TORCH_FIT), str(TF_FIT), "--format", "json", "--no-cache").output)
    assert as_json["apis_only_in_b"] == ["tensorflow.keras.Sequential", "tensorflow.keras.layers.Dense",
                                         "tensorflow.keras.optimizers.SGD"]
    metrics = {row["metric"]: row for row in as_json["metrics"]}
    assert list(metrics) == list(METRIC_NAMES)
    assert metrics["framework_decorators"]["b_over_a"] is None  # 0 / 0


def test_compare_exits_1_when_a_file_cannot_be_analysed(tmp_path):
    broken = tmp_path / "broken.py"
    broken.write_text("def (:\n")
    result = run("compare", str(TORCH_FIT), str(broken), "--no-cache")
    assert result.exit_code == 1
    assert f"error: {broken}: syntax error at line 1" in result.output


def test_the_commands_have_help():
    for command in ("analyze", "compare"):
        result = run(command, "--help")
        assert result.exit_code == 0 and "Example:" in result.output


TASKS = Path(__file__).resolve().parents[1] / "tasks"


def _analysed(result) -> list[str]:
    return [record["path"] for record in json.loads(result.stdout)["files"]]


def test_analyze_takes_task_ids_as_check_does():
    result = run("analyze", "matmul_einsum", "scalar_gradient", "--tasks", str(TASKS), "--format", "json", "--no-cache")
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)["files"]
    expected = [(t.task_id, i.key) for t in discover(TASKS).select(["matmul_einsum", "scalar_gradient"]).tasks
                for i in t.implementations]
    assert [(r["task_id"], r["implementation"]) for r in records] == expected
    assert {"torch", "tensorflow"} <= {key for _, key in expected}


def test_a_task_folder_gives_its_implementations_never_the_spec():
    result = run("analyze", str(TASKS / "matmul_einsum"), "--format", "json", "--no-cache")
    assert result.exit_code == 0, result.output
    assert _analysed(result) == [str(f) for f in sorted((TASKS / "matmul_einsum").glob("*_impl.py"))]
    assert (TASKS / "matmul_einsum" / "spec.py").exists()
    table = run("analyze", str(TASKS / "matmul_einsum"), "--no-cache")
    assert "matmul_einsum/torch" in table.stdout and "spec.py" not in table.stdout


def test_a_folder_of_tasks_gives_their_implementations():
    result = run("analyze", str(STATIC_CORPUS), "--format", "json", "--no-cache")
    assert result.exit_code == 0, result.output
    assert {r["task_id"] for r in json.loads(result.stdout)["files"]} == {"linear_regression", "softmax"}


def test_an_unknown_task_id_is_a_problem():
    result = run("analyze", "matmul_einsum", "no_such_task", "--tasks", str(TASKS), "--no-cache")
    assert result.exit_code == 1
    assert f"problem: no_such_task: no such file or folder, and no task 'no_such_task' in {TASKS}" in result.stderr
    assert "matmul_einsum/torch" in result.stdout  # the rest is still analysed


def test_a_tasks_folder_holding_no_task_is_an_error_that_says_so(tmp_path):
    result = run("analyze", "--tasks", str(TASKS / "matmul_einsum"), "--no-cache")
    assert result.exit_code == 1
    assert (f"problem: {TASKS / 'matmul_einsum'}: holds no task folder (expected {TASKS / 'matmul_einsum'}/<task_id>/ "
            f"folders with task.toml and *_impl.py files); {TASKS / 'matmul_einsum'} is itself a task: use --tasks "
            f"{TASKS} and name the task (matmul_einsum)") in result.stderr
    empty = run("analyze", "--tasks", str(tmp_path), "--no-cache")
    assert empty.exit_code == 1 and f"problem: {tmp_path}: holds no task folder" in empty.stderr


def test_the_table_heads_every_column():
    table = run("analyze", str(TASKS / "mlp_training"), "--no-cache")  # mlp_training marks glue: the notes column has text
    header, rule, *rows = table.stdout.splitlines()
    assert header.split()[-1] == "notes" and any("glue:" in row for row in rows)
    assert all(header[m.start():m.end()].strip() for m in re.finditer(r"-+", rule))  # no column without a heading
