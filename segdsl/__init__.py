"""segdsl: customer segments as code."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    from segdsl.api import Project

__version__ = "0.1.0"


def load_project(path: str | Path = ".") -> Project:
    """Read a project folder (or a .seg file in one); see segdsl.api.Project."""
    from segdsl.api import load_project as _load

    return _load(path)


def __getattr__(name: str) -> Any:
    if name in ("Project", "CompileError"):
        from segdsl import api

        return getattr(api, name)
    raise AttributeError(name)
