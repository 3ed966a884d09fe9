"""Refactor guard: the static evidence (every comparison's n, statistic, p, ratio, CI, verdict, and
every claim's verdict and outcome) of a static-only report on a fixed 14-task subset, pinned in git,
stays identical to the golden file of each claim protocol: tests/golden/static_subset.json under
protocol 1 (written before the typed-records refactor; claims, claim outcomes and the complexity
family's Holm values updated on purpose by claim protocol 1) and static_subset_v2.json under protocol 2
(its decisive intervals included; docs/claims.md, "Changelog").

Floats compare at a stated relative tolerance (tests/approx_json.py: REL_TOL = 1e-9), since their last
bits differ between hosts; counts, strings, verdicts and outcomes compare exactly. Two tests show the
tolerance is neither too tight (the evidence with every float moved by 16 units in the last place
still matches) nor too loose (one value moved by 1e-7, or one verdict changed, fails).

And hand checks: claim 1's verdict recomputed from metrics.csv with nothing but the standard library
and each protocol's written rules, against what the report says.
"""

import csv
import itertools
import json
import math
import statistics
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).with_name("golden")))
sys.path.insert(0, str(Path(__file__).parent))
from approx_json import REL_TOL, json_differences, perturb_floats  # noqa: E402
from make_static_golden import GOLDEN_COMMIT, GOLDEN_FILES, materialize, report_results, static_evidence  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def _have_commit() -> bool:
    done = subprocess.run(["git", "-C", str(REPO), "cat-file", "-e", f"{GOLDEN_COMMIT}^{{commit}}"], capture_output=True)
    return done.returncode == 0


pytestmark = pytest.mark.skipif(not _have_commit(), reason=f"golden corpus commit {GOLDEN_COMMIT} not in this clone (shallow?)")


@pytest.fixture(scope="module")
def golden_tasks(tmp_path_factory):
    return materialize(REPO, tmp_path_factory.mktemp("golden"))


@pytest.fixture(scope="module")
def golden_report(golden_tasks, tmp_path_factory):
    """The report under the current protocol (2)."""
    tmp = tmp_path_factory.mktemp("golden_v2")
    return report_results(golden_tasks, tmp, "2"), tmp / "report"


