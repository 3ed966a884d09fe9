"""`easeval import pairs`: folders, wheels and sdists become static-only corpora, with provenance,
every unpaired file listed, and bad input refused with nothing (or nothing partial) written."""

import io
import json
import os
import tarfile
import zipfile

import pytest
from click.testing import CliRunner

from evaluator.cli import main
from evaluator.corpus.discovery import discover
from evaluator.corpus.manifest import load_manifest
from evaluator.importers import ImportFailure
from evaluator.importers.corpus_writer import write_corpus
from evaluator.importers.pairs import plan_pairs
from evaluator.importers.patterns import task_id_for

from import_helpers import FILES, MATCH, PATTERNS, TF_BERT, TORCH_BERT, write_sdist, write_tree, write_wheel


def easeval(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_a_tree_becomes_pairs_with_unpaired_files_listed(tmp_path):
    src, out = write_tree(tmp_path / "src"), tmp_path / "corpus"
    result = easeval("import", "pairs", src, "--output", out, *MATCH)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["bert", "corpus.toml", "utils"]
    assert (out / "bert" / "torch_impl.py").read_text() == TORCH_BERT  # copies, byte for byte
    assert (out / "bert" / "tensorflow_impl.py").read_text() == TF_BERT
    manifest = load_manifest(out / "corpus.toml")
    assert manifest.static_only and manifest.importer == "pairs" and manifest.source.kind == "tree"
    assert manifest.source.path == str(src) and manifest.patterns == PATTERNS and manifest.created
    assert manifest.pairs["bert"] == {"torch": "pkg/models/bert/modeling_bert.py",
                                      "tensorflow": "pkg/models/bert/modeling_tf_bert.py"}
    # modeling_tf_bert.py also matches torch's pattern (name "tf_bert"): the more specific pattern wins,
    # so it is not listed as an unpaired torch file.
    assert {(u.framework, u.name, u.path) for u in manifest.unpaired} == {
        ("torch", "gpt", "pkg/models/gpt/modeling_gpt.py"), ("torch", "flax_gpt", "pkg/models/gpt/modeling_flax_gpt.py")}
    lines = (TORCH_BERT + TF_BERT + FILES["pkg/modeling_utils.py"] + FILES["pkg/modeling_tf_utils.py"]).count("\n")
    assert manifest.counts["pairs"] == 2 and manifest.counts["files"] == 4 and manifest.counts["lines"] == lines
    assert manifest.counts["unpaired"] == 2
    assert "pkg/models/gpt/modeling_gpt.py" in result.output and "unpaired" in result.output
    assert result.output.rstrip().splitlines()[-1].startswith("2 pairs (4 files")
    assert discover(out).static_only and [t.task_id for t in discover(out).tasks] == ["bert", "utils"]


def test_json_listing_and_the_source_package_of_wheels_and_sdists(tmp_path):
    wheel = write_wheel(tmp_path / "pkg-1.2.3-py3-none-any.whl")
    result = easeval("import", "pairs", wheel, "--output", tmp_path / "w", "--format", "json", *MATCH)
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["written"] is True and document["error"] is None
    assert document["source"]["kind"] == "wheel" and (document["source"]["package"], document["source"]["version"]) == ("pkg", "1.2.3")
    assert len(document["source"]["sha256"]) == 64
    assert [p["task_id"] for p in document["pairs"]] == ["bert", "utils"]
    assert {u["path"] for u in document["unpaired"]} == {"pkg/models/gpt/modeling_gpt.py", "pkg/models/gpt/modeling_flax_gpt.py"}

    sdist = write_sdist(tmp_path / "pkg-1.2.3.tar.gz")
    result = easeval("import", "pairs", sdist, "--output", tmp_path / "s", *MATCH)
    assert result.exit_code == 0, result.output
    manifest = load_manifest(tmp_path / "s" / "corpus.toml")
    assert (manifest.source.kind, manifest.source.package, manifest.source.version) == ("sdist", "pkg", "1.2.3")
    assert manifest.pairs["bert"]["torch"] == "pkg-1.2.3/src/pkg/models/bert/modeling_bert.py"
    assert (tmp_path / "s" / "bert" / "tensorflow_impl.py").read_text() == TF_BERT


def test_the_git_commit_of_a_checkout_is_read_without_running_git(tmp_path):
    src = write_tree(tmp_path / "src")
    git = src / ".git"
    (git / "refs" / "heads").mkdir(parents=True)
    (git / "HEAD").write_text("ref: refs/heads/main\n")
    (git / "refs" / "heads" / "main").write_text("0123456789abcdef0123456789abcdef01234567\n")
    (git / "config").write_text("[core]\n\tfsmonitor = touch fsmonitor-ran\n")  # a stranger's hook: must not run
    plan = plan_pairs(src, PATTERNS)
    assert plan.git_commit == "0123456789abcdef0123456789abcdef01234567"
    assert not (src / "fsmonitor-ran").exists() and not (tmp_path / "fsmonitor-ran").exists()


def test_collisions_and_names_that_make_no_task_id_are_reported(tmp_path):
    files = {"a/modeling_dup.py": "x = 1\n", "b/modeling_dup.py": "x = 2\n", "a/modeling_tf_dup.py": "y = 1\n",
             "c/modeling_Odd-Name.py": "z = 1\n", "c/modeling_tf_odd_name.py": "z = 2\n",
             "d/modeling___.py": "w = 1\n", "d/modeling_tf___.py": "w = 2\n"}
    plan = plan_pairs(write_tree(tmp_path / "src", files), PATTERNS)
    assert [(c.task_id, c.framework, c.paths) for c in plan.collisions] == [("dup", "torch", ("a/modeling_dup.py", "b/modeling_dup.py"))]
    assert ("tensorflow", "a/modeling_tf_dup.py") in {(u.framework, u.path) for u in plan.unpaired}
    assert [p.task_id for p in plan.pairs] == ["odd_name"]  # "Odd-Name" and "odd_name" pair as one id
    assert sorted(path for path, _ in plan.invalid_names) == ["d/modeling___.py", "d/modeling_tf___.py"]
    assert task_id_for("2d-Conv") == "n2d_conv" and task_id_for("..") is None and task_id_for("bert") == "bert"


def test_output_is_refused_when_not_empty_and_replaced_with_force_only_if_an_earlier_import(tmp_path):
    src, out = write_tree(tmp_path / "src"), tmp_path / "corpus"
    assert easeval("import", "pairs", src, "--output", out, *MATCH).exit_code == 0
    again = easeval("import", "pairs", src, "--output", out, *MATCH)
    assert again.exit_code != 0 and "not empty; use --force" in again.output
    (out / "stale").mkdir()
    forced = easeval("import", "pairs", src, "--output", out, "--force", *MATCH)
    assert forced.exit_code == 0 and not (out / "stale").exists() and (out / "bert" / "torch_impl.py").exists()

    other = tmp_path / "my_documents"
    other.mkdir()
    (other / "thesis.txt").write_text("precious")
    refused = easeval("import", "pairs", src, "--output", other, "--force", *MATCH)
    assert refused.exit_code != 0 and "not an earlier import" in refused.output
    assert (other / "thesis.txt").read_text() == "precious"


def test_replacing_an_output_that_holds_the_source_is_refused(tmp_path):
    out = tmp_path / "corpus"
    assert easeval("import", "pairs", write_tree(tmp_path / "src"), "--output", out, *MATCH).exit_code == 0
    inner = write_tree(out / "inner_src")
    result = easeval("import", "pairs", inner, "--output", out, "--force", *MATCH)
    assert result.exit_code != 0 and "would delete the source" in result.output and inner.is_dir()


@pytest.mark.parametrize("args, words", [
    (["--match", "torch=**/modeling_x.py", "--match", "tensorflow=**/modeling_tf_{name}.py"], "exactly one {name}"),
    (["--match", "torch=**/modeling_{name}.py"], "at least two --match"),
    (["--match", "mxnet=**/{name}.py", "--match", "torch=**/t_{name}.py"], "unknown framework 'mxnet'"),
    (["--match", "torch=**/nothing_{name}.py", "--match", "tensorflow=**/nada_{name}.py"], "matched no file"),
    (["--match", "torch=**/modeling_gpt{name}.py", "--match", "tensorflow=**/modeling_tf_{name}.py"], "no name has a file on two sides"),
])
def test_bad_patterns_are_refused_and_nothing_is_written(tmp_path, args, words):
    out = tmp_path / "corpus"
    result = easeval("import", "pairs", write_tree(tmp_path / "src"), "--output", out, *args)
    assert result.exit_code != 0 and words in result.output
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == ["src"]  # no temporary folder left either


def test_missing_source_corrupt_wheel_and_unknown_file_kind(tmp_path):
    out = tmp_path / "corpus"
    missing = easeval("import", "pairs", tmp_path / "nope", "--output", out, *MATCH)
    assert missing.exit_code != 0 and "nope: no such file or folder" in missing.output
    corrupt = tmp_path / "broken-1.0-py3-none-any.whl"
    corrupt.write_bytes(b"PK\x03\x04 this is not a zip archive")
    result = easeval("import", "pairs", corrupt, "--output", out, *MATCH)
    assert result.exit_code != 0 and "not a readable wheel" in result.output and str(corrupt) in result.output
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    result = easeval("import", "pairs", notes, "--output", out, *MATCH)
    assert result.exit_code != 0 and "not a folder, a wheel" in result.output
    assert not out.exists()


def test_a_wheel_with_a_damaged_member_loses_that_pair_only(tmp_path):
    wheel = write_wheel(tmp_path / "pkg-1.2.3-py3-none-any.whl")
    data = bytearray(wheel.read_bytes())
    with zipfile.ZipFile(wheel) as archive:
        info = archive.getinfo("pkg/models/bert/modeling_bert.py")
    start = info.header_offset + 30 + len(info.filename)  # the member's compressed bytes
    data[start:start + 8] = b"\xff" * 8
    wheel.write_bytes(bytes(data))
    plan = plan_pairs(wheel, PATTERNS)
    assert [p.task_id for p in plan.pairs] == ["utils"]
    assert any("modeling_bert.py" in p and "cannot read" in p for p in plan.problems)


def test_symlink_loops_are_reported_not_followed(tmp_path):
    src = write_tree(tmp_path / "src")
    (src / "pkg" / "loop").symlink_to(src / "pkg")            # a folder that contains itself
    (src / "pkg" / "self").symlink_to(src / "pkg" / "self")   # a link to itself
    (src / "pkg" / "outside").symlink_to(tmp_path)            # leads out of SRC
    plan = plan_pairs(src, PATTERNS)
    assert [p.task_id for p in plan.pairs] == ["bert", "utils"]
    text = "\n".join(plan.problems)
    assert "loop: symlink loop" in text and "self: symlink loop" in text and "leads outside" in text

    looped = tmp_path / "looped"
    looped.symlink_to(looped)
    result = easeval("import", "pairs", looped, "--output", tmp_path / "corpus", *MATCH)
    assert result.exit_code != 0 and "symlink loop" in result.output and not (tmp_path / "corpus").exists()


def test_archive_members_that_would_escape_are_skipped_and_reported(tmp_path):
    evil = tmp_path / "evil-1.0-py3-none-any.whl"
    with zipfile.ZipFile(evil, "w") as archive:
        archive.writestr("../../escaped/modeling_x.py", "x = 1\n")
        archive.writestr("/abs/modeling_tf_x.py", "x = 2\n")
        archive.writestr("ok/modeling_y.py", "y = 1\n")
        archive.writestr("ok/modeling_tf_y.py", "y = 2\n")
    sdist = tmp_path / "evil-1.0.tar.gz"
    with tarfile.open(sdist, "w:gz") as archive:
        for name in ("evil-1.0/../../modeling_x.py", "evil-1.0/ok/modeling_y.py", "evil-1.0/ok/modeling_tf_y.py"):
            info = tarfile.TarInfo(name)
            info.size = 6
            archive.addfile(info, io.BytesIO(b"y = 1\n"))
        link = tarfile.TarInfo("evil-1.0/ok/modeling_tf_z.py")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        archive.addfile(link)
    for source in (evil, sdist):
        out = tmp_path / f"out_{source.suffix}"
        result = easeval("import", "pairs", source, "--output", out, *MATCH)
        assert result.exit_code == 0, result.output
        assert "would escape" in result.output
        assert sorted(p.name for p in out.iterdir()) == ["corpus.toml", "y"]
    assert "is a link or special file" in load_manifest(tmp_path / "out_.gz" / "corpus.toml").problems[-1]
    assert not (tmp_path / "escaped").exists() and not list(tmp_path.parent.glob("escaped"))


def test_undecodable_and_unparsable_files_are_imported_and_analysed_as_errors(tmp_path):
    files = {"m/modeling_latin.py": "x = 'caf\xe9'\n".encode("latin-1"), "m/modeling_tf_latin.py": "x = 1\n",
             "m/modeling_broken.py": "def (:\n", "m/modeling_tf_broken.py": "y = 2\n"}
    out = tmp_path / "corpus"
    assert easeval("import", "pairs", write_tree(tmp_path / "src", files), "--output", out, *MATCH).exit_code == 0
    assert (out / "latin" / "torch_impl.py").read_bytes() == files["m/modeling_latin.py"]
    result = easeval("analyze", "--tasks", out, "--format", "json", "--no-cache")
    assert result.exit_code == 1, result.output  # files that cannot be analysed: recorded, and the exit says so
    errors = {(r["task_id"], r["framework"]): r["error"] for r in json.loads(result.output)["files"]}
    assert errors[("latin", "torch")].startswith("cannot decode")
    assert errors[("broken", "torch")].startswith("syntax error at line 1")
    assert errors[("latin", "tensorflow")] is None and errors[("broken", "tensorflow")] is None


def test_a_failure_while_writing_leaves_no_partial_output(tmp_path):
    out = tmp_path / "corpus"
    plan = plan_pairs(write_tree(tmp_path / "src"), PATTERNS)
    files = {**plan.contents, ("bad id!", "torch"): b"x = 1\n"}  # the last file cannot be written
    with pytest.raises(ImportFailure, match="not a valid task id"):
        write_corpus(out, files, load_manifest_for(plan), force=False)
    assert not out.exists() and sorted(os.listdir(tmp_path)) == ["src"]


def load_manifest_for(plan):
    from evaluator.importers.pairs import manifest_for

    return manifest_for(plan)


def test_deeply_nested_files_become_recorded_problems_not_crashes(tmp_path):
    """Strangers' code can nest deeper than Python's parser or easeval's walkers go: a RecursionError or
    MemoryError is the file's recorded error, through discovery, the process pool and the report."""
    files = {"m/modeling_attr.py": "x = a" + ".b" * 20000 + "\n", "m/modeling_tf_attr.py": "x = 1\n",
             "m/modeling_chain.py": "x = " + " + ".join(["a"] * 600) + "\n", "m/modeling_tf_chain.py": "y = 1\n",
             "m/modeling_nots.py": "x = " + "not " * 5000 + "1\n", "m/modeling_tf_nots.py": "z = 1\n"}
    out = tmp_path / "corpus"
    assert easeval("import", "pairs", write_tree(tmp_path / "src", files), "--output", out, *MATCH).exit_code == 0
    result = easeval("analyze", "--tasks", out, "--format", "json", "--no-cache", "--workers", "2")
    assert result.exit_code == 1, result.output  # recorded analysis problems, not a crash
    errors = {r["task_id"]: r["error"] for r in json.loads(result.output)["files"] if r["framework"] == "torch"}
    assert all("too deeply nested" in errors[t] for t in ("attr", "chain", "nots")), errors
    (out / "corpus.toml").unlink()  # a plain folder of pairs: discovery parses every file itself
    problems = discover(out).all_problems  # Python's parser takes the chain; easeval's walkers do not
    assert sorted(p.task_id for p in problems) == ["attr", "nots"]
    assert all("too deeply nested to parse" in p.message for p in problems)
