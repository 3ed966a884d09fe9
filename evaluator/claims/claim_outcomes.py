"""The decision rule of the claim protocol (docs/claims.md): one outcome vocabulary for every claim.

Lakens, Scheel & Isager (2018) combine a difference test with an equivalence test at the smallest
effect of interest Delta into four outcomes; the protocol adds two:
- meaningful difference favouring X: the difference test is significant (Holm) and the 90% interval
  is not inside the band (1/Delta, Delta);
- trivial difference: significant, but the 90% interval lies inside the band;
- equivalent within Delta: not significant, and the 90% interval lies inside the band;
- inconclusive: neither;
- mixed: the primary and the key secondary are significant in opposite directions;
- not decidable: fewer tasks than the protocol's minimum, or even the smallest p the test could
  give is above alpha after Holm and the 90% interval is not inside the band (a difference could
  never be shown and an equivalence is not; the note says how many tasks would do).
Under protocol 1 the claim-relative verdict (supported / contradicted / undecided) is derived from
the outcome. Protocol 2 (`decide_by_interval`) decides the verdict from where one interval at the
family-wise level lies against Delta, and keeps the outcome as a description beside it, with one more
word: a *difference of undetermined size* (the interval excludes no difference but straddles Delta).
"""

from __future__ import annotations

from typing import Mapping

from evaluator.claims.report_model import ClaimOutcome
from evaluator.claims.claim_protocol import DIRECTION
from evaluator.base.stats import LogRatioTest

MEANINGFUL, TRIVIAL, EQUIVALENT, INCONCLUSIVE = "meaningful difference", "trivial difference", "equivalent", "inconclusive"
MIXED, NOT_DECIDABLE, NOT_MEASURED = "mixed", "not decidable", "not measured"
UNDETERMINED = "difference of undetermined size"
OUTCOMES = (MEANINGFUL, TRIVIAL, UNDETERMINED, EQUIVALENT, INCONCLUSIVE, MIXED, NOT_DECIDABLE, NOT_MEASURED)
SIGNIFICANT = (MEANINGFUL, TRIVIAL, UNDETERMINED)   # outcomes whose interval excludes no difference
SUPPORTED, CONTRADICTED, UNDECIDED = "supported", "contradicted", "undecided"
VERDICTS = (SUPPORTED, CONTRADICTED, UNDECIDED, NOT_MEASURED)


def favoured(test: LogRatioTest, better: str, a_key: str, b_key: str) -> str | None:
    """The key the estimate favours: a ratio a/b below 1 favours a when lower is better."""
    if test.ratio is None or test.ratio == 1.0:
        return None
    a_lower = test.ratio < 1.0
    return a_key if a_lower == (better == "lower") else b_key


def inside_band(ci: tuple[float, float] | None, delta: float) -> bool:
    return ci is not None and 1.0 / delta < ci[0] and ci[1] < delta