@pytest.fixture(scope="module")
def golden_report_v1(golden_tasks, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("golden_v1")
    return report_results(golden_tasks, tmp, "1"), tmp / "report"


GOLDEN_FILE = GOLDEN_FILES["2"]


def test_static_evidence_matches_the_golden_file(golden_report):
    evidence = static_evidence(golden_report[0])
    golden = json.loads(GOLDEN_FILE.read_text())
    assert json_differences(evidence, golden) == []


def test_protocol_1_still_reproduces_its_golden_file(golden_report_v1):
    """Old reports can be recomputed: protocol 1's rules, loaded from claims_protocol_v1.toml, give the
    evidence its golden file was written with."""
    evidence = static_evidence(golden_report_v1[0])
    assert {c["protocol_version"] for c in golden_report_v1[0]["claims"]} == {"1"}
    assert json_differences(evidence, json.loads(GOLDEN_FILES["1"].read_text())) == []


def test_the_golden_comparison_holds_when_last_bits_differ(golden_report):
    """What another host does to the evidence: every float a few units in the last place off."""
    evidence = perturb_floats(static_evidence(golden_report[0]), ulps=16)
    assert evidence != static_evidence(golden_report[0])          # the perturbation did move floats
    assert json_differences(evidence, json.loads(GOLDEN_FILE.read_text())) == []


def test_the_golden_comparison_fails_on_a_real_change():
    golden = json.loads(GOLDEN_FILE.read_text())
    key = sorted(golden["comparisons"])[0]
    moved = json.loads(json.dumps(golden))
    moved["comparisons"][key]["ratio"] *= 1 + 100 * REL_TOL       # 1e-7: a real change, not a last bit
    assert json_differences(moved, golden) == [
        f"comparisons.{key}.ratio: {moved['comparisons'][key]['ratio']!r} != {golden['comparisons'][key]['ratio']!r} "
        f"(beyond relative tolerance {REL_TOL:g})"]
    flipped = json.loads(json.dumps(golden))
    flipped["claims"]["1"] = "supported" if golden["claims"]["1"] != "supported" else "contradicted"
    assert [d.split(":")[0] for d in json_differences(flipped, golden)] == ["claims.1"]
    counted = json.loads(json.dumps(golden))
    counted["comparisons"][key]["n"] += 1                           # counts stay exact
    assert [d.split(":")[0] for d in json_differences(counted, golden)] == [f"comparisons.{key}.n"]


# ---- claim 1 by hand, from metrics.csv (docs/claims.md, "Recomputing a verdict by hand") ----------

def _values(rows, metric, framework):
    return {r["task"]: float(r["value"]) for r in rows
            if r["metric"] == metric and r["framework"] == framework and r["variant"] == ""}


def _log_ratios(rows, metric):
    a, b = _values(rows, metric, "torch"), _values(rows, metric, "tensorflow")
    tasks = sorted(set(a) & set(b))
    # counts get +1 on both sides; rounded to 12 decimals so that equal ratios tie exactly
    return tasks, [round(math.log((a[t] + 1) / (b[t] + 1)), 12) for t in tasks]


def _ranks(values):
    """Average ranks, 1-based."""
    ordered = sorted(values)
    return [(ordered.index(v) + 1 + len(ordered) - ordered[::-1].index(v)) / 2 for v in values]


def _signed_rank_p(d):
    """Two-sided p, zeros dropped; exact over every sign pattern when n <= 13 or nothing ties,
    else the normal approximation with the tie correction (scipy's rules, docs/statistics.md)."""
    nonzero = [x for x in d if x != 0]
    ranks = _ranks([abs(x) for x in nonzero])
    r_plus = sum(r for r, x in zip(ranks, nonzero) if x > 0)
    ties = len(set(abs(x) for x in nonzero)) < len(nonzero) or len(nonzero) < len(d)
    if len(d) <= 13 or not ties:
        sums = [sum(r for r, s in zip(ranks, signs) if s) for signs in itertools.product((0, 1), repeat=len(ranks))]
        below = sum(s <= r_plus + 1e-9 for s in sums) / len(sums)
        above = sum(s >= r_plus - 1e-9 for s in sums) / len(sums)
        return min(1.0, 2 * min(below, above))
    m = len(nonzero)
    tie_sizes = [nonzero_abs.count(v) for nonzero_abs in [[abs(x) for x in nonzero]] for v in set(nonzero_abs)]
    variance = (m * (m + 1) * (2 * m + 1) - sum(t**3 - t for t in tie_sizes) / 2) / 24
    z = (r_plus - m * (m + 1) / 4) / math.sqrt(variance)
    return math.erfc(abs(z) / math.sqrt(2))


def _holm(p):
    order = sorted(range(len(p)), key=lambda i: p[i])
    adjusted, running = [0.0] * len(p), 0.0
    for step, i in enumerate(order):
        running = max(running, min(1.0, (len(p) - step) * p[i]))
        adjusted[i] = running
    return adjusted


def _walsh_interval(d, confidence):
    n = len(d)
    walsh = sorted((d[i] + d[j]) / 2 for i in range(n) for j in range(i, n))
    # the signed-rank null distribution: P(V = v) over all 2**n subsets of the ranks 1..n
    counts = [0] * (n * (n + 1) // 2 + 1)
    for signs in itertools.product((0, 1), repeat=n):
        counts[sum(r for r, s in zip(range(1, n + 1), signs) if s)] += 1
    cumulative, k = 0, 0
    for k, c in enumerate(counts):
        cumulative += c
        if cumulative / 2**n >= (1 - confidence) / 2:
            break
    k = max(k, 1)
    return math.exp(walsh[k - 1]), math.exp(walsh[len(walsh) - k])


def test_claim_1_recomputed_by_hand_from_metrics_csv_under_protocol_1(golden_report_v1):
    results, folder = golden_report_v1
    rows = list(csv.DictReader((folder / "metrics.csv").open()))
    tasks, d = _log_ratios(rows, "sloc")
    assert len(tasks) == 14

    ratio = math.exp(statistics.median((d[i] + d[j]) / 2 for i in range(len(d)) for j in range(i, len(d))))
    p = _signed_rank_p(d)
    # Holm across the protocol's 10 primary tests (claims 1 and 4 share one); a test not run counts as p = 1
    claims = {c["number"]: c for c in results["claims"]}
    raw = lambda test: test["result"]["pvalue"] if test is not None else 1.0  # noqa: E731
    family = ([raw(claims[n]["primary"]) for n in (1, 2, 3, 5, 6, 7, 8)]          # claim 1 first
              + [raw(claims[n]["like_for_like"]) for n in (1, 2, 7)])             # the like-for-like tests
    p_holm = _holm(family)[0]
    low90, high90 = _walsh_interval(d, 0.90)
    significant = p_holm <= 0.05
    equivalent = 1 / 1.25 < low90 and high90 < 1.25
    # the key secondary (distinct_apis) must not be significant the other way (mixed)
    _, d_apis = _log_ratios(rows, "distinct_apis")
    key_against = _signed_rank_p(d_apis) <= 0.05 and (statistics.median(d_apis) < 0) != (ratio < 1)
    outcome = ("mixed" if significant and key_against else "meaningful difference" if significant and not equivalent
               else "trivial difference" if significant else "equivalent" if equivalent else "inconclusive")
    favours = ("torch" if ratio < 1 else "tensorflow") if outcome in ("meaningful difference", "trivial difference") else None
    verdict = "supported" if outcome == "meaningful difference" and favours == "torch" else (
        "contradicted" if outcome in ("meaningful difference", "trivial difference", "equivalent") else "undecided")

    reported = claims[1]
    r = reported["primary"]["result"]
    assert r["ratio"] == pytest.approx(ratio, rel=REL_TOL)
    assert r["pvalue"] == pytest.approx(p, rel=REL_TOL)
    assert r["pvalue_holm"] == pytest.approx(p_holm, rel=REL_TOL)
    assert r["ci_equivalence"] == pytest.approx([low90, high90], rel=REL_TOL)
    assert (reported["outcome"]["outcome"], reported["outcome"]["favours"], reported["verdict"]) == (outcome, favours, verdict)
    assert (outcome, verdict) == ("meaningful difference", "contradicted")   # the golden subset's answer


def test_claim_1_recomputed_by_hand_from_metrics_csv_under_protocol_2(golden_report):
    """Protocol 2: logical lines, the 99.1% Walsh interval (Bonferroni over 11 tests), the verdict from
    where it lies against Δ = 1.25 (docs/claims.md, "The rule")."""
    results, folder = golden_report
    rows = list(csv.DictReader((folder / "metrics.csv").open()))
    tasks, d = _log_ratios(rows, "lloc")
    assert len(tasks) == 14
    confidence = 1 - 2 * 0.05 / 11
    low, high = _walsh_interval(d, confidence)            # torch/tensorflow ratios
    nonzero = sum(x != 0 for x in d)
    # PyTorch's advantage as a ratio above 1 when PyTorch needs fewer lines: the interval turned around
    advantage_low, advantage_high = 1 / high, 1 / low
    verdict = ("undecided" if nonzero < 9 else "supported" if advantage_low > 1.25
               else "contradicted" if advantage_high < 1.25 else "undecided")
    claim = next(c for c in results["claims"] if c["number"] == 1)
    assert claim["primary"]["ci_holm"] == pytest.approx([low, high], rel=REL_TOL)
    assert claim["primary"]["holm_level"] == pytest.approx(confidence)
    assert claim["verdict"] == verdict
