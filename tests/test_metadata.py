"""Strict metadata: every error names the file and the key."""

from pathlib import Path

import pytest

from evaluator.corpus.task_metadata import MetadataError, Tolerance, parse_metadata

PATH = Path("tasks/demo/task.toml")
VALID = """
title = "Demo"
category = "tensors"
description = "Adds  two\\nvectors."
tags = ["learning-curve"]
seed = 3

[tolerance]
rtol = 1e-5
atol = 0

[sizes.small]
n = 8
mode = "fast"

[references]
torch = ["https://pytorch.org/docs/stable/index.html"]
tensorflow_lowlevel = ["https://www.tensorflow.org/guide/core"]
"""


def test_valid_metadata_parses_every_field():
    meta = parse_metadata(VALID, PATH)
    assert meta.title == "Demo" and meta.category == "tensors" and meta.seed == 3
    assert meta.description == "Adds two vectors."
    assert meta.tolerance == Tolerance(rtol=1e-5, atol=0.0)
    assert meta.size("small") == {"n": 8, "mode": "fast"}
    assert meta.references["tensorflow_lowlevel"] == ("https://www.tensorflow.org/guide/core",)
    with pytest.raises(KeyError, match="size 'large' not declared"):
        meta.size("large")


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda t: 'colour = "red"\n' + t, "tasks/demo/task.toml: line 1: key 'colour': unknown key"),
        (lambda t: t.replace('title = "Demo"', "title = 3"), "key 'title': expected string, got int"),
        (lambda t: t.replace('seed = 3', 'seed = "3"'), "key 'seed': expected integer, got str"),
        (lambda t: t.replace('seed = 3', 'seed = true'), "key 'seed': expected integer, got boolean"),
        (lambda t: t.replace('"tensors"', '"tensor"'), "key 'category': unknown category 'tensor'"),
        (lambda t: t.replace('["learning-curve"]', '["fun"]'), "key 'tags[0]': unknown tag 'fun'"),
        (lambda t: t.replace("rtol = 1e-5", "rtol = -1.0"), "key 'tolerance.rtol': must be >= 0"),
        (lambda t: t.replace("atol = 0", "atl = 0"), "line 10: key 'tolerance.atl': unknown key; did you mean 'atol'?"),
        (lambda t: t.replace("[sizes.small]", "[sizes.tiny]"), "key 'sizes.small': missing required size"),
        (lambda t: t.replace("n = 8", "n = [8]"), "key 'sizes.small.n': expected integer or float or string or boolean, got list"),
        (lambda t: t.replace("https://pytorch.org/docs/stable/index.html", "pytorch.org"), "key 'references.torch[0]': not an http(s) URL"),
        (lambda t: t.replace('description = "Adds  two\\nvectors."\n', ""), "key 'description': missing required key"),
        (lambda t: t.replace("title = \"Demo\"", "title = \"Demo"), "tasks/demo/task.toml: invalid TOML"),
    ],
)
def test_each_error_names_file_and_key(edit, message):
    with pytest.raises(MetadataError) as info:
        parse_metadata(edit(VALID), PATH)
    assert message in str(info.value)
    assert str(info.value).startswith(str(PATH))


def test_a_misspelt_key_names_its_line_and_suggests_the_allowed_one():
    text = VALID.replace("[tolerance]", "[tolerence]")
    with pytest.raises(MetadataError) as info:
        parse_metadata(text, PATH)
    assert str(info.value).startswith(
        "tasks/demo/task.toml: line 8: key 'tolerence': unknown key; did you mean 'tolerance'? allowed: title,")
    assert info.value.line == 8 and text.splitlines()[7] == "[tolerence]"


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda t: t.replace('"tensors"', '"tensor"'), "line 3: key 'category': unknown category 'tensor'; did you mean 'tensors'?"),
        (lambda t: t.replace('["learning-curve"]', '["learning"]'), "line 5: key 'tags[0]': unknown tag 'learning'; did you mean 'learning-curve'?"),
        (lambda t: t.replace("seed = 3", "seed = 3\npurity = true"), "line 7: key 'purity': unknown key; did you mean 'pure'?"),
        (lambda t: t.replace("seed = 3", 'seed = 3\npure = "yes"'), "line 7: key 'pure': expected boolean, got str"),
        (lambda t: t.replace("n = 8", "n = [8]"), "line 13: key 'sizes.small.n': expected integer"),
    ],
)
def test_suggestions_and_lines_for_values_too(edit, message):
    with pytest.raises(MetadataError) as info:
        parse_metadata(edit(VALID), PATH)
    assert f"{PATH}: {message}" in str(info.value)


def test_no_suggestion_when_nothing_is_close():
    with pytest.raises(MetadataError) as info:
        parse_metadata('colour = "red"\n' + VALID, PATH)
    assert "did you mean" not in str(info.value)


def test_lines_inside_multiline_strings_are_not_keys():
    text = 'description = """\ncolour = not a key here\n"""\ncolour = "red"\n'
    from evaluator.corpus.task_metadata import key_line

    assert key_line(text, "colour") == 4
    assert key_line('[sizes.small]\nn = 8\n', "sizes.small.n") == 2
    assert key_line('[references]\ntorch = ["x"]\n', "references.torch[0]") == 2


def test_pure_defaults_to_false_and_parses():
    assert parse_metadata(VALID, PATH).pure is False
    assert parse_metadata(VALID.replace("seed = 3", "seed = 3\npure = true"), PATH).pure is True


def test_levels_must_be_high_or_core(tmp_path):
    import pytest as _pytest

    from evaluator.corpus.task_metadata import MetadataError, parse_metadata
    text = ('title = "t"\ncategory = "tensors"\ndescription = "d"\ntags = []\n[tolerance]\nrtol = 1e-5\n'
            '[sizes.small]\nn = 1\n[references]\ntorch = ["https://pytorch.org"]\n[levels]\ntorch = "low"\n')
    with _pytest.raises(MetadataError, match=r"line 12: key 'levels.torch': unknown level 'low'; allowed: high, core"):
        parse_metadata(text, tmp_path / "task.toml")
    assert parse_metadata(text.replace('"low"', '"core"'), tmp_path / "task.toml").levels == {"torch": "core"}


def test_authorship_defaults_to_team_and_accepts_blind_only():
    assert parse_metadata(VALID, PATH).authorship == "team"
    assert parse_metadata('authorship = "blind"\n' + VALID, PATH).authorship == "blind"
    with pytest.raises(MetadataError) as info:
        parse_metadata('authorship = "blnd"\n' + VALID, PATH)
    assert "line 1: key 'authorship': unknown authorship 'blnd'; did you mean 'blind'?" in str(info.value)
