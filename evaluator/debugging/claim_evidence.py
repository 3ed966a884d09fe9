"""Claim 8 ("dynamic graphs make debugging easier"): the paired planted bugs, ready for the claim
protocol's discordant-pairs rule (claims/debugging_claim.py decides; this module only counts).

The unit is a pair: the same bug planted in PyTorch and in TensorFlow (pairing.py). A side *succeeds*
when the bug fails loud and localised (the innermost user location is on the planted lines or near
them in the planted function: messages.LOCALISED_GRADES). A pair is **in the primary** when it belongs
to the primary comparison (PyTorch eager against TensorFlow like for like; every pair until pairing
labels them), was run without aids, is decided on both sides and neither side absorbed the bug
(benign). Of those, a pair is **discordant** when exactly one side succeeds: it favours that side.
Concordant pairs (both or neither) say nothing about which framework reports bugs better and never
enter the decision; they are counted and shown.

Per operator (the strata) the discordant counts are kept: the matched-pairs analysis is stratified
by operator (each pair is its own stratum, so the stratified conditional test pools the discordant
pairs: Mantel-Haenszel for matched pairs), and the per-operator rows show where the difference comes
from. A weighted secondary uses each pair's `weight` (the operator's real-fault frequency; 1 where
none is given): descriptive, it never decides.

Secondaries, over the primary pairs, per side: share loud; share warned; share silent and
undetected; the share of loud messages naming shapes, dtypes or devices; median message length;
median frames shown.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from evaluator.debugging.bug_outcomes import LOUD, SILENT_UNDETECTED, WARNED
from evaluator.debugging.debug_summary import PairOutcome

PRIMARY = "loud and localised, discordant pairs (share favouring PyTorch)"
SECONDARIES = ("loud (share)", "warned (share)", "silent and undetected (share)",
               "message names shapes, dtypes or devices (share of loud)",
               "message length (median characters, loud)", "frames shown (median, loud)")


@dataclass(frozen=True)
class Stratum:
    """One operator: its primary pairs and how they split."""

    operator: str
    pairs: int
    a_only: int              # a loud and localised, b not
    b_only: int              # b loud and localised, a not
    both: int
    neither: int
    weight: float            # the operator's weight (its pairs' mean)


@dataclass(frozen=True)
class Claim8Evidence:
    a_key: str
    b_key: str
    aids: bool
    strata: tuple[Stratum, ...]
    tasks: tuple[str, ...]                         # tasks with a primary pair
    absorbed: int                                  # decided pairs left out: a side absorbed the bug (benign)
    other_comparisons: int                         # decided pairs of another comparison (as-written, compiled, ...)
    undecided_pairs: int                           # pairs left out: a side invalid, glue, skipped or not run
    weighted_a_only: float = 0.0
    weighted_b_only: float = 0.0
    secondaries: tuple[tuple[str, float | None, float | None], ...] = ()
    by_task: tuple[tuple[str, int, int, int], ...] = ()   # (task, primary pairs, a only, b only)

    @property
    def a_only(self) -> int:
        return sum(s.a_only for s in self.strata)

    @property
    def b_only(self) -> int:
        return sum(s.b_only for s in self.strata)

    @property
    def discordant(self) -> int:
        return self.a_only + self.b_only

    @property
    def concordant(self) -> int:
        return sum(s.both + s.neither for s in self.strata)

    @property
    def pairs(self) -> int:
        return sum(s.pairs for s in self.strata)

    @property
    def weighted_difference(self) -> float | None:
        """The weighted secondary: (weight favouring a - weight favouring b) / weight of discordant pairs."""
        total = self.weighted_a_only + self.weighted_b_only
        return (self.weighted_a_only - self.weighted_b_only) / total if total else None


def _share(values: list[bool]) -> float | None:
    return sum(values) / len(values) if values else None


def _median(values: list[float]) -> float | None:
    return float(statistics.median(values)) if values else None


def _names_specifics(record) -> bool:
    return bool(record.names_shapes or record.names_dtypes or record.names_devices)


def _side(records) -> dict[str, float | None]:
    loud = [r for r in records if r.outcome == LOUD]
    return {
        "loud (share)": _share([r.outcome == LOUD for r in records]),
        "warned (share)": _share([r.outcome == WARNED for r in records]),
        "silent and undetected (share)": _share([r.outcome == SILENT_UNDETECTED for r in records]),
        "message names shapes, dtypes or devices (share of loud)": _share([_names_specifics(r) for r in loud]),
        "message length (median characters, loud)": _median([r.message_chars for r in loud if r.message_chars is not None]),
        "frames shown (median, loud)": _median([(r.frames_user or 0) + (r.frames_framework or 0) + (r.frames_generated or 0)
                                                for r in loud]),
    }


def claim8_evidence(outcomes: list[PairOutcome] | tuple[PairOutcome, ...], a_framework: str = "torch",
                    b_framework: str = "tensorflow", *, aids: bool = False) -> Claim8Evidence:
    """The primary pairs of `a_framework` against `b_framework`, split per operator into concordant and
    discordant. With `aids`, the pairs run with the debugging aids (descriptive: the primary is without)."""
    mine = [p for p in outcomes if p.aids == aids and p.a_key.split("_")[0] == a_framework
            and p.b_key.split("_")[0] == b_framework]
    decided = [p for p in mine if p.decided]
    primary = [p for p in decided if not p.absorbed and (p.comparison == "primary")]
    strata = []
    for operator in sorted({p.operator for p in primary}):
        pairs = [p for p in primary if p.operator == operator]
        a = [p.a.localised for p in pairs]
        b = [p.b.localised for p in pairs]
        strata.append(Stratum(operator, len(pairs), sum(x and not y for x, y in zip(a, b)),
                              sum(y and not x for x, y in zip(a, b)), sum(x and y for x, y in zip(a, b)),
                              sum(not x and not y for x, y in zip(a, b)), sum(p.weight for p in pairs) / len(pairs)))
    a_side, b_side = _side([p.a for p in primary]), _side([p.b for p in primary])
    by_task = []
    for task in sorted({p.task for p in primary}):
        pairs = [p for p in primary if p.task == task]
        by_task.append((task, len(pairs), sum(p.a.localised and not p.b.localised for p in pairs),
                        sum(p.b.localised and not p.a.localised for p in pairs)))
    return Claim8Evidence(
        a_framework, b_framework, aids, tuple(strata), tuple(t for t, *_ in by_task),
        absorbed=sum(p.absorbed and p.comparison == "primary" for p in decided),
        other_comparisons=sum(p.comparison != "primary" for p in decided),
        undecided_pairs=len(mine) - len(decided),
        weighted_a_only=sum(p.weight for p in primary if p.a.localised and not p.b.localised),
        weighted_b_only=sum(p.weight for p in primary if p.b.localised and not p.a.localised),
        secondaries=tuple((name, a_side[name], b_side[name]) for name in SECONDARIES),
        by_task=tuple(by_task),
    )
