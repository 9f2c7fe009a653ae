"""`segdsl diff`: membership changes between a git revision and the working tree, counted on
the warehouse. The project lives in a throwaway git repository per test; entering and
leaving customers are worked out by hand from tests/analysis/fixture.py."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.analysis.fixture import AS_OF, PROJECT, invoke, warehouse  # noqa: F401

ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
       "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True,
                          env={**os.environ, **ENV}, check=True)
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path) -> Path:
    """A repository on `main` whose folder `segments/` is the fixture project, committed."""
    root = tmp_path / "repo"
    shutil.copytree(PROJECT, root / "segments")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "segments")
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def change_working_tree(repo: Path) -> None:
    seg = repo / "segments" / "segments.seg"
    # northerners {1,2,3} -> South {4,5,6}: 3 enter, 3 leave
    edit(seg, 'segment northerners where region = "North"', 'segment northerners where region = "South"')
    # the trait: spend over the last 90 days (from 2024-04-01): 1: 120, 2: 60, 7: 120, 4 and 9: 0,
    # so spenders (spend > 100) goes from {1,4,7,9} to {1,7}: 4 and 9 leave
    edit(seg, "trait spend = sum(orders.amount)", "trait spend = sum(orders.amount in last 90 days)")
    # a description is not membership: pros stays unchanged
    edit(seg, '"Customers on the pro plan"', '"Everyone paying for pro"')
    # young {1,4,6,11} removed; free_plan {3,5,6,8,9,11,12} added
    edit(seg, "segment young where age < 30\n", "")
    (repo / "segments" / "more.seg").write_text('segment free_plan where plan = "free"\n')


EXPECTED = [  # name, change, before, after, entering, leaving, sample entering, sample leaving
    ("northerners", "changed", 3, 3, 3, 3, [4, 5, 6], [1, 2, 3]),
    ("spenders", "changed", 4, 2, 0, 2, [], [4, 9]),
    ("free_plan", "added", None, 7, 7, 0, [3, 5, 6, 8, 9], []),
    ("young", "removed", 4, None, 0, 4, [], [1, 4, 6, 11]),
]


def _as_tuples(changes) -> list[tuple]:
    return [(c["name"], c["status"], c["before"], c["after"], c["entering"], c["leaving"],
             c["sample_entering"], c["sample_leaving"]) for c in changes]


def test_json_against_head(repo, warehouse):
    change_working_tree(repo)
    result = invoke("diff", repo / "segments", "--base", "HEAD", "--format", "json", "--as-of", AS_OF,
                    *warehouse.args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["base"], data["commit"], data["dialect"], data["as_of"]) == (
        "HEAD", git(repo, "rev-parse", "HEAD"), warehouse.kind, "2024-06-30")
    assert _as_tuples(data["changes"]) == EXPECTED
    assert data["unchanged"] == ["pros", "big_spenders"]
    assert all(c["error"] is None for c in data["changes"])


def test_default_base_is_the_merge_base_with_main(repo, warehouse):
    """Commits on a feature branch count as part of the change; the working tree too."""
    base = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", "-b", "feature")
    seg = repo / "segments" / "segments.seg"
    edit(seg, 'segment northerners where region = "North"', 'segment northerners where region = "South"')
    git(repo, "commit", "-q", "-am", "northerners are southerners now")
    edit(seg, "segment big_spenders where lifetime_value >= 500", "segment big_spenders where lifetime_value >= 600")
    result = invoke("diff", repo / "segments", "--format", "json", "--as-of", AS_OF, *warehouse.args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["base"], data["commit"]) == ("merge base with main", base)
    # big_spenders >= 600: {1, 4, 7} (10 has 510): 10 leaves
    assert _as_tuples(data["changes"]) == [
        ("northerners", "changed", 3, 3, 3, 3, [4, 5, 6], [1, 2, 3]),
        ("big_spenders", "changed", 4, 3, 0, 1, [], [10]),
    ]
    # against HEAD only the uncommitted change is left
    result = invoke("diff", repo / "segments", "--base", "HEAD", "--format", "json", "--as-of", AS_OF,
                    *warehouse.args)
    assert [c["name"] for c in json.loads(result.stdout)["changes"]] == ["big_spenders"]


def test_text_and_markdown(repo, warehouse):
    change_working_tree(repo)
    args = ("diff", repo / "segments", "--base", "HEAD", "--as-of", AS_OF, "--sample", "2", *warehouse.args)
    text = invoke(*args)
    assert text.exit_code == 0, text.output
    rows = [[c.strip() for c in line.split("│")[1:-1]] for line in text.stdout.splitlines()
            if line.startswith("│")]
    assert rows == [["northerners", "changed", "3", "3", "+3", "−3"],
                    ["spenders", "changed", "4", "2", "0", "−2"],
                    ["free_plan", "added", "—", "7", "+7", "0"],
                    ["young", "removed", "4", "—", "0", "−4"]]
    assert "  northerners entering, e.g.: 4, 5" in text.stdout
    assert "  young leaving, e.g.: 1, 4" in text.stdout
    assert "4 segment(s) affected, 2 unchanged" in text.stdout
    md = invoke(*args, "--format", "markdown")
    assert md.exit_code == 0, md.output
    assert md.stdout.startswith("### segdsl diff: 4 segments affected\n")
    assert "1 added, 1 removed, 2 unchanged; 19 memberships move." in md.stdout  # 6+2+7+4
    assert "| `spenders` | changed | 4 | 2 | 0 | −2 |" in md.stdout
    assert "- `free_plan` entering: 3, 5" in md.stdout


def test_nothing_changed(repo, warehouse):
    result = invoke("diff", repo / "segments", "--format", "markdown", "--as-of", AS_OF, *warehouse.args)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("### segdsl diff: no segment changes membership")
    assert "5 unchanged" in result.stdout


def test_new_project_has_only_added_segments(tmp_path, warehouse):
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / "README").write_text("x")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "start")
    shutil.copytree(PROJECT, root / "segments")
    result = invoke("diff", root / "segments", "--format", "json", "--as-of", AS_OF, *warehouse.args)
    assert result.exit_code == 0, result.output
    changes = json.loads(result.stdout)["changes"]
    assert [(c["name"], c["status"], c["after"]) for c in changes] == [
        ("pros", "added", 5), ("northerners", "added", 3), ("big_spenders", "added", 4),
        ("young", "added", 4), ("spenders", "added", 4)]


def test_git_problems_are_usage_errors(tmp_path, repo):
    from tests.analysis.fixture import _load_duckdb

    db = tmp_path / "w.duckdb"
    _load_duckdb(db)
    result = invoke("diff", repo / "segments", "--base", "no-such-branch", "--db", db)
    assert result.exit_code == 2
    assert "unknown git revision `no-such-branch`" in result.stderr
    outside = tmp_path / "outside"
    shutil.copytree(PROJECT, outside)
    result = invoke("diff", outside, "--db", db)
    assert result.exit_code == 2
    assert "is not in a git repository" in result.stderr


def test_a_broken_base_is_reported(repo, warehouse):
    seg = repo / "segments" / "segments.seg"
    edit(seg, 'where region = "North"', 'where region = "Nort"')
    git(repo, "commit", "-q", "-am", "broken")
    edit(seg, 'where region = "Nort"', 'where region = "North"')
    result = invoke("diff", repo / "segments", "--base", "HEAD", *warehouse.args)
    assert result.exit_code == 1
    assert "the project at the base revision has errors" in result.stderr


def test_git_index_is_untouched(repo, warehouse):
    change_working_tree(repo)
    index = (repo / ".git" / "index").read_bytes()
    invoke("diff", repo / "segments", "--base", "HEAD", "--as-of", AS_OF, *warehouse.args)
    assert (repo / ".git" / "index").read_bytes() == index
    assert git(repo, "status", "--porcelain") == " M segments/segments.seg\n?? segments/more.seg".strip()
