"""Hand-derived members of the split and holdout segments of tests/cases/splits/splits.seg on
the rows of tests/fixtures/split_data.py (c1..c40; age = 18 + id, c4 age 40, c25 no age).

The buckets below were computed with coreutils, not with segdsl, for each customer k:

    h=$(printf '%s' "segdsl|$split|$salt|$k" | md5sum | cut -c1-15); echo $(( 16#$h % 10000 ))

     k  spring  subject  holdout  edges  |   k  spring  subject  holdout  edges
     1    8536     3237     4971   5475  |  21    4185     3558     7792   2650
     2    2459     4824     5773   3344  |  22    8913     2877     8058   7662
     3    9473     1679     6790   8350  |  23    7205     1238     9468   8267
     4    5341     5064      408   6146  |  24    3068     3878     5413   6390
     5    4378     4469     5070   6563  |  25     700     8667     5014   9867
     6     531     3460     8705   4244  |  26    3942      156     1462   6532
     7     299     5747      584    109  |  27    6551     2015     7338   9129
     8    3759     5980     9056   3263  |  28    8818     2357     1236   2171
     9    9762     6719     9573   4456  |  29    6300     4082     3963   9400
    10    5298     6372     4102    767  |  30    7129     6545     7814   8490
    11    3964     7303     7891   9204  |  31    7283     3193     9518   2713
    12    5453     7662     3882   4816  |  32    8223     9895     5388   1413
    13    9299     8719     2650   8512  |  33    6046      565     2033   4960
    14    4360     7491     6478   2652  |  34    8254     3003     1802   5238
    15     901     2357     5979   8090  |  35    7452     9150      735   5677
    16    4336      885     4153    824  |  36    9210     3563     7685   7659
    17    8151     8620     3288   7211  |  37    4602     4533     8026    981
    18     142     5466     4959   7778  |  38    8658     3753     1914   4977
    19    4248     6342     7769   1950  |  39    6666     2646      810   7109
    20    4542     8412     4378   2449  |  40    3839     7261     5453   3282

(spring = split spring_campaign, salt ""; subject = subject_test, salt "2024-06"; holdout =
global_holdout, salt "global_holdout"; edges = edges, salt "").

Group ranges (consecutive, in the order written, in hundredths of a percent):
    spring_campaign: control 0..999, treatment 1000..9999 (only adults: age >= 30)
    subject_test:    a 0..3332, b 3333..6665, c 6666..9999
    global_holdout:  0..499
    edges:           first 0..2649, second 2650..2651, third 2652..9999

Adults (age >= 30): c4 and c12..c40 but c25 (no age, so not an adult).

Interpretations:
    1. A customer outside a split's population is in none of its groups, whatever its bucket:
       c6 and c7 (buckets 531, 299) and c25 (700) would be control but are not adults.
    2. The split as a value (`subject_test = "b"`) is the group's name, missing outside the
       population; `spring_campaign is set` holds exactly for the population.
    3. `subject_test != "a"` is `not (subject_test = "a")`: every customer not in group a
       (every customer has a group, the split having no population condition).
"""

from __future__ import annotations

AS_OF = "2024-06-30"  # nothing here depends on the date

_ADULTS = [4] + [k for k in range(12, 41) if k != 25]
# spring buckets of the adults: only c15 (901) and c18 (142) are below 1000
_CONTROL = [15, 18]
_TREATMENT = [k for k in _ADULTS if k not in _CONTROL]
# subject buckets < 3333
_A = [1, 3, 15, 16, 22, 23, 26, 27, 28, 31, 33, 34, 39]
# 3333 <= subject bucket < 6666 (c30 at 6545 is the highest b; c9 at 6719 the lowest c)
_B = [2, 4, 5, 6, 7, 8, 10, 18, 19, 21, 24, 29, 30, 36, 37, 38]
_C = [9, 11, 12, 13, 14, 17, 20, 25, 32, 35, 40]

EXPECTED: dict[str, dict[str, list[int]]] = {
    "adults": {AS_OF: _ADULTS},
    # adults (population) in treatment (bucket >= 1000), less the holdout (c4: bucket 408 < 500)
    "spring_send": {AS_OF: [k for k in _TREATMENT if k != 4]},
    "spring_control": {AS_OF: _CONTROL},
    "spring_treatment": {AS_OF: _TREATMENT},
    # not adults: c1..c11 but c4, and c25
    "outside_spring": {AS_OF: [1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 25]},
    "subject_a": {AS_OF: _A},
    "subject_b": {AS_OF: _B},
    "subject_c": {AS_OF: _C},
    "subject_not_a": {AS_OF: sorted(_B + _C)},
    # global_holdout buckets < 500: only c4 (408); c35 (735) and c39 (810) are above
    "held_out": {AS_OF: [4]},
    # edges buckets < 2650
    "edge_first": {AS_OF: [7, 10, 16, 19, 20, 28, 32, 37]},
    # buckets 2650 and 2651: c21 (2650); c14 (2652) is the first of third
    "edge_second": {AS_OF: [21]},
    # ages < 30 (c1..c11 but c4; c25 has no age) with edges bucket >= 2652: not c7 (109), c10 (767)
    "edge_third_young": {AS_OF: [1, 2, 3, 5, 6, 8, 9, 11]},
}
