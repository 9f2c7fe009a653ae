"""`segdsl lsp`: the language server for editors, on stdin/stdout (needs segdsl[lsp])."""

from __future__ import annotations

import typer


def lsp(
    stdio: bool = typer.Option(True, "--stdio", help="Talk over stdin/stdout (the only transport; "
                               "accepted because many editors pass it)."),
):
    """Run the language server for editors: diagnostics, completion, hover, rename."""
    from segdsl.cli.output import fail

    try:
        import pygls  # noqa: F401
    except ImportError:
        fail("the language server needs the lsp extra: pip install 'segdsl[lsp]'", 2)
    from segdsl.lsp.server import main

    main()


def register(app: typer.Typer) -> None:
    from segdsl.cli.options import command

    command(app, lsp)  # its whole summary in `segdsl --help`, Ctrl-C exits 130
