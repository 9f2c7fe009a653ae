"""`segdsl predict`: a logistic regression, back-tested, written as a trait and a segment.

Reference R (the as-of date), horizon h days. Features are the traits compiled as of R - h,
so only rows before t0 (the midnight after R - h) are seen; the label is whether the
customer has a row of the target event (and filter) dated in the h days ending on R, i.e.
in [t0, t0 + h). Both are compiled queries. The model learns from the population, a condition
on customers evaluated as of t0 (`--population`, e.g. who had signed up by then); without it,
from every customer. The model (scikit-learn, on standardised features,
a missing value replaced by the training median) is folded back into raw units and its
coefficients rounded to 3 significant digits: the trait is the logit, so ranking by it is
ranking by probability, and the segment is `top 10% by` it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Any

from segdsl.discover.common import (EXIT_PROBLEMS, EXIT_USAGE, fail, number_text, numeric_traits,
                                    significant, sklearn)
from segdsl.discover.write import checked, comment

MIN_CUSTOMERS = 100
HOLDOUT = 0.25
LABEL = "segdsl_predict_label"
POPULATION = "segdsl_predict_population"
HEADER = re.compile(r"#\s*segdsl predict: target (?P<event>\S+)(?: where (?P<where>.*?))?, horizon "
                    r"(?P<days>\d+) days, trained as of (?P<as_of>\d{4}-\d{2}-\d{2})")
POPULATION_LINE = re.compile(r"#\s*Population: customers where (?P<population>.*?) as of the feature date\.\s*$",
                             re.MULTILINE)


@dataclass
class Scored:
    auc: float
    base_rate: float
    customers: int
    calibration: list[tuple[int, int, float, float]]  # decile, customers, predicted, observed

    def as_dict(self) -> dict[str, Any]:
        return {"auc": round(self.auc, 4), "base_rate": round(self.base_rate, 4), "customers": self.customers,
                "calibration": [{"decile": d, "customers": n, "predicted": round(p, 4), "observed": round(o, 4)}
                                for d, n, p, o in self.calibration]}


@dataclass
class Model:
    name: str
    target: str
    where: str | None
    horizon: int
    as_of: dt.date
    features: list[str]
    intercept: float
    coefficients: list[float]
    fill: dict[str, float]  # feature -> the value standing for a missing one
    holdout: Scored
    training: int
    seed: int
    population: str | None = None
    holdout_keys: list[Any] = field(default_factory=list)
    text: str = ""
    segment: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"trait": self.name, "segment": self.segment, "target_event": self.target,
                "target_where": self.where, "population": self.population, "horizon_days": self.horizon, "as_of": self.as_of.isoformat(),
                "features_as_of": (self.as_of - dt.timedelta(days=self.horizon)).isoformat(),
                "features": self.features, "intercept": self.intercept,
                "coefficients": dict(zip(self.features, self.coefficients)), "missing_filled_with": self.fill,
                "training_customers": self.training, "seed": self.seed,
                "holdout": self.holdout.as_dict(), "seg": self.text}


def horizon_days(text: str) -> int:
    """`30 days`, `4 weeks`, `30` (days) -> days."""
    m = re.fullmatch(r"\s*(\d+)\s*(day|days|week|weeks)?\s*", text)
    if not m or int(m.group(1)) < 1:
        raise fail("SEG0805", f"--horizon {text!r}: give a number of days or weeks, e.g. \"30 days\"", EXIT_USAGE)
    n = int(m.group(1))
    return n * 7 if (m.group(2) or "").startswith("week") else n


def event_relation(project: Any, event: str) -> Any:
    relations = project.schema.event_relations()
    if not relations:
        raise fail("SEG0805", "--target-event: the schema has no relation with an `event` column", EXIT_USAGE)
    for r in relations:
        values = r.columns[r.event].type.values
        if values is None or event in values:
            return r
    from segdsl.diagnostics import did_you_mean

    known = [v for r in relations for v in (r.columns[r.event].type.values or ())]
    raise fail("SEG0805", f"--target-event: no event `{event}`", EXIT_USAGE,
               *[h for h in [did_you_mean(event, known)] if h])


def label_project(project: Any, event: str, where: str | None, days: int, population: str | None = None) -> Any:
    """The project with one more trait: whether the event happened in the last `days` days
    (and one more for the population condition, when there is one)."""
    from segdsl.api import Project

    rel = event_relation(project, event)
    quoted = event.replace("\\", "\\\\").replace('"', '\\"')
    cond = f'{rel.event} = "{quoted}"' + (f" and ({where})" if where else "")
    text = f"trait {LABEL} = count({rel.name} in last {days} days where {cond}) > 0\n"
    files = dict(project.sources.files) | {"__segdsl_predict__.seg": text}
    if population is not None:
        files["__segdsl_population__.seg"] = f"segment {POPULATION} where {population}\n"
    joined = Project.from_sources(project.sources.config or {}, files, project.root)
    diagnostics = [d for d in joined.check() if d.is_error]
    for path, option in (("__segdsl_predict__.seg", "--target-where"), ("__segdsl_population__.seg", "--population")):
        errors = [d for d in diagnostics if d.span.path == path]
        if errors:
            raise fail("SEG0805", f"{option}: {errors[0].message}", EXIT_USAGE, *errors[0].hints)
    return joined


def training_set(conn: Any, project: Any, features: list[str], event: str, where: str | None,
                 days: int, as_of: dt.date, population: str | None = None
                 ) -> tuple[list[Any], list[list[float | None]], list[int]]:
    """Keys (of the population as of as_of - days), features as of as_of - days, labels in the
    `days` days ending on as_of."""
    from segdsl.sql.render import render

    numeric_traits(project, features, "--features")
    joined = label_project(project, event, where, days, population)
    t0 = as_of - dt.timedelta(days=days)
    tree = joined.compile_values_tree(features, conn.dialect, t0, ordered=True)
    x = {row[0]: [_num(v) for v in row[1:]] for row in conn.query(render(tree, conn.dialect, pretty=False))}
    if population is not None:
        members = {row[0] for row in conn.query(joined.compile(POPULATION, dialect=conn.dialect, as_of=t0))}
        x = {k: v for k, v in x.items() if k in members}
    tree = joined.compile_values_tree([LABEL], conn.dialect, as_of, ordered=True)
    y = {row[0]: int(bool(row[1])) for row in conn.query(render(tree, conn.dialect, pretty=False))}
    keys = sorted(x, key=_sortable)
    return keys, [x[k] for k in keys], [y.get(k, 0) for k in keys]


def _sortable(key: Any) -> tuple[str, Any]:
    return (type(key).__name__, key)


def _num(v: Any) -> float | None:
    if v is None:
        return None
    f = float(v)
    return f if math.isfinite(f) else None


def fit(conn: Any, project: Any, features: list[str], event: str, where: str | None, days: int,
        as_of: dt.date, *, name: str = "purchase_score", seed: int = 0, path: str = "model.seg",
        population: str | None = None) -> Model:
    import numpy as np

    sklearn()
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split

    keys, rows, labels = training_set(conn, project, features, event, where, days, as_of, population)
    if len(keys) < MIN_CUSTOMERS:
        raise fail("SEG0801", f"too few customers for predict: {len(keys):,}, at least {MIN_CUSTOMERS} needed",
                   EXIT_PROBLEMS)
    positives = sum(labels)
    if positives < 10 or len(labels) - positives < 10:
        raise fail("SEG0806", f"`{event}` happened for {positives:,} of {len(labels):,} customers in the "
                   f"{days} days to {as_of}: too few of one kind to learn from", EXIT_PROBLEMS,
                   "try a longer --horizon, another --target-event or a wider --target-where")
    x = np.array([[np.nan if v is None else v for v in r] for r in rows], dtype=float)
    y = np.array(labels)
    train, test = train_test_split(np.arange(len(y)), test_size=HOLDOUT, random_state=seed, stratify=y)
    fill = {}
    for j, f in enumerate(features):
        seen = x[train, j][~np.isnan(x[train, j])]
        if len(seen) == 0 or np.all(seen == seen[0]):
            raise fail("SEG0802", f"feature `{f}` has one value for every customer as of "
                       f"{as_of - dt.timedelta(days=days)}: it cannot tell customers apart", EXIT_PROBLEMS,
                       f"leave `{f}` out, or check its definition")
        if np.isnan(x[:, j]).any():
            fill[f] = significant(float(np.median(seen)), 3)
            x[np.isnan(x[:, j]), j] = fill[f]
    mean, scale = x[train].mean(axis=0), x[train].std(axis=0)
    model = LogisticRegression(C=1.0, max_iter=1000).fit((x[train] - mean) / scale, y[train])
    w = model.coef_[0] / scale
    b = float(model.intercept_[0] - (w * mean).sum())
    coefficients = [significant(float(c), 3) for c in w]
    intercept = significant(b, 3)
    logit = intercept + x @ np.array(coefficients)
    scored = score(logit[test], y[test])
    result = Model(name, event, where, days, as_of, list(features), intercept, coefficients, fill, scored,
                   len(train), seed, population, [keys[i] for i in test])
    result.segment = f"{name}_top_decile"
    result.text = checked(project, model_text(result), path, [name, result.segment])
    return result


def score(logit: Any, y: Any) -> Scored:
    """AUC, base rate and calibration by decile of the score (decile 10 = the highest)."""
    import numpy as np
    from sklearn.metrics import roc_auc_score

    p = 1 / (1 + np.exp(-np.asarray(logit, dtype=float)))
    order = np.argsort(-p, kind="stable")
    deciles = []
    for d, part in enumerate(np.array_split(order, 10)):
        if len(part):
            deciles.append((10 - d, len(part), float(p[part].mean()), float(y[part].mean())))
    auc = float(roc_auc_score(y, p)) if 0 < y.sum() < len(y) else float("nan")
    return Scored(auc, float(y.mean()), len(y), sorted(deciles))


def expression(model: Model) -> str:
    terms = [number_text(model.intercept)]
    for f, c in zip(model.features, model.coefficients):
        if c == 0:
            continue
        value = f"coalesce({f}, {number_text(model.fill[f])})" if f in model.fill else f
        terms.append(f"{'-' if c < 0 else '+'} {number_text(abs(c))} * {value}")
    return " ".join(terms)


def model_text(model: Model) -> str:
    h = model.holdout
    t0 = model.as_of - dt.timedelta(days=model.horizon)
    where = f" where {model.where}" if model.where else ""
    lines = [
        f"segdsl predict: target {model.target}{where}, horizon {model.horizon} days, trained as of {model.as_of}",
        f"Features as of {t0}; label: `{model.target}`{where} from {t0 + dt.timedelta(days=1)} to {model.as_of}.",
        f"Logistic regression on {model.training:,} customers (seed {model.seed}); the trait is the logit,",
        "the probability is 1 / (1 + exp(-score)).",
        *([f"Population: customers where {model.population} as of the feature date."] if model.population else []),
        f"Hold-out ({h.customers:,} customers): AUC {h.auc:.2f}, base rate {100 * h.base_rate:.1f}%.",
        "Calibration by decile of the score (10 = highest): predicted vs observed",
        *[f"  {d:>2}: {100 * p:5.1f}% vs {100 * o:5.1f}% ({n:,} customers)" for d, n, p, o in reversed(h.calibration)],
    ]
    if model.fill:
        lines.append("Missing values stand for the training median: "
                     + ", ".join(f"{f} {number_text(v)}" for f, v in model.fill.items()) + ".")
    return (comment("\n".join(lines)) + f"\ntrait {model.name} = {expression(model)}\n\n"
            + comment(f"The 10% of customers most likely to have `{model.target}` in the next {model.horizon} days.")
            + f"\nsegment {model.segment} where top 10% by {model.name}\n")


def evaluate(conn: Any, project: Any, name: str, event: str, where: str | None, days: int,
             as_of: dt.date, population: str | None = None) -> Scored:
    """The trait `name` scored on the label window of reference `as_of`: features as of
    as_of - days, the event in the days after, for the population as of as_of - days."""
    import numpy as np

    keys, rows, labels = training_set(conn, project, [name], event, where, days, as_of, population)
    values = np.array([np.nan if r[0] is None else r[0] for r in rows], dtype=float)
    known = ~np.isnan(values)
    y = np.array(labels)[known]
    if len(y) < MIN_CUSTOMERS:
        raise fail("SEG0801", f"too few customers with a score: {len(y):,}", EXIT_PROBLEMS)
    if y.sum() == 0 or y.sum() == len(y):
        raise fail("SEG0806", f"`{event}` happened for {int(y.sum()):,} of {len(y):,} customers: "
                   "an AUC needs both kinds", EXIT_PROBLEMS)
    return score(values[known], y)


def read_header(text: str) -> dict[str, Any] | None:
    """What `model_text` records in its first line: target, filter, horizon, training as-of."""
    m = HEADER.search(text)
    if m is None:
        return None
    population = POPULATION_LINE.search(text)
    return {"event": m.group("event"), "where": m.group("where"), "days": int(m.group("days")),
            "as_of": dt.date.fromisoformat(m.group("as_of")),
            "population": population.group("population") if population else None}
