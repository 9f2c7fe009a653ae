"""Reading a project as it was at a git revision, without touching the working tree or the
index: `git ls-tree` lists its files, `git show REV:path` reads each into a temp folder.

Only read-only git commands run here (rev-parse, merge-base, ls-tree, show), with
GIT_OPTIONAL_LOCKS=0 so that not even the index's stat cache is refreshed.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path, PurePosixPath

CONFIG_NAME = "segdsl.toml"
_SKIP_DIRS = {".git", ".venv", "venv", "node_modules", "__pycache__", ".hypothesis", ".pytest_cache"}


class GitError(Exception):
    """git is missing, the folder is not in a repository, or the revision is unknown."""


def git(args: list[str], cwd: Path, *, binary: bool = False) -> str | bytes:
    env = dict(os.environ, GIT_OPTIONAL_LOCKS="0", GIT_TERMINAL_PROMPT="0", LC_ALL="C")
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, env=env, timeout=60)
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} took too long") from None
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip().splitlines()
        raise GitError(message[0] if message else f"git {args[0]} failed")
    return done.stdout if binary else done.stdout.decode(errors="replace").strip()


def repo_root(path: Path) -> Path:
    folder = path if path.is_dir() else path.parent
    try:
        return Path(str(git(["rev-parse", "--show-toplevel"], folder))).resolve()
    except GitError:
        raise GitError(f"{path} is not in a git repository: diff compares with a git revision") \
            from None


def default_base(cwd: Path) -> tuple[str, str]:
    """(revision, how to name it): the merge base of HEAD with main (then origin/main,
    master), what a pull request is reviewed against; HEAD when there is no such branch."""
    for branch in ("main", "origin/main", "master", "origin/master"):
        try:
            commit = str(git(["merge-base", "HEAD", branch], cwd))
        except GitError:
            continue
        return commit, f"merge base with {branch}"
    return "HEAD", "HEAD"


def resolve(rev: str, cwd: Path) -> str:
    """The full commit id of `rev` (GitError naming the revision when unknown)."""
    if rev.startswith("-"):
        raise GitError(f"`{rev}` is not a revision")
    try:
        return str(git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], cwd))
    except GitError:
        raise GitError(f"unknown git revision `{rev}`") from None


def materialize(project_root: Path, commit: str, dest: Path) -> Path | None:
    """Write the project's segdsl.toml and .seg files as of `commit` below `dest`; return
    the project folder there, or None when the project did not exist at that commit."""
    top = repo_root(project_root)
    rel = PurePosixPath(Path(project_root).resolve().relative_to(top).as_posix())
    prefix = "" if str(rel) == "." else f"{rel}/"
    listing = str(git(["ls-tree", "-r", "-z", "--name-only", commit, "--", prefix or "."], top))
    names = [n for n in listing.split("\0") if n]
    wanted = []
    for name in names:
        inner = PurePosixPath(name[len(prefix):])
        if any(part in _SKIP_DIRS or part.startswith(".") for part in inner.parts[:-1]):
            continue
        if str(inner) == CONFIG_NAME or inner.suffix == ".seg":
            wanted.append((name, inner))
    if not any(str(inner) == CONFIG_NAME for _, inner in wanted):
        return None
    root = dest / (rel.name if prefix else "project")
    for name, inner in wanted:
        target = root.joinpath(*inner.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(git(["show", f"{commit}:{name}"], top, binary=True))  # type: ignore[arg-type]
    return root
