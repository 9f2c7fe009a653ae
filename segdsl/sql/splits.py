"""A split's bucket of the key in SQL: the same number on every engine.

bucket = (first 15 hex digits of md5('segdsl|<split>|<salt>|' || key as text)) mod 10000.
15 hex digits are 60 bits: a non-negative BIGINT everywhere. The md5 as lowercase hex is
sqlglot's MD5 node (it writes TO_HEX(MD5(..)) for BigQuery, LOWER(HEX(MD5(..))) for
ClickHouse); the key as text and the hex digits as an integer are the dialect's
(`Dialect.key_text`, `Dialect.hex_to_bigint`). A missing key makes every step NULL.
"""

from __future__ import annotations

from sqlglot import exp

from segdsl import ir
from segdsl.sql.dialects import Dialect

BUCKETS = 10_000
HEX_DIGITS = 15


def hashed_prefix(split: str, salt: str) -> str:
    """The text hashed before the key (the language's definition, docs/language.md)."""
    return f"segdsl|{split}|{salt}|"


def hash_bucket(d: Dialect, v: ir.HashBucket, key: exp.Expr) -> exp.Expr:
    text = key if v.key.type.kind == "string" else d.key_text(key)
    hashed = exp.DPipe(this=exp.Literal.string(hashed_prefix(v.split, v.salt)), expression=text)
    digits = exp.Substring(this=d.md5_hex(hashed), start=exp.Literal.number(1),
                           length=exp.Literal.number(HEX_DIGITS))
    return exp.Mod(this=exp.Paren(this=d.hex_to_bigint(digits)), expression=exp.Literal.number(BUCKETS))
