"""How far a long run has got: a bar on the operator's terminal and a progress artifact in the
Prefect UI, behind one small API shared by every long command::

    with progress(len(refs), "daily_epaper 2025-09-03: articles") as bar:
        for batch in batches(refs):
            ...
            bar.update(len(batch))

The bar is drawn on stderr only when stderr is a terminal: a scheduled run, CI or a pipe into a log
file gets no control sequences. The artifact is kept only inside a flow run (it belongs to one).
Neither may fail a run: a Prefect API that refuses the artifact costs the artifact, nothing else.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import TYPE_CHECKING, TextIO
from uuid import UUID

from flows.runcontext import in_flow_run

if TYPE_CHECKING:
    # rich is imported only when a bar is drawn (stderr a terminal): a scheduled run never needs it.
    from rich.console import Console
    from rich.progress import Progress as RichProgress
    from rich.theme import Theme

log = logging.getLogger("etl.progress")


def _artifact_key(description: str) -> str:
    """An artifact key from the description: Prefect allows lower-case letters, digits and dashes."""
    key = re.sub(r"[^a-z0-9]+", "-", description.lower()).strip("-")
    return f"{key or 'run'}-progress"


def _console_for(stream: TextIO) -> Console:
    """The rich console Prefect's log handler already writes to ``stream`` through, when there is
    one: log lines printed through it while the bar is shown go above the bar, not through it."""
    from rich.console import Console

    for name in ("prefect", "prefect.flow_runs", "prefect.task_runs", "etl", ""):
        for handler in logging.getLogger(name).handlers:
            console = getattr(handler, "console", None)
            if isinstance(console, Console) and getattr(handler, "stream", None) is stream:
                return console
    return Console(file=stream)


def _bar_theme() -> Theme:
    from rich.default_styles import DEFAULT_STYLES
    from rich.theme import Theme

    return Theme(
        {name: style for name, style in DEFAULT_STYLES.items() if name.startswith(("bar.", "progress."))}
    )


class Progress:
    """``total`` units of work, ``update(n)`` as each part is done; a context manager."""

    def __init__(self, total: int, description: str, *, stream: TextIO | None = None) -> None:
        self.total = max(0, total)
        self.done = 0
        self.description = description
        self._stream = stream if stream is not None else sys.stderr
        self._console: Console | None = None
        self._bar = self._terminal_bar()
        self._artifact_id = self._create_artifact()

    def _terminal_bar(self) -> RichProgress | None:
        isatty = getattr(self._stream, "isatty", None)
        if not (callable(isatty) and isatty()):
            return None
        console = _console_for(self._stream)
        # Prefect's console has a theme of its own, without the bar's styles: lend them for the bar.
        console.push_theme(_bar_theme())
        self._console = console
        try:
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as RichProgress

            bar = RichProgress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
                redirect_stdout=False,
                redirect_stderr=False,
            )
            self._task = bar.add_task(self.description, total=self.total)
            bar.start()
        except Exception as exc:  # the bar is a convenience; never fail a run for it
            log.debug("no progress bar: %s", exc)
            self._restore_console()
            return None
        return bar

    def _restore_console(self) -> None:
        if self._console is not None:
            self._console.pop_theme()
            self._console = None

    def _create_artifact(self) -> UUID | None:
        if not in_flow_run():
            return None  # the artifact belongs to a flow run
        from prefect.runtime import flow_run

        if not flow_run.get_id():
            return None
        try:
            from prefect.artifacts import create_progress_artifact

            created = create_progress_artifact(
                progress=self.percent, key=_artifact_key(self.description), description=self.description
            )
        except Exception as exc:  # a convenience for the UI; never fail a run for it
            log.debug("could not create the progress artifact: %s", exc)
            return None
        return created if isinstance(created, UUID) else None  # called from a flow: never a coroutine

    @property
    def percent(self) -> float:
        return 100.0 if self.total == 0 else min(100.0, 100.0 * self.done / self.total)

    def update(self, n: int = 1) -> None:
        """``n`` more units are done."""
        self.done += n
        if self._bar is not None:
            try:
                self._bar.update(self._task, completed=self.done)
            except Exception as exc:
                log.debug("progress bar dropped: %s", exc)
                self.close()
        if self._artifact_id is not None:
            try:
                from prefect.artifacts import update_progress_artifact

                update_progress_artifact(self._artifact_id, progress=self.percent)
            except Exception as exc:
                log.debug("could not update the progress artifact: %s", exc)

    def close(self) -> None:
        bar, self._bar = self._bar, None
        if bar is not None:
            try:
                bar.stop()
            except Exception as exc:
                log.debug("progress bar not closed cleanly: %s", exc)
        self._restore_console()

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


@contextmanager
def progress(total: int, description: str, *, stream: TextIO | None = None) -> Iterator[Progress]:
    """A ``Progress`` of ``total`` units, closed (its bar removed from the live display) on exit."""
    with Progress(total, description, stream=stream) as bar:
        yield bar
