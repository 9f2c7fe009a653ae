"""segdsl: customer segments as code."""

__version__ = "0.1.0"


def load_project(path="."):
    """Read a project folder (or a .seg file in one); see segdsl.api.Project."""
    from segdsl.api import load_project as _load

    return _load(path)


def __getattr__(name):
    if name in ("Project", "CompileError"):
        from segdsl import api

        return getattr(api, name)
    raise AttributeError(name)
