"""The claim protocol (claims_protocol.toml, explained in docs/claims.md), loaded and checked.

Strict, as task.toml is: an unknown key, a wrong type or an unknown metric is an error naming the
claim and the key. Nothing here computes; the decision rules are in claim_outcomes.py. Every version
stays loadable (`load_protocol_version`), so that an old report can be recomputed under its rules:
claims_protocol_v1.toml is version 1 as it was frozen; claims_protocol.toml is the current one.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evaluator.base.metric_registry import BY_NAME, DEBUGGING, RUN, STATIC, Metric
from evaluator.base.stats import min_tasks_for

PROTOCOL_FILE = Path(__file__).with_name("claims_protocol.toml")
PROTOCOL_FILES = {"1": Path(__file__).with_name("claims_protocol_v1.toml"), "2": PROTOCOL_FILE}
# How a claim is decided: version 1 reads Lakens' outcomes off a Holm-corrected test and a 90% interval;
# version 2 decides by where one interval at the family-wise level lies (docs/claims.md).
LAKENS, INTERVAL = "lakens", "interval"
HOLM, BONFERRONI = "holm", "bonferroni"
DIRECTION, EQUIVALENCE = "direction", "equivalence"
KINDS = (DIRECTION, EQUIVALENCE)
# Where a claim's per-task values come from; the primary metric must be of the matching source.
EVIDENCE_SOURCES = {"static": STATIC, "run": RUN, "compiled": RUN, "debugging": DEBUGGING}
AS_WRITTEN, LIKE_FOR_LIKE = "as written", "like for like"
# Claim rules: per-task log ratios (every claim's default), or the discordant planted-bug pairs (claim 8,
# decided in debugging_claim.py: a difference of shares with a margin and a minimum of discordant pairs).
LOG_RATIOS, DISCORDANT_PAIRS = "log-ratios", "discordant-pairs"
RULES = (LOG_RATIOS, DISCORDANT_PAIRS)


class ProtocolError(ValueError):
    """The protocol file is malformed; the message names the file, the claim and the key."""


@dataclass(frozen=True)
class ClaimDefinition:
    number: int
    key: str
    statement: str
    construct: str
    kind: str                          # direction | equivalence
    evidence: str                      # static | run | compiled | debugging
    a: str                             # implementation keys ("compiled"/"eager" for compiled evidence)
    b: str
    favours: str                       # the key the claim says is easier or faster; "" for equivalence
    primary: Metric
    primary_why: str
    secondary: tuple[Metric, ...]
    key_secondary: Metric | None
    key_secondary_why: str
    swaps: tuple[Metric, ...]          # robustness: the primary replaced by each of these
    key_secondary_swaps: tuple[Metric, ...]
    delta: float                       # smallest effect of interest, as a ratio > 1
    delta_why: str
    min_tasks: int
    like_for_like: bool
    category: str = ""                 # only the tasks of this category ("" = every task)
    contrast: bool = False             # the category's tasks against every other task (a two-sample shift)
    min_nonzero: int = 0               # units with a non-zero difference needed to decide (ties cannot)
    rule: str = LOG_RATIOS             # RULES: how the claim is decided
    margin: float = 0.0                # discordant-pairs: smallest difference of shares of interest
    min_discordant: int = 0            # discordant-pairs: discordant pairs needed to decide

    def test_key(self, comparison: str = AS_WRITTEN) -> tuple[str, str, str, str, str, str]:
        """Identity of the primary test: claims that share it (1 and 4) share one family member."""
        scope = f"{self.category} vs the rest" if self.contrast else self.category
        return (self.evidence, self.a, self.b, self.primary.name, scope, comparison)


@dataclass(frozen=True)
class Protocol:
    version: str
    alpha: float
    equivalence_confidence: float
    power: float
    robustness_deltas: tuple[float, ...]
    bootstrap_resamples: int
    bootstrap_seed: int
    fragile_share: float
    claims: tuple[ClaimDefinition, ...]
    decision: str = LAKENS             # lakens (version 1) | interval (version 2)
    multiplicity: str = HOLM           # holm (version 1) | bonferroni (version 2: intervals at 1 - 2 alpha / m)
    category_confidence: float | None = None   # per-category rows at this one confidence (interpolated)
    family_similarity: float | None = None     # tasks whose files share this share of lines form a family
    exclude_tags: tuple[str, ...] = ()         # tasks with any of these tags are in no claim's units (descriptive only)
    loop_first: bool = False                   # like for like takes a task's loop variant wherever it has one

    @property
    def decision_confidence(self) -> float:
        """Version 2: the two-sided confidence of the interval every family member is decided from, so that
        each one-sided decision errs with probability at most alpha / m (Bonferroni over the m tests)."""
        return 1.0 - 2.0 * self.alpha / len(self.family())

    def family(self) -> tuple[tuple[str, ...], ...]:
        """The Holm family: every claim's primary test, as written and like for like, each once."""
        keys = []
        for claim in self.claims:
            keys.append(claim.test_key(AS_WRITTEN))
            if claim.like_for_like:
                keys.append(claim.test_key(LIKE_FOR_LIKE))
        return tuple(dict.fromkeys(keys))

    def claim(self, number: int) -> ClaimDefinition:
        return next(c for c in self.claims if c.number == number)


