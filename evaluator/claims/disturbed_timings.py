"""Claims whose evidence is disturbed or not in yet: marked, and their verdict withheld on the one-screen view.

Disturbed timings:
A timing process records the cores other processes used during its blocks (`others_cores`, from
/proc/stat; runner.timing.LoadMeter). On a shared machine a TensorFlow/Keras call's own CPU time grows
by 10% to 80% under such load where a PyTorch call's hardly moves (benchmarks/README.md), so a verdict
from disturbed timings may be the load's, not the frameworks'. The thresholds are stated once, here.
"""

from __future__ import annotations

import dataclasses
from typing import Iterable

from evaluator.base.metric_registry import DEBUGGING, REGISTRY, RUN
from evaluator.claims.report_model import Claim
from evaluator.results import Measurement

# A host whose repeated processes disagree this much (median over measurements of the spread of their
# process medians) is too noisy for the 7% fidelity of benchmarks/bench_harness.py: on a quiet 2-core
# VM the spread is a few percent; on the slower, noisier host of issue 24 it was 20 to 60%.
NOISY_HOST_SPREAD = 0.15
DISTURBED_CORES = 0.5   # a timing is disturbed when other processes used more than half a core during it
DISTURBED_SHARE = 0.1   # a claim is marked when more than a tenth of the timings behind it are disturbed
MARK, PENDING = "disturbed", "pending"
STAGE_SOURCES = {"execution": RUN, "debugging": DEBUGGING}   # a stage still running -> the metrics it measures
RERUN = "easeval report --remeasure-disturbed"  # times again only the disturbed measurements


def is_disturbed(record: Measurement) -> bool:
    """An ok, timed record whose busiest process ran beside more than DISTURBED_CORES of other work."""
    load = record.timing.others_cores if record.ok and record.timing is not None else None
    return load is not None and load > DISTURBED_CORES


def claim_timings(claim: Claim, run_records: Iterable[Measurement]) -> list[Measurement]:
    """The timed records behind a claim whose primary metric is measured by the harness: every size of
    the implementations its units compare."""
    test = claim.primary
    if test is None or test.metric.source != RUN:
        return []
    used = set()
    for unit, a_impl, b_impl in zip(test.units, test.a_impls, test.b_impls):
        task = unit.split(" (", 1)[0]
        used |= {(task, a_impl), (task, b_impl)}
    return [r for r in run_records if (r.task, r.impl_key) in used and r.ok and r.timing is not None]


def mark_disturbed(claims: Iterable[Claim], run_records: Iterable[Measurement]) -> list[Claim]:
    """Each claim, with MARK and an evidence line where more than DISTURBED_SHARE of its timings are disturbed."""
    records = list(run_records)
    marked = []
    for claim in claims:
        timings = claim_timings(claim, records)
        disturbed = [r for r in timings if is_disturbed(r)]
        if timings and len(disturbed) > DISTURBED_SHARE * len(timings):
            line = (f"{len(disturbed)} of {len(timings)} timings behind this claim were taken while other processes used "
                    f"more than {DISTURBED_CORES:g} of a core (threshold: more than {DISTURBED_SHARE:.0%}); the verdict "
                    f"is withheld on the one-screen view. Time them again on a quiet machine: `{RERUN}`.")
            claim = dataclasses.replace(claim, marks=claim.marks + (MARK,), evidence=claim.evidence + (line,))
        marked.append(claim)
    return marked


def mark_pending(claims: Iterable[Claim], pending: Iterable[str]) -> list[Claim]:
    """Each claim, marked PENDING where its primary metric comes from a stage still being measured (the
    report is written after each stage of the main job)."""
    sources = {STAGE_SOURCES[s.split(" ", 1)[0]] for s in pending if s.split(" ", 1)[0] in STAGE_SOURCES}
    return [dataclasses.replace(c, marks=c.marks + (PENDING,)) if _source(c) in sources else c for c in claims]


def _source(claim: Claim) -> str | None:
    if claim.primary is not None:
        return claim.primary.metric.source
    return next((m.source for m in REGISTRY if m.name == claim.primary_metric), None)


def shown_verdict(claim: Claim) -> str:
    """The verdict as the one-screen view prints it: a claim still being measured is pending, and a
    decided verdict from disturbed timings is withheld."""
    if PENDING in claim.marks:
        return "pending (still being measured)"
    if MARK in claim.marks and claim.verdict in ("supported", "contradicted"):
        return f"withheld (timings disturbed; {claim.verdict} as measured)"
    return claim.verdict


def noisy_host(run_records: Iterable[Measurement]) -> str | None:
    """A sentence when the timings' own processes show a host too noisy for fine comparisons, else None:
    the median, over timed measurements, of the spread of their process medians, against NOISY_HOST_SPREAD."""
    spreads = sorted(r.timing.process_spread for r in run_records
                     if r.ok and r.timing is not None and r.timing.process_spread is not None)
    if len(spreads) < 5:
        return None
    median = spreads[len(spreads) // 2]
    if median <= NOISY_HOST_SPREAD:
        return None
    loads = sorted(p.others_cores for r in run_records if r.ok and r.timing is not None
                   for p in r.timing.replicates if p.others_cores is not None)
    others = loads[len(loads) // 2] if loads else None
    quiet = others is not None and others <= DISTURBED_CORES / 2
    # On 2026-12-07 a quiet 2-vCPU VM (others 0.04 core) still gave 19%: the spread is then the host's own
    # process-to-process variation (memory layout, CPU placement), which another quiet run will not remove.
    cause = (f"though no other process was busy (median {others:.2f} of a core): this host's own variation from "
             "process to process, not load; ") if quiet else ""
    advice = "compare on a host with steadier processes, or with more processes" if quiet else "rerun on a quiet machine"
    return (f"This host was noisy while timing: the independent processes of a measurement disagreed by {median:.0%} "
            f"(median over {len(spreads)} measurements; {cause}above {NOISY_HOST_SPREAD:.0%} the harness cannot hold "
            f"its 7% fidelity to torch.utils.benchmark). Read speed differences below about {2 * median:.0%} as noise, "
            f"and {advice}.")
