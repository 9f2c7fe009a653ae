"""`segdsl check --base REV`: the splits of a project compared with the same project at a git
revision (read with segdsl.analysis.gitrev, the working tree untouched)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from segdsl.check.reshuffle import reshuffle_warnings
from segdsl.diagnostics import Diagnostic
from segdsl.syntax import ast


def split_changes(project: Any, rev: str) -> list[Diagnostic]:
    """SEG0613 warnings for the splits of `project` that reshuffle customers since `rev`
    (GitError when the project is not in git or `rev` is unknown)."""
    import segdsl
    from segdsl.analysis import gitrev

    if project.root is None or project.schema is None:
        return []
    root = Path(project.root)
    gitrev.repo_root(root)
    commit = gitrev.resolve(rev, root)
    with tempfile.TemporaryDirectory(prefix="segdsl-base-") as tmp:
        old_root = gitrev.materialize(root, commit, Path(tmp))
        if old_root is None:
            return []  # the project did not exist then
        old = segdsl.load_project(old_root)
        before = old.resolved[0].splits if old.schema is not None else {}
    spans = {d.name: d.name_span for f in project.parsed[0] for d in f.definitions
             if isinstance(d, ast.SplitDef)}
    return reshuffle_warnings(before, project.resolved[0].splits, spans, rev)
