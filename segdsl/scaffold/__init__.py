"""Project scaffolding for `segdsl init`."""

from segdsl.scaffold.project import FILES, ProjectExistsError, init_project

__all__ = ["FILES", "ProjectExistsError", "init_project"]
