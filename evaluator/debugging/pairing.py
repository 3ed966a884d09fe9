"""Which mutants on two sides are the same bug: paired by task, operator and role, per comparison.

Every implementation of a task whose framework has site rules is mutated with every operator; which
implementations are compared is read off the task's files and its `[levels]` (`comparisons`), never a
fixed list. Each pair carries its comparison's name:
- "primary" (claim 8): eager PyTorch (`torch`) against TensorFlow's like-for-like core implementation:
  `tensorflow_loop` where the task has one, else `tensorflow_lowlevel`, else the primary `tensorflow`
  when its level is core (as protocol 2's `loop_first` picks like for like, claims/paired_evidence.py);
- "as-written": PyTorch against the Keras primary as written, where that is not already the primary;
- "torch-eager-vs-compiled": `torch` against `torch_compiled` (the same code under torch.compile);
- "tf-eager-vs-function": `tensorflow` against `tensorflow_function` (the same eager code under tf.function);
- "compiled": `torch_compiled` against `tensorflow_function`;
- "tf-graph-vs-xla": `tensorflow` against `tensorflow_jit`;
- "torch-vs-<key>": PyTorch against any other implementation (a second TensorFlow variant, Keras as its
  own framework, ...), so nothing mutated goes unpaired for want of a comparison.

Automatic rules, per (task, operator, role), in order:
1. each side has exactly one site: paired ("one each");
2. sites with the same anchor (the name the code computes or reads) and as many on each side: paired
   in file order ("anchor");
3. what is left, as many on each side: paired in file order ("order");
4. else an anchor on both sides in unequal numbers: its first sites on each side in file order
   ("anchor, first"), then what is left, as many on each side, in file order;
5. otherwise the sites stay unpaired ("ambiguous") unless `mutants.toml` pairs them.
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
    against = "tensorflow"         # optional: the one implementation it is unpaired against; without it,
                                   # every comparison with another framework's implementation
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from evaluator.debugging.mutants import Mutant
from evaluator.frameworks import adapter_names, get_adapter, ordered_frameworks, split_impl_key
from evaluator.debugging.operators import get_operator, operator_weight

MUTANTS_FILE = "mutants.toml"

PRIMARY, AS_WRITTEN = "primary", "as-written"
TORCH_EAGER_VS_COMPILED, TF_EAGER_VS_FUNCTION = "torch-eager-vs-compiled", "tf-eager-vs-function"
COMPILED, TF_GRAPH_VS_XLA = "compiled", "tf-graph-vs-xla"
# The essay's comparison (claim 8's a and b in claims_protocol.toml): the primary comparison pairs the first
# one's eager primary with the second one's core-level implementation. Everything else a comparison needs
# is the adapters' (evaluator/frameworks/__init__.py): CORE_VARIANTS (the core-level stand-ins for a
# high-level primary), DEBUG_VARIANT_COMPARISONS (a variant against its own primary, by comparison name)
# and COMPILED_VARIANT (the two sides' compiled variants against each other).
PRIMARY_SIDES = ("torch", "tensorflow")


@dataclass(frozen=True)
class Comparison:
    """Two implementations of one task whose mutants are paired; `name` is what the pairs carry."""

    name: str
    a: str
    b: str


def _adapter_attribute(framework: str, name: str, default):
    return getattr(get_adapter(framework), name, default) if framework in adapter_names() else default


def core_key(framework: str, keys, levels: dict[str, str]) -> str | None:
    """The core-level implementation of `framework` among `keys`: its first CORE_VARIANTS stand-in present,
    else the primary when task.toml's [levels] does not declare it high; None when there is none."""
    for variant in _adapter_attribute(framework, "CORE_VARIANTS", ()):
        if f"{framework}_{variant}" in keys:
            return f"{framework}_{variant}"
    return framework if levels.get(framework, "core") == "core" else None


def comparisons(keys, levels: dict[str, str] | None = None) -> list[Comparison]:
    """The comparisons of a task with implementations `keys` (impl keys found from its files) and its
    task.toml `[levels]` (impl key -> "core" | "high"; an undeclared level counts as core)."""
    keys, levels = set(keys), levels or {}
    found: list[Comparison] = []
    a, b = PRIMARY_SIDES

    def add(name: str, first: str, second: str) -> None:
        if first in keys and second in keys:
            found.append(Comparison(name, first, second))

    core = core_key(b, keys, levels)
    if core is not None:
        add(PRIMARY, a, core)
    if core != b:
        add(AS_WRITTEN, a, b)
    for framework in ordered_frameworks(split_impl_key(k)[0] for k in keys):
        for variant, name in _adapter_attribute(framework, "DEBUG_VARIANT_COMPARISONS", {}).items():
            add(name, framework, f"{framework}_{variant}")
    compiled_a, compiled_b = (_adapter_attribute(f, "COMPILED_VARIANT", None) for f in PRIMARY_SIDES)
    if compiled_a and compiled_b:
        add(COMPILED, f"{a}_{compiled_a}", f"{b}_{compiled_b}")
    covered = {k for c in found for k in (c.a, c.b)}
    for key in sorted(keys - covered - {a}):
        add(f"{a}-vs-{key}", a, key)
    return found

