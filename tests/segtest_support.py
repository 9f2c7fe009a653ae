"""A copy of the example project with extra `.segtest` files, for the segment-test tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.projects import ROOT

EXAMPLES = ROOT / "examples"


def example_copy(folder: Path, tests: dict[str, str] | None = None, with_examples_tests: bool = False) -> Path:
    """The example project's schema and segments in `folder`, plus `tests` (path -> text)."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(EXAMPLES / "segdsl.toml", folder / "segdsl.toml")
    for seg in EXAMPLES.glob("*.seg"):
        shutil.copy(seg, folder / seg.name)
    if with_examples_tests:
        shutil.copytree(EXAMPLES / "tests", folder / "tests")
    for path, text in (tests or {}).items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(text)
    return folder
