"""Value types of the language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeGuard, get_args

ScalarKind = Literal["integer", "number", "string", "boolean", "date", "timestamp"]
TypeKind = ScalarKind | Literal["list"]

SCALAR_TYPES: tuple[ScalarKind, ...] = get_args(ScalarKind)


def is_scalar_kind(name: str) -> TypeGuard[ScalarKind]:
    """Whether `name` (e.g. read from segdsl.toml) is the name of a scalar type."""
    return name in SCALAR_TYPES


@dataclass(frozen=True)
class Type:
    kind: TypeKind
    element: ScalarKind | None = None  # for lists
    values: tuple[str, ...] | None = None  # an enumeration's allowed values

    @property
    def numeric(self) -> bool:
        return self.kind in ("integer", "number")

    @property
    def temporal(self) -> bool:
        return self.kind in ("date", "timestamp")

    @property
    def orderable(self) -> bool:
        return self.numeric or self.temporal

    @property
    def family(self) -> str:
        if self.numeric:
            return "number"
        if self.temporal:
            return "date"
        return self.kind

    def plain(self) -> Type:
        """The type without its enumeration of allowed values."""
        """The type without its enumeration of allowed values."""
        return Type(self.kind, self.element)

    def __str__(self) -> str:
        if self.kind == "list":
            return f"list<{self.element}>"
        return {"number": "number", "integer": "integer", "string": "text"}.get(self.kind, self.kind)


INTEGER = Type("integer")
NUMBER = Type("number")
STRING = Type("string")
BOOLEAN = Type("boolean")
DATE = Type("date")
TIMESTAMP = Type("timestamp")


def describe(t: Type) -> str:
    """`a number`, `a date`... for messages."""
    word = str(t)
    article = "an" if word[0] in "aeiou" else "a"
    return f"{article} {word}"
