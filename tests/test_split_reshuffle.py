"""`segdsl check --base REV`: the share of a split's bucket space whose group changes since a
git revision (SEG0613), computed on the groups' bucket ranges."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from segdsl.check.reshuffle import moved_buckets
from segdsl.check.splits import Range

ROOT = Path(__file__).resolve().parents[1]


def _ranges(*groups: tuple[str, int]) -> tuple[Range, ...]:
    out, start = [], 0
    for name, width in groups:
        out.append(Range(name, start, start + width))
        start += width
    return tuple(out)


def test_a_renamed_group_moves_nobody():
    assert moved_buckets(_ranges(("control", 1000), ("treatment", 9000)),
                         _ranges(("holdback", 1000), ("treatment", 9000))) == 0


def test_changed_shares_move_the_buckets_between_the_boundaries():
    assert moved_buckets(_ranges(("control", 1000), ("treatment", 9000)),
                         _ranges(("control", 1500), ("treatment", 8500))) == 500
    # a third group taken from the end of the second: only its buckets move
    assert moved_buckets(_ranges(("a", 5000), ("b", 5000)),
                         _ranges(("a", 5000), ("b", 4000), ("c", 1000))) == 1000


def test_swapped_groups_move_everyone_in_them():
    assert moved_buckets(_ranges(("a", 5000), ("b", 5000)), _ranges(("b", 5000), ("a", 5000))) == 10000


def test_a_growing_holdout_moves_the_buckets_it_takes():
    assert moved_buckets(_ranges(("h", 500)), _ranges(("h", 1000))) == 500


# ---- through the command, in a git repository -------------------------------------------------

SPLIT = 'split spring {{\n  control {c}%\n  treatment {t}%\n}}\nholdout {h} 5%\n'


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def _check(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "segdsl.cli.main", "check", ".", *args],
                          capture_output=True, text=True, cwd=cwd)
    assert "Traceback" not in proc.stdout + proc.stderr
    return proc


@pytest.fixture
def repo(tmp_path):
    if shutil.which("git") is None:
        pytest.fail("git is needed for `check --base`")
    shutil.copy(ROOT / "tests" / "cases" / "splits" / "segdsl.toml", tmp_path / "segdsl.toml")
    (tmp_path / "s.seg").write_text(SPLIT.format(c=10, t=90, h="global_holdout"), encoding="utf-8")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base")
    return tmp_path


def _codes(proc) -> list[tuple[str, str]]:
    found = json.loads(proc.stdout)
    return [(d["code"], d["message"]) for d in found["diagnostics"]]


def test_unchanged_splits_give_no_warning(repo):
    proc = _check(repo, "--base", "HEAD", "--warnings-as-errors")
    assert proc.returncode == 0, proc.stderr


def test_changed_shares_are_a_warning_that_can_fail_ci(repo):
    (repo / "s.seg").write_text(SPLIT.format(c=15, t=85, h="global_holdout"), encoding="utf-8")
    assert _check(repo).returncode == 0  # without --base: nothing to compare
    proc = _check(repo, "--base", "HEAD", "--format", "json")
    assert proc.returncode == 0
    assert _codes(proc) == [("SEG0613", "the split `spring` moves 5% of its customers to another group since HEAD")]
    assert _check(repo, "--base", "HEAD", "--warnings-as-errors").returncode == 1


def test_a_renamed_holdout_reshuffles_everyone(repo):
    (repo / "s.seg").write_text(SPLIT.format(c=10, t=90, h="holdout_2025"), encoding="utf-8")
    proc = _check(repo, "--base", "HEAD", "--format", "json")
    assert _codes(proc) == [("SEG0613", "the holdout `holdout_2025` moves 100% of its customers to another "
                                        "group since HEAD")]


def test_a_new_salt_reshuffles_everyone(repo):
    text = SPLIT.format(c=10, t=90, h="global_holdout").replace("split spring {", 'split spring salt "b" {')
    (repo / "s.seg").write_text(text, encoding="utf-8")
    proc = _check(repo, "--base", "HEAD")
    assert "warning[SEG0613]: the split `spring` moves 100%" in proc.stderr
    assert 'salt changed from "" to "b"' in proc.stderr


def test_an_unknown_revision_is_a_usage_error(repo):
    proc = _check(repo, "--base", "no-such-rev")
    assert proc.returncode == 2 and "unknown git revision `no-such-rev`" in proc.stderr
