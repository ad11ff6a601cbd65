"""How a batch tells its caller what is happening: a small protocol and three reporters.

The runner calls :meth:`Progress.start` once with the number of inputs, then
:meth:`Progress.report` for each as it finishes, :meth:`Progress.note` for anything the
user should know about the run itself (a build record that was not trusted), and
:meth:`Progress.stop` at the end. The command line shows a bar on a terminal
(:class:`Bar`) or one line per article in a log (:class:`Lines`); a library caller
passes its own, or gets :class:`Quiet`.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, Protocol, TextIO

if TYPE_CHECKING:
    from pipeline.batch import Outcome


class Progress(Protocol):
    """What a batch reports as it runs."""

    def start(self, total: int, verb: str) -> None: ...

    def report(self, outcome: Outcome) -> None: ...

    def note(self, message: str) -> None: ...

    def stop(self) -> None: ...


class Quiet:
    """Reports nothing (a library call; the caller reads the result)."""

    def start(self, total: int, verb: str) -> None:
        pass

    def report(self, outcome: Outcome) -> None:
        pass

    def note(self, message: str) -> None:
        pass

    def stop(self) -> None:
        pass


class Lines(Quiet):
    """One line per article (``built    a.txt -> a.{json,html,pdf} (0.27 s)``), for logs."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    def report(self, outcome: Outcome) -> None:
        print(outcome.describe(), file=self.stream or sys.stderr, flush=True)

    def note(self, message: str) -> None:
        from pipeline.inputs import display

        print(display(f"leaflet: {message}"), file=self.stream or sys.stderr, flush=True)


class Bar(Lines):
    """A progress bar on a terminal, with failures and notes printed above it.

    The bar is redrawn as articles finish, from this thread only: a batch may fork its
    workers, and a process with a drawing thread is not safe to fork.
    """

    def __init__(self) -> None:
        super().__init__()
        self.bar: Any = None
        self.task: Any = None

    def start(self, total: int, verb: str) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as RichProgress

        columns = (TextColumn(verb), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        self.bar = RichProgress(*columns, TextColumn("{task.description}"), auto_refresh=False)
        self.bar.start()
        self.task = self.bar.add_task("", total=total)

    def report(self, outcome: Outcome) -> None:
        self.bar.update(self.task, advance=1, description=outcome.source.name)
        if outcome.status == "failed":
            self._above(outcome.describe(), "red")
        self.bar.refresh()

    def note(self, message: str) -> None:
        from pipeline.inputs import display

        self._above(display(f"leaflet: {message}"), "yellow")

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()

    def _above(self, line: str, style: str) -> None:
        self.bar.console.print(line, style=style, markup=False, highlight=False)


def for_terminal() -> Progress:
    """A bar when standard error is a terminal, lines otherwise."""
    return Bar() if sys.stderr.isatty() else Lines()
