"""A shallow decision tree that predicts each customer's cluster from the traits, turned into
the rules of a family.

Each split `x <= t` of the tree becomes `x < r` on the left and `x >= r` on the right: for a
whole-number trait r = floor(t) + 1, which is the same split; otherwise r is t rounded to as
few significant digits (1, 2, 3, then 4) as keep the fidelity within 0.2 points of the exact
tree, split by split (within 0.5 points in all). Subtrees whose leaves all predict one cluster
become one leaf. A rule is the conditions on its leaf's path, merged per trait into one range
(`x between a and b` for whole numbers), and a member's rules are joined by `or` after merging
neighbouring ranges. The leaves partition the customers, so the rules' order does not matter;
the member with the longest rules becomes the family's `else`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from segdsl.discover.common import significant, sklearn

STEP_TOLERANCE = 0.002
TOTAL_TOLERANCE = 0.005


@dataclass
class Node:
    """A split (feature >= 0) or a leaf (feature -1, cluster set)."""

    feature: int = -1
    threshold: float = 0.0  # the tree's own: left is x <= threshold
    cut: float = 0.0  # the written one: left is x < cut
    left: Node | None = None
    right: Node | None = None
    cluster: int = -1


@dataclass(frozen=True)
class Bounds:
    """A leaf's path as one range per trait: lower <= x < upper (None: no bound)."""

    ranges: tuple[tuple[float | None, float | None], ...]


@dataclass
class Rules:
    depth: int
    tree: Node
    paths: dict[int, list[Bounds]]  # cluster -> its leaves' ranges, neighbours merged
    otherwise: int  # the cluster written as `else`
    assigned: list[int]  # per customer: the cluster its rules give
    fidelity: float
    exact_fidelity: float  # before rounding the cut points
    missing: list[int] = field(default_factory=list)  # clusters no leaf predicts


