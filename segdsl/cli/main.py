"""The `segdsl` command: a thin shell over segdsl.api.

Exit codes (docs/cli.md): 0 ok, 1 problems in segments, data or tests, 2 usage or
configuration, 3 internal error, 130 interrupted (segdsl/cli/interrupt.py).
Heavy modules (sqlglot, duckdb, rich) are imported inside commands, never at start-up.
A plain `segdsl check` (segdsl/cli/checking.py: `quick`) runs without loading typer at all;
every other command line goes through the typer application (segdsl/cli/app.py).
"""

from __future__ import annotations

import sys
from typing import Any


def __getattr__(name: str) -> Any:
    if name in ("app", "_register_commands"):
        from segdsl.cli import app as application

        return getattr(application, name)
    raise AttributeError(name)


def main() -> None:
    from segdsl.cli import interrupt

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 5000))
    interrupt.install()
    try:
        from segdsl.cli.checking import quick

        code = quick(sys.argv[1:])
        if code is not None:
            sys.exit(code)
        from segdsl.cli.app import _register_commands, app

        _register_commands()
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as e:  # a bug in segdsl: one line, no traceback
        if interrupt.interrupted():  # an interrupt a driver turned into its own error
            print("interrupted", file=sys.stderr)
            sys.exit(130)
        print(f"segdsl: internal error ({type(e).__name__}: {e}). This is a bug; please report it "
              "with the command you ran. Set SEGDSL_DEBUG=1 to see the details.", file=sys.stderr)
        import os

        if os.environ.get("SEGDSL_DEBUG"):
            raise
        sys.exit(3)


if __name__ == "__main__":
    main()