ONE_EACH, ANCHOR, ANCHOR_ORDER, ORDER, BY_HAND = "one each", "anchor", "anchor, first", "order", "mutants.toml"
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
    against: str | None = None   # the implementation it is unpaired against (None: every other framework's)


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
        extra = sorted(set(entry) - {"impl", "site", "reason", "against"})
        if extra:
            raise MutantsFileError(path, "unknown key (allowed: impl, site, reason, against)", f"{where}.{extra[0]}")
        for key in ("impl", "site", "reason"):
            if key not in entry:
                raise MutantsFileError(path, "missing", f"{where}.{key}")
            _expect(path, f"{where}.{key}", entry[key], str)
        if "against" in entry:
            _expect(path, f"{where}.against", entry["against"], str)
        unpaired.append(HandUnpaired(entry["impl"], entry["site"], entry["reason"], entry.get("against")))
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
    comparison: str = PRIMARY   # which comparison it belongs to (module docstring); claim 8 reads "primary"

    @property
    def weight(self) -> float:
        """The operator's real-fault weight, for the weighted secondary analysis (operators.py)."""
        return operator_weight(self.operator)


@dataclass(frozen=True)
class Unpaired:
    mutant: Mutant
    reason: str          # NO_COUNTERPART, AMBIGUOUS or MARKED
    note: str = ""       # why, in words (every unpaired mutant has one)
    comparison: str = PRIMARY
    other: str = ""      # the implementation it found no partner in

    @property
    def weight(self) -> float:
        return operator_weight(self.mutant.site.operator)

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
                 hand: MutantsFile | None = None, comparison: str = PRIMARY) -> tuple[list[MutantPair], list[Unpaired]]:
    """Pair the mutants of implementations `a_key` and `b_key` of one task (see the module docstring):
    the hand entries of mutants.toml first, then by operator and role, anchor and order. Every pair and
    unpaired mutant carries `comparison`; every unpaired one a note saying why."""
    from dataclasses import replace

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
    pairs = [replace(p, comparison=comparison) for p in pairs]
    unpaired = [_explained(u, comparison, b_key if u.mutant.impl_key == a_key else a_key, a_all + b_all) for u in unpaired]
    return pairs, unpaired


def _framework(impl_key: str) -> str:
    return impl_key.split("_")[0]


def _explained(u: Unpaired, comparison: str, other: str, pool: list[Mutant]) -> Unpaired:
    """`u` with its comparison, the implementation it has no partner in, and a note saying why."""
    from dataclasses import replace

    note = u.note
    op, role = u.mutant.site.operator, u.mutant.site.role
    if u.reason == NO_COUNTERPART:
        across = _framework(other) != _framework(u.mutant.impl_key)   # a framework's own reason, only across frameworks
        why = get_operator(op).not_expressible.get(_framework(other), "") if across else ""
        same_op = sorted({m.site.role for m in pool if m.impl_key == other and m.site.operator == op})
        note = f"{other} has no {op} site in the role '{role}'" + (
            f" (its {op} roles: {', '.join(same_op)})" if same_op else f" and no {op} site at all") + (f": {why}" if why else "")
    elif u.reason == AMBIGUOUS:
        mine = sum(1 for m in pool if m.impl_key == u.mutant.impl_key and (m.site.operator, m.site.role) == (op, role))
        theirs = sum(1 for m in pool if m.impl_key == other and (m.site.operator, m.site.role) == (op, role))
        note = (f"{mine} site(s) of {op} '{role}' here against {theirs} in {other}, and no rule tells which of "
                f"the left-over ones match: mutants.toml can pair them")
    return replace(u, comparison=comparison, other=other, note=note)


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
        other = b_key if entry.impl == a_key else a_key
        if (entry.against or other) != other or (entry.against is None and _framework(other) == _framework(entry.impl)):
            continue   # marked against another implementation, or (by default) only against other frameworks
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
    # an anchor on both sides in unequal numbers (the input converted once for training and prediction
    # in one file, twice in the other): its first sites on each side, in file order; the extra stay ambiguous
    for anchor in sorted({m.site.anchor for m in a_group} & {m.site.anchor for m in b_group} - {""}):
        a_same = [m for m in a_group if m.site.anchor == anchor]
        b_same = [m for m in b_group if m.site.anchor == anchor]
        matched = list(zip(a_same, b_same))
        pairs += [MutantPair(task, operator, role, a, b, ANCHOR_ORDER) for a, b in matched]
        used = {id(m) for pair in matched for m in pair}
        a_group = [m for m in a_group if id(m) not in used]
        b_group = [m for m in b_group if id(m) not in used]
    if a_group and len(a_group) == len(b_group):
        return pairs + [MutantPair(task, operator, role, a, b, ORDER) for a, b in zip(a_group, b_group)], []
    return pairs, [Unpaired(m, AMBIGUOUS) for m in a_group + b_group]
