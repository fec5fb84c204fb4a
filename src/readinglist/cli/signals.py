"""SIGTERM and SIGHUP handled as Ctrl+C is, for commands that must stop cleanly.

Left to their default, both end the process where it stands: a worker process it
started is orphaned and the terminal gets no word. Raised as an exception instead, they
unwind like Ctrl+C's KeyboardInterrupt: a write rolls back, a worker is shut down, the
command says what happened and exits with 128 + the signal's number.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator

__all__ = ["STOP_SIGNALS", "Stopped", "signal_number", "stop_signals_interrupt"]

STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised where the command is, as Ctrl+C raises KeyboardInterrupt."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def signal_number(interrupt: KeyboardInterrupt) -> signal.Signals:
    """The signal that stopped the command: SIGINT for Ctrl+C."""
    return signal.Signals(interrupt.signum if isinstance(interrupt, Stopped) else signal.SIGINT)


@contextlib.contextmanager
def stop_signals_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise ``Stopped`` (a KeyboardInterrupt).

    A second such signal ends the process at once, as the default would have. Only the
    main thread can set signal handlers; the CLI's commands run there.
    """

    def stop(signum: int, _frame: object) -> None:
        for number in STOP_SIGNALS:
            signal.signal(number, signal.SIG_DFL)
        raise Stopped(signum)

    previous = {number: signal.signal(number, stop) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
