"""The Click layer: every command has help with an example, list and check behave."""

import json
import re
import tomllib

import click
import pytest
from click.testing import CliRunner

from evaluator import __version__
from evaluator.cli import main

from conftest import BROKEN, TASKS

# Commands as the README names them: a group's subcommands ("import pairs") stand for the group.
COMMANDS = sorted(f"{name} {sub}" if sub else name for name, command in main.commands.items()
                  for sub in (sorted(command.commands) if isinstance(command, click.Group) else [""]))


def test_version():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_an_example(name):
    result = CliRunner().invoke(main, [*name.split(), "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output and f"easeval {name}" in result.output


def test_every_command_is_documented_in_the_readme(repo):
    readme = (repo / "README.md").read_text()
    for name in COMMANDS:
        assert f"easeval {name}" in readme, name


def readme_usage(readme: str, name: str) -> str:
    """The usage cell of the README's command table for `name`."""
    [cell] = [line[3:].split("` |")[0] for line in readme.splitlines()
              if line.startswith((f"| `easeval {name} ", f"| `easeval {name}`"))]
    return cell.replace("\\|", "|")


@pytest.mark.parametrize("name", COMMANDS)
def test_the_readme_command_table_matches_help(repo, name):
    """Every option of `--help` is in the README's row, with its choices, and the row has no other option."""
    usage = readme_usage((repo / "README.md").read_text(), name)
    group, _, sub = name.partition(" ")
    command = main.commands[group].commands[sub] if sub else main.commands[group]
    options = {max(p.opts, key=len): p for p in command.params if isinstance(p, click.Option)}
    off_switches = {max(p.secondary_opts, key=len) for p in options.values() if p.secondary_opts}  # --aids/--no-aids
    assert set(re.findall(r"--[a-z][a-z-]*", usage)) == set(options) | off_switches, usage
    for flag, option in options.items():
        if isinstance(option.type, click.Choice):
            assert f"{flag} {'|'.join(option.type.choices)}" in usage, flag
        if option.multiple:
            assert re.search(rf"\[{flag}[^\]]*\]\.\.\.", usage), f"{flag} is repeatable: write [{flag} NAME]..."
    for argument in (p for p in command.params if isinstance(p, click.Argument)):
        metavar = argument.metavar or argument.name.upper()
        for word in re.findall(r"[A-Z][A-Z_]*", metavar):
            assert word in usage, (word, usage)


def test_list_json_lists_exemplars_with_every_framework_in_declared_order():
    result = CliRunner().invoke(main, ["list", "--tasks", str(TASKS), "--format", "json"])
    assert result.exit_code == 0, result.output
    records = {r["task_id"]: r for r in json.loads(result.output)}
    def keras(task_id: str) -> list[str]:  # keras_impl.py files are being added task by task
        return ["keras"] if (TASKS / task_id / "keras_impl.py").exists() else []

    for task_id in ("matmul_einsum", "scalar_gradient", "mlp_training"):
        assert records[task_id]["frameworks"] == ["torch", "tensorflow", "jax", *keras(task_id)]
        assert records[task_id]["not_implemented"] == ([] if keras(task_id) else ["keras"])
        assert records[task_id]["references"]["jax"][0].startswith("https://docs.jax.dev/")
    assert records["activation_hooks"]["frameworks"] == ["torch", "tensorflow", *keras("activation_hooks")]
    assert records["activation_hooks"]["not_implemented"] == ["jax"] + ([] if keras("activation_hooks") else ["keras"])


def test_list_table_shows_counts_and_a_column_per_framework():
    result = CliRunner().invoke(main, ["list", "--tasks", str(TASKS)])
    assert result.exit_code == 0
    # The counts, worked out here from the folders and their task.toml files, not by easeval.
    folders = sorted(p.parent for p in TASKS.glob("*/task.toml"))
    categories = {tomllib.loads((folder / "task.toml").read_text())["category"] for folder in folders}
    jax_count = sum(1 for folder in folders if (folder / "jax_impl.py").exists())
    keras_count = sum(1 for folder in folders if (folder / "keras_impl.py").exists())
    assert len(folders) > 20 and len(categories) > 5 and jax_count >= 3 and keras_count >= 1
    lines = result.output.splitlines()
    assert lines[-1] == (f"{len(folders)} tasks in {len(categories)} categories, {TASKS}; "
                         f"primary implementations: torch {len(folders)}, tensorflow {len(folders)}, jax {jax_count}, "
                         f"keras {keras_count}")
    assert sorted(line.split()[0] for line in lines[2:-2]) == [folder.name for folder in folders]
    assert lines[0].split() == ["task", "category", "torch", "tensorflow", "jax", "keras", "problems"]
    mlp = next(line for line in lines if line.startswith("mlp_training ")).split()[2:]
    assert mlp[0] == "yes" and "+lowlevel" in mlp and mlp[-1] == "yes"  # torch, TensorFlow with variants, JAX
    assert next(line for line in lines if line.startswith("activation_hooks ")).split()[-1] == "-"  # not implemented


@pytest.mark.slow
def test_check_named_tasks_passes():
    result = CliRunner().invoke(main, ["check", "--tasks", str(TASKS), "matmul_einsum"])
    assert result.exit_code == 0, result.output
    assert "1 tasks, 6/6 implementations correct, 0 problem(s)" in result.output  # its Keras file on three backends


def test_check_unknown_task_id_fails_clearly():
    result = CliRunner().invoke(main, ["check", "--tasks", str(TASKS), "no_such_task"])
    assert result.exit_code == 1
    assert "no task 'no_such_task'" in result.output


@pytest.mark.slow
def test_check_broken_corpus_exits_nonzero_naming_files():
    result = CliRunner().invoke(main, ["check", "--tasks", str(BROKEN), "raises", "bad_toml"])
    assert result.exit_code == 1
    assert "raises/torch_impl.py: error: ValueError" in result.output and "[line 9, in run: " in result.output
    assert "bad_toml/task.toml: invalid TOML" in result.output


def test_ci_runs_exactly_the_readme_test_command(repo):
    readme = (repo / "README.md").read_text()
    quick_start = readme.split("## Quick start", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    main_job, tests = [line.split("#")[0].strip() for line in quick_start.strip().splitlines()]
    assert main_job.endswith("tox -e report") and "report" in (repo / "tox.ini").read_text()
    assert tests in (repo / ".ci" / "run").read_text().splitlines()


def test_list_with_a_broken_task_counts_real_categories_and_heads_every_column(tmp_path):
    import shutil

    shutil.copytree(TASKS / "matmul_einsum", tmp_path / "matmul_einsum")
    shutil.copytree(BROKEN / "unknown_key", tmp_path / "unknown_key")  # no metadata: category "-"
    result = CliRunner().invoke(main, ["list", "--tasks", str(tmp_path)])
    assert result.exit_code == 1
    header, rule, *rows = result.stdout.splitlines()
    assert header.split() == ["task", "category", "torch", "tensorflow", "jax", "keras", "problems"]
    assert rows[1].split() == ["unknown_key", "-", "yes", "yes", "-", "-", "1"]
    assert rows[-1] == (f"2 tasks in 1 categories, {tmp_path}; primary implementations: torch 2, tensorflow 2, jax 1, keras 1; "
                        "1 with problems, 1 problem(s) in all (listed on stderr)")
    assert "unknown_key/task.toml: line 5: key 'colour': unknown key" in result.stderr
