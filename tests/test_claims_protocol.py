"""The claim protocol file: strict loading, clear errors, and docs/claims.md quoting it exactly."""

import re
import tomllib
from pathlib import Path

import pytest

from evaluator.claims.claim_protocol import (
    PROTOCOL_FILE, PROTOCOL_FILES, ProtocolError, load_protocol, load_protocol_version, parse_protocol,
)
from evaluator.report.report_options import CURRENT_PROTOCOL, PROTOCOL_VERSIONS

DOCS = Path(__file__).resolve().parents[1] / "docs" / "claims.md"


def protocol_data() -> dict:
    return tomllib.loads(PROTOCOL_FILE.read_text())


def test_the_docs_quote_every_table_of_the_protocol_file():
    blocks = re.findall(r"```toml\n(.*?)```", DOCS.read_text(), re.DOTALL)
    assert len(blocks) == 1 + len(protocol_data()["claim"])      # the settings, then one block per claim
    assert tomllib.loads("\n".join(blocks)) == protocol_data()


def test_the_docs_have_a_section_per_claim_and_state_the_version():
    text = DOCS.read_text()
    protocol = load_protocol()
    for claim in protocol.claims:
        assert f"## Claim {claim.number}: {claim.statement}\n" in text
    assert f"**Protocol version: {protocol.version}.**" in text
    assert f"- **{protocol.version}** (" in text                  # a changelog line for the version


def test_the_shipped_protocol_loads():
    protocol = load_protocol()
    assert protocol.version == "2" and [c.number for c in protocol.claims] == list(range(1, 9))
    assert len(protocol.family()) == 11                           # claims 1 and 4 share theirs; 6 like for like too
    assert protocol.claim(4).test_key() == protocol.claim(1).test_key()
    assert protocol.claim(8).primary.name == "loud_localised_share"
    assert (protocol.decision, protocol.multiplicity) == ("interval", "bonferroni")
    assert protocol.decision_confidence == pytest.approx(1 - 0.1 / 11)   # 1 - 2 * 0.05 / 11 = 99.09%
    assert protocol.claim(7).contrast and protocol.claim(7).test_key() != protocol.claim(1).test_key()
    assert {c.primary.name for c in protocol.claims if c.number in (1, 3, 4, 7)} == {"lloc"}
    assert all(c.min_nonzero == c.min_tasks == 9 for c in protocol.claims)
    assert protocol.exclude_tags == ("distributed",)


def test_version_1_stays_loadable_with_its_rules():
    v1 = load_protocol_version("1")
    assert (v1.version, v1.decision, v1.multiplicity) == ("1", "lakens", "holm")
    assert v1.claim(1).primary.name == "sloc" and not v1.claim(7).contrast and v1.exclude_tags == ()
    assert set(PROTOCOL_FILES) == set(PROTOCOL_VERSIONS) and CURRENT_PROTOCOL == load_protocol().version
    with pytest.raises(ProtocolError, match="no claim protocol version '3'; known: 1, 2"):
        load_protocol_version("3")


def _with(change) -> dict:
    data = protocol_data()
    change(data)
    return data


def test_an_unknown_metric_names_the_claim_and_the_metric():
    data = _with(lambda d: d["claim"][0].update(primary="slocc"))
    with pytest.raises(ProtocolError, match=r"claim 1 \(learning\): unknown metric 'slocc' in 'primary'"):
        parse_protocol(data, "protocol.toml")
    data = _with(lambda d: d["claim"][1]["secondary"].append("flops"))
    with pytest.raises(ProtocolError, match=r"claim 2 \(pythonic\): unknown metric 'flops' in 'secondary'"):
        parse_protocol(data)


def test_bad_keys_types_and_rules_are_clear_errors():
    cases = [
        (lambda d: d["claim"][2].update(colour="red"), r"claim 3 \(keras\): unknown key 'colour'"),
        (lambda d: d["claim"][0].update(delta="1.25"), r"claim 1 \(learning\): 'delta' must be float, got str"),
        (lambda d: d["claim"][0].update(delta=0.8), r"claim 1 \(learning\): delta must be a ratio above 1"),
        (lambda d: d["claim"][0].update(favours="jax"), r"claim 1 \(learning\): favours 'jax' must be a"),
        (lambda d: d["claim"][0].update(kind="vote"), r"kind 'vote' is not one of direction, equivalence"),
        (lambda d: d["claim"][5].update(primary="sloc"), r"claim 6 \(prototyping\): primary metric 'sloc' is a static"),
        (lambda d: d["claim"][0].update(min_tasks=6), r"min_tasks 6 is below 9"),
        (lambda d: d["claim"][1].update(number=1), r"claim numbers must be unique"),
        (lambda d: d.pop("alpha"), r"missing key 'alpha'"),
        (lambda d: d.update(decision="vote"), r"decision 'vote' is not one of lakens, interval"),
        (lambda d: d["claim"][6].pop("category"), r"claim 7 \(deployment\): a contrast needs the category"),
    ]
    for change, message in cases:
        with pytest.raises(ProtocolError, match=message):
            parse_protocol(_with(change))


def test_a_broken_file_names_the_file(tmp_path):
    path = tmp_path / "protocol.toml"
    path.write_text("version = \n")
    with pytest.raises(ProtocolError, match=f"{re.escape(str(path))}: not valid TOML"):
        load_protocol(path)
