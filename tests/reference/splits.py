"""A split's bucket in plain Python, from the language's definition (LANGUAGE.md v2):
the first 15 hex digits of md5("segdsl|<split>|<salt>|<key as text>") read as an integer,
mod 10000; an integer key written in plain decimal, a text key as it is."""

from __future__ import annotations

import hashlib


def split_bucket(split: str, salt: str, key: object) -> int | None:
    if key is None:
        return None
    if isinstance(key, bool) or not isinstance(key, (int, str)):
        raise TypeError(f"a split key is an integer or a text, found {key!r}")
    text = f"segdsl|{split}|{salt}|{key}"  # str(int) is plain decimal, with its minus sign
    digest = hashlib.md5(text.encode("utf-8")).hexdigest()
    return int(digest[:15], 16) % 10_000
