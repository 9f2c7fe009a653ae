"""Ctrl-C, one way for every command: exit 130 with `interrupted`, never an internal error.

Database drivers turn the KeyboardInterrupt they receive mid-query into their own errors
(DuckDB: `RuntimeError: Query interrupted`; Postgres: a cancelled statement), so an
exception's type cannot tell an interrupt from a bug. The SIGINT handler installed here
records that one happened, and `guard` (wrapped around every command by
`segdsl.cli.options.command`) turns whatever the interrupt surfaced as into exit 130.
Files are written atomically and warehouse writes run in one transaction, so an interrupted
command leaves neither a partial file nor a partial write behind.
"""

from __future__ import annotations

import functools
import signal
import sys
import threading
from typing import TYPE_CHECKING, Any, Callable, TypeVar

if TYPE_CHECKING:
    import typer

EXIT_INTERRUPTED = 130

_state: dict[str, Any] = {"interrupted": False}

F = TypeVar("F", bound=Callable[..., Any])


def _on_sigint(signum: int, frame: Any) -> None:
    _state["interrupted"] = True
    raise KeyboardInterrupt


def install() -> None:
    """Record every SIGINT (then raise KeyboardInterrupt, as Python does by default), and
    stop the running warehouse query at once: Python runs signal handlers only between
    bytecodes of the main thread, which is inside the driver's C code while a query runs,
    so a watcher thread woken through signal.set_wakeup_fd asks the driver to stop."""
    if threading.current_thread() is not threading.main_thread():
        return
    import socket

    signal.signal(signal.SIGINT, _on_sigint)
    reader, writer = socket.socketpair()
    writer.setblocking(False)
    signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
    _state["wakeup"] = (reader, writer)  # kept open for the life of the process
    threading.Thread(target=_watch, args=(reader,), name="segdsl-sigint", daemon=True).start()


def _watch(reader: Any) -> None:
    while True:
        received = reader.recv(64)
        if not received:
            return
        if signal.SIGINT in received:
            _state["interrupted"] = True
            # a command that never imported the warehouse module has no query to stop
            # (importing it here, at start-up, would cost `segdsl check` its import time)
            connection = sys.modules.get("segdsl.warehouse.connection")
            if connection is not None:
                connection.interrupt_all()


def interrupted() -> bool:
    return _state["interrupted"]


def reset() -> None:
    _state["interrupted"] = False


def stop() -> typer.Exit:
    import typer

    print("interrupted", file=sys.stderr)
    return typer.Exit(EXIT_INTERRUPTED)


def guard(function: F) -> F:
    """The command, with an interrupt (however it surfaces) turned into exit 130."""

    @functools.wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        import typer  # loaded already: the command runs under it

        try:
            return function(*args, **kwargs)
        except typer.Exit as exc:
            # a driver error the command reported as its own failure, after a Ctrl-C
            if interrupted() and exc.exit_code not in (0, EXIT_INTERRUPTED):
                raise stop() from None
            raise
        except KeyboardInterrupt:
            raise stop() from None
        except Exception:
            if interrupted():
                raise stop() from None
            raise

    return guarded  # type: ignore[return-value]