def decide(
    test: LogRatioTest | None, *, delta: float, alpha: float, min_tasks: int, better: str, a_key: str, b_key: str,
    key_secondary: LogRatioTest | None = None, key_secondary_better: str = "lower", not_measured_reason: str = "",
    units: str = "tasks",
) -> tuple[str, str | None, str]:
    """(outcome, favoured key or None, reason) of one primary test; `test.pvalue_holm` must be set.
    `units` names what a pair is in the reason (tasks; compiled-variant pairs)."""
    if test is None:
        return NOT_MEASURED, None, not_measured_reason or "no evidence of this kind in the results"
    if test.reason:
        return NOT_DECIDABLE, None, f"no test: {test.reason}"
    if test.n < min_tasks:
        return NOT_DECIDABLE, None, f"{test.n} {units}, fewer than the protocol's minimum of {min_tasks}"
    min_p = test.min_attainable_p_holm if test.min_attainable_p_holm is not None else test.min_attainable_p
    if min_p > alpha and not inside_band(test.ci_equivalence, delta):
        # The difference test can never be significant here; only an equivalence could still be shown.
        return NOT_DECIDABLE, None, (f"even the smallest p these {test.n_nonzero} non-zero differences allow is "
                                     f"{min_p:.2g} after Holm, above alpha = {alpha:g}")
    p = test.pvalue_holm if test.pvalue_holm is not None else test.pvalue
    significant = p <= alpha
    direction = favoured(test, better, a_key, b_key) if significant else None
    if significant and key_secondary is not None and key_secondary.reason == "" and key_secondary.pvalue <= alpha:
        other = favoured(key_secondary, key_secondary_better, a_key, b_key)
        if other is not None and direction is not None and other != direction:
            return MIXED, None, "the primary metric and the key secondary are significant in opposite directions"
    equivalent = inside_band(test.ci_equivalence, delta)
    if significant:
        return (TRIVIAL if equivalent else MEANINGFUL), direction, ""
    if equivalent:
        return EQUIVALENT, None, ""
    return INCONCLUSIVE, None, "neither a significant difference nor a 90% interval inside the band"


def claim_verdict(kind: str, claimed: str, outcome: str, favours: str | None) -> str:
    """The claim-relative word for an outcome. A direction claim ("X is easier") is supported by a
    meaningful difference favouring X and contradicted by one favouring the other side, or by a
    difference shown to be smaller than Delta (trivial, equivalent). The equivalence claim ("the gap
    is small") is supported by trivial and equivalent and contradicted by a meaningful difference."""
    if outcome == NOT_MEASURED:
        return NOT_MEASURED
    if outcome in (INCONCLUSIVE, MIXED, NOT_DECIDABLE):
        return UNDECIDED
    if kind == DIRECTION:
        return SUPPORTED if outcome == MEANINGFUL and favours == claimed else CONTRADICTED
    return CONTRADICTED if outcome == MEANINGFUL else SUPPORTED


def claim_outcome(kind: str, claimed: str, outcome: str, favours: str | None, reason: str) -> ClaimOutcome:
    return ClaimOutcome(outcome, favours, claim_verdict(kind, claimed, outcome, favours), reason)


# The sides of the compiled-variants claim are groups, not implementations.
GROUP_NAMES = {"compiled": "the compiled variants", "eager": "the eager primaries"}


def outcome_words(o: ClaimOutcome, names: Mapping[str, str]) -> str:
    """'meaningful difference favouring TensorFlow', 'equivalent within Delta', ..."""
    if o.outcome in SIGNIFICANT and o.favours:
        return f"{o.outcome} favouring {names.get(o.favours) or GROUP_NAMES.get(o.favours, o.favours)}"
    if o.outcome == EQUIVALENT:
        return "equivalent within Δ"
    return o.outcome


def outcome_direction(o: ClaimOutcome | None, a_key: str) -> int:
    """+1 when the outcome shows a difference favouring `a_key`, -1 favouring the other side, else 0."""
    if o is None or o.outcome not in SIGNIFICANT or not o.favours:
        return 0
    return 1 if o.favours == a_key else -1


def contested(outcomes: Mapping[str, object]) -> bool:
    """The one definition of *contested*, for the claim mark, the replication table and the summary: among
    the corpora (or task sets) whose evidence shows a difference, some point one way and some the other.

    Takes {corpus: outcome}: a ClaimOutcome (its direction is the side it favours, counted only for
    the significant outcomes: meaningful, trivial, undetermined), or an int direction (+1, -1, 0) for
    a metric's comparison. Undecided and insignificant outcomes contest nothing."""
    directions = set()
    for o in outcomes.values():
        if isinstance(o, ClaimOutcome):
            if o.outcome in SIGNIFICANT and o.favours:
                directions.add(o.favours)
        elif isinstance(o, int) and o:
            directions.add(o > 0)
        elif getattr(o, "direction", 0):
            directions.add(o.direction > 0)
    return len(directions) > 1


