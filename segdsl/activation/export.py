"""`segdsl export`: one row per member of a segment, in the layout an ad platform uploads.

    google  Email,Phone,First Name,Last Name,Country,Zip   (Country and Zip never hashed)
    meta    EMAIL,PHONE,FN,LN,ZIP,CT,ST,COUNTRY,EXTERN_ID  (EXTERN_ID: the entity key, as is)
    tiktok  Email_SHA256,Phone_SHA256
    keys    the entity key

Identifiers are normalised per platform (segdsl/activation/normalise.py) and SHA-256 hashed
unless `raw`. An identifier that cannot be used is left empty and counted by reason; a member
with no usable identifier at all is left out (counted as "no identifier"). Columns the
project does not map (`[activation]`) stay empty. With `[activation] consent`, only the members
who consented are exported, unless `ignore_consent`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from collections.abc import Callable

from sqlglot import exp

from segdsl.activation import normalise as n
from segdsl.activation.config import Activation
from segdsl.analysis.common import KEY, col, entity, rows, segment_keys, sub, table

PLATFORMS = ("google", "meta", "tiktok", "keys")
HEADERS = {
    "google": ("Email", "Phone", "First Name", "Last Name", "Country", "Zip"),
    "meta": ("EMAIL", "PHONE", "FN", "LN", "ZIP", "CT", "ST", "COUNTRY", "EXTERN_ID"),
    "tiktok": ("Email_SHA256", "Phone_SHA256"),
}
NO_IDENTIFIER = "no identifier"
NOT_CONSENTING = "no consent"


class ExportError(Exception):
    """A usage problem: an unknown platform, nothing mapped for it; one line."""


@dataclass
class Export:
    segment: str
    platform: str
    header: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    members: int  # members of the segment (before consent and dropped rows)
    hashed: bool
    dropped: Counter[str] = field(default_factory=Counter)  # identifiers left out, by reason
    skipped: Counter[str] = field(default_factory=Counter)  # members left out, by reason

    def summary(self) -> dict[str, Any]:
        return {"segment": self.segment, "to": self.platform, "members": self.members,
                "rows": len(self.rows), "hashed": self.hashed,
                "members_left_out": dict(sorted(self.skipped.items())),
                "identifiers_dropped": dict(sorted(self.dropped.items()))}


def _identifier_columns(platform: str) -> tuple[str, ...]:
    """The [activation] keys a platform reads (needed: at least one that identifies)."""
    return {"google": ("email", "phone", "first_name", "last_name", "country", "zip"),
            "meta": ("email", "phone", "first_name", "last_name", "zip", "city", "state", "country"),
            "tiktok": ("email", "phone"), "keys": ()}[platform]


def member_query(project: Any, segment: str, dialect: str, as_of: Any, config: Activation,
                 consent: bool) -> tuple[exp.Select, list[str]]:
    """The key and the mapped columns of each member (and whether they consented), by key."""
    table_name, key = entity(project)
    wanted = [k for k in _identifier_columns_all() if k in config.columns]
    fields = [exp.alias_(col(key, "c"), KEY, quoted=True)] + \
        [exp.alias_(col(config.columns[k], "c"), f"__{k}", quoted=True) for k in wanted]
    query = exp.select(*fields).from_(table(table_name, "c")).join(
        sub(segment_keys(project, segment, dialect, as_of), "s"),
        on=exp.EQ(this=col(KEY, "s"), expression=col(key, "c")), join_type="INNER")
    if consent and config.consent is not None:
        flag: exp.Expression
        if config.consent_is_segment:
            consenting = segment_keys(project, config.consent, dialect, as_of)
            flag = col(key, "c").isin(query=consenting)
        else:
            flag = exp.EQ(this=exp.Coalesce(this=col(config.consent, "c"), expressions=[exp.false()]),
                          expression=exp.true())
        query = query.select(exp.alias_(exp.Case(ifs=[exp.If(this=flag, true=exp.true())], default=exp.false()),
                                        "__consent", quoted=True))
        wanted.append("consent")
    return query.order_by(col(key, "c")), wanted


def _identifier_columns_all() -> tuple[str, ...]:
    return ("email", "phone", "first_name", "last_name", "zip", "city", "state", "country")


def export_rows(conn: Any, project: Any, segment: str, platform: str, as_of: Any, config: Activation,
                raw: bool = False, ignore_consent: bool = False) -> Export:
    if platform not in PLATFORMS:
        from segdsl.diagnostics import did_you_mean

        hint = did_you_mean(platform, PLATFORMS)
        raise ExportError(f"--to: unknown platform `{platform}`; use {', '.join(PLATFORMS)}"
                          + (f" ({hint})" if hint else ""))
    key = project.schema.entity.key
    if platform != "keys" and not any(k in config.columns for k in ("email", "phone", "first_name", "last_name")
                                      if k in _identifier_columns(platform)):
        raise ExportError(f"nothing to match {platform} on: map the columns holding identifiers under "
                          "[activation] in segdsl.toml (email = \"...\", phone = \"...\")")
    if platform != "keys":
        _needs_phonenumbers()
    query, names = member_query(project, segment, conn.dialect, as_of, config, not ignore_consent)
    found = rows(conn, query)
    header = (key,) if platform == "keys" else HEADERS[platform]
    if raw and platform == "tiktok":
        header = ("Email", "Phone")  # TikTok's headers for values it hashes itself
    out = Export(segment, platform, header, [], len(found), hashed=not raw and platform != "keys")
    build = _ROW[platform]
    for values in found:
        record = dict(zip(names, values[1:]))
        if "consent" in record and not record.pop("consent"):
            out.skipped[NOT_CONSENTING] += 1
            continue
        row = build(values[0], record, config, out.dropped, raw)
        if row is None:
            out.skipped[NO_IDENTIFIER] += 1
            continue
        out.rows.append(row)
    return out


def _needs_phonenumbers() -> None:
    try:
        import phonenumbers  # noqa: F401
    except ImportError:
        raise MissingExtra() from None


class MissingExtra(Exception):
    """The optional `activation` extra (phonenumbers) is not installed."""

    def __init__(self) -> None:
        super().__init__("audience files need phonenumbers: pip install 'segdsl[activation]'")


def _clean(normalise: Callable[[], str | None], dropped: Counter[str]) -> str | None:
    try:
        return normalise()
    except n.Dropped as exc:
        dropped[exc.reason] += 1
        return None


def _out(value: str | None, raw: bool) -> str:
    if value is None:
        return ""
    return value if raw else n.sha256(value)


def _google(key: Any, r: dict[str, Any], config: Activation, dropped: Counter[str], raw: bool) -> tuple[Any, ...] | None:
    email = _clean(lambda: n.email(r.get("email")), dropped)
    phone = _clean(lambda: n.phone(r.get("phone"), config.default_country, "e164"), dropped)
    first, last = n.spaced_lower(r.get("first_name")), n.spaced_lower(r.get("last_name"))
    country = _clean(lambda: n.country(r.get("country")), dropped)
    zip_code = n.plain_zip(r.get("zip"))
    # Google matches on an email, a phone, or a name with country and zip (its address match)
    if email is None and phone is None and not (first and last and country and zip_code):
        return None
    return (_out(email, raw), _out(phone, raw), _out(first, raw), _out(last, raw),
            country.upper() if country else "", zip_code or "")


def _meta(key: Any, r: dict[str, Any], config: Activation, dropped: Counter[str], raw: bool) -> tuple[Any, ...] | None:
    email = _clean(lambda: n.email(r.get("email")), dropped)
    phone = _clean(lambda: n.phone(r.get("phone"), config.default_country, "digits"), dropped)
    country = _clean(lambda: n.country(r.get("country")), dropped)
    first, last = n.letters(r.get("first_name")), n.letters(r.get("last_name"))
    zip_code = n.meta_zip(r.get("zip"), country)
    city, state = n.letters(r.get("city")), n.letters(r.get("state"))
    if email is None and phone is None and not (first and last):
        return None
    return (_out(email, raw), _out(phone, raw), _out(first, raw), _out(last, raw), _out(zip_code, raw),
            _out(city, raw), _out(state, raw), _out(country, raw), str(key))


def _tiktok(key: Any, r: dict[str, Any], config: Activation, dropped: Counter[str], raw: bool) -> tuple[Any, ...] | None:
    email = _clean(lambda: n.email(r.get("email")), dropped)
    phone = _clean(lambda: n.phone(r.get("phone"), config.default_country, "e164"), dropped)
    if email is None and phone is None:
        return None
    return (_out(email, raw), _out(phone, raw))


def _keys(key: Any, r: dict[str, Any], config: Activation, dropped: Counter[str], raw: bool) -> tuple[Any, ...] | None:
    return (key,)


_ROW = {"google": _google, "meta": _meta, "tiktok": _tiktok, "keys": _keys}
