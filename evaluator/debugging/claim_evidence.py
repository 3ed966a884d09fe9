"""Claim 8 ("dynamic graphs make debugging easier"), per task, ready for a paired Wilcoxon over tasks.

Primary metric: per task and framework, the share of its paired mutants that fail loud *and localised*
(the planted line is the innermost user frame, or appears in the user's frames, or the message names
it). Only pairs decided on both sides count (not invalid, glue, skipped or undetermined), so both
frameworks' shares have the same denominator. Secondaries, same pairs: the share that fail loud at
all; the share that stay silent and undetected; the share of loud ones whose message names the
offending shapes, dtypes or devices; the median message length and median number of frames shown.

The claims protocol (claims/claim_verdicts.py) should take `primary_pairs()` as one paired comparison of the
claim family (a = PyTorch, b = TensorFlow; higher is easier to debug), apply Holm with the other
claims' primaries, and report the secondaries descriptively.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from evaluator.debugging.bug_outcomes import LOUD, SILENT_UNDETECTED
from evaluator.debugging.debug_summary import PairOutcome

PRIMARY = "loud and localised (share of paired mutants)"
SECONDARIES = ("loud (share)", "silent and undetected (share)", "message names shapes, dtypes or devices (share of loud)",
               "message length (median characters, loud)", "frames shown (median, loud)")


@dataclass(frozen=True)
class TaskEvidence:
    task: str
    pairs: int                                      # decided pairs in this task
    primary: tuple[float, float]                    # (a, b)
    secondaries: dict[str, tuple[float | None, float | None]]


@dataclass(frozen=True)
class Claim8Evidence:
    a_key: str
    b_key: str
    aids: bool
    tasks: tuple[TaskEvidence, ...]
    undecided_pairs: int                            # pairs left out: one side invalid, glue, skipped or not run

    def primary_pairs(self) -> tuple[list[float], list[float]]:
        """Per-task primary shares, a and b, in task order: the input of a paired Wilcoxon over tasks."""
        return [t.primary[0] for t in self.tasks], [t.primary[1] for t in self.tasks]


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
        "silent and undetected (share)": _share([r.outcome == SILENT_UNDETECTED for r in records]),
        "message names shapes, dtypes or devices (share of loud)": _share([_names_specifics(r) for r in loud]),
        "message length (median characters, loud)": _median([r.message_chars for r in loud if r.message_chars is not None]),
        "frames shown (median, loud)": _median([(r.frames_user or 0) + (r.frames_framework or 0) + (r.frames_generated or 0)
                                                for r in loud]),
    }


def claim8_evidence(outcomes: list[PairOutcome] | tuple[PairOutcome, ...], a_framework: str = "torch",
                    b_framework: str = "tensorflow", *, aids: bool = False) -> Claim8Evidence:
    """Per task, the paired primary and secondary figures of `a_framework` against `b_framework`.

    Pairs of any implementations of the two frameworks count (the primaries, and the compiled variants
    of the tasks that have them), each pair once; tasks without a decided pair are left out.
    """
    mine = [p for p in outcomes if p.aids == aids and p.a_key.split("_")[0] == a_framework
            and p.b_key.split("_")[0] == b_framework]
    decided = [p for p in mine if p.decided]
    tasks = []
    for task in sorted({p.task for p in decided}):
        pairs = [p for p in decided if p.task == task]
        a_records, b_records = [p.a for p in pairs], [p.b for p in pairs]
        a_side, b_side = _side(a_records), _side(b_records)
        tasks.append(TaskEvidence(task, len(pairs),
                                  (sum(r.localised for r in a_records) / len(pairs), sum(r.localised for r in b_records) / len(pairs)),
                                  {name: (a_side[name], b_side[name]) for name in SECONDARIES}))
    return Claim8Evidence(a_framework, b_framework, aids, tuple(tasks), len(mine) - len(decided))
