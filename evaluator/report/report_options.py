"""`easeval report`'s options and their defaults: the one place they are declared (the CLI reads them)."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path

DEFAULT_OUTPUT = Path("reports/latest")
CURRENT_PROTOCOL = "2"   # claims/claims_protocol.toml's version (a test keeps them equal)
PROTOCOL_VERSIONS = ("1", "2")
DEBUG_SCOPES = {"claim": ("primary",), "all": None}   # --debug-scope -> the comparisons (debugging/pairing.py) run


@dataclass(frozen=True)
class ReportOptions:
    tasks_dir: Path = Path("tasks")
    results_dir: Path = Path("results")
    output_dir: Path = DEFAULT_OUTPUT
    device: str = "cpu"
    static_only: bool = False
    threads: int = 1
    timeout: float = 300.0
    force: bool = False
    cache_dir: Path | None = None      # analysis cache; None = the analysis default
    corpora: tuple[tuple[str, Path], ...] = ()  # --corpus NAME=DIR: static-only corpora for the Replication section
    debug: bool = True                 # plant the debugging matrix's bugs (easeval debug, no aids; cached): claim 8
    protocol: str = CURRENT_PROTOCOL   # the claim protocol version the claims are decided under
    docs: bool = True                  # measure the installed docs of the APIs the corpus calls (cached per version)
    remeasure_disturbed: bool = False  # time again the measurements taken under load (claims.disturbed_timings)
    # which planted bugs the debugging stage runs: "claim", the implementations of claim 8's primary
    # comparison (PyTorch eager, TensorFlow like for like); "all", every mutated implementation (easeval debug's)
    debug_scope: str = "claim"

    @property
    def debug_comparisons(self) -> tuple[str, ...] | None:
        return DEBUG_SCOPES[self.debug_scope]

    def command(self) -> str:
        """The exact command that reproduces this report."""
        parts = ["easeval", "report", "--tasks", str(self.tasks_dir), "--results", str(self.results_dir),
                 "--output", str(self.output_dir), "--device", self.device, "--threads", str(self.threads)]
        if self.static_only:
            parts.append("--static-only")
        else:
            if not self.debug:
                parts.append("--no-debug")
            if not self.docs:
                parts.append("--no-docs")
            if self.debug and self.debug_scope != "claim":
                parts += ["--debug-scope", self.debug_scope]
        if self.remeasure_disturbed:
            parts.append("--remeasure-disturbed")
        for name, folder in self.corpora:
            parts += ["--corpus", f"{name}={folder}"]
        if self.protocol != CURRENT_PROTOCOL:
            parts += ["--protocol", self.protocol]
        return shlex.join(parts)
