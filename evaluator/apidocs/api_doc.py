"""The documentation record of one framework name, as the inspection worker writes it (standard library only)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

# Changelog of the inspection records (worker output and cache files carry it; others are refused):
# 1: first version.
RECORD_SCHEMA_VERSION = 1


@dataclass(frozen=True)
class ApiDoc:
    """What the installed package documents about one canonical dotted name."""

    name: str                                   # as the analysis resolved it, e.g. torch.nn.Linear
    exists: bool
    kind: str | None = None                     # module, class, function, method, other (a value)
    resolved_name: str | None = None            # obj.__module__ + "." + obj.__qualname__, aliases followed
    has_docstring: bool = False
    doc_chars: int = 0                          # len(inspect.getdoc(obj))
    parameters: tuple[str, ...] | None = None   # None: no signature could be read
    signature_source: str | None = None         # "inspect", or "docstring" (torch builtins' first line)
    documented_parameters: tuple[str, ...] = ()
    params_documented: bool | None = None       # None: no parameters, or no signature
    has_example: bool = False
    reason: str | None = None                   # why it could not be resolved (exists False)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> ApiDoc:
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown keys in an API doc record: {sorted(unknown)}")
        values = dict(data)
        for key in ("parameters", "documented_parameters"):
            if values.get(key) is not None:
                values[key] = tuple(values[key])
        return cls(**values)


def unresolved(name: str, reason: str) -> ApiDoc:
    """The record of a name that could not be inspected, and why."""
    return ApiDoc(name=name, exists=False, reason=reason)
