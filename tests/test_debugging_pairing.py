"""Pairing mutants across frameworks: the automatic rules, and mutants.toml (strict, like task.toml)."""

from pathlib import Path

import pytest

from evaluator.debugging.mutants import make_mutants
from evaluator.debugging.pairing import (
    AMBIGUOUS, ANCHOR, BY_HAND, MARKED, NO_COUNTERPART, ONE_EACH, ORDER, MutantsFileError, check_hand_entries,
    load_mutants_file, pair_mutants,
)
from evaluator.debugging.sites import find_sites

TORCH = '''import torch


def run(t):
    a = t["x"].sum(dim=1)
    b = t["y"].mean(dim=0)
    c = t["x"].max(dim=1)
    d = t["y"].max(dim=0)
    e = t["x"].argmax(dim=1)
    return a, b, c, d, e
'''
TF = '''import tensorflow as tf


def run(t):
    a = tf.reduce_sum(t["x"], axis=1)
    b = tf.reduce_mean(t["y"], axis=0)
    d = tf.reduce_max(t["y"], axis=0)
    c = tf.reduce_max(t["x"], axis=1)
    return a, b, c, d
'''


def mutants_of(torch_source=TORCH, tf_source=TF, operators=("AXIS",)):
    out = {}
    for key, source in (("torch", torch_source), ("tensorflow", tf_source)):
        out[key], problems = make_mutants(find_sites(source, key, operators), "t", key, key, f"{key}_impl.py", source)
        assert problems == []
    return out


def by_site(pairs):
    return {(p.a.site.site_id, p.b.site.site_id): p.rule for p in pairs}


def test_automatic_rules_one_each_anchor_and_no_counterpart():
    pairs, unpaired = pair_mutants("t", "torch", "tensorflow", mutants_of())
    # sum and mean: one site each side; max: two each side, told apart by the assigned name (not file order,
    # which differs); argmax: no site on the TensorFlow side
    assert by_site(pairs) == {("AXIS@5", "AXIS@5"): ONE_EACH, ("AXIS@6", "AXIS@6"): ONE_EACH,
                              ("AXIS@7", "AXIS@8"): ANCHOR, ("AXIS@8", "AXIS@7"): ANCHOR}
    assert [(u.mutant.impl_key, u.mutant.site.site_id, u.reason) for u in unpaired] == [("torch", "AXIS@9", NO_COUNTERPART)]
    assert unpaired[0].expressibility


def test_order_and_ambiguous():
    torch = 'import torch\n\n\ndef run(t):\n    return t.sum(dim=1), t.sum(dim=0)\n'
    tf = 'import tensorflow as tf\n\n\ndef run(t):\n    return tf.reduce_sum(t, axis=1), tf.reduce_sum(t, axis=0)\n'
    pairs, unpaired = pair_mutants("t", "torch", "tensorflow", mutants_of(torch, tf))
    assert [p.rule for p in pairs] == [ORDER, ORDER] and unpaired == []
    tf_three = 'import tensorflow as tf\n\n\ndef run(t):\n    return tf.reduce_sum(t, axis=1), tf.reduce_sum(t, axis=0), tf.reduce_sum(t, axis=2)\n'
    pairs, unpaired = pair_mutants("t", "torch", "tensorflow", mutants_of(torch, tf_three))
    assert pairs == [] and {u.reason for u in unpaired} == {AMBIGUOUS} and len(unpaired) == 5
    assert not any(u.expressibility for u in unpaired)


