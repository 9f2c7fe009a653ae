"""`segdsl discover`: groups of customers found in their traits, written as a family.

Steps: the traits per customer (one compiled query), k-means on the standardised traits
(cluster.py), a shallow tree predicting the cluster (tree_to_family.py), the family's text
with a profile per member (write.py). Customers missing a trait's value are left out of the
fit; the family puts them in its `else` member.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from segdsl.discover.common import EXIT_USAGE, fail, read_values, check_spread
from segdsl.discover.cluster import cluster
from segdsl.discover.tree_to_family import fit_tree, predict
from segdsl.discover.write import checked, comment, rule

MIN_CUSTOMERS = 50
APART = 0.5  # standard deviations from the mean that set a cluster apart in its name


@dataclass
class Member:
    name: str
    cluster: int
    size: int  # customers of the cluster
    assigned: int  # customers the family's rule gives this member
    profile: str
    otherwise: bool = False


@dataclass
class Discovery:
    family: str
    traits: list[str]
    as_of: dt.date | None
    customers: int  # with every trait's value: the ones clustered
    left_out: int  # missing a value
    k: int
    silhouettes: dict[int, float]
    fidelity: float
    exact_fidelity: float
    depth: int
    members: list[Member] = field(default_factory=list)
    unmatched: list[int] = field(default_factory=list)  # clusters no rule gives
    text: str = ""
    seed: int = 0
    keys: list[Any] = field(default_factory=list)  # the customers clustered, by key
    clusters: list[int] = field(default_factory=list)  # each one's cluster
    assigned: list[int] = field(default_factory=list)  # the cluster its member in the family stands for

    def member_of(self) -> dict[Any, str]:
        """Customer key -> the family member its rules give (customers clustered only)."""
        names = {m.cluster: m.name for m in self.members}
        return {k: names[c] for k, c in zip(self.keys, self.assigned)}

    def as_dict(self) -> dict[str, Any]:
        return {
            "family": self.family, "traits": self.traits,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "customers": self.customers, "left_out": self.left_out, "k": self.k,
            "k_by_silhouette": {str(k): round(v, 4) for k, v in self.silhouettes.items()} or None,
            "fidelity": round(self.fidelity, 4), "tree_depth": self.depth, "seed": self.seed,
            "members": [{"name": m.name, "cluster": m.cluster, "cluster_size": m.size,
                         "assigned": m.assigned, "else": m.otherwise, "profile": m.profile}
                        for m in self.members],
            "clusters_without_member": self.unmatched, "seg": self.text,
        }


def discover(conn: Any, project: Any, traits: list[str], *, k: int | None = None, seed: int = 0,
             as_of: Any = None, name: str = "discovered", depth: int = 3, path: str = "discovered.seg",
             steps: Any = None) -> Discovery:
    """Cluster the customers by `traits` (k=None: by silhouette) and write a family `name`."""
    if depth < 1 or depth > 6:
        raise fail("SEG0805", f"--depth {depth}: give 1 to 6", EXIT_USAGE)
    _step(steps, "reading the traits")
    values = read_values(conn, project, traits, as_of)
    check_spread(values, MIN_CUSTOMERS, "discover")
    complete = [r for r in values.rows if None not in r]
    rows: list[tuple[float, ...]] = [tuple(float(v) for v in r if v is not None) for r in complete]
    _step(steps, "clustering")
    found = cluster(rows, k, seed)
    _step(steps, "fitting the tree")
    integer = [values.integer[t] for t in traits]
    rules = fit_tree(rows, found.labels, integer, depth, seed)
    names = member_names(traits, found.centres)
    written = predict(rules, list(complete))
    fidelity = sum(a == b for a, b in zip(written, found.labels)) / len(rows)
    result = Discovery(name, list(traits), as_of, len(rows), len(values.rows) - len(rows), found.k,
                       found.silhouettes, fidelity, rules.exact_fidelity, depth, seed=seed,
                       keys=[key for key, r in zip(values.keys, values.rows) if None not in r],
                       clusters=list(found.labels), assigned=list(written))
    for c in range(found.k):
        size = found.labels.count(c)
        result.members.append(Member(names[c], c, size, written.count(c),
                                     profile(traits, found, c, size, len(rows)), c == rules.otherwise))
    result.unmatched = rules.missing
    _step(steps, "writing the family")
    result.text = checked(project, family_text(result, rules, integer), path, [name])
    return result


def _step(steps: Any, description: str) -> None:
    if steps is not None:
        steps.start(description)
        steps.done()


def member_names(traits: list[str], centres: list[list[float]]) -> list[str]:
    """A name per cluster from the traits that set it apart, in the traits' order:
    `high_visits_90d_low_pages_per_visit`. A trait that sets every cluster apart the way an
    earlier one does (minutes following pages) adds nothing to the names and is left out."""
    def sign(z: float) -> int:
        return 1 if z >= APART else -1 if z <= -APART else 0

    patterns = [tuple(sign(c[i]) for c in centres) for i in range(len(traits))]
    used = [i for i in range(len(traits)) if patterns[i] not in patterns[:i]]
    names: list[str] = []
    for centre in centres:
        words = [f"{'high' if centre[i] > 0 else 'low'}_{traits[i]}" for i in used if sign(centre[i])][:3]
        base = "_".join(words) or "typical"
        candidate, n = base, 2
        while candidate in names:
            candidate, n = f"{base}_{n}", n + 1
        names.append(candidate)
    return names


def profile(traits: list[str], found: Any, c: int, size: int, total: int) -> str:
    centre = found.centres[c]
    order = sorted(range(len(traits)), key=lambda i: -abs(centre[i]))
    shown = [f"{traits[i]} {_num(centre[i] * found.scales[i] + found.means[i])} "
             f"(all {_num(found.means[i])}, {centre[i]:+.1f} sd)" for i in order if abs(centre[i]) >= APART][:3]
    return f"{size:,} customers ({100 * size / total:.1f}%)" + ("; " + ", ".join(shown) if shown else
                                                                  "; close to the mean in every trait")


def _num(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}"


def family_text(result: Discovery, rules: Any, integer: list[bool]) -> str:
    by_cluster = {m.cluster: m for m in result.members}
    head = [f"Discovered by `segdsl discover` as of {result.as_of}: k-means on {', '.join(result.traits)}",
            f"(standardised, k = {result.k}, seed {result.seed}), rules from a decision tree of depth "
            f"{result.depth}.",
            f"Fidelity {result.fidelity:.3f}: the share of the {result.customers:,} customers clustered "
            "whose member is their cluster."]
    if result.left_out:
        head.append(f"{result.left_out:,} customers missing a trait's value were left out; they are in the else member.")
    lines = [comment("\n".join(head)), f"family {result.family} {{"]
    for c, paths in rules.paths.items():
        if c == rules.otherwise:
            continue
        m = by_cluster[c]
        lines.append(comment(f"{m.name}: {m.profile}"))
        lines.append(f"{m.name} where {rule(result.traits, integer, paths)}")
    m = by_cluster[rules.otherwise]
    lines.append(comment(f"{m.name}: {m.profile}"))
    lines.append(f"else {m.name}")
    lines.append("}")
    for c in result.unmatched:
        lines.append(comment(f"cluster {by_cluster[c].name} ({by_cluster[c].profile}) has no rule: "
                             "the tree could not single it out"))
    return "\n".join(lines) + "\n"