def fit_tree(rows: list[tuple[float, ...]], labels: list[int], integer: list[bool], depth: int,
             seed: int) -> Rules:
    import numpy as np

    sklearn()
    from sklearn.tree import DecisionTreeClassifier

    x, y = np.asarray(rows, dtype=float), np.asarray(labels)
    leaf = max(1, len(rows) // 100)  # no rule for a handful of customers
    model = DecisionTreeClassifier(max_depth=depth, min_samples_leaf=leaf, random_state=seed).fit(x, y)
    tree = _collapse(_nodes(model.tree_, model.classes_, 0))
    exact = _fidelity(tree, x, y)
    _round_cuts(tree, x, y, integer, exact)
    assigned = _assign(tree, x)
    paths: dict[int, list[Bounds]] = {}
    for cluster, bounds in _leaves(tree, tuple((None, None) for _ in integer)):
        paths.setdefault(cluster, []).append(Bounds(bounds))
    paths = {c: _merge(p) for c, p in sorted(paths.items())}
    otherwise = max(paths, key=lambda c: (sum(_conditions(b) for b in paths[c]), -c))
    missing = sorted(set(labels) - set(paths))
    return Rules(depth, tree, paths, otherwise, [int(a) for a in assigned],
                 float((assigned == y).mean()), exact, missing)


def _nodes(t: Any, classes: Any, i: int) -> Node:
    if t.children_left[i] == -1:
        return Node(cluster=int(classes[int(t.value[i][0].argmax())]))
    f, th = int(t.feature[i]), float(t.threshold[i])
    return Node(f, th, th, _nodes(t, classes, t.children_left[i]), _nodes(t, classes, t.children_right[i]))


def _collapse(node: Node) -> Node:
    if node.feature < 0:
        return node
    assert node.left is not None and node.right is not None
    node.left, node.right = _collapse(node.left), _collapse(node.right)
    if node.left.feature < 0 and node.right.feature < 0 and node.left.cluster == node.right.cluster:
        return node.left
    return node


def _splits(node: Node) -> list[Node]:
    if node.feature < 0:
        return []
    assert node.left is not None and node.right is not None
    return [node] + _splits(node.left) + _splits(node.right)


def _assign(node: Node, x: Any) -> Any:
    import numpy as np

    out = np.empty(len(x), dtype=int)

    def walk(n: Node, mask: Any) -> None:
        if n.feature < 0:
            out[mask] = n.cluster
            return
        assert n.left is not None and n.right is not None
        left = x[:, n.feature] < n.cut
        walk(n.left, mask & left)
        walk(n.right, mask & ~left)

    walk(node, np.ones(len(x), dtype=bool))
    return out


def _fidelity(node: Node, x: Any, y: Any) -> float:
    return float((_assign(node, x) == y).mean())


def _round_cuts(tree: Node, x: Any, y: Any, integer: list[bool], exact: float) -> None:
    for n in _splits(tree):
        if integer[n.feature]:
            n.cut = float(math.floor(n.threshold) + 1)
    # until rounded, a cut just above the tree's threshold keeps its split
    for n in _splits(tree):
        if not integer[n.feature]:
            n.cut = math.nextafter(n.threshold, math.inf)
    for n in _splits(tree):
        if integer[n.feature]:
            continue
        before = _fidelity(tree, x, y)
        chosen = n.cut
        for digits in (1, 2, 3, 4):
            n.cut = significant(n.threshold, digits)
            now = _fidelity(tree, x, y)
            if now >= before - STEP_TOLERANCE and now >= exact - TOTAL_TOLERANCE:
                chosen = n.cut
                break
        else:
            chosen = float(f"{n.threshold:.6g}")
        n.cut = chosen


def _leaves(node: Node, bounds: tuple[tuple[float | None, float | None], ...]) -> list[tuple[int, tuple[Any, ...]]]:
    if node.feature < 0:
        return [(node.cluster, bounds)]
    assert node.left is not None and node.right is not None
    lo, hi = bounds[node.feature]
    left = list(bounds)
    left[node.feature] = (lo, node.cut if hi is None else min(hi, node.cut))
    right = list(bounds)
    right[node.feature] = (node.cut if lo is None else max(lo, node.cut), hi)
    return _leaves(node.left, tuple(left)) + _leaves(node.right, tuple(right))


def _conditions(b: Bounds) -> int:
    return sum((lo is not None) + (hi is not None) for lo, hi in b.ranges)


def _merge(paths: list[Bounds]) -> list[Bounds]:
    """Join two ranges of one member that differ in one trait only, where they touch."""
    paths = list(paths)
    merged = True
    while merged:
        merged = False
        for i in range(len(paths)):
            for j in range(i + 1, len(paths)):
                joined = _join(paths[i], paths[j])
                if joined is not None:
                    paths[i] = joined
                    del paths[j]
                    merged = True
                    break
            if merged:
                break
    return paths


def _join(a: Bounds, b: Bounds) -> Bounds | None:
    differ = [i for i, (ra, rb) in enumerate(zip(a.ranges, b.ranges)) if ra != rb]
    if len(differ) != 1:
        return None
    (i,) = differ
    (alo, ahi), (blo, bhi) = a.ranges[i], b.ranges[i]
    if ahi is not None and ahi == blo:
        new = (alo, bhi)
    elif bhi is not None and bhi == alo:
        new = (blo, ahi)
    else:
        return None
    ranges = list(a.ranges)
    ranges[i] = new
    return Bounds(tuple(ranges))


def predict(rules: Rules, rows: list[tuple[float | None, ...]]) -> list[int]:
    """The cluster the written rules give each row, as the family computes it: a missing value
    makes every comparison on it false, so such a row falls to `else`."""
    out = []
    for row in rows:
        found = rules.otherwise
        for cluster, paths in rules.paths.items():
            if cluster != rules.otherwise and any(_holds(b, row) for b in paths):
                found = cluster
                break
        out.append(found)
    return out


def _holds(b: Bounds, row: tuple[float | None, ...]) -> bool:
    for (lo, hi), v in zip(b.ranges, row):
        if lo is None and hi is None:
            continue
        if v is None or (lo is not None and not v >= lo) or (hi is not None and not v < hi):
            return False
    return True
