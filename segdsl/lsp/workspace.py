"""The project as the editor sees it: segdsl.toml and every `.seg` and `.segtest` file below
its folder, the editor's unsaved buffers taking the place of the files on disk. Nothing is
written.

The server knows a file by its absolute path (what its URI says). The compiler names files
as segdsl.Project does: relative to the project root, with forward slashes; so the ASTs,
spans and diagnostics here carry those, exactly as `segdsl check` would print them, and
`ProjectState.abs` turns them back into the file's absolute path.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from segdsl.diagnostics import Diagnostic
from segdsl.lsp.incremental import IncrementalChecker
from segdsl.project.load import CONFIG_NAME, Sources, _read_text, _seg_files, relative

if TYPE_CHECKING:
    from segdsl.api import Project
    from segdsl.lsp.parsing import ChunkCache, Moved
    from segdsl.segtest.check import Subjects
    from segdsl.segtest.model import SegTest
    from segdsl.syntax import ast
    from segdsl.syntax.params import Param


def build_project(root: Path, config_text: str | None, files: dict[str, str], parsed: Any = None,
                  resolved: Any = None) -> Project:
    """A segdsl Project from in-memory texts (the one place the server builds one): `files`
    maps paths relative to `root` to their text, in project order.

    `parsed` and `resolved`, when given, are the results the incremental checker already
    has (same shapes as Project.parsed and Project.resolved): the project then does not
    parse or check again."""
    from segdsl.api import Project

    if config_text is None:  # segdsl.toml gone or unreadable (reported as such): no schema
        project = Project(Sources(root, None, None, dict(files)))
    else:
        project = Project.from_sources(config_text, files, root=root)
    if parsed is not None:
        project.__dict__["parsed"] = parsed  # functools.cached_property storage
    if resolved is not None and project.schema is not None:
        project.__dict__["resolved"] = resolved
    return project


def is_project_file(path: str, config: bool = True) -> bool:
    """A `.seg` or `.segtest` file, or (with `config`) a segdsl.toml."""
    return path.endswith((".seg", ".segtest")) or (config and path.endswith(CONFIG_NAME))


def find_root(path: Path, open_configs: Collection[str] = ()) -> Path | None:
    """The folder of the nearest segdsl.toml above `path`, on disk or open in the editor."""
    for folder in [path.parent, *path.parent.parents]:
        if (folder / CONFIG_NAME).is_file() or str(folder / CONFIG_NAME) in open_configs:
            return folder
    return None


class ProjectState:
    """One project: texts (disk + overlays), parse cache, incremental check results."""

    def __init__(self, root: Path):
        self.root = root
        self.config_path = str(root / CONFIG_NAME)
        self.disk: dict[str, str] = {}
        self.overlay: dict[str, str] = {}  # open buffers: path -> text
        self.unreadable: list[Diagnostic] = []
        self._parses: dict[str, tuple[str, ast.File, list[Diagnostic], ChunkCache]] = {}
        self._moved: dict[str, Moved] = {}  # path -> definitions of its last parse that only moved
        self._config_key: object = object()
        self.project: Project | None = None  # the last Project built (schema, settings, config diagnostics)
        self.checker: IncrementalChecker | None = None
        self.generation = 0
        self._abs: dict[str, str] = {}
        self.segtests: list[SegTest] = []  # the tests of the last check (their subjects)
        self._segtest_key: object = None
        self._segtest_diags: list[Diagnostic] = []
        self._checked: tuple[int, Project] | None = None
        self.reload_disk()

    # ---- names ----
    def rel(self, path: str) -> str:
        """The compiler's name of a file: relative to the root, forward slashes."""
        return relative(Path(path), self.root)

    def abs(self, shown: str) -> str:
        """The absolute path of a file named as the compiler names it ("": segdsl.toml)."""
        found = self._abs.get(shown)
        if found is None:
            found = self._abs[shown] = os.path.normpath(self.root / shown) if shown else self.config_path
        return found

    # ---- texts ----
    def reload_disk(self) -> None:
        self.disk, self.unreadable = {}, []
        if Path(self.config_path).is_file():
            text = _read_text(Path(self.config_path), self.unreadable, CONFIG_NAME)
            if text is not None:
                self.disk[self.config_path] = text
        for seg in _seg_files(self.root):
            text = _read_text(seg, self.unreadable, self.rel(str(seg)))
            if text is not None:
                self.disk[str(seg)] = text
        for test in _seg_files(self.root, ".segtest"):
            text = _read_text(test, self.unreadable, self.rel(str(test)))
            if text is not None:
                self.disk[str(test)] = text
        self.unreadable = [d for d in self.unreadable if self.abs(d.span.path) not in self.overlay]

    def reload_file(self, path: str) -> None:
        p = Path(path)
        if p.is_file():
            errs: list[Diagnostic] = []
            text = _read_text(p, errs, self.rel(path))
            if text is not None:
                self.disk[path] = text
                return
        self.disk.pop(path, None)

    def text(self, path: str) -> str | None:
        return self.overlay.get(path, self.disk.get(path))

    def seg_paths(self) -> list[str]:
        paths = {p for p in self.disk if p.endswith(".seg")}
        paths |= {p for p in self.overlay if p.endswith(".seg") and _inside(p, self.root)}
        return sorted(paths, key=Path)  # project order: as segdsl.project.load reads them

    def test_paths(self) -> list[str]:
        """The `.segtest` files, disk and open buffers, in project order."""
        paths = {p for p in self.disk if p.endswith(".segtest")}
        paths |= {p for p in self.overlay if p.endswith(".segtest") and _inside(p, self.root)}
        return sorted(paths, key=Path)

    def owns(self, path: str) -> bool:
        return path == self.config_path or path in self.seg_paths() or path in self.test_paths()

    # ---- parse and check ----
    def parse(self, path: str) -> tuple[ast.File, list[Diagnostic]]:
        """(ast.File, syntax diagnostics) of a file, cached by its text and by chunk."""
        from segdsl.lsp.parsing import parse_chunks

        text = self.text(path) or ""
        hit = self._parses.get(path)
        if hit is not None and hit[0] == text:
            return hit[1], hit[2]
        f, diags, chunks, moved = parse_chunks(text, self.rel(path), hit[3] if hit is not None else {})
        self._parses[path] = (text, f, diags, chunks)
        self._moved[path] = moved
        return f, diags

    def check(self, changed_paths: set[str] | None = None) -> dict[str, list[Diagnostic]]:
        """Every file's diagnostics after the given files changed (None: everything)."""
        paths = self.seg_paths()
        old_defs = {p: self._parses[p][1].definitions for p in (changed_paths or ()) if p in self._parses}
        old_broken = {p: self._parses[p][1].broken for p in (changed_paths or ()) if p in self._parses}
        files: list[ast.File] = []
        syntax: list[Diagnostic] = []
        for p in paths:
            f, file_syntax = self.parse(p)
            files.append(f)
            syntax += file_syntax
        self._files, self._syntax = files, syntax
        self.generation += 1
        for p in list(self._parses):
            if p not in paths:
                del self._parses[p]
        config_text = self.text(self.config_path)
        if self.project is None or config_text != self._config_key:
            self._config_key = config_text
            self.project = build_project(self.root, config_text, {}, parsed=([], []))
            self.checker = None
            changed_paths = None
        schema = self.project.schema
        found = list(self.project.config_diagnostics) + list(self.unreadable) + syntax
        if schema is not None:
            if self.checker is None:
                self.checker = IncrementalChecker(schema)
                changed: set[str] | None = None
                moved: dict[str, tuple[str, ast.Definition, ast.Definition, int]] = {}
            else:
                changed, moved = set(), {}
                for p in changed_paths if changed_paths is not None else paths:
                    before = {id(d) for d in old_defs.get(p, ())}
                    now = self._parses[p][1].definitions if p in self._parses else ()
                    shifted = self._moved.get(p, {})
                    # a definition parsed from the same text at the same line is the same object;
                    # one that only moved is a copy with its spans moved
                    for d in now:
                        if id(d) in before:
                            continue
                        old = shifted.get(id(d))
                        if old is not None and id(old[0]) in before:
                            # the first of the file's definitions of a name is the one that can count
                            moved.setdefault(d.name, (self.rel(p), old[0], d, old[1]))
                        else:
                            changed.add(d.name)
                    kept = {id(d) for d in now} | {id(o) for o, _ in shifted.values()}
                    changed |= {d.name for d in old_defs.get(p, ()) if id(d) not in kept}
                    # uses of a definition with a syntax error are not reported: when one
                    # breaks or mends, its users are checked again
                    broken = self._parses[p][1].broken if p in self._parses else ()
                    changed |= set(broken) ^ set(old_broken.get(p, ()))
                if changed_paths is None:
                    changed, moved = None, {}
            sources = {self.rel(p): self.text(p) or "" for p in paths}
            self.checker.update(files, sources, changed, moved)
            found += self.checker.diagnostics()
            found += self.check_tests()
        by_path: dict[str, list[Diagnostic]] = {p: [] for p in paths + self.test_paths()}
        by_path.setdefault(self.config_path, [])
        for diag in found:
            by_path.setdefault(self.abs(diag.span.path), []).append(diag)
        for diags in by_path.values():
            diags.sort(key=lambda d: (d.span.line, d.span.col, d.code))
        return by_path

    def check_tests(self) -> list[Diagnostic]:
        """The SEG07xx diagnostics of the `.segtest` files, as Project.check() has them; again
        only when a test's text or a name a test can name changed. The names come from the
        incremental check and the parsed families and splits, never from a check from scratch:
        typing in a test stays as fast as typing in a segment."""
        from segdsl.segtest.check import check_test
        from segdsl.segtest.parse import read_file

        tests = {self.rel(p): self.text(p) or "" for p in self.test_paths()}
        project = self.project
        schema = project.schema if project is not None else None
        if not tests or project is None or schema is None or self.checker is None:
            self.segtests, self._segtest_diags = [], []
            return []
        subjects = self.subjects()
        families, splits = subjects.families, subjects.splits
        key = (self.text(self.config_path), tuple(tests.items()), subjects.segments,
               tuple(families.items()), tuple(splits.items()))
        if key != self._segtest_key:
            self.segtests, self._segtest_diags = [], []
            for path, text in tests.items():
                raws, found = read_file(path, text)
                self._segtest_diags += found
                for raw in raws:
                    test, found = check_test(raw, schema, project.settings.timezone, subjects)
                    self.segtests.append(test)
                    self._segtest_diags += found
            self._segtest_key = key
        return list(self._segtest_diags)

    def subjects(self) -> Subjects:
        """What a test may name: segments (members of families by their dotted names, not
        parameterised ones, which a test names with arguments), families, splits and holdouts
        with their groups."""
        from segdsl.segtest.check import Subjects
        from segdsl.syntax import ast

        defs = [d for _, d in self.definitions()]
        members = self.members()
        families = {d.name: members[d.name] for d in defs if isinstance(d, ast.FamilyDef)}
        splits = {d.name: tuple(dict.fromkeys(g.name for g in d.groups)) for d in defs if isinstance(d, ast.SplitDef)}
        params = self.params()
        order = self.checker.result.resolved.order if self.checker is not None else list(self.kinds())
        names = [n for n in order if n not in params]
        names += [f"{f}.{m}" for f, ms in families.items() for m in ms if f"{f}.{m}" not in names]
        return Subjects(tuple(names), families, splits)

    def checked_project(self) -> Project:
        """A Project over the current texts checked from scratch, as `segdsl check` checks
        it (family members, split groups and the argument lists in use are segments of it);
        for the hover of those. Built at most once per check, when a hover asks."""
        if self._checked is None or self._checked[0] != self.generation:
            files = {self.rel(p): self.text(p) or "" for p in self.seg_paths()}
            parsed = (getattr(self, "_files", None), getattr(self, "_syntax", []))
            self._checked = (self.generation, build_project(self.root, self.text(self.config_path), files,
                                                            parsed if parsed[0] is not None else None))
        return self._checked[1]

    def full_project(self) -> Project:
        """A Project over the current texts, reusing the last parse and check."""
        files = {self.rel(p): self.text(p) or "" for p in self.seg_paths()}
        resolved: tuple[Any, list[Diagnostic]] | None = None
        if self.checker is not None:
            # Project.check() adds the SEG06xx warnings itself
            resolved = (self.checker.result.resolved, self.checker.diagnostics(warnings=False))
        parsed = (getattr(self, "_files", None), getattr(self, "_syntax", []))
        return build_project(self.root, self.text(self.config_path), files,
                             parsed if parsed[0] is not None else None, resolved)

    def kinds(self) -> dict[str, str]:
        """Every defined name -> segment | trait | score (first definition wins)."""
        from segdsl.lsp.symbols import definition_kind

        out: dict[str, str] = {}
        for p in self.seg_paths():
            for d in self.parse(p)[0].definitions:
                out.setdefault(d.name, definition_kind(d))
        return out

    def members(self) -> dict[str, tuple[str, ...]]:
        """Every family and split (not a holdout: it is a segment) -> its members or groups."""
        from segdsl.syntax import ast

        out: dict[str, tuple[str, ...]] = {}
        for _, d in self.definitions():
            if isinstance(d, ast.FamilyDef):
                rules = d.rules + ((d.otherwise,) if d.otherwise is not None else ())
                out.setdefault(d.name, tuple(dict.fromkeys(r.name for r in rules)))
            elif isinstance(d, ast.SplitDef) and not d.holdout:
                out.setdefault(d.name, tuple(dict.fromkeys(g.name for g in d.groups)))
        return out

    def params(self) -> dict[str, tuple[Param, ...]]:
        """Every parameterised segment -> its parameters."""
        from segdsl.syntax import ast

        out: dict[str, tuple[Param, ...]] = {}
        for _, d in self.definitions():
            if isinstance(d, ast.SegmentDef) and d.params is not None:
                out.setdefault(d.name, d.params)
        return out

    def definitions(self) -> Iterator[tuple[str, ast.Definition]]:
        """(path, definition) for every definition, in project order."""
        for p in self.seg_paths():
            for d in self.parse(p)[0].definitions:
                yield p, d


def _inside(path: str, root: Path) -> bool:
    try:
        Path(path).relative_to(root)
        return True
    except ValueError:
        return False