def decide_by_interval(
    test: LogRatioTest | None, interval: tuple[float, float] | None, achieved: float, *, confidence: float,
    kind: str, claimed: str, delta: float, alpha: float, min_tasks: int, min_nonzero: int, better: str,
    a_key: str, b_key: str, key_secondary: LogRatioTest | None = None, key_secondary_better: str = "lower",
    not_measured_reason: str = "", units: str = "tasks",
) -> ClaimOutcome:
    """Protocol 2's rule: the verdict from where `interval` (the ratio a/b at the family-wise
    `confidence`) lies against Delta; the outcome beside it describes the same interval.

    A direction claim "X is easier" is supported when the whole interval lies beyond Delta in X's
    favour (X's advantage is at least Delta), contradicted when it excludes an advantage of Delta for X
    (X's advantage, if any, is smaller than Delta: trivial, equivalent, or the other side ahead), and
    undecided otherwise. An equivalence claim is supported when the interval lies inside (1/Delta,
    Delta), contradicted when it lies wholly outside the band on one side, undecided otherwise."""
    if test is None:
        return ClaimOutcome(NOT_MEASURED, None, NOT_MEASURED, not_measured_reason or "no evidence of this kind in the results")
    if test.reason or interval is None:
        return ClaimOutcome(NOT_DECIDABLE, None, UNDECIDED, f"no test: {test.reason or 'no interval'}")
    if test.n < min_tasks:
        return ClaimOutcome(NOT_DECIDABLE, None, UNDECIDED, f"{test.n} {units}, fewer than the protocol's minimum of {min_tasks}")
    if test.n_nonzero < min_nonzero:
        return ClaimOutcome(NOT_DECIDABLE, None, UNDECIDED,
                            f"only {test.n_nonzero} of {test.n} {units} differ at all, fewer than the {min_nonzero} "
                            "the protocol needs: tied units cannot decide a claim")
    if achieved < confidence - 1e-9:
        return ClaimOutcome(NOT_DECIDABLE, None, UNDECIDED,
                            f"with {test.n} {units} no interval reaches the family-wise {confidence:.1%} "
                            f"(the widest covers {achieved:.1%})")
    low, high = interval
    significant = not (low <= 1.0 <= high)
    favours = None
    if significant:
        a_lower = high < 1.0
        favours = a_key if a_lower == (better == "lower") else b_key
    inside = 1.0 / delta < low and high < delta
    beyond = high <= 1.0 / delta or low >= delta
    if significant and key_secondary is not None and not key_secondary.reason and key_secondary.pvalue <= alpha:
        other = favoured(key_secondary, key_secondary_better, a_key, b_key)
        if other is not None and other != favours:
            return ClaimOutcome(MIXED, None, UNDECIDED, "the primary metric and the key secondary are significant in opposite directions")
    outcome = (MEANINGFUL if significant and beyond else TRIVIAL if significant and inside
               else UNDETERMINED if significant else EQUIVALENT if inside else INCONCLUSIVE)
    if kind == DIRECTION:
        # X's advantage as a ratio above 1 when X is better: the interval turned to face X
        facing = (1.0 / high, 1.0 / low) if (better == "lower") == (claimed == a_key) else (low, high)
        if facing[0] > delta:
            return ClaimOutcome(outcome, favours, SUPPORTED, "")
        if facing[1] < delta:
            return ClaimOutcome(outcome, favours, CONTRADICTED, "")
        return ClaimOutcome(outcome, favours, UNDECIDED,
                            f"the interval straddles an advantage of Δ = {delta:g} for the claimed side")
    if inside:
        return ClaimOutcome(outcome, favours, SUPPORTED, "")
    if beyond:
        return ClaimOutcome(outcome, favours, CONTRADICTED, "")
    return ClaimOutcome(outcome, favours, UNDECIDED, "the interval is neither inside the band (1/Δ, Δ) nor wholly outside it")