def test_mutants_toml_pairs_by_hand_and_marks_unpaired(tmp_path):
    path = tmp_path / "mutants.toml"
    path.write_text('[[pair]]\ntorch = "AXIS@9"\ntensorflow = "AXIS@5"\nnote = "argmax against a sum: for the test"\n\n'
                    '[[unpaired]]\nimpl = "torch"\nsite = "AXIS@5"\nreason = "kept apart on purpose"\n')
    hand = load_mutants_file(path)
    mutants = mutants_of()
    check_hand_entries(hand, mutants)
    pairs, unpaired = pair_mutants("t", "torch", "tensorflow", mutants, hand)
    rules = by_site(pairs)
    assert rules[("AXIS@9", "AXIS@5")] == BY_HAND
    assert next(p for p in pairs if p.rule == BY_HAND).note.startswith("argmax")
    assert ("torch", "AXIS@5", MARKED) in [(u.mutant.impl_key, u.mutant.site.site_id, u.reason) for u in unpaired]
    assert not any("AXIS@5" == a for a, _ in rules if rules[(a, _)] != BY_HAND)


@pytest.mark.parametrize("text, key, message", [
    ('[[pairs]]\ntorch = "A@1"\n', "pairs", "unknown key"),
    ('[[pair]]\ntorch = "AXIS@1"\n', "pair[0]", "exactly two"),
    ('[[pair]]\ntorch = "AXIS@1"\ntensorflow = "RED@2"\n', "pair[0]", "different operators"),
    ('[[pair]]\ntorch = 3\ntensorflow = "AXIS@2"\n', "pair[0].torch", "must be a string"),
    ('[[unpaired]]\nimpl = "torch"\nsite = "AXIS@1"\n', "unpaired[0].reason", "missing"),
    ('[[unpaired]]\nimpl = "torch"\nsite = "AXIS@1"\nreason = "x"\nwhy = "y"\n', "unpaired[0].why", "unknown key"),
    ('pair = "x"\n', "pair", "array of tables"),
])
def test_mutants_toml_is_strict_and_names_file_and_key(tmp_path, text, key, message):
    path = tmp_path / "mutants.toml"
    path.write_text(text)
    with pytest.raises(MutantsFileError) as info:
        load_mutants_file(path)
    assert str(path) in str(info.value) and f"key '{key}'" in str(info.value) and message in str(info.value)


def test_mutants_toml_naming_a_missing_site_is_an_error(tmp_path):
    path = tmp_path / "mutants.toml"
    path.write_text('[[pair]]\ntorch = "AXIS@99"\ntensorflow = "AXIS@5"\n')
    with pytest.raises(MutantsFileError, match=r"key 'pair\[0\].torch': torch has no site 'AXIS@99'"):
        check_hand_entries(load_mutants_file(path), mutants_of())


def test_not_toml_names_the_file(tmp_path):
    path = Path(tmp_path) / "mutants.toml"
    path.write_text("[[pair]\n")
    with pytest.raises(MutantsFileError, match="not valid TOML"):
        load_mutants_file(path)


def test_the_corpus_mutants_toml_files_name_sites_that_exist():
    """mutants.toml names sites by line: an edit of an implementation that moves a site must update it."""
    from evaluator.corpus.discovery import discover
    from evaluator.debugging.debug_plan import plan_debug

    tasks = Path(__file__).resolve().parents[1] / "tasks"
    assert list(plan_debug(discover(tasks), None).problems) == []


def test_an_anchor_in_unequal_numbers_pairs_its_first_sites_and_says_why_the_rest_is_not():
    from evaluator.debugging.pairing import ANCHOR_ORDER

    torch = 'import torch\n\n\ndef run(t):\n    x = t.sum(dim=1)\n    return x\n'
    tf = ('import tensorflow as tf\n\n\ndef run(t):\n    x = tf.reduce_sum(t, axis=1)\n'
          '    x = tf.reduce_sum(x, axis=0)\n    return x\n')
    pairs, unpaired = pair_mutants("t", "torch", "tensorflow", mutants_of(torch, tf), comparison="primary")
    assert [(p.a.site.site_id, p.b.site.site_id, p.rule, p.comparison) for p in pairs] == \
        [("AXIS@5", "AXIS@5", ANCHOR_ORDER, "primary")]
    assert [(u.mutant.site.site_id, u.reason, u.other) for u in unpaired] == [("AXIS@6", AMBIGUOUS, "torch")]
    assert "2 site(s) of AXIS 'sum' here against 1 in torch" in unpaired[0].note
