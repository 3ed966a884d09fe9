"""The progress display of the long commands (`report`, `run`, `debug`)."""

from __future__ import annotations

import sys

import click


class ProgressDisplay:
    """Progress of a long command: on a terminal one bar with counts and ETA, its label the current
    stage; elsewhere (CI logs, pipes) one line per stage and no bar. Never both."""

    def __init__(self, command: str, file=None, interactive: bool | None = None) -> None:
        self.command, self.file = command, file or sys.stderr
        self.interactive = self.file.isatty() if interactive is None else interactive
        self.bar = None
        self.stage_name = ""
        self.last_event_stage = ""

    def stage(self, name: str) -> None:
        """A stage of the command (static analysis, execution, statistics, rendering)."""
        self.stage_name = name
        self._show(name)

    def progress(self, event) -> None:
        """A `RunProgress` of the execution: a new stage of it, or units of work done."""
        stage = getattr(event, "stage", "")  # a DebugProgress has none
        if stage and stage != self.last_event_stage:
            self.last_event_stage = stage
            self._show(f"{self.stage_name}: {stage}" if self.stage_name else stage)
        if self.interactive:
            bar = self._bar()
            bar.length = max(event.total, 1)
            bar.update(max(event.done - bar.pos, 0))

    def close(self) -> None:
        if self.bar is not None:
            self.bar.render_finish()
            self.bar = None

    def _bar(self):
        if self.bar is None:
            self.bar = click.progressbar(length=1, label=self.command, show_eta=True, show_pos=True, file=self.file)
            self.bar.is_hidden = False  # the caller decided this is a terminal
        return self.bar

    def _show(self, text: str) -> None:
        if self.interactive:
            bar = self._bar()
            bar.label = f"{self.command}: {text}"[:60]
            bar.render_progress()
        else:
            click.echo(f"{self.command}: {text}", file=self.file)
