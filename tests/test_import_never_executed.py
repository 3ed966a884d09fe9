"""Imported code is never executed: a pair whose files would leave a marker if imported or run goes
through every command (import from a folder, a wheel, an sdist and a d2l book; analyze; compare; list;
report with --corpus and on the corpus itself; check; run) and no marker appears. check and run refuse
the corpus with a message saying why."""

import json
import sys
from pathlib import Path

from click.testing import CliRunner

from evaluator.cli import main

from import_helpers import MATCH, write_sdist, write_tree, write_wheel

STATIC_CORPUS = Path(__file__).resolve().parent / "analysis_fixtures" / "static_corpus"


def dangerous(marker: Path, what: str) -> str:
    """Source that leaves `marker` (and says which file did) the moment anything imports or runs it."""
    return (f"import pathlib\npathlib.Path({str(marker)!r}).write_text({what!r})\n"
            "import torch\n\n\ndef run(state):\n    return torch.zeros(2)\n")


def easeval(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_no_command_executes_an_imported_pair(tmp_path, monkeypatch):
    marker = tmp_path / "marker.txt"
    files = {
        "setup.py": dangerous(marker, "setup.py"),
        "pkg/__init__.py": dangerous(marker, "pkg/__init__.py"),
        "pkg/models/evil/modeling_evil.py": dangerous(marker, "torch side"),
        "pkg/models/evil/modeling_tf_evil.py": dangerous(marker, "tensorflow side").replace("torch", "tensorflow"),
        "conftest.py": dangerous(marker, "conftest.py"),
    }
    monkeypatch.chdir(tmp_path)  # a stray relative write would land here
    sources = [write_tree(tmp_path / "src", files), write_wheel(tmp_path / "evil-1.0-py3-none-any.whl", files, "evil", "1.0"),
               write_sdist(tmp_path / "evil-1.0.tar.gz", files, "evil", "1.0")]
    book = tmp_path / "book"
    book.mkdir()
    (book / "chapter.md").write_text(
        "# Evil\n\n```{.python .input}\n#@tab pytorch\n" + dangerous(marker, "d2l torch cell") + "```\n\n"
        "```{.python .input}\n#@tab tensorflow\n" + dangerous(marker, "d2l tf cell") + "```\n")

    outcomes = {}
    for i, source in enumerate(sources):
        outcomes[f"import {source.name}"] = easeval("import", "pairs", source, "--output", tmp_path / f"c{i}", *MATCH)
    outcomes["import d2l"] = easeval("import", "d2l", book, "--output", tmp_path / "d2l")
    corpus = tmp_path / "c0"
    impl = corpus / "evil" / "torch_impl.py"
    outcomes["analyze"] = easeval("analyze", "--tasks", corpus, "--no-cache")
    outcomes["analyze paths"] = easeval("analyze", corpus, "--no-cache", "--workers", "2")
    outcomes["compare"] = easeval("compare", impl, corpus / "evil" / "tensorflow_impl.py", "--no-cache")
    outcomes["list"] = easeval("list", "--tasks", corpus)
    outcomes["report --corpus"] = easeval("report", "--static-only", "--tasks", STATIC_CORPUS, "--output", tmp_path / "r1",
                                          "--corpus", f"evil={corpus}", "--corpus", f"book={tmp_path / 'd2l'}")
    outcomes["report on the corpus"] = easeval("report", "--tasks", corpus, "--output", tmp_path / "r2",
                                               "--results", tmp_path / "results")
    outcomes["check"] = easeval("check", "--tasks", corpus)
    outcomes["run"] = easeval("run", "--tasks", corpus, "--results", tmp_path / "results")
    outcomes["run one task"] = easeval("run", "evil", "--tasks", corpus, "--results", tmp_path / "results")

    assert not marker.exists(), f"executed: {marker.read_text()}"
    for name in ("import evil-1.0-py3-none-any.whl", "import evil-1.0.tar.gz", "import src", "import d2l", "analyze",
                 "analyze paths", "compare", "list", "report --corpus", "report on the corpus"):
        assert outcomes[name].exit_code == 0, (name, outcomes[name].output)
    assert (tmp_path / "c1" / "evil" / "torch_impl.py").read_text() == files["pkg/models/evil/modeling_evil.py"]

    check = outcomes["check"]
    assert check.exit_code == 1 and "static-only corpus" in check.output and "corpus.toml marks it static-only" in check.output
    for name in ("run", "run one task"):
        assert outcomes[name].exit_code != 0 and "static-only corpus" in outcomes[name].output
        assert "nothing is run" in outcomes[name].output
    assert not (tmp_path / "results").exists()

    results = json.loads((tmp_path / "r1" / "results.json").read_text())
    assert [c["name"] for c in results["replication"]["corpora"]] == ["evil", "book"]
    assert json.loads((tmp_path / "r2" / "results.json").read_text())["run_records"] == []
    assert "evil" not in sys.modules and "pkg" not in sys.modules
