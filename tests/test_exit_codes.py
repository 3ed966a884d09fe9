"""Every command exits non-zero when it could not do what was asked for some task (issue 16).

The invalid task is tests/broken_corpus/unknown_key (a key task.toml does not allow), beside a valid
one, so each command has real work to do and still must not report success.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from evaluator.cli import main
from evaluator.base.exit_codes import EXIT_CODES, FAILED, SUCCESS, USAGE

from conftest import BROKEN, TASKS

INVALID = "unknown_key"
PROBLEM = f"{INVALID}/task.toml: line 5: key 'colour': unknown key"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    tasks = tmp_path / "tasks"
    shutil.copytree(TASKS / "matmul_einsum", tasks / "matmul_einsum")
    shutil.copytree(BROKEN / INVALID, tasks / INVALID)
    return tasks


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_list(corpus):
    result = invoke("list", "--tasks", str(corpus))
    assert result.exit_code == FAILED
    assert "matmul_einsum" in result.stdout and PROBLEM in result.stderr


def test_check(corpus):
    result = invoke("check", INVALID, "--tasks", str(corpus))
    assert result.exit_code == FAILED and PROBLEM in result.output


def test_run(corpus, tmp_path):
    result = invoke("run", INVALID, "--tasks", str(corpus), "--results", str(tmp_path / "results"))
    assert result.exit_code == FAILED, result.output
    assert PROBLEM in result.output and "results: nothing new to write" in result.output


def test_run_of_an_unknown_task_id(corpus, tmp_path):
    result = invoke("run", "no_such_task", "--tasks", str(corpus), "--results", str(tmp_path / "results"))
    assert result.exit_code == FAILED and "no task 'no_such_task'" in result.output


def test_analyze(corpus, tmp_path):
    result = invoke("analyze", INVALID, "--tasks", str(corpus), "--no-cache")
    assert result.exit_code == FAILED
    assert f"{INVALID}/torch" in result.stdout  # the metrics are still there
    assert PROBLEM in result.stderr


def test_analyze_of_a_file_that_does_not_parse(tmp_path):
    broken = tmp_path / "broken.py"
    broken.write_text("def (:\n")
    result = invoke("analyze", str(broken), "--no-cache")
    assert result.exit_code == FAILED and "syntax error" in result.output


def test_report(corpus, tmp_path):
    out = tmp_path / "out"
    result = invoke("report", "--static-only", "--tasks", str(corpus), "--results", str(tmp_path / "results"),
                    "--output", str(out))
    assert result.exit_code == FAILED
    assert (out / "report.md").exists()  # written all the same, with the problem in it
    assert PROBLEM in result.stderr and PROBLEM in (out / "report.md").read_text()


def test_report_of_valid_tasks_succeeds(tmp_path):
    tasks = tmp_path / "tasks"
    shutil.copytree(TASKS / "matmul_einsum", tasks / "matmul_einsum")
    result = invoke("report", "--static-only", "--tasks", str(tasks), "--output", str(tmp_path / "out"))
    assert result.exit_code == SUCCESS, result.output


def test_new_task(corpus):
    existing = invoke("new-task", INVALID, "--tasks", str(corpus))
    assert existing.exit_code == FAILED and "already exists" in existing.output
    malformed = invoke("new-task", "Unknown-Key", "--tasks", str(corpus))
    assert malformed.exit_code == USAGE and "must be a lowercase identifier" in malformed.output


def test_compare(tmp_path):
    broken = tmp_path / "torch_impl.py"
    broken.write_text("def run(state:\n")
    result = invoke("compare", str(TASKS / "matmul_einsum" / "torch_impl.py"), str(broken), "--no-cache")
    assert result.exit_code == FAILED


def test_debug(corpus):
    """An invalid task in the corpus makes `debug` exit 1 (its problem printed); nothing is run for it."""
    result = invoke("debug", "--tasks", str(corpus), "--list")
    assert result.exit_code == FAILED, result.output


def test_import(tmp_path):
    """A source with no pair is a failure that writes nothing; a malformed pattern is a usage error."""
    source = tmp_path / "src"
    source.mkdir()
    (source / "modeling_a.py").write_text("import torch\n")
    out = tmp_path / "out"
    result = invoke("import", "pairs", str(source), "--output", str(out), "--match", "torch=**/modeling_{name}.py",
                    "--match", "tensorflow=**/modeling_tf_{name}.py")
    assert result.exit_code == FAILED and not out.exists()
    result = CliRunner().invoke(main, ["import", "pairs", str(source), "--output", str(out), "--match", "torch"])
    assert result.exit_code != SUCCESS and not out.exists()


@pytest.mark.slow
def test_docs(corpus, tmp_path):
    """A corpus with an invalid task: the docs of the valid one are measured, the problem printed, exit 1."""
    result = invoke("docs", "--tasks", str(corpus), "--cache-dir", str(tmp_path / "cache"), "--format", "json")
    assert result.exit_code == FAILED, result.output
    assert '"torch"' in result.stdout and PROBLEM in result.stderr


def test_protocol(corpus, tmp_path):
    """Freezing a corpus with problems writes nothing and exits 1; a valid one is frozen, exit 0."""
    manifest = tmp_path / "claims_manifest.toml"
    result = CliRunner().invoke(main, ["protocol", "freeze", "--tasks", str(corpus), "--output", str(manifest)])
    assert result.exit_code == FAILED and not manifest.exists() and PROBLEM in result.output
    shutil.rmtree(corpus / INVALID)
    result = CliRunner().invoke(main, ["protocol", "freeze", "--tasks", str(corpus), "--output", str(manifest)])
    assert result.exit_code == SUCCESS, result.output
    assert "[tasks.matmul_einsum]" in manifest.read_text() and 'protocol = "2"' in manifest.read_text()


@pytest.mark.parametrize("args", [
    ["run", "--framework", "mxnet"], ["list", "--format", "xml"], ["check", "--timeout", "soon"],
    ["analyze", "--workers", "0"], ["report", "--device", "tpu"], ["new-task"], ["new-task", "x", "--category", "cooking"],
    ["compare", "only_one.py"],
])
def test_a_wrong_command_line_is_a_usage_error(args, corpus):
    result = CliRunner().invoke(main, args if args[0] == "compare" else [*args, "--tasks", str(corpus)])
    assert result.exit_code == USAGE, result.output
    assert not (corpus / "x").exists()


def test_every_command_is_tested_here():
    names = {name.removeprefix("test_").replace("_", "-") for name in globals() if name.startswith("test_")}
    assert set(main.commands) <= names


def test_the_readme_documents_every_exit_code(repo):
    readme = (repo / "README.md").read_text()
    section = readme.split("### Exit status", 1)[1].split("\n## ", 1)[0]
    for code in EXIT_CODES:
        assert f"| {code} |" in section, code
