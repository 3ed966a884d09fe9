"""corpus.toml: written and read back equal, strict about keys and types, refused when newer; and
discovery treats a folder holding one as static-only."""

import tomllib

import pytest

from evaluator.corpus.discovery import discover
from evaluator.corpus.manifest import (
    MANIFEST_SCHEMA_VERSION, Collision, CorpusManifest, D2lInfo, ManifestError, Source, Unpaired, dump_manifest,
    load_manifest,
)


def manifest(**changes) -> CorpusManifest:
    values = dict(
        source=Source(path="/x/transformers-4.46.3-py3-none-any.whl", kind="wheel", package="transformers",
                      version="4.46.3", sha256="ab" * 32, exclude=("**/flax_*.py",)),
        importer="pairs", created="2026-12-02T10:00:00Z", easeval_version="0.1.0",
        patterns={"torch": "**/modeling_{name}.py", "tensorflow": "**/modeling_tf_{name}.py"},
        counts={"pairs": 1, "files": 2}, aliases={"...modeling_tf_utils.keras": "keras"},
        pairs={"bert": {"torch": "a/modeling_bert.py", "tensorflow": "a/modeling_tf_bert.py"}},
        unpaired=(Unpaired("torch", "flax_bert", "a/modeling_flax_bert.py"),),
        collisions=(Collision("x", "torch", ("a/modeling_x.py", "b/modeling_x.py")),),
        problems=("a: symlink loop, skipped",),
    )
    values.update(changes)
    return CorpusManifest(**values)


def test_written_manifest_reads_back_equal(tmp_path):
    path = tmp_path / "corpus.toml"
    original = manifest(d2l=D2lInfo("mxnet", {"torch": "pytorch", "tensorflow": "tensorflow"}, 3, 13, 3,
                                    ("ch_prelude",), 2))
    path.write_text(dump_manifest(original))
    assert load_manifest(path) == original


def test_hostile_strings_survive_the_toml_writer(tmp_path):
    """Quotes, backslashes, newlines, a DEL and non-ASCII in paths and alias keys are escaped, not broken."""
    odd = 'a "quoted"\\path\nwith\ttabs\x7f and ünïcode 🐍'
    path = tmp_path / "corpus.toml"
    original = manifest(source=Source(path=odd, kind="tree"), aliases={odd: "keras", "plain.key": odd},
                        pairs={"t": {"torch": odd}}, problems=(odd,))
    path.write_text(dump_manifest(original))
    assert tomllib.loads(path.read_text())["source"]["path"] == odd
    assert load_manifest(path) == original


@pytest.mark.parametrize("edit, key", [
    ('schema_version = 1\n', "surprise"),                       # an unknown top-level key
    ('[source]\n', "source.colour"),                             # an unknown key in a table
])
def test_unknown_keys_are_errors_naming_the_key(tmp_path, edit, key):
    text = dump_manifest(manifest())
    text = text.replace(edit, edit + f'{key.rpartition(".")[2]} = "x"\n', 1)
    path = tmp_path / "corpus.toml"
    path.write_text(text)
    with pytest.raises(ManifestError) as info:
        load_manifest(path)
    assert str(path) in str(info.value) and f"key '{key}'" in str(info.value) and "unknown key" in str(info.value)


@pytest.mark.parametrize("old, new, key, words", [
    ('static_only = true', 'static_only = false', "static_only", "must be true"),
    ('kind = "wheel"', 'kind = "zipapp"', "source.kind", "not one of"),
    ('pairs = 1', 'pairs = "one"', "counts.pairs", "expected an integer"),
    ('"...modeling_tf_utils.keras" = "keras"', '"...modeling_tf_utils.keras" = 3', 'aliases."...modeling_tf_utils.keras"',
     "expected string"),
    (f'schema_version = {MANIFEST_SCHEMA_VERSION}', f'schema_version = {MANIFEST_SCHEMA_VERSION + 1}', "schema_version",
     "newer"),
    (f'schema_version = {MANIFEST_SCHEMA_VERSION}', 'schema_version = "1"', "schema_version", "required integer"),
])
def test_wrong_values_are_errors_naming_the_key(tmp_path, old, new, key, words):
    text = dump_manifest(manifest())
    assert old in text
    path = tmp_path / "corpus.toml"
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(ManifestError) as info:
        load_manifest(path)
    assert f"key '{key}'" in str(info.value) and words in str(info.value)


def test_missing_source_and_bad_toml(tmp_path):
    path = tmp_path / "corpus.toml"
    path.write_text("schema_version = 1\nstatic_only = true\n")
    with pytest.raises(ManifestError, match=r"key 'source': required table missing"):
        load_manifest(path)
    path.write_text("schema_version = [\n")
    with pytest.raises(ManifestError, match="not valid TOML"):
        load_manifest(path)


def test_a_folder_with_corpus_toml_is_static_only_even_with_task_toml(tmp_path):
    (tmp_path / "pair").mkdir()
    (tmp_path / "pair" / "torch_impl.py").write_text("import torch\n")
    (tmp_path / "pair" / "tensorflow_impl.py").write_text("import tensorflow as tf\n")
    (tmp_path / "pair" / "task.toml").write_text('title = "planted"\n')  # would make it runnable without corpus.toml
    (tmp_path / "corpus.toml").write_text(dump_manifest(manifest()))
    corpus = discover(tmp_path)
    assert corpus.static_only and corpus.manifest == manifest() and "corpus.toml" in corpus.static_only_reason


def test_a_broken_corpus_toml_still_makes_the_folder_static_only(tmp_path):
    (tmp_path / "pair").mkdir()
    (tmp_path / "pair" / "torch_impl.py").write_text("import torch\n")
    (tmp_path / "corpus.toml").write_text("static_only = false\n")
    corpus = discover(tmp_path)
    assert corpus.static_only and corpus.manifest is None
    assert any("corpus.toml" in str(p.path) and "schema_version" in p.message for p in corpus.problems)
