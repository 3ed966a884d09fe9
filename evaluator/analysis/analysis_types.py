"""What the analyses produce, and the framework names they are computed against.

Standard library only, so that a run served from the cache never imports libcst or radon.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

# Changelog (bump on any change to what a metric means or how it is computed: cached results
# carry it and are recomputed when it differs):
# 1: size (radon raw + tokens), radon complexity + nesting depth, API surface.
# 2: corpus aliases (re-exported framework modules) resolved; imports inside glue bind names;
#    `ApiSurface.lookalikes` (framework-looking names left unresolved).
ANALYSIS_VERSION = 2

# Imported under their own name, these count as framework APIs and keep their own namespace:
# Keras 3 is TensorFlow's high-level API here, but it also runs on other backends, so `keras.X`
# is not rewritten to `tensorflow.keras.X`.
STANDALONE_FRAMEWORK_PACKAGES = ("keras",)

# Conventional short names of framework modules. A name bound to one of these or to a framework
# root by something that is not the framework itself (`from ...modeling_tf_utils import keras`,
# `from d2l import torch as d2l`) looks like a framework module: the importer proposes an alias for
# it where it can tell, and the analysis counts the references that stay unresolved.
KNOWN_FRAMEWORK_ALIASES = {"tf": "tensorflow", "jnp": "jax.numpy", "tf_keras": "keras"}


def framework_roots() -> frozenset[str]:
    """Top-level modules that count as a framework: each adapter's IMPORT_NAME, plus Keras."""
    from evaluator.frameworks import adapter_names, get_adapter

    return frozenset(get_adapter(name).IMPORT_NAME for name in adapter_names()) | set(STANDALONE_FRAMEWORK_PACKAGES)


@dataclass(frozen=True)
class SizeMetrics:
    """Line and token counts of one source text (radon's raw definitions)."""

    loc: int              # physical lines: sloc + blank + multi + single_comments
    lloc: int             # logical lines (statements; `if x: y` is two)
    sloc: int             # lines holding code
    comments: int         # comment tokens, wherever they are
    single_comments: int  # lines holding only a comment or a one-line string statement
    multi: int            # non-blank lines of multi-line string statements (docstrings)
    blank: int            # whitespace-only lines
    tokens: int           # tokens other than comments and layout (NEWLINE, NL, INDENT, DEDENT)


@dataclass(frozen=True)
class ComplexityMetrics:
    functions: int                # functions and methods, nested ones included
    cc_sum: int                   # sum of their cyclomatic complexities
    cc_max: int                   # the largest one (0 when there is no function)
    halstead_volume: float
    halstead_difficulty: float
    halstead_effort: float
    maintainability_index: float  # radon's MI, 0..100, comments and docstrings counted
    max_nesting_depth: int        # most blocks enclosing a statement; 0 = top level only


@dataclass(frozen=True)
class ApiSurface:
    apis: tuple[tuple[str, int], ...]        # resolved framework names and their reference counts, by name
    references: int                          # every reference to a framework name
    calls: int                               # calls of a framework name
    call_keywords: int                       # keyword arguments passed in those calls (not **kwargs)
    subclassed: tuple[str, ...]              # framework classes subclassed (one entry per base)
    decorators: int                          # decorators that are framework names or calls of them
    namespaces: tuple[str, ...]              # distinct framework namespaces ("concepts"), sorted
    unresolved_method_calls: tuple[tuple[str, int], ...]  # method name, count; receiver type unknown
    unresolved_method_call_keywords: int     # keyword arguments passed in those method calls
    # import targets that look like framework modules but resolve to none (see KNOWN_FRAMEWORK_ALIASES),
    # with the references made through them: API metrics miss these references
    lookalikes: tuple[tuple[str, int], ...] = ()

    @property
    def distinct_apis(self) -> int:
        return len(self.apis)

    @property
    def concepts(self) -> int:
        return len(self.namespaces)

    @property
    def unresolved_method_call_count(self) -> int:
        return sum(count for _, count in self.unresolved_method_calls)


@dataclass(frozen=True)
class FileAnalysis:
    """The metrics of one file's content, or why there are none (`error`)."""

    sha256: str                       # of the file's bytes
    glue_excluded_lines: int          # lines marked as harness glue, dropped before measuring
    size: SizeMetrics | None = None
    complexity: ComplexityMetrics | None = None
    api: ApiSurface | None = None
    error: str | None = None


def analysis_to_dict(analysis: FileAnalysis) -> dict:
    """Plain JSON-ready form (the cache stores it); `analysis_from_dict` reads it back."""
    return asdict(analysis)


def analysis_from_dict(data: dict) -> FileAnalysis:
    """Rebuild a FileAnalysis; raises KeyError or TypeError on a malformed dict."""
    api = data["api"]
    if api is not None:
        api = ApiSurface(**{
            **api,
            "apis": tuple((name, count) for name, count in api["apis"]),
            "subclassed": tuple(api["subclassed"]),
            "namespaces": tuple(api["namespaces"]),
            "unresolved_method_calls": tuple((name, count) for name, count in api["unresolved_method_calls"]),
            "lookalikes": tuple((name, count) for name, count in api.get("lookalikes", ())),
        })
    return FileAnalysis(
        sha256=data["sha256"],
        glue_excluded_lines=data["glue_excluded_lines"],
        size=SizeMetrics(**data["size"]) if data["size"] is not None else None,
        complexity=ComplexityMetrics(**data["complexity"]) if data["complexity"] is not None else None,
        api=api,
        error=data["error"],
    )
