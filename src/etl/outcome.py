"""How a run ends when it cannot finish its pages: stopped by a signal, or failed by the machine.

Both end the run with a one-line cause in ``runs.message`` and a distinct exit status of ``etl``;
neither loses a page: what was not loaded is fetched again by the next run.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from etl.fetch.deadline import RunStop

log = logging.getLogger("etl.run")

# Signals that stop a run cleanly: the first one stops fetching and the run ends at its next batch
# boundary (within seconds); a second one stops it at once.
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class InfrastructureError(RuntimeError):
    """The machine, not a page, failed the run: disk full, an unwritable warehouse or archive."""


class ArchiveUnwritable(InfrastructureError):
    """The raw-page archive directory cannot be created or written."""


class RunInterrupted(Exception):
    """The run was stopped by a signal; the batch in progress was not loaded."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        self.signal_name = signal.Signals(signum).name
        super().__init__(
            f"stopped by {self.signal_name}; the batch in progress was not loaded, "
            "the next run fetches its pages again"
        )

    @property
    def exit_status(self) -> int:
        """The shell's convention for a process ended by a signal: 128 + its number (130, 143)."""
        return 128 + self.signum


@contextmanager
def stop_on_signals(stop: RunStop) -> Iterator[None]:
    """While the block runs, SIGTERM and SIGINT request ``stop`` instead of killing the process.

    The handlers only set the stop (safe at any point, even inside a warehouse transaction): the
    fetcher's waits and in-flight requests end at once and the flow raises ``RunInterrupted`` at
    its next batch boundary, before loading anything more. A second signal raises it at once.
    Signal handlers can only be set from the main thread; elsewhere this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handle(signum: int, frame: FrameType | None) -> None:
        if stop.cause is not None:
            raise RunInterrupted(signum)
        stop.request_stop(signal.Signals(signum).name)

    previous = {sig: signal.signal(sig, handle) for sig in STOP_SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def raise_if_stopped(stop: RunStop) -> None:
    """Raise ``RunInterrupted`` if a signal stopped the run (a passed deadline is not a stop)."""
    cause = stop.cause
    if cause is not None and cause in signal.Signals.__members__:
        raise RunInterrupted(signal.Signals[cause])
