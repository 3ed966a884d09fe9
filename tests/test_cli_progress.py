"""Progress of long commands: a bar with counts and ETA on a terminal, one line per stage elsewhere
(CI logs), never both."""

from __future__ import annotations

import io
import re

from click.testing import CliRunner

from evaluator.cli import main
from evaluator.cli.progress import ProgressDisplay
from evaluator.runner.execute import RunProgress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def drive(display: ProgressDisplay) -> None:
    """What `easeval report` sends: its stages, and the run's events (stages and units of work)."""
    display.stage("static analysis")
    display.stage("execution")
    display.progress(RunProgress(0, 10, None, "checking correctness (4 measurements, 2 at a time)"))
    for done in range(1, 5):
        display.progress(RunProgress(done, 10, None, "checking correctness (4 measurements, 2 at a time)"))
    display.progress(RunProgress(4, 10, None, "timing, process 1 of 3 (2 measurements, one at a time)"))
    for done in range(5, 11):
        display.progress(RunProgress(done, 10, None, "timing, process 1 of 3 (2 measurements, one at a time)"))
    display.stage("statistics")
    display.close()


def test_not_a_terminal_one_line_per_stage_and_no_bar():
    out = io.StringIO()
    drive(ProgressDisplay("easeval report", file=out))
    assert out.getvalue().splitlines() == [
        "easeval report: static analysis",
        "easeval report: execution",
        "easeval report: execution: checking correctness (4 measurements, 2 at a time)",
        "easeval report: execution: timing, process 1 of 3 (2 measurements, one at a time)",
        "easeval report: statistics",
    ]
    assert "\r" not in out.getvalue() and "#" not in out.getvalue()


def test_a_terminal_gets_one_bar_with_counts_and_an_eta_and_no_stage_lines(monkeypatch):
    import click._termui_impl as termui

    clock = iter(range(0, 10_000, 2))  # every reading 2 s later: click estimates an ETA once a second has passed
    monkeypatch.setattr(termui.time, "time", lambda: float(next(clock)))
    out = Terminal()
    drive(ProgressDisplay("easeval report", file=out))
    frames = [f for f in out.getvalue().split("\r") if f.strip()]
    assert "  4/10" in frames[7] and "  10/10" in frames[-2]
    eta = [f for f in frames if "/10" in f and "10/10" not in f]
    assert eta and all(re.search(r"\d+/10\s+\d\d:\d\d:\d\d", f) for f in eta[1:]), eta
    # stages are the bar's label, redrawn in place: no line per stage, one newline at the end
    assert out.getvalue().count("\n") == 1
    assert any(f.startswith("\x1b[?25leaseval report: execution: timing, process 1 of 3") for f in frames)
    assert not any(f.startswith("easeval report: static analysis\n") for f in frames)


def test_the_cli_in_a_pipe_prints_stage_lines_on_stderr_only(tmp_path):
    results = tmp_path / "results"
    outcome = CliRunner().invoke(main, ["run", "--tasks", "tests/fault_corpus", "fault_correct", "--size", "nope",
                                        "--results", str(results)])
    assert outcome.exit_code == 0, outcome.output
    assert "easeval run: reusing earlier results (0 measurements; 2 skipped)" in outcome.stderr
    assert "easeval run:" not in outcome.stdout and "\r" not in outcome.stderr


def test_debug_progress_events_have_no_stage_and_drive_the_bar():
    """`easeval debug` (and the report's debugging stage) send DebugProgress events, which carry no
    stage of their own: off a terminal only the stage lines show, on a terminal the bar counts them."""
    from evaluator.debugging.mutant_runs import DebugProgress

    out, term = io.StringIO(), Terminal()
    for display in (ProgressDisplay("easeval debug", file=out), ProgressDisplay("easeval debug", file=term)):
        display.stage("planting bugs in 2 tasks")
        for done in range(1, 4):
            display.progress(DebugProgress(done, 3, None))
        display.close()
    assert out.getvalue().splitlines() == ["easeval debug: planting bugs in 2 tasks"]
    assert "3/3" in term.getvalue() and term.getvalue().count("\n") == 1