_TOP = {"version": str, "alpha": float, "equivalence_confidence": float, "power": float,
        "robustness_deltas": list, "bootstrap_resamples": int, "bootstrap_seed": int, "fragile_share": float,
        "claim": list, "decision": str, "multiplicity": str, "category_confidence": float, "family_similarity": float, "exclude_tags": list,
        "loop_first": bool}
_TOP_OPTIONAL = {"decision", "multiplicity", "category_confidence", "family_similarity", "exclude_tags",
                 "loop_first"}  # not in version 1
_CLAIM = {"number": int, "key": str, "statement": str, "construct": str, "kind": str, "evidence": str, "a": str,
          "b": str, "favours": str, "primary": str, "primary_why": str, "secondary": list, "key_secondary": str,
          "key_secondary_why": str, "swaps": list, "key_secondary_swaps": list, "delta": float, "delta_why": str,
          "min_tasks": int, "like_for_like": bool, "category": str, "contrast": bool, "min_nonzero": int,
          "rule": str, "margin": float, "min_discordant": int}
_OPTIONAL = {"category", "contrast", "min_nonzero", "rule", "margin", "min_discordant"}


def _typed(table: dict, spec: dict, where: str, optional: set[str] = frozenset()) -> None:
    for key in table:
        if key not in spec:
            raise ProtocolError(f"{where}: unknown key {key!r}; known: {', '.join(spec)}")
    for key, kind in spec.items():
        if key not in table:
            if key in optional:
                continue
            raise ProtocolError(f"{where}: missing key {key!r}")
        value = table[key]
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) if kind is float else (
            isinstance(value, kind) and not (kind is int and isinstance(value, bool)))
        if not ok:
            raise ProtocolError(f"{where}: {key!r} must be {kind.__name__}, got {type(value).__name__}")


def _metric(name: str, where: str, field: str) -> Metric:
    if name not in BY_NAME:
        raise ProtocolError(f"{where}: unknown metric {name!r} in {field!r}; known: {', '.join(BY_NAME)}")
    return BY_NAME[name]


def _metrics(names: list, where: str, field: str) -> tuple[Metric, ...]:
    if not all(isinstance(n, str) for n in names):
        raise ProtocolError(f"{where}: {field!r} must be a list of metric names")
    return tuple(_metric(n, where, field) for n in names)


