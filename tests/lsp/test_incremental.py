"""The language server's incremental check gives exactly what `segdsl check` gives on the
same texts, after every edit of a sequence (random and hand-picked edits: renames, cycles,
duplicates, removed definitions, broken syntax, traits whose type changes)."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest

import segdsl
from segdsl.lsp.workspace import ProjectState

ROOT = Path(__file__).resolve().parents[2]


def _key(d):
    return (d.span.path, d.span.line, d.span.col, d.span.end_line, d.span.end_col, d.code, d.message,
            d.hints, tuple((str(s), n) for s, n in d.related), d.fixes)


def _reference(state: ProjectState, scratch: Path):
    """`segdsl check` (Project.check()) on a copy of the project holding the editor's texts:
    paths relative to the project root name the same files in both."""
    if scratch.exists():
        shutil.rmtree(scratch)
    scratch.mkdir()
    for path in state.seg_paths() + [state.config_path]:
        text = state.text(path)
        if text is None:
            continue
        target = scratch / Path(path).relative_to(state.root)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    return sorted(_key(d) for d in segdsl.load_project(scratch).check())


def _mine(state: ProjectState, by_path):
    for path, diags in by_path.items():  # each file gets the diagnostics about it
        assert all(state.abs(d.span.path) == path for d in diags), path
    return sorted(_key(d) for diags in by_path.values() for d in diags)


def _same(mine, reference, what):
    extra = [k[:7] for k in mine if k not in reference]
    missing = [k[:7] for k in reference if k not in mine]
    assert mine == reference, f"{what}\nonly incremental: {extra}\nonly full check: {missing}"


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "proj"
    root.mkdir()
    shutil.copy(ROOT / "examples" / "segdsl.toml", root / "segdsl.toml")
    (root / "traits.seg").write_text(
        'trait ltv = sum(orders.amount where status = "paid")\n'
        "trait orders_90d = count(orders in last 90 days)\n"
        "trait last_order_at = max(orders.ordered_at)\n")
    (root / "a.seg").write_text(
        'segment west where region = "West Coast" and orders_90d >= 3\n'
        "segment rich where ltv > 1000\n"
        "segment both where in segment west and in segment rich\n")
    (root / "b.seg").write_text(
        "segment rich_west where in segment both or age > 30\n"
        'segment ne where region != "West Coast"\n')
    return root


EDITS = [
    ("a.seg", "segment west where region = \"west coast\"\nsegment rich where ltv > 1000\n"
              "segment both where in segment west and in segment rich\n"),
    ("traits.seg", "trait ltv = max(orders.ordered_at)\ntrait orders_90d = count(orders in last 90 days)\n"
                   "trait last_order_at = max(orders.ordered_at)\n"),
    ("b.seg", "segment rich_west where in segment both or age > 30\nsegment west where age > 1\n"),
    ("a.seg", "segment west where in segment rich_west\nsegment rich where ltv > 1000\n"
              "segment both where in segment west and in segment rich\n"),
    ("a.seg", "segment west where region = \nsegment rich where ltv > 1000\n"),
    ("traits.seg", "trait ltv = sum(orders.amount where status = \"paid\")\n"),
    ("b.seg", ""),
    ("a.seg", "segment west where age > 3\nsegment rich where ltv > 1000\nsegment dup where ltv > 1000\n"
              "trait t = age > 3 and age < 2\n"),
    ("traits.seg", "trait ltv = sum(orders.amount where status = \"paid\")\n"
                   "trait orders_90d = count(orders in last 90 days)\n"
                   "trait last_order_at = max(orders.ordered_at)\n"),
    ("c.seg", "segment region where age > 1\nsegment x where in segment nowhere\n"),
    # lines inserted above definitions with warnings, errors and duplicates: they move
    ("a.seg", "# moved\n\nsegment west where age > 3\nsegment rich where ltv > 1000\nsegment dup where ltv > 1000\n"
              "trait t = age > 3 and age < 2\n"),
    ("c.seg", "\n\n\nsegment region where age > 1\nsegment x where in segment nowhere\n"),
    ("b.seg", "segment ne where region != \"West Coast\" or age > 1 and age < 3\n"),
    ("b.seg", "# a comment\nsegment ne where region != \"West Coast\" or age > 1 and age < 3\n"),
    ("a.seg", "segment west where age > 3\nsegment rich where ltv > 1000\nsegment dup where ltv > 1000\n"
              "trait t = age > 3 and age < 2\n"),
    # project order is the order of paths ("sub/" before "sub-"), as segdsl check reads them
    ("sub-e.seg", "segment dup3 where ltv > 1000\n"),
    ("sub/d.seg", "segment dup2 where ltv > 1000\nsegment typo where region = \"west coast\"\n"),
    # a definition with a syntax error: `x` no longer says `nowhere` is unknown, then says it again
    ("b.seg", "segment nowhere where age >\n"),
    ("b.seg", "segment ne where age > 1\n"),
    # two definitions swap places, unchanged: the hint of `x` lists the segments in the new order
    ("a.seg", "segment rich where ltv > 1000\nsegment west where age > 3\nsegment dup where ltv > 1000\n"
              "trait t = age > 3 and age < 2\n"),
]


def test_every_edit_gives_the_full_check(project, tmp_path):
    state = ProjectState(project)
    assert _mine(state, state.check()) == _reference(state, tmp_path / "ref")
    for name, text in EDITS:
        path = str(project / name)
        state.overlay[path] = text
        mine = _mine(state, state.check({path}))
        _same(mine, _reference(state, tmp_path / "ref"), (name, text))
        # the Project the server's commands and hovers use: built from the editor's texts with
        # the incremental results in place of a parse and check of its own
        _same(sorted(_key(d) for d in state.full_project().check()), mine, ("full_project", name, text))


def test_random_edits_give_the_full_check(project, tmp_path):
    rng = random.Random(int(os.environ.get("SEED", 3)))
    names = ["west", "rich", "both", "rich_west", "ne", "ltv", "orders_90d", "x1", "x2"]
    bodies = ["age > {n}", "in segment {s}", "{s} > {n}", 'region = "West Coast"', "ltv > {n}",
              "in segment {s} and not in segment {t}", "{s} between 1 and {n}", "age >"]
    state = ProjectState(project)
    state.check()
    for step in range(int(os.environ.get("STEPS", 100))):
        name = rng.choice(["a.seg", "b.seg", "traits.seg"])
        lines = []
        for _ in range(rng.randint(0, 4)):
            kind = rng.choice(["segment", "segment", "trait"])
            body = rng.choice(bodies).format(n=rng.randint(0, 9), s=rng.choice(names), t=rng.choice(names))
            sep = "where" if kind == "segment" else "="
            lines.append(f"{kind} {rng.choice(names)} {sep} {body}\n")
        path = str(project / name)
        current = state.text(path) or ""
        if rng.random() < 0.4 and current:  # lines inserted or removed: definitions below move
            cut = current.split("\n")
            at = rng.randrange(len(cut))
            if rng.random() < 0.5:
                cut.insert(at, rng.choice(["", "# a comment", "  "]))
            elif cut[at].strip() == "" or cut[at].startswith("#"):
                del cut[at]
            state.overlay[path] = "\n".join(cut)
        else:
            state.overlay[path] = "".join(lines)
        _same(_mine(state, state.check({path})), _reference(state, tmp_path / "ref"), (step, lines))


def test_only_what_an_edit_can_affect_is_checked_again(project):
    state = ProjectState(project)
    state.check()
    path = str(project / "a.seg")
    state.overlay[path] = "\n\n" + state.text(path)  # positions move, meanings do not
    state.check({path})
    assert state.checker.result.rechecked == 0  # moved, not checked again

    state.overlay[path] = state.text(path).replace("ltv > 1000", "ltv > 1001")
    state.check({path})
    assert state.checker.result.rounds == 3  # `rich` changed meaning: `both` uses it, `rich_west` uses `both`
    assert state.checker.result.rechecked == 3
