"""Progress of a catalog load on stderr: a rich bar on a terminal, plain lines elsewhere.

A load of a million documents runs for minutes. On a terminal each phase (building
indexes, reading each file, checking lineage, comparing, writing, deleting) is a rich
bar with rows done and rows/s. Off a terminal (CI logs, `nohup`, a pipe) a bar would be
escape codes, so each phase prints plain lines instead: one when it starts, one every
`every_s` seconds while it runs, and one when it ends, each with rows and rows/s.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    ProgressColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.progress import Progress as RichProgress
from rich.progress import Task as RichTask
from rich.text import Text


class _RateColumn(ProgressColumn):
    def render(self, task: RichTask) -> Text:
        speed = task.finished_speed or task.speed
        rows = task.fields.get("rows", True)  # a percentage (index population) is no rate
        return Text(f"{speed:>9,.0f} rows/s" if speed and rows else "", style="progress.data.speed")


class ProgressBar:
    """Catalog-load progress: rich on a terminal, plain lines otherwise, nothing when
    disabled."""

    def __init__(self, *, enabled: bool, stream: TextIO | None = None, every_s: float = 10.0):
        self.stream = stream or sys.stderr
        console = Console(file=self.stream)
        self.rich = enabled and console.is_terminal
        self.plain = enabled and not self.rich
        self.bar = RichProgress(
            TextColumn("{task.description:<24}"),
            BarColumn(bar_width=12),
            MofNCompleteColumn(),
            _RateColumn(),
            TimeElapsedColumn(),
            console=console,
            disable=not self.rich,
        )
        self.task: TaskID | None = None
        self.every_s = every_s
        # plain lines: the phase, its total, rows done, when it started, last line printed
        self._name = ""
        self._total: int | None = None
        self._done = 0.0
        self._rows = True
        self._started = self._printed = 0.0

    def __enter__(self) -> ProgressBar:
        self.bar.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._finish()
        self.bar.stop()

    @property
    def shown(self) -> bool:
        return self.rich or self.plain

    def phase(self, name: str, total: int | None, *, rows: bool = True) -> None:
        self._finish()
        if self.rich:
            self.task = self.bar.add_task(name, total=total, rows=rows)
        elif self.plain:
            self._name, self._total, self._done, self._rows = name, total, 0.0, rows
            self._started = self._printed = time.monotonic()
            self._line("started")

    def advance(self, rows: int) -> None:
        if self.rich and self.task is not None:
            self.bar.advance(self.task, rows)
        elif self.plain and self._name:
            self._done += rows
            self._maybe_line()

    def reached(self, completed: float) -> None:
        if self.rich and self.task is not None:
            self.bar.update(self.task, completed=completed)
        elif self.plain and self._name:
            self._done = completed
            self._maybe_line()

    def _maybe_line(self) -> None:
        if time.monotonic() - self._printed >= self.every_s:
            self._line("")

    def _line(self, state: str) -> None:
        self._printed = now = time.monotonic()
        elapsed = now - self._started
        if state == "started":
            counted = self._total is not None and self._rows
            text = "started" + (f", {self._total:,} rows" if counted else "")
        else:
            unit = " rows" if self._rows else "%"
            done = f"{self._done:,.0f}" + (f"/{self._total:,}" if self._total is not None else "")
            rate = f", {self._done / elapsed:,.0f} rows/s" if self._rows and elapsed > 0 else ""
            text = f"{done}{unit}{rate}, {elapsed:.1f}s" + (f" {state}" if state else "")
        print(f"{self._name}: {text}", file=self.stream, flush=True)

    def _finish(self) -> None:
        if self.rich and self.task is not None:
            task = self.bar.tasks[self.task]
            speed = task.finished_speed or task.speed
            done = task.total if task.total is not None else task.completed
            self.bar.update(self.task, total=done, completed=done)
            task.finished_speed = speed  # rich keeps it only for tasks finished by advance()
        elif self.plain and self._name:
            if self._total is not None and self._rows:
                self._done = max(self._done, self._total)
            self._line("done")
            self._name = ""
