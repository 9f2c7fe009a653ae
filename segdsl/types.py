"""Value types of the language."""

from __future__ import annotations

from dataclasses import dataclass

SCALAR_TYPES = ("integer", "number", "string", "boolean", "date", "timestamp")


@dataclass(frozen=True)
class Type:
    kind: str  # integer number string boolean date timestamp list
    element: str | None = None  # for lists
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

    def plain(self) -> "Type":
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
