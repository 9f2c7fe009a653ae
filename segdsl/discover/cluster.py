"""Clusters of customers: the traits standardised (mean 0, standard deviation 1), k-means
(scikit-learn), k given or picked by silhouette on a sample. Clusters are numbered by size,
largest first, so the same data and seed always give the same numbering."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from segdsl.discover.common import EXIT_USAGE, fail, sklearn

AUTO_KS = range(2, 9)
SILHOUETTE_SAMPLE = 2000


@dataclass(frozen=True)
class Clusters:
    k: int
    labels: list[int]  # per customer (rows with every value), 0 = the largest cluster
    centres: list[list[float]]  # per cluster, per trait: the mean in standard deviations
    means: list[float]  # per trait: the mean over every customer
    scales: list[float]  # per trait: the standard deviation
    silhouettes: dict[int, float] = field(default_factory=dict)  # k -> score, when k was picked


def standardise(rows: list[tuple[float, ...]]) -> tuple[Any, list[float], list[float]]:
    import numpy as np

    x = np.asarray(rows, dtype=float)
    means, scales = x.mean(axis=0), x.std(axis=0)
    scales[scales == 0] = 1.0
    return (x - means) / scales, [float(m) for m in means], [float(s) for s in scales]


def cluster(rows: list[tuple[float, ...]], k: int | None, seed: int) -> Clusters:
    """k-means on the standardised rows; k=None picks k in 2..8 by silhouette."""
    import numpy as np

    sklearn()
    from sklearn.cluster import KMeans

    z, means, scales = standardise(rows)
    scores: dict[int, float] = {}
    if k is None:
        scores = silhouettes(z, seed)
        k = max(scores, key=lambda n: (round(scores[n], 3), -n))
    if k < 2 or k > len(rows) // 2:
        raise fail("SEG0805", f"--k {k}: give 2 to {max(2, len(rows) // 2)} clusters, or --k auto",
                   EXIT_USAGE)
    model = KMeans(n_clusters=k, n_init=4, random_state=seed).fit(z)
    raw = model.labels_
    sizes = np.bincount(raw, minlength=k)
    # largest first; equal sizes by the centre, so the numbering never depends on chance
    order = sorted(range(k), key=lambda c: (-int(sizes[c]), [round(float(v), 6) for v in model.cluster_centers_[c]]))
    rank = {c: i for i, c in enumerate(order)}
    labels = [rank[int(c)] for c in raw]
    centres = [[float(v) for v in model.cluster_centers_[c]] for c in order]
    return Clusters(k, labels, centres, means, scales, scores)


def silhouettes(z: Any, seed: int) -> dict[int, float]:
    """Silhouette of k-means with k = 2..8 (fitted on every customer), measured on a seeded
    sample of at most 2,000 customers."""
    import numpy as np
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    rng = np.random.default_rng(seed)
    sample = np.arange(len(z)) if len(z) <= SILHOUETTE_SAMPLE else rng.choice(len(z), SILHOUETTE_SAMPLE, replace=False)
    scores = {}
    for k in AUTO_KS:
        if k > len(z) // 2:
            break
        labels = KMeans(n_clusters=k, n_init=4, random_state=seed).fit_predict(z)
        if len(set(labels[sample])) > 1:
            scores[k] = float(silhouette_score(z[sample], labels[sample]))
    return scores
