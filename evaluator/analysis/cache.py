"""Content-hash cache of file analyses: one small JSON file per (content, analysis fingerprint).

An entry is trusted only if it was written by the same analysis version, libraries and Python
minor version (all part of the key, and checked again inside the entry); a corrupt or foreign entry
is a miss, and is overwritten by the fresh result.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Mapping

from evaluator.base.fileio import write_text_atomic
from evaluator.analysis.analysis_types import ANALYSIS_VERSION, FileAnalysis, analysis_from_dict, analysis_to_dict

# Changelog of the entry format (not of the metrics: those are ANALYSIS_VERSION):
# 1: {"schema_version", "key", "fingerprint", "analysis"}.
CACHE_SCHEMA_VERSION = 1
DEFAULT_CACHE_DIR = Path(".easeval-cache") / "analysis"


def analysis_fingerprint(roots: frozenset[str], aliases: Mapping[str, str] | None = None) -> str:
    """Everything besides the file content that can change a result (a corpus's aliases included)."""
    from importlib.metadata import version  # not at import time: the CLI imports this module for every command

    fingerprint = (
        f"analysis={ANALYSIS_VERSION};radon={version('radon')};libcst={version('libcst')};"
        f"python={sys.version_info[0]}.{sys.version_info[1]};roots={','.join(sorted(roots))}"
    )
    if aliases:
        table = json.dumps(sorted(aliases.items()), ensure_ascii=True)
        fingerprint += f";aliases={hashlib.sha256(table.encode()).hexdigest()[:16]}"
    return fingerprint


def cache_key(content_sha256: str, fingerprint: str) -> str:
    return hashlib.sha256(f"{fingerprint}\n{content_sha256}".encode()).hexdigest()


def _entry_path(cache_dir: Path, key: str) -> Path:
    return cache_dir / key[:2] / f"{key}.json"


def load_cached(cache_dir: Path, key: str, fingerprint: str) -> FileAnalysis | None:
    """The cached analysis for `key`, or None if absent, unreadable, corrupt or from another version."""
    try:
        with open(_entry_path(cache_dir, key), encoding="utf-8") as handle:
            entry = json.load(handle)
        if entry["schema_version"] != CACHE_SCHEMA_VERSION or entry["key"] != key or entry["fingerprint"] != fingerprint:
            return None
        return analysis_from_dict(entry["analysis"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def store(cache_dir: Path, key: str, fingerprint: str, analysis: FileAnalysis) -> None:
    """Write one entry atomically, so a reader never sees half of one.

    No fsync, unlike result files: an entry lost in a power cut is only recomputed, and syncing
    each one would cost about as much as analysing the file.
    """
    path = _entry_path(cache_dir, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    entry = {"schema_version": CACHE_SCHEMA_VERSION, "key": key, "fingerprint": fingerprint,
             "analysis": analysis_to_dict(analysis)}
    write_text_atomic(path, json.dumps(entry, allow_nan=False), fsync=False)
