"""Which mutants on two sides are the same bug: paired by task, operator and role.

Implementations compared: each task's primaries (PyTorch against TensorFlow), and where a task has both,
the compiled variants (torch.compile against tf.function), whose sites are only those of the compiled
function itself (TRACE): the other operators are already planted in the primaries.

Automatic rules, per (task, operator, role), in order:
1. each side has exactly one site: paired ("one each");
2. sites with the same anchor (the name the code computes or reads) and as many on each side: paired
   in file order ("anchor");
3. what is left, as many on each side: paired in file order ("order");
4. otherwise the sites stay unpaired ("ambiguous") unless `mutants.toml` pairs them.
A site whose role has no site at all on the other side has no counterpart: it counts toward
*expressibility* (the bug cannot be planted in the other implementation as written), never in the
paired comparison.

`tasks/<task>/mutants.toml` (optional, strict: unknown keys and wrong types are errors naming the file
and the key) pairs sites by hand and marks sites unpaired on purpose:

    [[pair]]
    torch = "MODE@43"              # site ids, as `easeval debug --list` prints them
    tensorflow = "MODE@29"
    note = "model.eval() before the forward pass <-> training=False on the call"

    [[unpaired]]
    impl = "torch"
    site = "MODE@42"
    reason = "TensorFlow has no no-grad context: only what runs under a tape is recorded"
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from evaluator.debugging.mutants import Mutant

MUTANTS_FILE = "mutants.toml"
IMPLEMENTATION_PAIRS: tuple[tuple[str, str], ...] = (("torch", "tensorflow"), ("torch_compiled", "tensorflow_function"))
VARIANT_OPERATORS = ("TRACE",)   # the operators planted in the compiled variants

ONE_EACH, ANCHOR, ORDER, BY_HAND = "one each", "anchor", "order", "mutants.toml"
NO_COUNTERPART, AMBIGUOUS, MARKED = "no counterpart", "ambiguous", "marked unpaired"


class MutantsFileError(ValueError):
    """A problem in a task's mutants.toml; the message names the file and the key."""

    def __init__(self, path: Path, message: str, key: str | None = None):
        self.path, self.key = path, key
        super().__init__(f"{path}: key '{key}': {message}" if key else f"{path}: {message}")


@dataclass(frozen=True)
class HandPair:
    sites: dict[str, str]      # implementation key -> site id
    note: str = ""


@dataclass(frozen=True)
class HandUnpaired:
    impl: str
    site: str
    reason: str


@dataclass(frozen=True)
class MutantsFile:
    path: Path
    pairs: tuple[HandPair, ...] = ()
    unpaired: tuple[HandUnpaired, ...] = ()


def _expect(path: Path, key: str, value: object, kind: type) -> None:
    names = {str: "a string", list: "an array of tables", dict: "a table"}
    if not isinstance(value, kind):
        raise MutantsFileError(path, f"must be {names[kind]}, got {type(value).__name__}", key)


