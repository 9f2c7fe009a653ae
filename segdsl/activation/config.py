"""The `[activation]` table of segdsl.toml: which entity columns hold the identifiers an
audience file needs, the country of phone numbers written without `+`, and consent.

    [activation]
    email = "email"              # entity columns (text)
    phone = "phone"
    first_name = "first_name"
    last_name = "last_name"
    zip = "zip"                  # text or whole number
    city = "city"
    state = "state"
    country = "country"          # ISO 3166 two-letter codes in the column
    default_country = "US"       # the country of phone numbers written without `+`
    consent = "marketing_opt_in" # a yes/no column, or a segment of the project

`segdsl check` validates it (SEG0480–SEG0484); the table is optional.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from segdsl.diagnostics import Diagnostic, did_you_mean, error

COLUMN_KEYS = ("email", "phone", "first_name", "last_name", "zip", "city", "state", "country")
KEYS = (*COLUMN_KEYS, "default_country", "consent")
_COUNTRY = re.compile(r"[A-Z]{2}")


@dataclass(frozen=True)
class Activation:
    columns: dict[str, str]  # identifier (email, phone, ...) -> entity column; only the mapped ones
    default_country: str | None = None
    consent: str | None = None  # a boolean column or a segment name
    consent_is_segment: bool = False


def _raw(project: Any) -> Any:
    config = project.sources.config
    return None if config is None else config.get("activation")


def read_activation(project: Any) -> Activation:
    """The mapping, assuming `check` found no SEG048x error in it (wrong entries are dropped)."""
    raw = _raw(project)
    if not isinstance(raw, dict):
        return Activation({})
    columns = {k: raw[k] for k in COLUMN_KEYS if isinstance(raw.get(k), str)}
    country = raw.get("default_country")
    consent = raw.get("consent")
    consent = consent if isinstance(consent, str) else None
    entity_columns = project.schema.entity.columns if project.schema is not None else {}
    return Activation(columns, country.upper() if isinstance(country, str) else None, consent,
                      consent is not None and consent not in entity_columns)


def activation_diagnostics(project: Any) -> list[Diagnostic]:
    """The problems of `[activation]` (configuration errors: exit code 2)."""
    from segdsl.project.schema import Locator

    raw = _raw(project)
    if raw is None or project.schema is None:
        return []
    shown = project._config_shown()
    loc = Locator(shown, project.sources.config_text)
    if not isinstance(raw, dict):
        return [error("SEG0480", "`[activation]` must be a table", loc.table_or_below("activation"))]
    found: list[Diagnostic] = []
    columns = project.schema.entity.columns
    for key in sorted(set(raw) - set(KEYS)):
        found.append(error("SEG0480", f"[activation]: unknown key `{key}`", loc.at("activation", key),
                           did_you_mean(key, list(KEYS)), "the keys of [activation]: " + ", ".join(KEYS)))
    for key in COLUMN_KEYS:
        if key not in raw:
            continue
        value, span = raw[key], loc.at("activation", key)
        if not isinstance(value, str) or not value:
            found.append(error("SEG0481", f"[activation]: `{key}` must be the name of a column of the entity", span))
        elif value not in columns:
            found.append(error("SEG0481", f"[activation]: `{key}` names `{value}`, which is not a column of "
                               f"[entity]", span, did_you_mean(value, list(columns))))
        else:
            kind = columns[value].type.kind
            allowed = ("string", "integer") if key == "zip" else ("string",)
            if kind not in allowed:
                found.append(error("SEG0482", f"[activation]: `{key}` names `{value}`, a {kind} column; it "
                                   "must hold text" + (" or whole numbers" if key == "zip" else ""), span))
    if "default_country" in raw:
        country = raw["default_country"]
        if not isinstance(country, str) or not _COUNTRY.fullmatch(country.upper()) or not _known_region(country):
            found.append(error("SEG0483", f"[activation]: `default_country` must be a two-letter ISO 3166 "
                               f"country code such as \"US\" or \"GB\", not {country!r}",
                               loc.at("activation", "default_country")))
    if "consent" in raw:
        found += _consent(project, raw["consent"], loc.at("activation", "consent"))
    return found


def _consent(project: Any, value: Any, span: Any) -> list[Diagnostic]:
    columns = project.schema.entity.columns
    segments = project.segment_names()
    if isinstance(value, str) and value in columns:
        kind = columns[value].type.kind
        if kind == "boolean":
            return []
        return [error("SEG0484", f"[activation]: `consent` names `{value}`, a {kind} column; it must be a "
                      "yes/no column or a segment", span, "define a segment, e.g. `segment consenting "
                      f"where {value} = ...`, and name it here")]
    if isinstance(value, str) and value in segments:
        return []
    return [error("SEG0484", f"[activation]: `consent` must name a yes/no column of [entity] or a segment, "
                  f"not {value!r}", span, did_you_mean(str(value), [*columns, *segments]))]


def _known_region(code: str) -> bool:
    """A region phonenumbers knows; any two letters when the optional extra is missing (the
    export command then refuses to run and names it)."""
    try:
        import phonenumbers
    except ImportError:
        return True
    return code.upper() in phonenumbers.SUPPORTED_REGIONS