def _claim(table: Any, source: str, index: int) -> ClaimDefinition:
    if not isinstance(table, dict):
        raise ProtocolError(f"{source}: [[claim]] number {index + 1} is not a table")
    label = f"claim {table.get('number', index + 1)} ({table.get('key', '?')})"
    where = f"{source}: {label}"
    _typed(table, _CLAIM, where, _OPTIONAL)
    if table["kind"] not in KINDS:
        raise ProtocolError(f"{where}: kind {table['kind']!r} is not one of {', '.join(KINDS)}")
    if table["evidence"] not in EVIDENCE_SOURCES:
        raise ProtocolError(f"{where}: evidence {table['evidence']!r} is not one of {', '.join(EVIDENCE_SOURCES)}")
    primary = _metric(table["primary"], where, "primary")
    if primary.source != EVIDENCE_SOURCES[table["evidence"]]:
        raise ProtocolError(f"{where}: primary metric {primary.name!r} is a {primary.source} metric, but the claim's "
                            f"evidence is {table['evidence']!r}")
    if primary.better not in ("lower", "higher"):
        raise ProtocolError(f"{where}: primary metric {primary.name!r} has no direction (better = lower or higher)")
    key_secondary = _metric(table["key_secondary"], where, "key_secondary") if table["key_secondary"] else None
    if table["kind"] == DIRECTION and table["favours"] not in (table["a"], table["b"]):
        raise ProtocolError(f"{where}: favours {table['favours']!r} must be a ({table['a']!r}) or b ({table['b']!r})")
    if not table["delta"] > 1:
        raise ProtocolError(f"{where}: delta must be a ratio above 1, got {table['delta']}")
    rule = table.get("rule", LOG_RATIOS)
    if rule not in RULES:
        raise ProtocolError(f"{where}: rule {rule!r} is not one of {', '.join(RULES)}")
    if rule == DISCORDANT_PAIRS:
        if table["evidence"] != "debugging" or table["kind"] != DIRECTION:
            raise ProtocolError(f"{where}: rule {rule!r} decides direction claims on debugging evidence only")
        if not 0 <= table.get("margin", -1) < 1:
            raise ProtocolError(f"{where}: rule {rule!r} needs a margin in [0, 1) (a difference of shares)")
        if table.get("min_discordant", 0) < 1:
            raise ProtocolError(f"{where}: rule {rule!r} needs min_discordant of at least 1")
    if table.get("contrast") and not table.get("category"):
        raise ProtocolError(f"{where}: a contrast needs the category it sets against the other tasks")
    return ClaimDefinition(
        number=table["number"], key=table["key"], statement=table["statement"], construct=table["construct"],
        kind=table["kind"], evidence=table["evidence"], a=table["a"], b=table["b"], favours=table["favours"],
        primary=primary, primary_why=table["primary_why"], secondary=_metrics(table["secondary"], where, "secondary"),
        key_secondary=key_secondary, key_secondary_why=table["key_secondary_why"],
        swaps=_metrics(table["swaps"], where, "swaps"),
        key_secondary_swaps=_metrics(table["key_secondary_swaps"], where, "key_secondary_swaps"),
        delta=float(table["delta"]), delta_why=table["delta_why"], min_tasks=table["min_tasks"],
        like_for_like=table["like_for_like"], category=table.get("category", ""),
        contrast=table.get("contrast", False), min_nonzero=table.get("min_nonzero", 0),
        rule=rule, margin=float(table.get("margin", 0.0)), min_discordant=table.get("min_discordant", 0),
    )


def parse_protocol(data: dict, source: str = "protocol") -> Protocol:
    """A Protocol from the parsed TOML; raises ProtocolError naming `source`, the claim and the key."""
    _typed(data, _TOP, source, _TOP_OPTIONAL)
    for key, allowed in (("decision", (LAKENS, INTERVAL)), ("multiplicity", (HOLM, BONFERRONI))):
        if data.get(key, allowed[0]) not in allowed:
            raise ProtocolError(f"{source}: {key} {data[key]!r} is not one of {', '.join(allowed)}")
    claims = tuple(_claim(table, source, i) for i, table in enumerate(data["claim"]))
    for field in ("number", "key"):
        values = [getattr(c, field) for c in claims]
        if len(set(values)) != len(values):
            raise ProtocolError(f"{source}: claim {field}s must be unique, got {values}")
    protocol = Protocol(
        version=data["version"], alpha=float(data["alpha"]), equivalence_confidence=float(data["equivalence_confidence"]),
        power=float(data["power"]), robustness_deltas=tuple(float(d) for d in data["robustness_deltas"]),
        bootstrap_resamples=data["bootstrap_resamples"], bootstrap_seed=data["bootstrap_seed"],
        fragile_share=float(data["fragile_share"]), claims=claims,
        decision=data.get("decision", LAKENS), multiplicity=data.get("multiplicity", HOLM),
        category_confidence=float(data["category_confidence"]) if "category_confidence" in data else None,
        family_similarity=float(data["family_similarity"]) if "family_similarity" in data else None,
        exclude_tags=tuple(data.get("exclude_tags", ())), loop_first=data.get("loop_first", False),
    )
    # The minimum must let the exact test reach the strictest Holm step, alpha / (family size).
    floor = min_tasks_for(protocol.alpha / len(protocol.family()))
    for claim in claims:
        if claim.min_tasks < floor:
            raise ProtocolError(f"{source}: claim {claim.number} ({claim.key}): min_tasks {claim.min_tasks} is below "
                                f"{floor}, the fewest tasks with which a test can pass Holm's first step "
                                f"(alpha / {len(protocol.family())})")
    return protocol


def load_protocol_version(version: str) -> Protocol:
    """A shipped version of the protocol ("1", "2"); ProtocolError naming the known ones otherwise."""
    if version not in PROTOCOL_FILES:
        raise ProtocolError(f"no claim protocol version {version!r}; known: {', '.join(PROTOCOL_FILES)}")
    return load_protocol(PROTOCOL_FILES[version])


def load_protocol(path: Path = PROTOCOL_FILE) -> Protocol:
    """The protocol in `path` (by default the current one easeval ships)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ProtocolError(f"{path}: not valid TOML: {exc}") from None
    return parse_protocol(data, str(path))