def load_mutants_file(path: Path) -> MutantsFile:
    """Read a task's mutants.toml strictly; raises MutantsFileError naming the file and the key."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise MutantsFileError(path, f"cannot read: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise MutantsFileError(path, f"not valid TOML: {exc}") from exc
    unknown = sorted(set(data) - {"pair", "unpaired"})
    if unknown:
        raise MutantsFileError(path, "unknown key (allowed: pair, unpaired)", unknown[0])
    pairs, unpaired = [], []
    _expect(path, "pair", data.get("pair", []), list)
    for i, entry in enumerate(data.get("pair", [])):
        where = f"pair[{i}]"
        _expect(path, where, entry, dict)
        sites = {k: v for k, v in entry.items() if k != "note"}
        for key, value in entry.items():
            _expect(path, f"{where}.{key}", value, str)
        if len(sites) != 2:
            raise MutantsFileError(path, f"needs exactly two implementation keys (site ids), got {len(sites)}", where)
        operators = {site.partition("@")[0] for site in sites.values()}
        if len(operators) != 1:
            raise MutantsFileError(path, f"pairs sites of different operators ({', '.join(sorted(operators))})", where)
        pairs.append(HandPair(sites, entry.get("note", "")))
    _expect(path, "unpaired", data.get("unpaired", []), list)
    for i, entry in enumerate(data.get("unpaired", [])):
        where = f"unpaired[{i}]"
        _expect(path, where, entry, dict)
        extra = sorted(set(entry) - {"impl", "site", "reason"})
        if extra:
            raise MutantsFileError(path, "unknown key (allowed: impl, site, reason)", f"{where}.{extra[0]}")
        for key in ("impl", "site", "reason"):
            if key not in entry:
                raise MutantsFileError(path, "missing", f"{where}.{key}")
            _expect(path, f"{where}.{key}", entry[key], str)
        unpaired.append(HandUnpaired(entry["impl"], entry["site"], entry["reason"]))
    return MutantsFile(path, tuple(pairs), tuple(unpaired))


@dataclass(frozen=True)
class MutantPair:
    """The same bug planted on both sides: `a` in the first implementation of the pair, `b` in the second."""

    task: str
    operator: str
    role: str
    a: Mutant
    b: Mutant
    rule: str
    note: str = ""


@dataclass(frozen=True)
class Unpaired:
    mutant: Mutant
    reason: str          # NO_COUNTERPART, AMBIGUOUS or MARKED
    note: str = ""

    @property
    def expressibility(self) -> bool:
        """Counts toward expressibility: the other side has no site of this role at all."""
        return self.reason == NO_COUNTERPART


def check_hand_entries(hand: MutantsFile, mutants: dict[str, list[Mutant]]) -> None:
    """Every site a mutants.toml names exists; raises MutantsFileError naming the entry otherwise."""
    for i, pair in enumerate(hand.pairs):
        for impl, site in pair.sites.items():
            if impl not in mutants:
                raise MutantsFileError(hand.path, f"no implementation {impl!r} is mutated in this task", f"pair[{i}].{impl}")
            if not any(m.site.site_id == site for m in mutants[impl]):
                raise MutantsFileError(hand.path, f"{impl} has no site {site!r} (see `easeval debug --list`)", f"pair[{i}].{impl}")
    for i, entry in enumerate(hand.unpaired):
        if not any(m.site.site_id == entry.site for m in mutants.get(entry.impl, [])):
            raise MutantsFileError(hand.path, f"{entry.impl} has no site {entry.site!r} (see `easeval debug --list`)",
                                   f"unpaired[{i}].site")


def pair_mutants(task: str, a_key: str, b_key: str, mutants: dict[str, list[Mutant]],
                 hand: MutantsFile | None = None) -> tuple[list[MutantPair], list[Unpaired]]:
    """Pair the mutants of implementations `a_key` and `b_key` of one task (see the module docstring):
    the hand entries of mutants.toml first, then by operator and role, anchor and order."""
    a_all, b_all = list(mutants.get(a_key, [])), list(mutants.get(b_key, []))
    taken: set[int] = set()
    pairs, unpaired = _pair_by_hand(task, a_key, b_key, a_all, b_all, hand, taken) if hand is not None else ([], [])
    a_left = [m for m in a_all if id(m) not in taken]
    b_left = [m for m in b_all if id(m) not in taken]
    for operator, role in sorted({(m.site.operator, m.site.role) for m in a_left + b_left}):
        a_group = [m for m in a_left if (m.site.operator, m.site.role) == (operator, role)]
        b_group = [m for m in b_left if (m.site.operator, m.site.role) == (operator, role)]
        group_pairs, group_unpaired = _pair_group(task, operator, role, a_group, b_group)
        pairs += group_pairs
        unpaired += group_unpaired
    return pairs, unpaired


def _site(pool: list[Mutant], site: str) -> Mutant | None:
    return next((m for m in pool if m.site.site_id == site), None)


def _pair_by_hand(task: str, a_key: str, b_key: str, a_all: list[Mutant], b_all: list[Mutant], hand: MutantsFile,
                  taken: set[int]) -> tuple[list[MutantPair], list[Unpaired]]:
    """mutants.toml's pairs and unpaired entries for these two implementations; adds what it uses to `taken`."""
    pairs: list[MutantPair] = []
    unpaired: list[Unpaired] = []
    for entry in hand.pairs:
        if set(entry.sites) != {a_key, b_key}:
            continue
        a, b = _site(a_all, entry.sites[a_key]), _site(b_all, entry.sites[b_key])
        if a is not None and b is not None:
            pairs.append(MutantPair(task, a.site.operator, a.site.role, a, b, BY_HAND, entry.note))
            taken |= {id(a), id(b)}
    for entry in hand.unpaired:
        pool = a_all if entry.impl == a_key else b_all if entry.impl == b_key else []
        found = _site(pool, entry.site)
        if found is not None and id(found) not in taken:
            unpaired.append(Unpaired(found, MARKED, entry.reason))
            taken.add(id(found))
    return pairs, unpaired


def _pair_group(task: str, operator: str, role: str, a_group: list[Mutant],
                b_group: list[Mutant]) -> tuple[list[MutantPair], list[Unpaired]]:
    """One operator and role: one each pairs; else the same anchor in equal numbers, then the rest in order."""
    if not a_group or not b_group:
        return [], [Unpaired(m, NO_COUNTERPART) for m in a_group + b_group]
    if len(a_group) == 1 and len(b_group) == 1:
        return [MutantPair(task, operator, role, a_group[0], b_group[0], ONE_EACH)], []
    pairs: list[MutantPair] = []
    for anchor in sorted({m.site.anchor for m in a_group} & {m.site.anchor for m in b_group} - {""}):
        a_same = [m for m in a_group if m.site.anchor == anchor]
        b_same = [m for m in b_group if m.site.anchor == anchor]
        if len(a_same) == len(b_same):
            pairs += [MutantPair(task, operator, role, a, b, ANCHOR) for a, b in zip(a_same, b_same)]
            a_group = [m for m in a_group if m not in a_same]
            b_group = [m for m in b_group if m not in b_same]
    if len(a_group) == len(b_group):
        return pairs + [MutantPair(task, operator, role, a, b, ORDER) for a, b in zip(a_group, b_group)], []
    return pairs, [Unpaired(m, AMBIGUOUS) for m in a_group + b_group]
