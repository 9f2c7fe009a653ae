"""Golden split buckets: (split, salt, key, bucket) for integer and text keys.

bucket = the first 15 hex digits of md5("segdsl|<split>|<salt>|<key as text>") read as an
integer, mod 10000 (LANGUAGE.md v2, "Splits and holdouts"). The numbers were computed outside
Python, with coreutils, for each row:

    h=$(printf '%s' "segdsl|$split|$salt|$key" | md5sum | cut -c1-15); echo $(( 16#$h % 10000 ))

(the integer keys as bash prints them: plain decimal). tests/test_split_buckets.py checks that
the compiler's SQL gives these numbers on DuckDB, Postgres and ZetaSQL (BigQuery mode) and that
the reference evaluator (hashlib) does too. The holdout row uses the holdout's rule: the salt
is its own name. The text key "1" has the bucket of the integer key 1: keys are hashed as text.
"""

from __future__ import annotations

# integers: zero, signs, 32-bit and 64-bit limits, above 2**53
INTEGER_KEYS: list[tuple[str, str, int, int]] = [
    ('spring_campaign', '', 0, 3714),
    ('spring_campaign', '', 1, 8536),
    ('spring_campaign', '', -1, 5121),
    ('spring_campaign', '', 7, 299),
    ('spring_campaign', '', 42, 2385),
    ('spring_campaign', '', 1000, 5669),
    ('spring_campaign', '', 2147483647, 479),
    ('spring_campaign', '', -2147483648, 8266),
    ('spring_campaign', '', 9007199254740993, 4902),
    ('spring_campaign', '', 123456789012345678, 1058),
    ('spring_campaign', '', 9223372036854775807, 299),
    ('spring_campaign', '', -9223372036854775808, 5120),
    ('subject_test', '2024-06', 0, 765),
    ('subject_test', '2024-06', 1, 3237),
    ('subject_test', '2024-06', -1, 2830),
    ('subject_test', '2024-06', 7, 5747),
    ('subject_test', '2024-06', 42, 8886),
    ('subject_test', '2024-06', 1000, 6800),
    ('subject_test', '2024-06', 2147483647, 8664),
    ('subject_test', '2024-06', -2147483648, 3550),
    ('subject_test', '2024-06', 9007199254740993, 4020),
    ('subject_test', '2024-06', 123456789012345678, 2917),
    ('subject_test', '2024-06', 9223372036854775807, 8220),
    ('subject_test', '2024-06', -9223372036854775808, 3690),
    ('global_holdout', 'global_holdout', 0, 2333),
    ('global_holdout', 'global_holdout', 1, 4971),
    ('global_holdout', 'global_holdout', -1, 52),
    ('global_holdout', 'global_holdout', 7, 584),
    ('global_holdout', 'global_holdout', 42, 4545),
    ('global_holdout', 'global_holdout', 1000, 4804),
    ('global_holdout', 'global_holdout', 2147483647, 5108),
    ('global_holdout', 'global_holdout', -2147483648, 4808),
    ('global_holdout', 'global_holdout', 9007199254740993, 8509),
    ('global_holdout', 'global_holdout', 123456789012345678, 5017),
    ('global_holdout', 'global_holdout', 9223372036854775807, 2330),
    ('global_holdout', 'global_holdout', -9223372036854775808, 8334),
]


# text: empty, quotes, a backslash, non-ASCII (two-, three- and four-byte UTF-8), the separator, spaces
TEXT_KEYS: list[tuple[str, str, str, int]] = [
    ('spring_campaign', '', '', 6996),
    ('spring_campaign', '', 'a', 8352),
    ('spring_campaign', '', "O'Brien", 4535),
    ('spring_campaign', '', 'say "hi"', 5337),
    ('spring_campaign', '', 'back\\slash', 2356),
    ('spring_campaign', '', 'Zoë', 7157),
    ('spring_campaign', '', '東京', 1351),
    ('spring_campaign', '', '🙂', 6335),
    ('spring_campaign', '', 'a|b|c', 6794),
    ('spring_campaign', '', ' padded ', 2811),
    ('spring_campaign', '', 'NULL', 2633),
    ('spring_campaign', '', '1', 8536),
    ('spring_campaign', '', '-1', 5121),
    ('subject_test', '2024-06', '', 9349),
    ('subject_test', '2024-06', 'a', 882),
    ('subject_test', '2024-06', "O'Brien", 4696),
    ('subject_test', '2024-06', 'say "hi"', 9063),
    ('subject_test', '2024-06', 'back\\slash', 1348),
    ('subject_test', '2024-06', 'Zoë', 8184),
    ('subject_test', '2024-06', '東京', 8712),
    ('subject_test', '2024-06', '🙂', 242),
    ('subject_test', '2024-06', 'a|b|c', 1555),
    ('subject_test', '2024-06', ' padded ', 5844),
    ('subject_test', '2024-06', 'NULL', 722),
    ('subject_test', '2024-06', '1', 3237),
    ('subject_test', '2024-06', '-1', 2830),
]
